package org.cspstack.core.wire;

import java.util.Objects;

/**
 * An IPv4 address, immutable, held in an {@code int} (first octet in the top 8 bits), so that comparing and
 * masking addresses is plain {@code int} arithmetic.
 */
public final class Ipv4Address {

    /** Length of an IPv4 address in bytes. */
    public static final int LENGTH = 4;

    /** 0.0.0.0, the unspecified address ("any" when binding). */
    public static final Ipv4Address ANY = new Ipv4Address(0);
    /** 255.255.255.255, the limited broadcast address. */
    public static final Ipv4Address BROADCAST = new Ipv4Address(0xffff_ffff);

    private final int value;

    private Ipv4Address(int value) {
        this.value = value;
    }

    /** The address whose 32 bits are {@code value}, first octet in the top 8 bits. */
    public static Ipv4Address of(int value) {
        return new Ipv4Address(value);
    }

    /** The address {@code a.b.c.d}; each part must be 0..255. */
    public static Ipv4Address of(int a, int b, int c, int d) {
        if ((a | b | c | d) >>> 8 != 0) {
            throw new IllegalArgumentException(
                    "IPv4 address parts must be 0..255, got " + a + "." + b + "." + c + "." + d);
        }
        return new Ipv4Address(a << 24 | b << 16 | c << 8 | d);
    }

    /** Reads the four bytes at {@code b[off..off+3]}. */
    public static Ipv4Address read(byte[] b, int off) {
        return new Ipv4Address(Bytes.i32(b, off));
    }

    /**
     * Parses a strict dotted quad: four decimal numbers 0..255 separated by dots, without signs, spaces or
     * leading zeros (which some parsers read as octal, so they are ambiguous), e.g. {@code "198.18.0.1"}.
     *
     * @throws IllegalArgumentException if {@code s} is not exactly in that form
     */
    public static Ipv4Address parse(String s) {
        Objects.requireNonNull(s, "IPv4 address string");
        int value = 0;
        int part = 0;
        int digits = 0;
        int dots = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.') {
                if (digits == 0) {
                    throw badSyntax(s, "empty part before index " + i);
                }
                if (++dots > 3) {
                    throw badSyntax(s, "more than four parts");
                }
                value = value << 8 | part;
                part = 0;
                digits = 0;
            } else if (c >= '0' && c <= '9') {
                if (digits > 0 && part == 0) {
                    throw badSyntax(s, "leading zero in part " + (dots + 1));
                }
                part = part * 10 + (c - '0');
                digits++;
                if (part > 255) {
                    throw badSyntax(s, "part " + (dots + 1) + " is greater than 255");
                }
            } else {
                throw badSyntax(s, "unexpected character '" + c + "' at index " + i);
            }
        }
        if (digits == 0) {
            throw badSyntax(s, s.isEmpty() ? "empty string" : "empty last part");
        }
        if (dots != 3) {
            throw badSyntax(s, (dots + 1) + " parts, not four");
        }
        return new Ipv4Address(value << 8 | part);
    }

    private static IllegalArgumentException badSyntax(String s, String why) {
        return new IllegalArgumentException("not an IPv4 address: \"" + s + "\" (" + why
                + "; expected four decimal numbers 0-255 like 198.18.0.1)");
    }

    /** Writes the four bytes to {@code b[off..off+3]}. */
    public void write(byte[] b, int off) {
        Bytes.putI32(b, off, value);
    }

    /** The 32 bits of the address, first octet in the top 8 bits (negative for addresses from 128.0.0.0). */
    public int toInt() {
        return value;
    }

    /** True for 255.255.255.255, the limited broadcast (a directed broadcast needs the netmask: {@link Ipv4Cidr}). */
    public boolean isBroadcast() {
        return value == 0xffff_ffff;
    }

    /** True for 224.0.0.0/4 (class D). */
    public boolean isMulticast() {
        return value >>> 28 == 0xe;
    }

    /** True for 0.0.0.0. */
    public boolean isUnspecified() {
        return value == 0;
    }

    /** True for 127.0.0.0/8. */
    public boolean isLoopback() {
        return value >>> 24 == 127;
    }

    /** Dotted-quad form, e.g. {@code 198.18.0.1}. */
    @Override
    public String toString() {
        return (value >>> 24) + "." + (value >>> 16 & 0xff) + "." + (value >>> 8 & 0xff) + "." + (value & 0xff);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ipv4Address a && a.value == value;
    }

    @Override
    public int hashCode() {
        return Integer.hashCode(value);
    }
}
