package org.cspstack.protocols.tcp;

import static org.cspstack.core.wire.TcpSegment.ACK;
import static org.cspstack.core.wire.TcpSegment.FIN;
import static org.cspstack.core.wire.TcpSegment.RST;
import static org.cspstack.protocols.tcp.Wire.MS;
import static org.cspstack.protocols.tcp.Wire.SECOND;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.util.List;

import org.cspstack.core.wire.TcpRepr;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

class TcpCloseTest {
    private static final TcpConfig CONFIG = TcpConfig.defaults();

    @Test
    void activeCloseGoesThroughFinWait2AndTimeWaitForExactlyTimeWait() {
        TcpConfig cfg = CONFIG.withTimeWait(Duration.ofSeconds(10));
        Wire w = new Wire(cfg).established();
        w.a.close(w.now);
        assertThat(w.a.state(), is(TcpConnection.State.FIN_WAIT_1));
        Wire.Seg fin = w.log.get(w.log.size() - 1);
        assertThat(fin.h().flags(), is(FIN | ACK));
        w.runFor(20 * MS);
        assertThat(w.a.state(), is(TcpConnection.State.FIN_WAIT_2));
        assertThat(w.b.state(), is(TcpConnection.State.CLOSE_WAIT));
        w.b.close(w.now);
        assertThat(w.b.state(), is(TcpConnection.State.LAST_ACK));
        w.runFor(5 * MS); // B's FIN reaches A
        assertThat(w.a.state(), is(TcpConnection.State.TIME_WAIT));
        long entered = w.now;
        assertThat(w.a.nextDeadline(), is(entered + 10 * SECOND));
        w.a.timer(entered + 10 * SECOND - 1);
        assertThat(w.a.state(), is(TcpConnection.State.TIME_WAIT));
        w.a.timer(entered + 10 * SECOND);
        assertThat(w.a.state(), is(TcpConnection.State.CLOSED));
        assertThat(w.a.termination(), is(TcpConnection.Termination.NORMAL));
        w.runFor(10 * MS);
        assertThat(w.b.state(), is(TcpConnection.State.CLOSED));
        assertThat(w.b.termination(), is(TcpConnection.Termination.NORMAL));
    }

    @Test
    void retransmittedFinInTimeWaitIsAckedAndRestartsTheTimer() {
        TcpConfig cfg = CONFIG.withTimeWait(Duration.ofSeconds(10));
        Wire w = new Wire(cfg).established();
        w.a.close(w.now);
        w.runFor(20 * MS);
        // B closes; A's ACK of B's FIN is lost
        w.fault = s -> s.fromA() ? Wire.Action.DROP : Wire.Action.DELIVER;
        w.b.close(w.now);
        w.runFor(5 * MS);
        assertThat(w.a.state(), is(TcpConnection.State.TIME_WAIT));
        long entered = w.now;
        w.fault = s -> Wire.Action.DELIVER;
        int before = w.sentBy(true).size();
        // B retransmits its FIN after its RTO (200 ms)
        w.runUntil(() -> w.sentBy(true).size() > before, SECOND);
        Wire.Seg ack = w.sentBy(true).get(before);
        assertThat(ack.h().flags(), is(ACK));
        assertThat(w.a.nextDeadline(), is(w.now + 10 * SECOND));
        assertThat(w.now - entered > 0, is(true));
        w.runFor(20 * MS);
        assertThat(w.b.state(), is(TcpConnection.State.CLOSED));
    }

    @Test
    void simultaneousCloseGoesThroughClosingToTimeWait() {
        Wire w = new Wire(CONFIG.withTimeWait(Duration.ofSeconds(2))).established();
        w.a.close(w.now);
        w.b.close(w.now);
        assertThat(w.a.state(), is(TcpConnection.State.FIN_WAIT_1));
        assertThat(w.b.state(), is(TcpConnection.State.FIN_WAIT_1));
        w.runFor(5 * MS); // the FINs cross
        assertThat(w.a.state(), is(TcpConnection.State.CLOSING));
        assertThat(w.b.state(), is(TcpConnection.State.CLOSING));
        w.runFor(5 * MS); // the ACKs arrive
        assertThat(w.a.state(), is(TcpConnection.State.TIME_WAIT));
        assertThat(w.b.state(), is(TcpConnection.State.TIME_WAIT));
        w.runFor(2 * SECOND);
        assertThat(w.a.termination(), is(TcpConnection.Termination.NORMAL));
        assertThat(w.b.termination(), is(TcpConnection.Termination.NORMAL));
    }

    @Test
    void finAfterQueuedDataAndAllSent() {
        Wire w = new Wire(CONFIG).established();
        byte[] d = Wire.data(50_000, 20);
        Wire.Writer wa = new Wire.Writer(true, d, true, 50_000);
        Wire.Reader rb = new Wire.Reader(false);
        w.apps.addAll(List.of(wa, rb));
        w.runUntil(() -> rb.eof, 10 * SECOND);
        assertThat(rb.bytes(), is(d));
        w.runFor(50 * MS);
        assertThat(w.a.allSent(), is(true));
        assertThat(w.a.state(), is(TcpConnection.State.FIN_WAIT_2));
        List<Wire.Seg> fins = w.sentBy(true).stream().filter(s -> s.has(FIN)).toList();
        assertThat(fins.size(), is(1));
        assertThat(fins.get(0).h().seq(), is(Seq.add(w.issA, 1 + d.length - fins.get(0).len())));
    }

