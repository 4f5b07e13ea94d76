package org.cspstack.harness.trace;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.csp.ChannelKind;
import org.cspstack.core.csp.ChannelSpec;
import org.cspstack.core.csp.ChannelStats;
import org.cspstack.core.link.PcapFileWriter;
import org.cspstack.core.wire.IpProtocol;
import org.cspstack.core.wire.Ipv4Address;
import org.cspstack.protocols.ipv4.IpDatagram;
import org.cspstack.protocols.ipv4.IpSend;
import org.junit.jupiter.api.Test;

class MessagesTest {
    /** 198.18.0.1 > 198.18.0.2 UDP 1234 > 7, "ping" (no UDP checksum). */
    static final byte[] PACKET = {
        0x45, 0, 0, 32, 0, 1, 0, 0, 64, 17, (byte) 0xee, (byte) 0xa4, (byte) 198, 18, 0, 1, (byte) 198, 18, 0, 2,
        0x04, (byte) 0xd2, 0, 7, 0, 12, 0, 0, 'p', 'i', 'n', 'g',
    };

    static ChannelSpec spec(String name) {
        return new ChannelSpec(name, "w", "r", ChannelKind.UPWARD_DROPPING, 4, new ChannelStats(name));
    }

    @Test
    void summarisesAPacketBufferByWhatItsChannelCarriesWithoutTouchingIt() {
        PacketBuffer buf = PacketBuffer.copyOf(PACKET, 0, PACKET.length, 14);
        int start = buf.start();
        String s = Messages.summary(spec("b.ethToIp"), buf);
        assertThat(s, equalTo("198.18.0.1 > 198.18.0.2 UDP 1234 > 7, 4 bytes"));
        assertThat(buf.start(), equalTo(start));
        assertArrayEquals(PACKET, buf.toByteArray());
        assertThat(Messages.carries("b.ethToIp"), equalTo(Messages.Carries.IP_PACKETS));
        assertThat(Messages.carries("linkToEth"), equalTo(Messages.Carries.FRAMES));
        assertThat(Messages.carries("a.wire->b."), equalTo(Messages.Carries.FRAMES));
        assertThat(Messages.carries("a.appsToUdp"), equalTo(Messages.Carries.OTHER));
        assertThat(Messages.carries("a.ethToIp").linkType(), equalTo(PcapFileWriter.LINKTYPE_RAW));
    }

    @Test
    void summarisesRecordsAndRebuildsTheIpPacketOfADatagram() {
        PacketBuffer buf = PacketBuffer.copyOf(PACKET, 0, PACKET.length, 14);
        int headerOffset = buf.start();
        buf.consume(20);
        IpDatagram d = new IpDatagram(Ipv4Address.parse("198.18.0.1"), Ipv4Address.parse("198.18.0.2"),
                IpProtocol.UDP, 64, headerOffset, 20, buf);
        assertThat(Messages.summary(spec("b.ipToUdp"), d), equalTo("198.18.0.1 > 198.18.0.2 UDP 1234 > 7, 4 bytes"));
        assertArrayEquals(PACKET, Messages.packet(spec("b.ipToUdp"), d));
        IpSend send = IpSend.of(Ipv4Address.parse("198.18.0.1"), IpProtocol.UDP, buf);
        assertThat(Messages.summary(spec("b.udpToIp"), send), equalTo("to 198.18.0.1: UDP 1234 > 7, 4 bytes"));
        assertThat(Messages.packet(spec("b.udpToIp"), send), equalTo(null));
    }

    @Test
    void aTapOnAChannelWithoutPacketsNamesTheOnesThatCanBeTapped() {
        List<ChannelSpec> channels = List.of(spec("a.linkToEth"), spec("a.ipToIcmp"), spec("a.icmpToIp"));
        ChannelPcapTaps taps = ChannelPcapTaps.parse(List.of("a.icmpToIp=x.pcap"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> taps.open(channels));
        assertThat(e.getMessage(), containsString("a.icmpToIp: this channel carries no whole packets; "
                + "channels that can be tapped: a.linkToEth, a.ipToIcmp"));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> ChannelPcapTaps.parse(List.of("nope=x.pcap")).open(channels));
        assertThat(unknown.getMessage(), containsString("nope: no such channel"));
        assertThrows(IllegalArgumentException.class, () -> ChannelPcapTaps.parse(List.of("a.ipToIcmp")));
    }
}
