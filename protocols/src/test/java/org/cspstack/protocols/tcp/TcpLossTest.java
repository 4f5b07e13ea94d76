package org.cspstack.protocols.tcp;

import static org.cspstack.core.wire.TcpSegment.RST;
import static org.cspstack.protocols.tcp.Wire.MS;
import static org.cspstack.protocols.tcp.Wire.SECOND;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** Retransmission, back-off, fast retransmit and NewReno, with chosen segments dropped on the wire. */
class TcpLossTest {
    private static final TcpConfig CONFIG = TcpConfig.defaults();

    /** Drops the first transmission of A's data segments number {@code which} (counting from 1). */
    private static Wire.Fault dropFirstDataSegments(Set<Integer> which) {
        AtomicInteger n = new AtomicInteger();
        java.util.Set<Long> seen = new java.util.HashSet<>();
        return s -> {
            if (!s.fromA() || s.len() == 0 || !seen.add(s.h().seq())) {
                return Wire.Action.DELIVER;
            }
            return which.contains(n.incrementAndGet()) ? Wire.Action.DROP : Wire.Action.DELIVER;
        };
    }

    private static long transmissionsOf(Wire w, long seq) {
        return w.sentBy(true).stream().filter(s -> s.len() > 0 && s.h().seq() == seq).count();
    }

    @Test
    void rtoDoublesUpToMaxRtoThenTimesOutWithReset() {
        TcpConfig cfg = CONFIG.withMinRto(Duration.ofSeconds(1));
        Wire w = new Wire(cfg).established();
        w.fault = s -> Wire.Action.DROP;
        byte[] d = Wire.data(1_000, 40);
        w.a.send(d, 0, d.length, w.now);
        long first = w.now;
        w.runFor(20 * 60 * SECOND);
        List<Wire.Seg> sent = w.sentBy(true).stream().filter(s -> s.len() > 0).toList();
        assertThat(sent.size(), is(1 + 15)); // the original and maxRetries retransmissions
        long[] expected = {1, 2, 4, 8, 16, 32, 60, 60, 60, 60, 60, 60, 60, 60, 60};
        long prev = first;
        for (int i = 0; i < expected.length; i++) {
            long at = sent.get(i + 1).sentAt();
            assertThat("gap before retransmission " + (i + 1), at - prev, is(expected[i] * SECOND));
            assertThat(sent.get(i + 1).h().seq(), is(sent.get(0).h().seq()));
            prev = at;
        }
        assertThat(w.a.state(), is(TcpConnection.State.CLOSED));
        assertThat(w.a.termination(), is(TcpConnection.Termination.TIMEOUT));
        Wire.Seg last = w.sentBy(true).get(w.sentBy(true).size() - 1);
        assertThat(last.has(RST), is(true));
        assertThat(last.sentAt() - prev, is(60 * SECOND));
        assertThat(w.a.stats().rtoTimeouts.get(), is(15L));
        assertThat(w.a.stats().retransmissions.get(), is(15L));
    }

    @Test
    void fastRetransmitOnThreeDuplicateAcksWithoutTimeout() {
        Wire w = new Wire(CONFIG).established();
        w.fault = dropFirstDataSegments(Set.of(3));
        byte[] d = Wire.data(10 * 1460, 41);
        Wire.Reader rb = new Wire.Reader(false);
        w.apps.add(rb);
        w.a.send(d, 0, d.length, w.now);
        long lostSeq = Seq.add(w.issA, 1 + 2 * 1460);
        w.runUntil(() -> rb.got.size() == d.length, 10 * SECOND);
        assertThat(rb.bytes(), is(d));
        assertThat(transmissionsOf(w, lostSeq), is(2L));
        assertThat(w.a.stats().fastRetransmits.get(), is(1L));
        assertThat(w.a.stats().rtoTimeouts.get(), is(0L));
        assertThat(w.a.stats().retransmissions.get(), is(1L));
        assertThat(w.a.stats().dupAcksReceived.get(), is(7L)); // one per segment beyond the hole
        assertThat(w.b.stats().outOfOrderQueued.get(), is(7L));
        // segments 1 and 2 were ACKed, so 8 were in flight at the third duplicate: ssthresh = 4 MSS
        assertThat(w.a.stats().ssthresh(), is(4L * 1460));
        w.runFor(100 * MS); // the last ACK reaches A
        // recovery ended with a full ACK: cwnd = ssthresh
        assertThat(w.a.stats().cwnd(), is(4L * 1460));
        assertThat(w.a.allSent(), is(true));
    }

