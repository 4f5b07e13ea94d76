package org.cspstack.core.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The Internet checksum of RFC 1071: the 16-bit one's complement of the one's complement sum of the message
 * taken as 16-bit big-endian words, used by IPv4, ICMP, UDP and TCP.
 *
 * <p><b>Partial sums.</b> A checksum is built in three steps: accumulate with {@link #add} (and, for UDP and
 * TCP, start from {@link #pseudoHeaderIpv4}), {@link #fold} the carries, complement with {@link #finish}. The
 * running sum is a plain non-negative {@code long} in which carries simply pile up above bit 15; since
 * 2^16 &equiv; 1 (mod 2^16 - 1), folding them back in at the end gives the same result as RFC 1071's
 * end-around carry after every word. That is what lets {@link #add} sum four bytes at a time (RFC 1071 section
 * 2(B), "parallel summation"), and it cannot overflow: every call adds less than 2^32 per 4 bytes, so even
 * arrays of 2^31 bytes stay far below 2^63.
 *
 * <p><b>Alignment.</b> What matters is the position of the data <em>in the checksummed message</em>, not in
 * the array: {@link #add} pairs {@code b[off]} with {@code b[off+1]} as one big-endian word, whatever the
 * parity of {@code off} in the array. So each call's data must start at an even position of the message, and
 * only the last piece of a message may have odd length; an odd final byte is padded with a zero byte on the
 * right, as RFC 1071 says. (A piece that starts at an odd message position would be summed byte-swapped.)
 *
 * <p><b>Writing and checking.</b> To fill a checksum field, zero it, {@link #compute} over the region and
 * store the result. A received region, checksum field included, is intact when its folded sum is 0xffff
 * ({@link #verify}).
 */
public final class Checksum {

    private static final VarHandle LONG_BE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Checksum() {
    }

    /**
     * Adds {@code b[off, off+len)} to a running sum, eight bytes at a time.
     *
     * @param sum 0 to start, or a value returned by {@code add} or {@link #pseudoHeaderIpv4}
     * @param off must be at an even position of the message being checksummed (see the class comment)
     * @param len any length; if odd, the last byte is taken as the high byte of a word whose low byte is zero,
     *            so only the final piece of a message may be odd
     * @return the new running sum, not yet folded
     */
    public static long add(long sum, byte[] b, int off, int len) {
        int i = off;
        // Eight bytes per load, added as two 32-bit halves: at most 2^14 additions of < 2^32 for a 64 KiB
        // message, so the long cannot overflow. (One 8-byte load instead of two 4-byte ones: the checksum of
        // outgoing TCP data was the hottest method of a bulk send, JFR.)
        int end8 = off + (len & ~7);
        while (i < end8) {
            long v = (long) LONG_BE.get(b, i);
            sum += (v >>> 32) + (v & 0xffff_ffffL);
            i += 8;
        }
        if ((len & 4) != 0) {
            sum += Bytes.u32(b, i);
            i += 4;
        }
        int rest = len & 3;
        if (rest >= 2) {
            sum += Bytes.u16(b, i);
            i += 2;
        }
        if ((rest & 1) != 0) {
            sum += (b[i] & 0xff) << 8;
        }
        return sum;
    }

    /**
     * Adds one 16-bit word (e.g. a length or protocol field that is not in the buffer) to a running sum. Like
     * a piece passed to {@link #add}, it counts as sitting at an even position of the message.
     */
    public static long addWord(long sum, int word) {
        return sum + (word & 0xffff);
    }

    /** Folds the carries of a running sum into 16 bits: the one's complement sum, <em>not</em> inverted. */
    public static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }

    /** The value to write into a checksum field: {@code ~fold(sum) & 0xffff}. */
    public static int finish(long sum) {
        return ~fold(sum) & 0xffff;
    }

    /**
     * The checksum field value for {@code b[off, off+len)}, whose checksum field must be zero while computing.
     */
    public static int compute(byte[] b, int off, int len) {
        return finish(add(0, b, off, len));
    }

    /** True when {@code b[off, off+len)}, checksum field included, sums to 0xffff, i.e. the checksum is right. */
    public static boolean verify(byte[] b, int off, int len) {
        return fold(add(0, b, off, len)) == 0xffff;
    }

    /**
     * The running sum of the IPv4 pseudo-header that UDP and TCP (RFC 768, RFC 9293) prepend to their
     * checksum: source, destination, zero byte + protocol, and the transport length (header + data).
     *
     * <pre>
     * +--------+--------+--------+--------+
     * |           Source Address          |
     * +--------+--------+--------+--------+
     * |         Destination Address       |
     * +--------+--------+--------+--------+
     * |  zero  |  PTCL  |  Length         |
     * +--------+--------+--------+--------+
     * </pre>
     *
     * Continue with {@link #add} over the transport header and data (at message position 0, i.e. even).
     */
    public static long pseudoHeaderIpv4(Ipv4Address src, Ipv4Address dst, int protocol, int length) {
        int s = src.toInt();
        int d = dst.toInt();
        return (long) (s >>> 16) + (s & 0xffff) + (d >>> 16) + (d & 0xffff) + (protocol & 0xff) + (length & 0xffff);
    }
}
