package org.cspstack.core.wire;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A whole Ethernet/IPv4/ICMP frame, built and taken apart layer by layer as the stack's processes do. */
class LayeredFrameTest {

    private static final byte[] PING_DATA = Golden.PING_DATA.getBytes(StandardCharsets.US_ASCII);

    @Test
    void constructsGoldenEchoRequestFrameLayerByLayer() {
        IcmpRepr icmp = new IcmpRepr.EchoRequest(0x4d2, 1, PING_DATA);
        Ipv4Repr ip = new Ipv4Repr(Golden.IP_A, Golden.IP_B, IpProtocol.ICMP, 64, 0x1234, true, false, 0,
                icmp.length());
        EthernetRepr eth = new EthernetRepr(Golden.MAC_A, Golden.MAC_B, EtherType.IPV4);

        byte[] frame = new byte[eth.headerLength() + ip.totalLength()];
        icmp.emit(IcmpPacket.wrap(frame, eth.headerLength() + ip.headerLength(), icmp.length()));
        ip.emit(Ipv4Packet.wrap(frame, eth.headerLength(), ip.totalLength()));
        eth.emit(EthernetFrame.wrap(frame, 0, frame.length));

        assertThat(Bytes.hex(frame), is(Bytes.hex(Golden.echoRequestFrame())));
    }

    @Test
    void parsesGoldenEchoReplyFrameLayerByLayerWithReusedViews() throws MalformedPacketException {
        EthernetFrame ethView = new EthernetFrame();
        Ipv4Packet ipView = new Ipv4Packet();
        IcmpPacket icmpView = new IcmpPacket();
        for (int round = 0; round < 2; round++) {
            byte[] frame = Golden.echoReplyFrame();
            ethView.rewrapChecked(frame, 0, frame.length);
            assertThat(EthernetRepr.parse(ethView), is(new EthernetRepr(Golden.MAC_B, Golden.MAC_A, EtherType.IPV4)));
            ipView.rewrapChecked(frame, ethView.payloadOffset(), ethView.payloadLength());
            assertThat(Ipv4Repr.parse(ipView), is(new Ipv4Repr(Golden.IP_B, Golden.IP_A, IpProtocol.ICMP, 64,
                    0x5678, false, false, 0, 24)));
            icmpView.rewrapChecked(frame, ipView.payloadOffset(), ipView.payloadLength());
            assertThat(IcmpRepr.parse(icmpView), is(new IcmpRepr.EchoReply(0x4d2, 1, PING_DATA)));
        }
    }
}
