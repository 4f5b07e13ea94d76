package org.cspstack.core.wire;

/**
 * A one-line, tcpdump-like description of an Ethernet frame, for narration, traces and logs:
 * {@code ARP who-has 198.18.0.2 tell 198.18.0.1}, {@code 198.18.0.1 > 198.18.0.2 ICMP echo request id 7 seq 1,
 * 64 bytes}. It never throws: a frame it cannot read is described as such.
 */
public final class FrameSummary {
    private FrameSummary() {
    }

    public static String describe(byte[] b, int off, int len) {
        try {
            EthernetFrame eth = EthernetFrame.wrapChecked(b, off, len);
            return switch (eth.etherType()) {
                case EtherType.ARP -> arp(b, eth.payloadOffset(), eth.payloadLength());
                case EtherType.IPV4 -> ipv4(b, eth.payloadOffset(), eth.payloadLength());
                default -> eth.source() + " > " + eth.destination() + " ethertype 0x"
                        + Integer.toHexString(eth.etherType()) + ", " + len + " bytes";
            };
        } catch (MalformedPacketException e) {
            return "malformed frame (" + e.getMessage() + "), " + len + " bytes";
        }
    }

    /** Describes a bare IPv4 packet (no Ethernet header), as {@link #describe} does the IP part of a frame. */
    public static String describeIpv4(byte[] b, int off, int len) {
        try {
            return ipv4(b, off, len);
        } catch (MalformedPacketException e) {
            return "malformed IPv4 packet (" + e.getMessage() + "), " + len + " bytes";
        }
    }

    /** Describes a bare ARP packet (no Ethernet header). */
    public static String describeArp(byte[] b, int off, int len) {
        try {
            return arp(b, off, len);
        } catch (MalformedPacketException e) {
            return "malformed ARP packet (" + e.getMessage() + "), " + len + " bytes";
        }
    }

    private static String arp(byte[] b, int off, int len) throws MalformedPacketException {
        ArpRepr arp = ArpRepr.parse(ArpPacket.wrapChecked(b, off, len));
        if (arp.operation() == ArpRepr.REQUEST) {
            return "ARP who-has " + arp.targetIp() + " tell " + arp.senderIp();
        }
        return "ARP reply " + arp.senderIp() + " is-at " + arp.senderMac();
    }

    private static String ipv4(byte[] b, int off, int len) throws MalformedPacketException {
        Ipv4Packet ip = Ipv4Packet.wrapChecked(b, off, len);
        StringBuilder sb = new StringBuilder();
        sb.append(ip.source()).append(" > ").append(ip.destination()).append(' ');
        if (ip.isFragment()) {
            sb.append("IP fragment id ").append(ip.identification()).append(" offset ").append(ip.fragmentOffset())
                    .append(ip.moreFragments() ? " +MF" : "").append(", ").append(ip.payloadLength()).append(" bytes");
            if (ip.fragmentOffset() != 0) {
                return sb.toString();
            }
            sb.append(": ");
        }
        return sb.append(transport(ip.protocol(), b, ip.payloadOffset(), ip.payloadLength(), ip.isFragment()))
                .toString();
    }

    /**
     * Describes a transport header and its data with no IP header in front ({@code UDP 49152 > 7, 22 bytes},
     * {@code TCP 49152 > 7 [S] seq 1 ack 0, 0 bytes}, {@code ICMP echo request id 7 seq 1, 56 bytes of data}).
     */
    public static String describeTransport(int protocol, byte[] b, int off, int len) {
        return transport(protocol, b, off, len, false);
    }

    private static String transport(int protocol, byte[] b, int p, int plen, boolean firstFragment) {
        StringBuilder sb = new StringBuilder();
        switch (protocol) {
            case IpProtocol.ICMP -> sb.append(icmp(b, p, plen, firstFragment));
            case IpProtocol.UDP -> sb.append(plen >= 8
                    ? "UDP " + Bytes.u16(b, p) + " > " + Bytes.u16(b, p + 2) + ", " + (plen - 8) + " bytes"
                    : "UDP (truncated)");
            case IpProtocol.TCP -> sb.append(plen >= 20
                    ? "TCP " + Bytes.u16(b, p) + " > " + Bytes.u16(b, p + 2) + tcpFlags(b[p + 13]) + " seq "
                            + Bytes.u32(b, p + 4) + " ack " + Bytes.u32(b, p + 8) + ", "
                            + (plen - ((Bytes.u8(b, p + 12) >> 4) * 4)) + " bytes"
                    : "TCP (truncated)");
            default -> sb.append("IP protocol ").append(protocol).append(", ").append(plen).append(" bytes");
        }
        return sb.toString();
    }

    private static String icmp(byte[] b, int off, int len, boolean firstFragment) {
        if (len < IcmpPacket.HEADER_LENGTH) {
            return "ICMP (truncated)";
        }
        IcmpPacket icmp = IcmpPacket.wrap(b, off, len);
        String size = firstFragment ? "" : ", " + icmp.dataLength() + " bytes of data";
        return switch (icmp.type()) {
            case IcmpType.ECHO_REQUEST -> "ICMP echo request id " + icmp.identifier() + " seq "
                    + icmp.sequenceNumber() + size;
            case IcmpType.ECHO_REPLY -> "ICMP echo reply id " + icmp.identifier() + " seq "
                    + icmp.sequenceNumber() + size;
            case IcmpType.DESTINATION_UNREACHABLE -> "ICMP destination unreachable code " + icmp.code();
            case IcmpType.TIME_EXCEEDED -> "ICMP time exceeded code " + icmp.code();
            default -> "ICMP type " + icmp.type() + " code " + icmp.code();
        };
    }

    private static String tcpFlags(byte flags) {
        StringBuilder sb = new StringBuilder(" [");
        if ((flags & 0x02) != 0) {
            sb.append('S');
        }
        if ((flags & 0x01) != 0) {
            sb.append('F');
        }
        if ((flags & 0x04) != 0) {
            sb.append('R');
        }
        if ((flags & 0x08) != 0) {
            sb.append('P');
        }
        if ((flags & 0x10) != 0) {
            sb.append('.');
        }
        return sb.append(']').toString();
    }
}
