package org.cspstack.core.wire;

import java.util.Objects;

/**
 * A 48-bit IEEE 802 MAC address, immutable, held in the low 48 bits of a {@code long} (first octet in bits
 * 47..40), so that comparing two addresses is comparing two longs.
 *
 * <pre>
 *  first octet:  7 6 5 4 3 2 1 0
 *               +-+-+-+-+-+-+-+-+
 *               | | | | | | |U|I|   I = I/G bit: 1 = group (multicast/broadcast), 0 = individual
 *               +-+-+-+-+-+-+-+-+   U = U/L bit: 1 = locally administered, 0 = universal (OUI)
 * </pre>
 */
public final class MacAddress {

    /** Length of a MAC address in bytes. */
    public static final int LENGTH = 6;

    private static final long MASK = 0xffff_ffff_ffffL;
    private static final long GROUP_BIT = 0x01_00_00_00_00_00L;
    private static final long LOCAL_BIT = 0x02_00_00_00_00_00L;
    private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();

    /** ff:ff:ff:ff:ff:ff, the broadcast address. */
    public static final MacAddress BROADCAST = new MacAddress(MASK);
    /** 00:00:00:00:00:00, e.g. the unknown target of an ARP request. */
    public static final MacAddress ZERO = new MacAddress(0);

    private final long value;

    private MacAddress(long value) {
        this.value = value;
    }

    /** The address whose octets are the low 48 bits of {@code value}, first octet in bits 47..40. */
    public static MacAddress of(long value) {
        if ((value & ~MASK) != 0) {
            throw new IllegalArgumentException(String.format("MAC address value 0x%x has more than 48 bits", value));
        }
        return new MacAddress(value);
    }

    /** The address made of exactly six bytes. */
    public static MacAddress of(byte[] six) {
        if (six.length != LENGTH) {
            throw new IllegalArgumentException("a MAC address has 6 bytes, not " + six.length);
        }
        return read(six, 0);
    }

    /** Reads the six bytes at {@code b[off..off+5]}. */
    public static MacAddress read(byte[] b, int off) {
        return new MacAddress(readLong(b, off));
    }

    /** Reads the six bytes at {@code b[off..off+5]} as a long (see {@link #toLong()}), without allocating. */
    public static long readLong(byte[] b, int off) {
        return (long) Bytes.u16(b, off) << 32 | Bytes.u32(b, off + 2);
    }

    /**
     * Parses the colon form with two ASCII hex digits per octet, either case, e.g. {@code "02:00:5e:10:00:02"}.
     *
     * @throws IllegalArgumentException if {@code s} is not exactly in that form
     */
    public static MacAddress parse(String s) {
        Objects.requireNonNull(s, "MAC address string");
        if (s.length() != 17) {
            throw badSyntax(s, "length " + s.length() + ", not 17");
        }
        long v = 0;
        for (int i = 0; i < 6; i++) {
            int p = 3 * i;
            int hi = Bytes.hexValue(s.charAt(p));
            int lo = Bytes.hexValue(s.charAt(p + 1));
            if (hi < 0 || lo < 0) {
                throw badSyntax(s, "octet " + (i + 1) + " is not two hex digits");
            }
            if (i < 5 && s.charAt(p + 2) != ':') {
                throw badSyntax(s, "expected ':' at index " + (p + 2));
            }
            v = v << 8 | hi << 4 | lo;
        }
        return new MacAddress(v);
    }

    private static IllegalArgumentException badSyntax(String s, String why) {
        return new IllegalArgumentException("not a MAC address: \"" + s + "\" (" + why
                + "; expected six colon-separated pairs of hex digits like 02:00:5e:10:00:02)");
    }

    /** Writes the six bytes to {@code b[off..off+5]}. */
    public void write(byte[] b, int off) {
        Bytes.putU16(b, off, (int) (value >>> 32));
        Bytes.putU32(b, off + 2, value);
    }

    /** The six bytes in a new array. */
    public byte[] toBytes() {
        byte[] b = new byte[LENGTH];
        write(b, 0);
        return b;
    }

    /** The address as the low 48 bits of a long, first octet in bits 47..40. */
    public long toLong() {
        return value;
    }

    /** True for ff:ff:ff:ff:ff:ff. */
    public boolean isBroadcast() {
        return value == MASK;
    }

    /** True when the I/G bit is set: a group address (multicast; broadcast is a group address too). */
    public boolean isMulticast() {
        return (value & GROUP_BIT) != 0;
    }

    /** True when the I/G bit is clear: an individual address. */
    public boolean isUnicast() {
        return (value & GROUP_BIT) == 0;
    }

    /** True when the U/L bit is set: assigned locally (e.g. by a VM or a test), not from a vendor's OUI. */
    public boolean isLocallyAdministered() {
        return (value & LOCAL_BIT) != 0;
    }

    /** Lower-case colon form, e.g. {@code 02:00:5e:10:00:02}. */
    @Override
    public String toString() {
        char[] c = new char[17];
        for (int i = 0; i < 6; i++) {
            int octet = (int) (value >>> (40 - 8 * i)) & 0xff;
            c[3 * i] = HEX_DIGITS[octet >>> 4];
            c[3 * i + 1] = HEX_DIGITS[octet & 0xf];
            if (i < 5) {
                c[3 * i + 2] = ':';
            }
        }
        return new String(c);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MacAddress m && m.value == value;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(value);
    }
}
