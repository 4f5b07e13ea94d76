package org.cspstack.harness.trace;

import java.util.List;
import java.util.Set;

import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.csp.ChannelSpec;
import org.cspstack.core.csp.Summarizable;
import org.cspstack.core.link.PcapFileWriter;
import org.cspstack.core.wire.FrameSummary;
import org.cspstack.core.wire.Ipv4Address;
import org.cspstack.protocols.arp.RoutedPacket;
import org.cspstack.protocols.icmp.PingRequest;
import org.cspstack.protocols.ipv4.IpDatagram;
import org.cspstack.protocols.ipv4.IpSend;
import org.cspstack.protocols.ipv4.ReassemblyEvent;
import org.cspstack.protocols.tcp.ConnKey;
import org.cspstack.protocols.tcp.ConnectionEvent;
import org.cspstack.protocols.tcp.TcpRequest;
import org.cspstack.protocols.udp.UdpDatagram;
import org.cspstack.protocols.udp.UdpRequest;

/**
 * What a message on a channel of a {@link org.cspstack.protocols.stack.HostStack} is, in one line, and the
 * packet bytes it carries. A {@link PacketBuffer} means different things on different channels (a whole
 * Ethernet frame near the link, an ARP or IPv4 packet above Ethernet); which one is told by the channel's
 * name without its prefix, as HostStack wires them ({@link #carries}). Records are summarised by type; a
 * message that is {@link Summarizable} summarises itself. Nothing here changes a message or keeps it.
 */
public final class Messages {
    /** The longest summary; a longer one is cut with an ellipsis (a trace line stays a line). */
    static final int MAX_SUMMARY = 240;

    private static final Set<String> FRAME_CHANNELS = Set.of("linkToEth", "linkToFaults", "arpToLink");
    private static final Set<String> ARP_CHANNELS = Set.of("ethToArp");
    private static final Set<String> IP_CHANNELS = Set.of("ethToIp", "ipToArp", "ipToIcmp", "ipToUdp", "ipToTcp",
            "reasmToIp", "fragments");
    /** The channels a pcap tap can name, in wiring order. */
    static final List<String> TAPPABLE = List.of("linkToEth", "linkToFaults", "ethToIp", "ipToArp", "arpToLink",
            "ipToIcmp", "ipToUdp", "ipToTcp", "reasmToIp");

    /** What the packets on a channel are. */
    public enum Carries {
        /** Whole Ethernet frames (pcap LINKTYPE_ETHERNET). */
        FRAMES(PcapFileWriter.LINKTYPE_ETHERNET),
        /** IPv4 packets from their IP header on (pcap LINKTYPE_RAW). */
        IP_PACKETS(PcapFileWriter.LINKTYPE_RAW),
        /** ARP packets without an Ethernet header (no pcap link type fits: not tappable). */
        ARP_PACKETS(-1),
        /** Requests, events or transport payloads: no whole packets. */
        OTHER(-1);

        private final int linkType;

        Carries(int linkType) {
            this.linkType = linkType;
        }

        /** The pcap link type of the packets, or -1 when they cannot be written to a pcap file. */
        public int linkType() {
            return linkType;
        }
    }

    private Messages() {
    }

    /** True for a {@link org.cspstack.core.link.MemoryLink}'s channels ({@code a.wire->b.}): frames. */
    static boolean isWire(String channelName) {
        return channelName.contains("wire->");
    }

    /** The channel's name without the stack's prefix: {@code a.ipToIcmp} -> {@code ipToIcmp}. */
    public static String baseName(String channelName) {
        return channelName.substring(channelName.lastIndexOf('.') + 1);
    }

    /** What the channel named {@code channelName} carries (by HostStack's names). */
    public static Carries carries(String channelName) {
        if (isWire(channelName)) {
            return Carries.FRAMES;
        }
        String base = baseName(channelName);
        if (FRAME_CHANNELS.contains(base)) {
            return Carries.FRAMES;
        }
        if (ARP_CHANNELS.contains(base)) {
            return Carries.ARP_PACKETS;
        }
        if (IP_CHANNELS.contains(base)) {
            return Carries.IP_PACKETS;
        }
        return Carries.OTHER;
    }

    /** One line about {@code message} on {@code channel}; never throws, never changes the message. */
    public static String summary(ChannelSpec channel, Object message) {
        String s;
        try {
            s = describe(channel.name(), message);
        } catch (RuntimeException e) {
            s = message.getClass().getSimpleName() + " (not summarised: " + e + ")";
        }
        return s.length() <= MAX_SUMMARY ? s : s.substring(0, MAX_SUMMARY - 3) + "...";
    }

