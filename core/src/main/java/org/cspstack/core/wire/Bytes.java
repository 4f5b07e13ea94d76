package org.cspstack.core.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The one place where multi-byte fields are read and written: network byte order (big-endian) everywhere.
 *
 * <p>Reads return unsigned values widened to the next larger primitive ({@code u16} as {@code int}, {@code u32}
 * as {@code long}), so that no caller ever has to remember a mask. Writes store the low 8, 16 or 32 bits of
 * their argument and ignore the rest. Nothing here allocates (apart from the hex helpers, which are for tests
 * and logs) and nothing checks more than the JVM's own array bounds checks.
 *
 * <p>The 16- and 32-bit accesses go through byte-array view {@link VarHandle}s, which the JIT compiles to a
 * single bounds-checked load or store (plus a byte swap on little-endian CPUs).
 */
public final class Bytes {

    private static final VarHandle SHORT_BE =
            MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT_BE =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();

    private Bytes() {
    }

    /** The unsigned byte at {@code b[off]}, 0..255. */
    public static int u8(byte[] b, int off) {
        return b[off] & 0xff;
    }

    /** The unsigned big-endian 16-bit value at {@code b[off..off+1]}, 0..65535. */
    public static int u16(byte[] b, int off) {
        return (short) SHORT_BE.get(b, off) & 0xffff;
    }

    /** The unsigned big-endian 32-bit value at {@code b[off..off+3]}, 0..2^32-1. */
    public static long u32(byte[] b, int off) {
        return (int) INT_BE.get(b, off) & 0xffff_ffffL;
    }

    /** The big-endian 32-bit value at {@code b[off..off+3]} as a (possibly negative) {@code int}. */
    public static int i32(byte[] b, int off) {
        return (int) INT_BE.get(b, off);
    }

    /** Writes the low 8 bits of {@code v} to {@code b[off]}. */
    public static void putU8(byte[] b, int off, int v) {
        b[off] = (byte) v;
    }

    /** Writes the low 16 bits of {@code v} big-endian to {@code b[off..off+1]}. */
    public static void putU16(byte[] b, int off, int v) {
        SHORT_BE.set(b, off, (short) v);
    }

    /** Writes the low 32 bits of {@code v} big-endian to {@code b[off..off+3]}. */
    public static void putU32(byte[] b, int off, long v) {
        INT_BE.set(b, off, (int) v);
    }

    /** Writes {@code v} big-endian to {@code b[off..off+3]}. */
    public static void putI32(byte[] b, int off, int v) {
        INT_BE.set(b, off, v);
    }

    /** Lower-case hex of {@code b[off, off+len)} with no separators, e.g. {@code "0800"}. */
    public static String hex(byte[] b, int off, int len) {
        char[] out = new char[2 * len];
        for (int i = 0; i < len; i++) {
            int v = b[off + i] & 0xff;
            out[2 * i] = HEX_DIGITS[v >>> 4];
            out[2 * i + 1] = HEX_DIGITS[v & 0xf];
        }
        return new String(out);
    }

    /** Lower-case hex of the whole array. */
    public static String hex(byte[] b) {
        return hex(b, 0, b.length);
    }

    /** The value of an ASCII hex digit (either case), or -1 for any other character (including non-ASCII digits). */
    static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /**
     * Parses hex digits (either case) into bytes, ignoring all whitespace, so that test vectors can be laid
     * out in readable groups and lines.
     *
     * @throws IllegalArgumentException on a character that is neither a hex digit nor whitespace, or an odd
     *                                  number of digits
     */
    public static byte[] fromHex(String hex) {
        char[] digits = new char[hex.length()];
        int n = 0;
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            if (Character.isWhitespace(c)) {
                continue;
            }
            if (hexValue(c) < 0) {
                throw new IllegalArgumentException(
                        "not a hex digit: '" + c + "' at index " + i + " of \"" + hex + "\"");
            }
            digits[n++] = c;
        }
        if (n % 2 != 0) {
            throw new IllegalArgumentException("odd number of hex digits (" + n + ") in \"" + hex + "\"");
        }
        byte[] out = new byte[n / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (hexValue(digits[2 * i]) << 4 | hexValue(digits[2 * i + 1]));
        }
        return out;
    }
}
