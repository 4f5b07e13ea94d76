package org.cspstack.core.wire;

import java.util.Objects;

/**
 * An interface address with its prefix length, as in {@code 198.18.0.2/24}: the address keeps its host bits
 * (it is this host's address), the prefix says which part is the network.
 *
 * @param address      the address, host bits included
 * @param prefixLength the number of network bits, 0..32
 */
public record Ipv4Cidr(Ipv4Address address, int prefixLength) {

    /** Checks that the address is present and the prefix length is 0..32. */
    public Ipv4Cidr {
        Objects.requireNonNull(address, "address");
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("IPv4 prefix length must be 0..32, got " + prefixLength);
        }
    }

    /**
     * Parses {@code address/prefix}, e.g. {@code "198.18.0.2/24"}; the address as in
     * {@link Ipv4Address#parse}, the prefix a decimal 0..32 without sign or leading zero.
     *
     * @throws IllegalArgumentException if {@code s} is not in that form
     */
    public static Ipv4Cidr parse(String s) {
        Objects.requireNonNull(s, "CIDR string");
        int slash = s.indexOf('/');
        if (slash < 0) {
            throw badSyntax(s, "no '/'");
        }
        String prefix = s.substring(slash + 1);
        if (prefix.isEmpty() || prefix.length() > 2 || (prefix.length() == 2 && prefix.charAt(0) == '0')) {
            throw badSyntax(s, "prefix length \"" + prefix + "\" is not a number 0..32");
        }
        int length = 0;
        for (int i = 0; i < prefix.length(); i++) {
            char c = prefix.charAt(i);
            if (c < '0' || c > '9') {
                throw badSyntax(s, "prefix length \"" + prefix + "\" is not a number 0..32");
            }
            length = length * 10 + (c - '0');
        }
        if (length > 32) {
            throw badSyntax(s, "prefix length " + length + " is greater than 32");
        }
        Ipv4Address address;
        try {
            address = Ipv4Address.parse(s.substring(0, slash));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an IPv4 CIDR: \"" + s + "\" (" + e.getMessage() + ")", e);
        }
        return new Ipv4Cidr(address, length);
    }

    private static IllegalArgumentException badSyntax(String s, String why) {
        return new IllegalArgumentException(
                "not an IPv4 CIDR: \"" + s + "\" (" + why + "; expected address/prefix like 198.18.0.2/24)");
    }

    /** The netmask as an int: {@code prefixLength} one bits from the top (0 for /0). */
    public int netmask() {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    /** The network address: the address with its host bits cleared. */
    public Ipv4Address network() {
        return Ipv4Address.of(address.toInt() & netmask());
    }

    /** The directed broadcast address: the address with all host bits set. */
    public Ipv4Address broadcast() {
        return Ipv4Address.of(address.toInt() | ~netmask());
    }

    /** True when {@code other} is in this network (has the same network bits). */
    public boolean contains(Ipv4Address other) {
        return ((other.toInt() ^ address.toInt()) & netmask()) == 0;
    }

    /** {@code address/prefixLength}, e.g. {@code 198.18.0.2/24}. */
    @Override
    public String toString() {
        return address + "/" + prefixLength;
    }
}
