package org.cspstack.harness.bench;

import org.cspstack.core.wire.EtherType;
import org.cspstack.core.wire.EthernetFrame;
import org.cspstack.core.wire.EthernetRepr;
import org.cspstack.core.wire.IpProtocol;
import org.cspstack.core.wire.Ipv4Address;
import org.cspstack.core.wire.Ipv4Packet;
import org.cspstack.core.wire.Ipv4Repr;
import org.cspstack.core.wire.MacAddress;
import org.cspstack.core.wire.TcpRepr;
import org.cspstack.core.wire.TcpSegment;
import org.cspstack.core.wire.UdpPacket;
import org.cspstack.core.wire.UdpRepr;

/**
 * Valid frames for the benchmarks, built once with the wire module's own {@code emit} (their correctness is
 * the wire tests' business; here they only have to pass the receive checks): Ethernet II, IPv4 without
 * options, then UDP or TCP (ACK, no options) with a patterned payload. Addresses are in 198.18.0.0/24.
 */
public final class BenchFrames {
    public static final MacAddress PEER_MAC = MacAddress.parse("02:c5:70:00:00:01");
    public static final MacAddress STACK_MAC = MacAddress.parse("02:c5:70:00:00:02");
    public static final Ipv4Address PEER_IP = Ipv4Address.parse("198.18.0.1");
    public static final Ipv4Address STACK_IP = Ipv4Address.parse("198.18.0.2");

    private BenchFrames() {
    }

    /** An Ethernet + IPv4 + UDP frame from the peer to the stack, {@code payload} bytes of UDP data. */
    public static byte[] udp(int sourcePort, int destinationPort, int payload) {
        int l4 = UdpPacket.HEADER_LENGTH + payload;
        byte[] f = frame(IpProtocol.UDP, l4);
        int at = EthernetFrame.HEADER_LENGTH + Ipv4Packet.MIN_HEADER_LENGTH;
        fill(f, at + UdpPacket.HEADER_LENGTH);
        new UdpRepr(sourcePort, destinationPort, payload).emit(UdpPacket.wrap(f, at, l4), PEER_IP, STACK_IP);
        return f;
    }

    /** An Ethernet + IPv4 + TCP frame (ACK, no options) from the peer to the stack, {@code payload} data bytes. */
    public static byte[] tcp(int sourcePort, int destinationPort, int payload) {
        int l4 = TcpSegment.MIN_HEADER_LENGTH + payload;
        byte[] f = frame(IpProtocol.TCP, l4);
        int at = EthernetFrame.HEADER_LENGTH + Ipv4Packet.MIN_HEADER_LENGTH;
        fill(f, at + TcpSegment.MIN_HEADER_LENGTH);
        TcpRepr.of(sourcePort, destinationPort, 1_000_000L, 2_000_000L, TcpSegment.ACK, 65_535)
                .emit(TcpSegment.wrap(f, at, l4), PEER_IP, STACK_IP);
        return f;
    }

    private static byte[] frame(int protocol, int l4) {
        byte[] f = new byte[EthernetFrame.HEADER_LENGTH + Ipv4Packet.MIN_HEADER_LENGTH + l4];
        new EthernetRepr(PEER_MAC, STACK_MAC, EtherType.IPV4).emit(EthernetFrame.wrap(f, 0, f.length));
        Ipv4Repr.of(PEER_IP, STACK_IP, protocol, 64, l4)
                .emit(Ipv4Packet.wrap(f, EthernetFrame.HEADER_LENGTH, f.length - EthernetFrame.HEADER_LENGTH));
        return f;
    }

    private static void fill(byte[] f, int from) {
        for (int i = from; i < f.length; i++) {
            f[i] = (byte) (i * 31 + 7);
        }
    }
}
