package org.cspstack.protocols.tcp;

import static org.cspstack.core.wire.TcpSegment.ACK;
import static org.cspstack.core.wire.TcpSegment.PSH;
import static org.cspstack.protocols.tcp.Wire.MS;
import static org.cspstack.protocols.tcp.Wire.SECOND;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class TcpTransferTest {
    private static final TcpConfig CONFIG = TcpConfig.defaults();

    private static byte[] sha256(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }

    @Test
    void oneMegabyteEachWayAtOnce() throws Exception {
        Wire w = new Wire(CONFIG).established();
        byte[] ab = Wire.data(1 << 20, 1);
        byte[] ba = Wire.data(1 << 20, 2);
        Wire.Writer wa = new Wire.Writer(true, ab, true, 10_000);
        Wire.Writer wb = new Wire.Writer(false, ba, true, 3_333);
        Wire.Reader ra = new Wire.Reader(true);
        Wire.Reader rb = new Wire.Reader(false);
        w.apps.addAll(List.of(wa, wb, ra, rb));
        w.runUntil(() -> ra.eof && rb.eof, 60 * SECOND);
        assertThat(sha256(rb.bytes()), is(sha256(ab)));
        assertThat(sha256(ra.bytes()), is(sha256(ba)));
        assertThat(w.a.stats().bytesSent.get(), is((long) ab.length));
        assertThat(w.a.stats().bytesRetransmitted.get(), is(0L));
        assertThat(w.b.stats().bytesReceived.get(), is((long) ab.length));
        // both shut down: the first FIN receiver ends in LAST_ACK → CLOSED, the other in TIME_WAIT
        w.runFor(61 * SECOND);
        assertThat(w.a.state(), is(TcpConnection.State.CLOSED));
        assertThat(w.b.state(), is(TcpConnection.State.CLOSED));
        assertThat(w.a.termination(), is(TcpConnection.Termination.NORMAL));
        assertThat(w.b.termination(), is(TcpConnection.Termination.NORMAL));
    }

    @Test
    void transferAcrossTheSequenceWrap() throws Exception {
        Wire w = new Wire(CONFIG);
        w.issA = 0xffff_ffffL - 1_000;
        w.issB = 0xffff_ffffL - 100_000;
        w.established();
        byte[] ab = Wire.data(300_000, 3);
        byte[] ba = Wire.data(300_000, 4);
        Wire.Writer wa = new Wire.Writer(true, ab, true, 8_000);
        Wire.Writer wb = new Wire.Writer(false, ba, true, 8_000);
        Wire.Reader ra = new Wire.Reader(true);
        Wire.Reader rb = new Wire.Reader(false);
        w.apps.addAll(List.of(wa, wb, ra, rb));
        w.runUntil(() -> ra.eof && rb.eof, 60 * SECOND);
        assertThat(rb.bytes(), is(ab));
        assertThat(ra.bytes(), is(ba));
        // the sequence numbers did wrap
        assertThat(w.sentBy(true).stream().anyMatch(s -> s.h().seq() < 1_000_000), is(true));
        assertThat(w.a.stats().bytesRetransmitted.get(), is(0L));
    }

    @Test
    void transferAcrossTheWrapWithLossAndReordering() {
        Wire w = new Wire(CONFIG);
        w.issA = 0xffff_ffffL - 30_000;
        w.established();
        w.fault = s -> s.fromA() && s.len() > 0 && s.index() % 37 == 0 ? Wire.Action.DROP
                : s.index() % 53 == 0 ? Wire.Action.DUPLICATE : Wire.Action.DELIVER;
        w.extraDelay = s -> s.fromA() && s.index() % 29 == 0 ? 7 * MS : 0;
        byte[] ab = Wire.data(400_000, 5);
        Wire.Writer wa = new Wire.Writer(true, ab, true, 20_000);
        Wire.Reader rb = new Wire.Reader(false);
        w.apps.addAll(List.of(wa, rb));
        w.runUntil(() -> rb.eof, 120 * SECOND);
        assertThat(rb.bytes(), is(ab));
        assertThat(w.a.stats().fastRetransmits.get(), greaterThan(0L));
        assertThat(w.b.stats().outOfOrderQueued.get(), greaterThan(0L));
    }

    @Test
    void segmentsAreAtMostTheMssAndPshMarksTheEndOfABurst() {
        Wire w = new Wire(CONFIG).established();
        byte[] d = Wire.data(5_000, 6);
        w.a.send(d, 0, d.length, w.now);
        List<Wire.Seg> data = w.sentBy(true).stream().filter(s -> s.len() > 0).toList();
        assertThat(data.size(), is(4));
        assertThat(data.get(0).len(), is(1460));
        assertThat(data.get(3).len(), is(5_000 - 3 * 1460));
        assertThat(data.get(0).h().has(PSH), is(false));
        assertThat(data.get(3).h().has(PSH), is(true));
        assertThat(data.get(3).h().flags(), is(ACK | PSH));
    }

    @Test
    void initialWindowLimitsTheFirstFlight() {
        Wire w = new Wire(CONFIG).established();
        byte[] d = Wire.data(100_000, 7);
        w.a.send(d, 0, d.length, w.now);
        long sent = w.sentBy(true).stream().mapToLong(Wire.Seg::len).sum();
        assertThat(sent, is(14_600L)); // IW: 10 segments of 1460
        assertThat(w.a.bytesInFlight(), is(14_600L));
    }

    @Test
    void slowStartGrowsCwndByAnMssPerAck() {
        Wire w = new Wire(CONFIG.withDelayedAck(Duration.ZERO)).established();
        byte[] d = Wire.data(100_000, 7);
        w.a.send(d, 0, d.length, w.now);
        long cwnd0 = w.a.stats().cwnd();
        // one round trip: every segment ACKed at once, each ACK adds one MSS
        w.runFor(10 * MS + 1);
        assertThat(w.a.stats().cwnd(), is(cwnd0 + 10 * 1460L));
    }

    @Test
    void delayedAckEverySecondFullSegmentOrAfterTheTimer() {
        Wire w = new Wire(CONFIG).established();
        int before = w.sentBy(false).size();
        byte[] one = Wire.data(1460, 8);
        w.a.send(one, 0, one.length, w.now);
        w.runFor(6 * MS); // delivered at +5 ms: no ACK yet
        assertThat(w.sentBy(false).size(), is(before));
        w.runFor(39 * MS); // 40 ms after the arrival
        assertThat(w.sentBy(false).size(), is(before + 1));
        Wire.Seg ack = w.sentBy(false).get(before);
        assertThat(ack.sentAt() - w.log.stream().filter(s -> s.len() > 0).findFirst().orElseThrow().sentAt(),
                is(45 * MS));
        // two full segments: ACKed when the second arrives
        w.runFor(20 * MS);
        int n = w.sentBy(false).size();
        byte[] two = Wire.data(2 * 1460, 9);
        w.a.send(two, 0, two.length, w.now);
        long sentAt = w.now;
        w.runFor(5 * MS);
        assertThat(w.sentBy(false).size(), is(n + 1));
        assertThat(w.sentBy(false).get(n).sentAt(), is(sentAt + 5 * MS));
    }

    @Test
    void nagleHoldsASmallSegmentWhileDataIsUnacknowledged() {
        Wire w = new Wire(CONFIG).established();
        byte[] x = {1, 2, 3};
        w.a.send(x, 0, 3, w.now);
        w.a.send(x, 0, 3, w.now);
        w.a.send(x, 0, 3, w.now);
        List<Wire.Seg> data = w.sentBy(true).stream().filter(s -> s.len() > 0).toList();
        assertThat(data.size(), is(1)); // the first goes, the others wait
        // the peer's delayed ACK comes after 40 ms; then the 6 held bytes go in one segment
        w.runFor(100 * MS);
        data = w.sentBy(true).stream().filter(s -> s.len() > 0).toList();
        assertThat(data.size(), is(2));
        assertThat(data.get(1).len(), is(6));
    }

    @Test
    void nagleLetsOneSmallSegmentGoBehindFullOnes() {
        // Minshall's refinement: the small tail of a write goes at once when no other small one is unacked
        Wire w = new Wire(CONFIG).established();
        byte[] d = Wire.data(3 * 1460 + 100, 16);
        w.a.send(d, 0, d.length, w.now);
        List<Wire.Seg> data = w.sentBy(true).stream().filter(s -> s.len() > 0).toList();
        assertThat(data.size(), is(4));
        assertThat(data.get(3).len(), is(100));
        // a second small write waits for the first small one's ACK
        w.a.send(d, 0, 10, w.now);
        assertThat(w.sentBy(true).stream().filter(s -> s.len() > 0).count(), is(4L));
        w.runFor(100 * MS);
        assertThat(w.sentBy(true).stream().filter(s -> s.len() > 0).count(), is(5L));
    }

    @Test
    void withoutNagleSmallSegmentsGoAtOnce() {
        Wire w = new Wire(CONFIG.withNagle(false)).established();
        byte[] x = {1, 2, 3};
        w.a.send(x, 0, 3, w.now);
        w.a.send(x, 0, 3, w.now);
        w.a.send(x, 0, 3, w.now);
        List<Wire.Seg> data = w.sentBy(true).stream().filter(s -> s.len() > 0).toList();
        assertThat(data.size(), is(3));
    }

    @Test
    void sendCopiesOnlyWhatFits() {
        Wire w = new Wire(CONFIG.withSendBuffer(10_000)).established();
        byte[] d = Wire.data(25_000, 10);
        assertThat(w.a.send(d, 0, d.length, w.now), is(10_000));
        assertThat(w.a.sendSpace(), is(0));
        assertThat(w.a.send(d, 0, d.length, w.now), is(0));
        w.runFor(100 * MS);
        assertThat(w.a.sendSpace(), is(10_000));
        assertThat(w.a.allSent(), is(true));
    }

    @Test
    void zeroWindowProbesBackOffAndTheTransferCompletesAfterReading() {
        TcpConfig small = CONFIG.withReceiveBuffer(4_000);
        Wire w = new Wire(CONFIG, small, 5 * MS).established();
        byte[] d = Wire.data(30_000, 11);
        Wire.Writer wa = new Wire.Writer(true, d, true, 30_000);
        w.apps.add(wa);
        w.runFor(200 * MS);
        assertThat(w.b.available(), is(4_000));
        assertThat(w.a.stats().sndWnd(), is(0L));
        // the persist timer probes with growing intervals
        w.runFor(30 * SECOND);
        List<Long> probeTimes = w.sentBy(true).stream().filter(s -> s.len() == 1).map(Wire.Seg::sentAt).toList();
        assertThat(probeTimes.size(), greaterThan(4));
        assertThat(w.a.stats().zeroWindowProbes.get(), is((long) probeTimes.size()));
        for (int i = 2; i < probeTimes.size(); i++) {
            long gap = probeTimes.get(i) - probeTimes.get(i - 1);
            long prev = probeTimes.get(i - 1) - probeTimes.get(i - 2);
            assertThat(gap, is(Math.min(2 * prev, 60 * SECOND)));
        }
        assertThat(w.a.state(), is(TcpConnection.State.FIN_WAIT_1));
        // the application reads: the window reopens and everything arrives
        Wire.Reader rb = new Wire.Reader(false);
        w.apps.add(rb);
        w.runUntil(() -> rb.eof, 120 * SECOND);
        assertThat(rb.bytes(), is(d));
        assertThat(w.b.stats().windowUpdates.get(), greaterThan(0L));
        w.runFor(100 * MS);
        assertThat(w.a.state(), is(TcpConnection.State.FIN_WAIT_2));
        // no byte beyond the receive buffer was ever accepted
        assertThat(w.b.stats().outOfOrderQueued.get(), is(0L));
    }

    @Test
    void probesUnansweredTimeOut() {
        TcpConfig small = CONFIG.withReceiveBuffer(2_000).withMaxRetries(3);
        Wire w = new Wire(small, small, 5 * MS).established();
        byte[] d = Wire.data(10_000, 12);
        w.a.send(d, 0, d.length, w.now);
        w.runFor(SECOND);
        assertThat(w.a.stats().sndWnd(), is(0L));
        w.fault = s -> Wire.Action.DROP; // the peer vanishes
        w.runFor(600 * SECOND);
        assertThat(w.a.state(), is(TcpConnection.State.CLOSED));
        assertThat(w.a.termination(), is(TcpConnection.Termination.TIMEOUT));
    }

    @Test
    void receiverDoesNotAdvertiseSillyWindows() {
        TcpConfig small = CONFIG.withReceiveBuffer(8_000);
        Wire w = new Wire(CONFIG, small, 5 * MS).established();
        byte[] d = Wire.data(8_000, 13);
        w.a.send(d, 0, d.length, w.now);
        w.runFor(100 * MS);
        assertThat(w.b.available(), is(8_000));
        int updates = (int) w.b.stats().windowUpdates.get();
        byte[] buf = new byte[100];
        // reading 100 bytes at a time: no update until min(4000, 1460) is free
        for (int i = 0; i < 14; i++) {
            w.b.receive(buf, 0, 100, w.now);
        }
        assertThat(w.b.stats().windowUpdates.get(), is((long) updates));
        w.b.receive(buf, 0, 100, w.now);
        assertThat(w.b.stats().windowUpdates.get(), is(updates + 1L));
        assertThat(w.log.get(w.log.size() - 1).h().window(), is(1_500));
    }

    @Test
    void halfCloseKeepsTheOtherDirectionOpen() {
        Wire w = new Wire(CONFIG).established();
        w.a.shutdownOutput(w.now);
        assertThat(w.a.state(), is(TcpConnection.State.FIN_WAIT_1));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> w.a.send(new byte[1], 0, 1, w.now));
        assertThat(w.a.sendSpace(), is(0));
        w.runFor(100 * MS);
        assertThat(w.a.state(), is(TcpConnection.State.FIN_WAIT_2));
        assertThat(w.b.state(), is(TcpConnection.State.CLOSE_WAIT));
        assertThat(w.b.finReceived(), is(true));
        assertThat(w.b.receive(new byte[10], 0, 10, w.now), is(-1));
        // B keeps sending in CLOSE_WAIT, A keeps receiving in FIN_WAIT_2
        byte[] d = Wire.data(100_000, 14);
        Wire.Writer wb = new Wire.Writer(false, d, true, 9_000);
        Wire.Reader ra = new Wire.Reader(true);
        w.apps.addAll(List.of(wb, ra));
        w.runUntil(() -> ra.eof, 30 * SECOND);
        assertThat(ra.bytes(), is(d));
        w.runFor(100 * MS);
        assertThat(w.b.state(), is(TcpConnection.State.CLOSED)); // LAST_ACK → CLOSED
        assertThat(w.b.termination(), is(TcpConnection.Termination.NORMAL));
        assertThat(w.a.state(), is(TcpConnection.State.TIME_WAIT));
    }

    @Test
    void windowFieldNeverShrinksTheRightEdge() {
        TcpConfig small = CONFIG.withReceiveBuffer(20_000);
        Wire w = new Wire(CONFIG, small, 5 * MS).established();
        byte[] d = Wire.data(200_000, 15);
        Wire.Writer wa = new Wire.Writer(true, d, true, 7_000);
        Wire.Reader rb = new Wire.Reader(false);
        w.apps.addAll(List.of(wa, rb));
        w.runUntil(() -> rb.eof, 60 * SECOND);
        assertThat(rb.bytes(), is(d));
        long edge = -1;
        for (Wire.Seg s : w.sentBy(false)) {
            if (!s.has(ACK) || s.has(org.cspstack.core.wire.TcpSegment.SYN)) {
                continue;
            }
            long e = Seq.add(s.h().ack(), s.h().window());
            if (edge >= 0) {
                assertThat(Seq.diff(e, edge), org.hamcrest.Matchers.greaterThanOrEqualTo(0));
            }
            edge = e;
            assertThat(s.h().window(), lessThanOrEqualTo(20_000));
        }
        assertThat(w.a.stats().bytesRetransmitted.get(), lessThan(1L));
    }
}