    private static String describe(String channelName, Object m) {
        if (m instanceof Summarizable s) {
            return s.summary();
        }
        if (m instanceof PacketBuffer b) {
            return switch (carries(channelName)) {
                case FRAMES -> FrameSummary.describe(b.array(), b.start(), b.length());
                case ARP_PACKETS -> FrameSummary.describeArp(b.array(), b.start(), b.length());
                default -> FrameSummary.describeIpv4(b.array(), b.start(), b.length());
            };
        }
        if (m instanceof IpDatagram d) {
            PacketBuffer p = d.payload();
            if (d.headerOffset() + d.headerLength() == p.start()) {
                return FrameSummary.describeIpv4(p.array(), d.headerOffset(), d.headerLength() + p.length());
            }
            return d.source() + " > " + d.destination() + " "
                    + FrameSummary.describeTransport(d.protocol(), p.array(), p.start(), p.length());
        }
        if (m instanceof IpSend s) {
            PacketBuffer p = s.payload();
            return "to " + s.destination() + ": "
                    + FrameSummary.describeTransport(s.protocol(), p.array(), p.start(), p.length())
                    + (s.dontFragment() ? " (DF)" : "");
        }
        if (m instanceof RoutedPacket r) {
            PacketBuffer p = r.datagram();
            return FrameSummary.describeIpv4(p.array(), p.start(), p.length()) + " via " + r.nextHop();
        }
        if (m instanceof PingRequest r) {
            return "ping " + r.destination() + " id " + r.identifier() + " seq " + r.sequence() + ", "
                    + r.dataLength() + " bytes of data, ttl " + r.ttl();
        }
        if (m instanceof UdpRequest r) {
            return udpRequest(r);
        }
        if (m instanceof UdpDatagram d) {
            return "UDP " + d.source() + ":" + d.sourcePort() + " > " + d.destination() + ":" + d.destinationPort()
                    + ", " + d.payload().length() + " bytes";
        }
        if (m instanceof TcpRequest r) {
            return tcpRequest(r);
        }
        if (m instanceof ConnectionEvent e) {
            String key = key(e.key());
            if (e instanceof ConnectionEvent.Established) {
                return "connection " + key + " established";
            }
            ConnectionEvent.Ended end = (ConnectionEvent.Ended) e;
            return "connection " + key + " ended" + (end.wasEstablished() ? "" : " (never established)");
        }
        if (m instanceof ReassemblyEvent e) {
            if (e instanceof ReassemblyEvent.Complete c) {
                PacketBuffer p = c.datagram();
                return "reassembled from " + c.fragments() + " fragments: "
                        + FrameSummary.describeIpv4(p.array(), p.start(), p.length());
            }
            if (e instanceof ReassemblyEvent.Dropped d) {
                return "reassembly of " + d.key() + " dropped: " + d.reason();
            }
            return "reassembly of " + e.key() + " timed out";
        }
        String text = String.valueOf(m);
        return text.startsWith(m.getClass().getSimpleName()) ? text : m.getClass().getSimpleName() + " " + text;
    }

    private static String udpRequest(UdpRequest r) {
        if (r instanceof UdpRequest.Bind b) {
            return "bind port " + (b.port() == 0 ? "(ephemeral)" : b.port());
        }
        if (r instanceof UdpRequest.Send s) {
            return "send from port " + s.sourcePort() + " to " + s.destination() + ":" + s.destinationPort() + ", "
                    + s.payload().length() + " bytes";
        }
        return "close port " + ((UdpRequest.Close) r).port();
    }

    private static String tcpRequest(TcpRequest r) {
        if (r instanceof TcpRequest.Listen l) {
            return "listen on port " + l.port() + " (backlog " + l.backlog() + ")";
        }
        if (r instanceof TcpRequest.Unlisten u) {
            return "stop listening on port " + u.port();
        }
        if (r instanceof TcpRequest.Accept a) {
            return "accept a connection on port " + a.port();
        }
        TcpRequest.Connect c = (TcpRequest.Connect) r;
        return "connect to " + c.destination() + ":" + c.port();
    }

    private static String key(ConnKey k) {
        return k.localPort() + "-" + Ipv4Address.of(k.remoteAddress()) + ":" + k.remotePort();
    }

    /**
     * A copy of the packet that {@code message} carries on {@code channel}, as {@link #carries} says (a frame
     * or an IPv4 packet from its header on), or null when it carries none.
     */
    public static byte[] packet(ChannelSpec channel, Object message) {
        Carries c = carries(channel.name());
        if (c == Carries.FRAMES && message instanceof PacketBuffer b) {
            return b.toByteArray();
        }
        if (c != Carries.IP_PACKETS) {
            return null;
        }
        if (message instanceof PacketBuffer b) {
            return b.toByteArray();
        }
        if (message instanceof RoutedPacket r) {
            return r.datagram().toByteArray();
        }
        if (message instanceof ReassemblyEvent.Complete done) {
            return done.datagram().toByteArray();
        }
        if (message instanceof IpDatagram d) {
            PacketBuffer p = d.payload();
            byte[] out = new byte[d.headerLength() + p.length()];
            System.arraycopy(p.array(), d.headerOffset(), out, 0, d.headerLength());
            System.arraycopy(p.array(), p.start(), out, d.headerLength(), p.length());
            return out;
        }
        return null;
    }
}
