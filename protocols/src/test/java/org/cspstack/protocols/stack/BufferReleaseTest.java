package org.cspstack.protocols.stack;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Random;

import org.cspstack.core.buffer.BufferPool;
import org.cspstack.core.buffer.BufferPoolCounters;
import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.csp.Batch;
import org.cspstack.core.csp.Chan;
import org.cspstack.core.csp.ProcessNetwork;
import org.cspstack.core.csp.ProcessRunner;
import org.cspstack.core.csp.Threading;
import org.cspstack.core.link.LinkCounters;
import org.cspstack.core.link.MemoryLink;
import org.cspstack.core.wire.EtherType;
import org.cspstack.core.wire.EthernetFrame;
import org.cspstack.core.wire.EthernetRepr;
import org.cspstack.core.wire.IpProtocol;
import org.cspstack.core.wire.Ipv4Packet;
import org.cspstack.core.wire.Ipv4Repr;
import org.cspstack.core.wire.UdpPacket;
import org.cspstack.core.wire.UdpRepr;
import org.cspstack.protocols.services.Service;
import org.junit.jupiter.api.Test;

/** Buffers taken from a pool come back to it after a pass through whole stacks on a {@link MemoryLink}. */
class BufferReleaseTest {
    private static final StackConfig A = TwoStacksTest.A;
    private static final StackConfig B = TwoStacksTest.B;

    /**
     * Frames from a pool go up stack B to its UDP discard service, which releases them: in rounds of 32, each
     * started once the previous round's buffers are all back, so that the pool allocates 32 buffers once and
     * reuses them from then on.
     */
    @Test
    void theUdpDiscardServiceGivesEveryFrameBackToItsPool() throws Exception {
        ProcessNetwork net = new ProcessNetwork("discard");
        MemoryLink wire = MemoryLink.create(net, "a.", "b.");
        Chan<Batch<PacketBuffer>> feed = net.downward("test->a.link-tx", "test", "a.link-tx", 32);
        net.process("a.link-tx", wire.endA().transmitter(feed.in(), new LinkCounters("a.link")), null);
        HostStack b = HostStack.build(net, "b.", B, wire.endB());
        b.addServices(EnumSet.of(Service.DISCARD));
        ProcessRunner runner = new ProcessRunner(net, Threading.PLATFORM);
        runner.start();
        BufferPool pool = new BufferPool("test", BufferPool.ETHERNET_BUFFER_SIZE, 64);
        byte[] frame = udpFrame(9, 100);
        int rounds = 10;
        int perRound = 32;
        try {
            for (int r = 0; r < rounds; r++) {
                Batch<PacketBuffer> batch = new Batch<>(perRound);
                for (int i = 0; i < perRound; i++) {
                    PacketBuffer buf = pool.take(PacketBuffer.DEFAULT_HEADROOM, frame.length);
                    System.arraycopy(frame, 0, buf.array(), buf.start(), frame.length);
                    batch.add(buf);
                }
                feed.out().write(batch);
                awaitReturned(pool, (long) (r + 1) * perRound);
            }
        } finally {
            assertThat(runner.stop(Duration.ofSeconds(2)), is(true));
        }
        assertThat(runner.exitCode(), is(0));
        BufferPoolCounters c = pool.counters();
        assertThat(c.allocated.get(), is((long) perRound));
        assertThat(c.reused.get(), is((long) (rounds - 1) * perRound));
        assertThat(c.returnedWhenFull.get(), is(0L));
        // The service binds port 9 as it starts, so the first frames may find no socket: the UDP layer releases
        // those. Every frame was released by one of the two.
        long discarded = b.counters().stream().filter(x -> x.owner().equals("b.udp-discard")).findFirst()
                .orElseThrow().get("received");
        assertThat(discarded + b.udpCounters().get("noSocketDropped"), is((long) rounds * perRound));
        assertThat(discarded, greaterThan(0L));
    }

    /**
     * A TCP echo of 2 MiB: each stack's connections take the segments they send from its pool, and the other
     * stack's connections release them after copying their payload, so both pools reuse far more than they
     * allocate.
     */
    @Test
    void tcpSegmentsGoBackToThePoolOfTheStackThatSentThem() throws Exception {
        ProcessNetwork net = new ProcessNetwork("tcp");
        MemoryLink wire = MemoryLink.create(net, "a.", "b.");
        HostStack a = HostStack.build(net, "a.", A, wire.endA());
        HostStack b = HostStack.build(net, "b.", B, wire.endB());
        b.addServices(EnumSet.of(Service.ECHO));
        ProcessRunner runner = new ProcessRunner(net, Threading.PLATFORM);
        runner.start();
        byte[] data = new byte[2 << 20];
        new Random(5).nextBytes(data);
        try {
            assertThat(Arrays.equals(TwoStacksTcpTest.echo(a, data), data), is(true));
        } finally {
            assertThat(runner.stop(Duration.ofSeconds(2)), is(true));
        }
        assertThat(runner.exitCode(), is(0));
        long segments = data.length / A.tcp().mss();
        for (HostStack stack : new HostStack[] {a, b}) {
            BufferPoolCounters c = stack.buffers().counters();
            String what = stack.prefix() + " " + c.snapshot();
            assertThat(what, c.taken.get(), greaterThan(segments));
            assertThat(what, c.allocated.get(), lessThan(c.taken.get() / 4));
            assertThat(what, c.returned.get(), greaterThan(c.taken.get() * 3 / 4));
            assertThat(what, c.returnedWhenFull.get(), is(0L));
        }
    }

    /**
     * Waits for the stack to give back {@code n} buffers in all. The discard service answers nothing, so there is
     * no message to wait for: this is a bounded busy wait on the pool's counter, not a sleep.
     */
    private static void awaitReturned(BufferPool pool, long n) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (pool.counters().returned.get() < n) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("only " + pool.counters().returned.get() + " of " + n
                        + " buffers came back within 10 s: " + pool.counters().snapshot());
            }
            Thread.onSpinWait();
        }
    }

    /** An Ethernet + IPv4 + UDP frame from A to B's {@code port}, {@code payload} data bytes. */
    private static byte[] udpFrame(int port, int payload) {
        int l4 = UdpPacket.HEADER_LENGTH + payload;
        byte[] f = new byte[EthernetFrame.HEADER_LENGTH + Ipv4Packet.MIN_HEADER_LENGTH + l4];
        new EthernetRepr(A.mac(), B.mac(), EtherType.IPV4).emit(EthernetFrame.wrap(f, 0, f.length));
        Ipv4Repr.of(A.ip(), B.ip(), IpProtocol.UDP, 64, l4)
                .emit(Ipv4Packet.wrap(f, EthernetFrame.HEADER_LENGTH, f.length - EthernetFrame.HEADER_LENGTH));
        int at = EthernetFrame.HEADER_LENGTH + Ipv4Packet.MIN_HEADER_LENGTH;
        new UdpRepr(40_000, port, payload).emit(UdpPacket.wrap(f, at, l4), A.ip(), B.ip());
        return f;
    }
}
