package org.cspstack.protocols.ethernet;

import static org.cspstack.protocols.testing.TestNet.OUR_IP;
import static org.cspstack.protocols.testing.TestNet.OUR_MAC;
import static org.cspstack.protocols.testing.TestNet.PEER_IP;
import static org.cspstack.protocols.testing.TestNet.PEER_MAC;
import static org.cspstack.protocols.testing.TestNet.pattern;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.sameInstance;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.wire.Bytes;
import org.cspstack.core.wire.EtherType;
import org.cspstack.core.wire.MacAddress;
import org.cspstack.protocols.testing.DatagramBuilder;
import org.junit.jupiter.api.Test;

/** {@link EthernetFramer}: the bytes of the header it writes, in place, into the payload's headroom. */
class EthernetFramerTest {
    private final EthernetFramer framer = new EthernetFramer(OUR_MAC);

    @Test
    void framesAnIpDatagramWithDestinationOurSourceAndEtherTypeInPlace() {
        byte[] datagram = DatagramBuilder.datagram().source(OUR_IP)
                .destination(PEER_IP).payload(pattern(10, 6)).build();
        PacketBuffer payload = PacketBuffer.copyOf(datagram, 0, datagram.length, PacketBuffer.DEFAULT_HEADROOM);

        PacketBuffer frame = framer.frame(payload, PEER_MAC, EtherType.IPV4);

        assertThat(frame, is(sameInstance(payload)));
        assertThat(Bytes.hex(frame.toByteArray()),
                is("02c570000001" + "02c570000002" + "0800" + Bytes.hex(datagram)));
        assertThat(frame.start(), is(PacketBuffer.DEFAULT_HEADROOM - 14));
    }

    @Test
    void framesABroadcastArpPacketIntoExactlyFourteenBytesOfHeadroom() {
        byte[] arp = pattern(28, 1);
        PacketBuffer payload = PacketBuffer.copyOf(arp, 0, arp.length, 14);

        PacketBuffer frame = framer.frame(payload, MacAddress.BROADCAST, EtherType.ARP);

        assertThat(Bytes.hex(frame.toByteArray()), is("ffffffffffff" + "02c570000002" + "0806" + Bytes.hex(arp)));
        assertThat(frame.start(), is(0));
    }

    @Test
    void refusesAPayloadWithoutRoomForTheHeader() {
        PacketBuffer payload = PacketBuffer.copyOf(pattern(28, 1), 0, 28, 13);
        assertThrows(IllegalStateException.class, () -> framer.frame(payload, PEER_MAC, EtherType.ARP));
    }
}