    @Test
    void closeWithUnreadDataResetsThePeer() {
        Wire w = new Wire(CONFIG).established();
        byte[] d = Wire.data(1_000, 21);
        w.b.send(d, 0, d.length, w.now);
        w.runFor(50 * MS);
        assertThat(w.a.available(), is(1_000));
        w.a.close(w.now);
        assertThat(w.a.state(), is(TcpConnection.State.CLOSED));
        assertThat(w.a.termination(), is(TcpConnection.Termination.ABORTED));
        Wire.Seg rst = w.log.get(w.log.size() - 1);
        assertThat(rst.has(RST), is(true));
        w.runFor(10 * MS);
        assertThat(w.b.state(), is(TcpConnection.State.CLOSED));
        assertThat(w.b.termination(), is(TcpConnection.Termination.RESET));
        Assertions.assertThrows(IllegalStateException.class, () -> w.b.send(d, 0, 1, w.now));
        assertThat(w.b.receive(new byte[1], 0, 1, w.now), is(-1));
    }

    @Test
    void dataArrivingAfterCloseResetsThePeer() {
        Wire w = new Wire(CONFIG).established();
        w.a.close(w.now);
        w.runFor(20 * MS);
        assertThat(w.a.state(), is(TcpConnection.State.FIN_WAIT_2));
        byte[] d = Wire.data(100, 22);
        w.b.send(d, 0, d.length, w.now);
        w.runFor(20 * MS);
        assertThat(w.a.termination(), is(TcpConnection.Termination.ABORTED));
        assertThat(w.b.termination(), is(TcpConnection.Termination.RESET));
    }

    @Test
    void abortSendsResetAndCloses() {
        Wire w = new Wire(CONFIG).established();
        w.a.abort(w.now);
        assertThat(w.a.termination(), is(TcpConnection.Termination.ABORTED));
        TcpRepr rst = w.log.get(w.log.size() - 1).h();
        assertThat(rst.flags(), is(RST | ACK));
        assertThat(rst.seq(), is(w.issA + 1));
        w.runFor(10 * MS);
        assertThat(w.b.termination(), is(TcpConnection.Termination.RESET));
        assertThat(w.a.nextDeadline(), is(Long.MAX_VALUE));
        // calls on a closed connection do nothing
        w.a.timer(w.now);
        w.a.close(w.now);
        w.a.shutdownOutput(w.now);
        assertThat(w.a.termination(), is(TcpConnection.Termination.ABORTED));
    }

    @Test
    void lastAckRetransmitsTheFinUntilAcknowledged() {
        Wire w = new Wire(CONFIG).established();
        w.a.close(w.now);
        w.runFor(20 * MS);
        w.fault = s -> !s.fromA() && s.has(FIN) && s.index() < 8 ? Wire.Action.DROP : Wire.Action.DELIVER;
        w.b.close(w.now);
        assertThat(w.b.state(), is(TcpConnection.State.LAST_ACK));
        w.runFor(5 * SECOND);
        assertThat(w.b.state(), is(TcpConnection.State.CLOSED));
        assertThat(w.b.termination(), is(TcpConnection.Termination.NORMAL));
        assertThat(w.b.stats().retransmissions.get() >= 1, is(true));
        assertThat(w.a.state(), is(TcpConnection.State.TIME_WAIT));
    }

    @Test
    void timeWaitCanBeReopenedByANewerSyn() {
        Wire w = new Wire(CONFIG).established();
        w.a.close(w.now);
        w.runFor(20 * MS);
        w.b.close(w.now);
        w.runFor(20 * MS);
        assertThat(w.a.state(), is(TcpConnection.State.TIME_WAIT));
        TcpRepr newer = new TcpRepr(80, 40_000, Seq.add(w.issB, 1_000_000), 0,
                org.cspstack.core.wire.TcpSegment.SYN, 1000, 1460, 3, false);
        TcpRepr older = new TcpRepr(80, 40_000, w.issB, 0, org.cspstack.core.wire.TcpSegment.SYN, 1000, 1460,
                3, false);
        assertThat(w.a.isReopenableBy(newer), is(true));
        assertThat(w.a.isReopenableBy(older), is(false));
        assertThat(w.b.isReopenableBy(newer), is(false));
    }

    @Test
    void rstInTimeWaitIsIgnored() {
        Wire w = new Wire(CONFIG).established();
        w.a.close(w.now);
        w.runFor(20 * MS);
        w.b.close(w.now);
        w.runFor(20 * MS);
        assertThat(w.a.state(), is(TcpConnection.State.TIME_WAIT));
        w.a.segment(TcpRepr.of(80, 40_000, Seq.add(w.issB, 2), Seq.add(w.issA, 2), RST, 0), new byte[0], 0, 0,
                w.now);
        assertThat(w.a.state(), is(TcpConnection.State.TIME_WAIT)); // RFC 1337
    }
}
