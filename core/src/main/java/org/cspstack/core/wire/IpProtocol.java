package org.cspstack.core.wire;

/** IP protocol numbers (the IPv4 Protocol field, IANA "Assigned Internet Protocol Numbers"). */
public final class IpProtocol {

    /** Internet Control Message Protocol (RFC 792). */
    public static final int ICMP = 1;
    /** Transmission Control Protocol (RFC 9293). */
    public static final int TCP = 6;
    /** User Datagram Protocol (RFC 768). */
    public static final int UDP = 17;

    private IpProtocol() {
    }

    /** A short name for logs: "ICMP", "TCP", "UDP", or "protocol N" for others. */
    public static String name(int protocol) {
        return switch (protocol) {
            case ICMP -> "ICMP";
            case TCP -> "TCP";
            case UDP -> "UDP";
            default -> "protocol " + protocol;
        };
    }
}