    @Test
    void newRenoRepairsTwoLossesInOneRecovery() {
        Wire w = new Wire(CONFIG).established();
        w.fault = dropFirstDataSegments(Set.of(2, 6));
        byte[] d = Wire.data(10 * 1460, 42);
        Wire.Reader rb = new Wire.Reader(false);
        w.apps.add(rb);
        w.a.send(d, 0, d.length, w.now);
        w.runUntil(() -> rb.got.size() == d.length, 10 * SECOND);
        assertThat(rb.bytes(), is(d));
        assertThat(transmissionsOf(w, Seq.add(w.issA, 1 + 1460)), is(2L));
        assertThat(transmissionsOf(w, Seq.add(w.issA, 1 + 5 * 1460)), is(2L));
        assertThat(w.a.stats().fastRetransmits.get(), is(1L)); // one recovery
        assertThat(w.a.stats().retransmissions.get(), is(2L)); // the second by the partial ACK
        assertThat(w.a.stats().rtoTimeouts.get(), is(0L));
        // segment 1 was ACKed by the first out-of-order ACK: 9 in flight at the third duplicate
        assertThat(w.a.stats().ssthresh(), is(9L * 1460 / 2));
        w.runFor(100 * MS); // the full ACK reaches A
        assertThat(w.a.stats().cwnd(), is(w.a.stats().ssthresh()));
    }

