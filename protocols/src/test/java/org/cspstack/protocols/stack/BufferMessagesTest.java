package org.cspstack.protocols.stack;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.sameInstance;

import org.cspstack.core.buffer.BufferPool;
import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.wire.Ipv4Address;
import org.cspstack.protocols.arp.RoutedPacket;
import org.cspstack.protocols.ipv4.IpDatagram;
import org.cspstack.protocols.ipv4.IpSend;
import org.cspstack.protocols.udp.UdpDatagram;
import org.junit.jupiter.api.Test;

/**
 * The messages between layers travel with their buffer: a pooled buffer's datagram, send request, routed
 * packet and UDP datagram are made once and filled again, which is what makes the packet
 * paths garbage-free (JMH hotpaths receivePath, bench "alloc per packet").
 */
class BufferMessagesTest {
    private static final Ipv4Address A = Ipv4Address.parse("198.18.0.1");
    private static final Ipv4Address B = Ipv4Address.parse("198.18.0.2");

    @Test
    void aPooledBufferCarriesTheSameMessageObjectsEachTimeWithTheNewFields() {
        BufferPool pool = new BufferPool("t", 256, 2);
        PacketBuffer buf = pool.take(64, 40);
        IpDatagram d1 = IpDatagram.on(buf, A, B, 17, 64, 44, 20);
        IpSend s1 = IpSend.of(A, 6, buf);
        RoutedPacket r1 = RoutedPacket.on(buf, A);
        UdpDatagram u1 = UdpDatagram.on(buf, A, 1000, B, 9);
        buf.release();

        PacketBuffer again = pool.take(64, 40);
        assertThat(again, sameInstance(buf));
        IpDatagram d2 = IpDatagram.on(again, B, A, 6, 3, 50, 24);
        assertThat(d2, sameInstance(d1));
        assertThat(d2, is(new IpDatagram(B, A, 6, 3, 50, 24, again)));
        assertThat(IpSend.on(again, B, 1, 2, true), sameInstance(s1));
        assertThat(s1, is(new IpSend(B, 1, 2, true, again)));
        assertThat(RoutedPacket.on(again, B), sameInstance(r1));
        assertThat(r1.nextHop(), is(B));
        assertThat(UdpDatagram.on(again, B, 2000, A, 7), sameInstance(u1));
        assertThat(u1, is(new UdpDatagram(B, 2000, A, 7, again)));
    }

    @Test
    void differentBuffersAndMessagesMadeByHandAreDistinctObjects() {
        PacketBuffer one = PacketBuffer.allocate(8);
        PacketBuffer two = PacketBuffer.allocate(8);
        IpSend s = IpSend.of(A, 17, one);
        assertThat(IpSend.of(A, 17, two), not(sameInstance(s)));
        assertThat(new IpSend(A, 17, IpSend.DEFAULT_TTL, false, one), not(sameInstance(s)));
        assertThat("equal by fields, as the records were", new IpSend(A, 17, IpSend.DEFAULT_TTL, false, one), is(s));
    }
}
