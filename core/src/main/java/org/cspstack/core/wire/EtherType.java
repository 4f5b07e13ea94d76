package org.cspstack.core.wire;

/**
 * EtherType values (IEEE 802 numbers, as registered with IANA) for the Ethernet II type field. Values below
 * {@link #MIN_ETHER_TYPE} are IEEE 802.3 length fields, not types.
 */
public final class EtherType {

    /** Internet Protocol version 4 (RFC 894). */
    public static final int IPV4 = 0x0800;
    /** Address Resolution Protocol (RFC 826). */
    public static final int ARP = 0x0806;
    /** 802.1Q VLAN tag. */
    public static final int VLAN = 0x8100;
    /** Internet Protocol version 6 (RFC 2464). */
    public static final int IPV6 = 0x86DD;
    /** The smallest value that is an EtherType; smaller values are 802.3 payload lengths. */
    public static final int MIN_ETHER_TYPE = 0x0600;

    private EtherType() {
    }

    /** A short name for logs: "IPv4", "ARP", "IPv6", "VLAN", or the value in hex such as "0x88cc". */
    public static String name(int etherType) {
        return switch (etherType) {
            case IPV4 -> "IPv4";
            case ARP -> "ARP";
            case IPV6 -> "IPv6";
            case VLAN -> "VLAN";
            default -> String.format("0x%04x", etherType);
        };
    }
}