    @Test
    void timeoutGoesBackToSndUnaWithALossWindow() {
        Wire w = new Wire(CONFIG.withDelayedAck(Duration.ZERO)).established();
        w.fault = dropFirstDataSegments(Set.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
        byte[] d = Wire.data(10 * 1460, 43);
        Wire.Reader rb = new Wire.Reader(false);
        w.apps.add(rb);
        w.a.send(d, 0, d.length, w.now);
        long sentAt = w.now;
        w.runUntil(() -> w.a.stats().rtoTimeouts.get() == 1, 10 * SECOND);
        assertThat(w.now - sentAt, is(200 * MS)); // RTO: 10 ms sampled, clamped to minRto
        assertThat(w.a.stats().cwnd(), is(1460L));
        assertThat(w.a.stats().ssthresh(), is(5L * 1460));
        assertThat(w.a.stats().rtoNanos(), is(400 * MS));
        List<Wire.Seg> after = w.sentBy(true).stream().filter(s -> s.sentAt() == w.now && s.len() > 0).toList();
        assertThat(after.size(), is(1));
        assertThat(after.get(0).h().seq(), is(w.issA + 1));
        w.runUntil(() -> rb.got.size() == d.length, 10 * SECOND);
        assertThat(rb.bytes(), is(d));
        assertThat(w.a.stats().rtoTimeouts.get(), is(1L));
        assertThat(w.a.stats().bytesRetransmitted.get(), is((long) d.length));
    }

    @Test
    void karnNoSampleFromARetransmittedSegment() {
        Wire w = new Wire(CONFIG).established();
        assertThat(w.a.stats().srttNanos(), is(10 * MS));
        w.fault = dropFirstDataSegments(Set.of(1));
        byte[] d = Wire.data(100, 44);
        w.a.send(d, 0, d.length, w.now);
        w.runUntil(() -> w.a.allSent(), 5 * SECOND);
        // the ACK for the retransmission came ~250 ms after the first send: not a sample
        assertThat(w.a.stats().srttNanos(), is(10 * MS));
        assertThat(w.a.stats().rttvarNanos(), is(5 * MS));
        assertThat(w.a.stats().rtoNanos(), is(400 * MS)); // still backed off until a valid sample
        // a segment sent once is a sample again: 10 ms + 40 ms delayed ACK
        w.a.send(d, 0, d.length, w.now);
        w.runUntil(() -> w.a.allSent(), 5 * SECOND);
        assertThat(w.a.stats().srttNanos(), is((7 * 10 * MS + 50 * MS) / 8));
        assertThat(w.a.stats().rtoNanos(), is(200 * MS));
    }

    @Test
    void rttEstimateFollowsTheMeasuredRoundTrip() {
        Wire w = new Wire(CONFIG, CONFIG, 50 * MS).established();
        assertThat(w.a.stats().srttNanos(), is(100 * MS));
        assertThat(w.a.stats().rttvarNanos(), is(50 * MS));
        assertThat(w.a.stats().rtoNanos(), is(300 * MS));
    }

    @Test
    void outOfOrderQueueIsBounded() {
        Recorder r = new Recorder();
        TcpConnection c = TcpConnection.connect(CONFIG.withReceiveBuffer(100_000), Wire.A, Wire.B, 1, r,
                Wire.T0);
        long irs = 7_000;
        c.segment(new org.cspstack.core.wire.TcpRepr(80, 40_000, irs, 2,
                org.cspstack.core.wire.TcpSegment.SYN | org.cspstack.core.wire.TcpSegment.ACK, 60_000, 1460, 0,
                false), new byte[0], 0, 0, Wire.T0);
        byte[] p = new byte[100];
        // 50 separate out-of-order pieces: holes between all of them
        for (int i = 0; i < 50; i++) {
            c.segment(org.cspstack.core.wire.TcpRepr.of(80, 40_000, irs + 1 + 200L * (i + 1), 2,
                    org.cspstack.core.wire.TcpSegment.ACK, 60_000), p, 0, 100, Wire.T0 + MS);
        }
        assertThat(c.stats().outOfOrderQueued.get(), is((long) TcpConnection.MAX_OUT_OF_ORDER_RANGES));
        assertThat(c.stats().outOfOrderDropped.get(), is(50L - TcpConnection.MAX_OUT_OF_ORDER_RANGES));
        // beyond the advertised window: not acceptable
        c.segment(org.cspstack.core.wire.TcpRepr.of(80, 40_000, irs + 1 + 200_000, 2,
                org.cspstack.core.wire.TcpSegment.ACK, 60_000), p, 0, 100, Wire.T0 + MS);
        assertThat(c.stats().badSegmentsDropped.get(), is(1L));
        // every out-of-order segment was ACKed at once with RCV.NXT (duplicate ACKs for the sender)
        assertThat(r.out.stream().filter(o -> o.h().ack() == irs + 1).count(), greaterThan(50L));
        // filling the holes in order delivers what was kept, up to the first piece that was dropped
        c.segment(org.cspstack.core.wire.TcpRepr.of(80, 40_000, irs + 1, 2, org.cspstack.core.wire.TcpSegment.ACK,
                60_000), new byte[200], 0, 200, Wire.T0 + 2 * MS);
        for (int i = 0; i < 49; i++) {
            c.segment(org.cspstack.core.wire.TcpRepr.of(80, 40_000, irs + 1 + 300 + 200L * i, 2,
                    org.cspstack.core.wire.TcpSegment.ACK, 60_000), p, 0, 100, Wire.T0 + 2 * MS);
        }
        // pieces 0..31 (offsets 200..6500) were kept; the hole fill [6500, 6600) reaches piece 32, dropped
        assertThat(c.available(), is(6_600));
    }

    @Test
    void keepAliveProbesAnIdlePeerAndTimesOut() {
        TcpConfig cfg = CONFIG.withKeepAlive(Duration.ofSeconds(10), Duration.ofSeconds(1), 3);
        Wire w = new Wire(cfg, CONFIG, 5 * MS).established();
        // a live peer answers: the connection stays
        w.runFor(35 * SECOND);
        assertThat(w.a.state(), is(TcpConnection.State.ESTABLISHED));
        List<Wire.Seg> probes = w.sentBy(true).stream().filter(s -> s.h().seq() == w.issA && !s.has(org.cspstack.core.wire.TcpSegment.SYN)).toList();
        assertThat(probes.size(), is(3)); // at 10 s after each answer (answers come 10 ms later)
        long heard = w.log.get(1).sentAt() + 5 * MS; // A last heard B when the SYN-ACK arrived
        assertThat(probes.get(0).sentAt() - heard, is(10 * SECOND));
        assertThat(probes.get(1).sentAt() - probes.get(0).sentAt(), is(10 * SECOND + 10 * MS));
        assertThat(probes.get(0).len(), is(0));
        // the peer vanishes
        w.fault = s -> Wire.Action.DROP;
        long quiet = w.now;
        w.runFor(30 * SECOND);
        assertThat(w.a.state(), is(TcpConnection.State.CLOSED));
        assertThat(w.a.termination(), is(TcpConnection.Termination.TIMEOUT));
        assertThat(w.a.stats().keepAliveProbes.get(), is(3L + 3L));
        Wire.Seg last = w.sentBy(true).get(w.sentBy(true).size() - 1);
        assertThat(last.has(RST), is(true));
        assertThat(last.sentAt() > quiet, is(true));
    }
}
