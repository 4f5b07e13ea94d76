package org.cspstack.protocols.tcp;

import static org.cspstack.core.wire.TcpSegment.ACK;
import static org.cspstack.core.wire.TcpSegment.RST;
import static org.cspstack.core.wire.TcpSegment.SYN;
import static org.cspstack.protocols.tcp.Wire.A;
import static org.cspstack.protocols.tcp.Wire.B;
import static org.cspstack.protocols.tcp.Wire.MS;
import static org.cspstack.protocols.tcp.Wire.SECOND;
import static org.cspstack.protocols.tcp.Wire.T0;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.util.List;

import org.cspstack.core.wire.TcpRepr;
import org.junit.jupiter.api.Test;

class TcpHandshakeTest {
    private static final TcpConfig CONFIG = TcpConfig.defaults();

    @Test
    void activeOpenSendsSynWithIssMssAndWindowScale() {
        Recorder r = new Recorder();
        TcpConnection c = TcpConnection.connect(CONFIG, A, B, 12_345, r, T0);
        assertThat(c.state(), is(TcpConnection.State.SYN_SENT));
        assertThat(c.termination(), is(nullValue()));
        TcpRepr syn = r.last().h();
        assertThat(syn.flags(), is(SYN));
        assertThat(syn.seq(), is(12_345L));
        assertThat(syn.mss(), is(1460));
        assertThat(syn.windowScale(), is(3));
        assertThat(syn.window(), is(65_535)); // never scaled on a SYN
        assertThat(syn.sourcePort(), is(A.port()));
        assertThat(syn.destinationPort(), is(B.port()));
        assertThat(c.nextDeadline(), is(T0 + SECOND)); // initial RTO
    }

    @Test
    void defaultWindowScaleIsTheSmallestThatCoversTheBuffer() {
        assertThat(TcpConfig.defaults().windowScale(), is(3));
        assertThat(TcpConfig.windowScaleFor(65_535), is(0));
        assertThat(TcpConfig.windowScaleFor(65_536), is(1));
        assertThat(TcpConfig.windowScaleFor(1 << 20), is(5));
        assertThat(TcpConfig.defaults().withReceiveBuffer(8_192).windowScale(), is(0));
    }

    @Test
    void handshakeBothWaysReachesEstablishedWithTheIssUsed() {
        Wire w = new Wire(CONFIG).established();
        List<Wire.Seg> log = w.log;
        assertThat(log.size(), is(3));
        Wire.Seg syn = log.get(0);
        Wire.Seg synAck = log.get(1);
        Wire.Seg ack = log.get(2);
        assertThat(syn.h().flags(), is(SYN));
        assertThat(syn.h().seq(), is(w.issA));
        assertThat(synAck.h().flags(), is(SYN | ACK));
        assertThat(synAck.h().seq(), is(w.issB));
        assertThat(synAck.h().ack(), is(w.issA + 1));
        assertThat(synAck.h().mss(), is(1460));
        assertThat(synAck.h().windowScale(), is(3));
        assertThat(ack.h().flags(), is(ACK));
        assertThat(ack.h().seq(), is(w.issA + 1));
        assertThat(ack.h().ack(), is(w.issB + 1));
        assertThat(w.a.state(), is(TcpConnection.State.ESTABLISHED));
        assertThat(w.b.state(), is(TcpConnection.State.ESTABLISHED));
        assertThat(w.a.sendScale(), is(3));
        assertThat(w.b.receiveScale(), is(3));
        // the handshake gave an RTT sample of two one-way delays
        assertThat(w.a.stats().srttNanos(), is(10 * MS));
        assertThat(w.b.stats().srttNanos(), is(10 * MS));
        assertThat(w.a.stats().cwnd(), is(14_600L)); // RFC 6928: min(10 * 1460, max(2 * 1460, 14600))
    }

    @Test
    void passiveOpenAnswersWithSynAckAndWaitsInSynReceived() {
        Recorder r = new Recorder();
        TcpRepr syn = new TcpRepr(A.port(), B.port(), 0xffff_fff0L, 0, SYN, 29_200, 1400, 7, false);
        TcpConnection c = TcpConnection.accept(CONFIG, B, A, syn, 77, r, T0);
        assertThat(c.state(), is(TcpConnection.State.SYN_RECEIVED));
        TcpRepr sa = r.last().h();
        assertThat(sa.flags(), is(SYN | ACK));
        assertThat(sa.seq(), is(77L));
        assertThat(sa.ack(), is(0xffff_fff1L));
        assertThat(sa.windowScale(), is(3));
        assertThat(c.isEstablished(), is(false));
        c.segment(TcpRepr.of(A.port(), B.port(), 0xffff_fff1L, 78, ACK, 100), new byte[0], 0, 0, T0 + MS);
        assertThat(c.state(), is(TcpConnection.State.ESTABLISHED));
        assertThat(c.isEstablished(), is(true));
        assertThat(c.stats().sndWnd(), is(100L << 7));
        assertThat(c.effectiveMss(), is(1400));
    }

    @Test
    void noWindowScaleOnTheSynAckWhenTheSynHadNone() {
        Recorder r = new Recorder();
        TcpRepr syn = new TcpRepr(A.port(), B.port(), 500, 0, SYN, 8_000, 1460, -1, false);
        TcpConnection c = TcpConnection.accept(CONFIG, B, A, syn, 77, r, T0);
        assertThat(r.last().h().windowScale(), is(-1));
        assertThat(c.sendScale(), is(0));
        assertThat(c.receiveScale(), is(0));
        c.segment(TcpRepr.of(A.port(), B.port(), 501, 78, ACK, 8_000), new byte[0], 0, 0, T0 + MS);
        assertThat(c.stats().sndWnd(), is(8_000L)); // not scaled
        // and our own window is at most 65535, unscaled
        c.segment(TcpRepr.of(A.port(), B.port(), 501, 78, ACK, 8_000), new byte[10], 0, 10, T0 + 2 * MS);
        c.timer(T0 + SECOND);
        // the right edge stays where it was (receiver SWS avoidance): 65535 - 10
        assertThat(r.last().h().window(), is(65_525));
    }

    @Test
    void windowScalingNotUsedWhenThePeerLacksIt() {
        Wire w = new Wire(CONFIG, CONFIG.withWindowScale(-1), 5 * MS).established();
        assertThat(w.log.get(0).h().windowScale(), is(3));
        assertThat(w.log.get(1).h().windowScale(), is(-1));
        assertThat(w.a.sendScale(), is(0));
        assertThat(w.a.receiveScale(), is(0));
        assertThat(w.b.sendScale(), is(0));
        assertThat(w.b.receiveScale(), is(0));
        // A advertises at most 65535 unscaled
        assertThat(w.log.get(2).h().window(), is(65_535));
    }

    @Test
    void windowScalingNegotiatedWithDifferentShifts() {
        Wire w = new Wire(CONFIG.withWindowScale(2), CONFIG.withReceiveBuffer(1 << 20), 5 * MS).established();
        assertThat(w.a.sendScale(), is(5));
        assertThat(w.a.receiveScale(), is(2));
        assertThat(w.b.sendScale(), is(2));
        assertThat(w.b.receiveScale(), is(5));
        // A's ACK advertises its 256 KiB buffer with shift 2
        assertThat(w.log.get(2).h().window(), is(65_535));
        assertThat(w.b.stats().sndWnd(), is(65_535L << 2));
        assertThat(w.a.stats().sndWnd(), is(65_535L)); // B's SYN-ACK window, never scaled
    }

    @Test
    void peerMssIsRespected() {
        Wire w = new Wire(CONFIG, CONFIG.withMss(500), 5 * MS).established();
        assertThat(w.a.effectiveMss(), is(500));
        assertThat(w.b.effectiveMss(), is(500));
        Wire.Writer writer = new Wire.Writer(true, Wire.data(20_000, 1), false, 20_000);
        Wire.Reader reader = new Wire.Reader(false);
        w.apps.add(writer);
        w.apps.add(reader);
        w.runUntil(() -> reader.got.size() == 20_000, 10 * SECOND);
        assertThat(w.sentBy(true).stream().map(Wire.Seg::len).toList(), everyItem(lessThanOrEqualTo(500)));
        assertThat(reader.bytes(), is(writer.data));
    }

    @Test
    void defaultMss536WhenTheSynHasNone() {
        Recorder r = new Recorder();
        TcpRepr syn = new TcpRepr(A.port(), B.port(), 500, 0, SYN, 8_000, 0, -1, false);
        TcpConnection c = TcpConnection.accept(CONFIG, B, A, syn, 77, r, T0);
        assertThat(c.effectiveMss(), is(536));
    }

    @Test
    void simultaneousOpen() {
        Recorder ra = new Recorder();
        Recorder rb = new Recorder();
        TcpConnection a = TcpConnection.connect(CONFIG, A, B, 100, ra, T0);
        TcpConnection b = TcpConnection.connect(CONFIG, B, A, 5_000, rb, T0);
        TcpRepr synA = ra.take().get(0).h();
        TcpRepr synB = rb.take().get(0).h();
        a.segment(synB, new byte[0], 0, 0, T0 + MS);
        b.segment(synA, new byte[0], 0, 0, T0 + MS);
        assertThat(a.state(), is(TcpConnection.State.SYN_RECEIVED));
        assertThat(b.state(), is(TcpConnection.State.SYN_RECEIVED));
        TcpRepr synAckA = ra.take().get(0).h();
        TcpRepr synAckB = rb.take().get(0).h();
        assertThat(synAckA.flags(), is(SYN | ACK));
        assertThat(synAckA.seq(), is(100L));
        assertThat(synAckA.ack(), is(5_001L));
        assertThat(synAckA.windowScale(), is(3));
        a.segment(synAckB, new byte[0], 0, 0, T0 + 2 * MS);
        b.segment(synAckA, new byte[0], 0, 0, T0 + 2 * MS);
        assertThat(a.state(), is(TcpConnection.State.ESTABLISHED));
        assertThat(b.state(), is(TcpConnection.State.ESTABLISHED));
        assertThat(a.sendScale(), is(3));
        // and data flows
        byte[] hello = "hello".getBytes();
        assertThat(a.send(hello, 0, hello.length, T0 + 3 * MS), is(5));
        Recorder.Out d = ra.last();
        assertThat(d.h().seq(), is(101L));
        b.segment(d.h(), d.data(), 0, d.len(), T0 + 4 * MS);
        byte[] got = new byte[10];
        assertThat(b.receive(got, 0, 10, T0 + 4 * MS), is(5));
    }

    @Test
    void resetAnsweringTheSynRefusesTheConnection() {
        Recorder r = new Recorder();
        TcpConnection c = TcpConnection.connect(CONFIG, A, B, 1_000, r, T0);
        // a RST without an acceptable ACK is ignored
        c.segment(TcpRepr.of(B.port(), A.port(), 0, 0, RST, 0), new byte[0], 0, 0, T0 + MS);
        assertThat(c.state(), is(TcpConnection.State.SYN_SENT));
        c.segment(TcpRepr.of(B.port(), A.port(), 0, 1_001, RST | ACK, 0), new byte[0], 0, 0, T0 + MS);
        assertThat(c.state(), is(TcpConnection.State.CLOSED));
        assertThat(c.termination(), is(TcpConnection.Termination.REFUSED));
        assertThat(c.isClosed(), is(true));
        assertThat(c.nextDeadline(), is(Long.MAX_VALUE));
    }

    @Test
    void resetForAClosedPortFollowsRfc9293() {
        TcpRepr syn = new TcpRepr(A.port(), B.port(), 700, 0, SYN, 8_000, 1460, 3, false);
        TcpRepr rst = TcpConnection.resetFor(syn, 0);
        assertThat(rst.flags(), is(RST | ACK));
        assertThat(rst.seq(), is(0L));
        assertThat(rst.ack(), is(701L));
        assertThat(rst.sourcePort(), is(B.port()));
        TcpRepr data = TcpRepr.of(A.port(), B.port(), 700, 9_000, ACK, 100);
        TcpRepr rst2 = TcpConnection.resetFor(data, 10);
        assertThat(rst2.flags(), is(RST));
        assertThat(rst2.seq(), is(9_000L));
        assertThat(TcpConnection.resetFor(TcpRepr.of(A.port(), B.port(), 1, 1, RST, 0), 0), is(nullValue()));
        // and the RST for a SYN refuses the connecting side
        Recorder r = new Recorder();
        TcpConnection c = TcpConnection.connect(CONFIG, A, B, 699, r, T0);
        c.segment(TcpConnection.resetFor(r.last().h(), 0), new byte[0], 0, 0, T0 + MS);
        assertThat(c.termination(), is(TcpConnection.Termination.REFUSED));
    }

    @Test
    void unacceptableAckInSynSentGetsAReset() {
        Recorder r = new Recorder();
        TcpConnection c = TcpConnection.connect(CONFIG, A, B, 1_000, r, T0);
        r.take();
        c.segment(TcpRepr.of(B.port(), A.port(), 50, 5_000, SYN | ACK, 100), new byte[0], 0, 0, T0 + MS);
        assertThat(c.state(), is(TcpConnection.State.SYN_SENT));
        assertThat(r.last().h().flags(), is(RST));
        assertThat(r.last().h().seq(), is(5_000L));
        assertThat(c.stats().badSegmentsDropped.get(), is(1L));
    }

    @Test
    void synRetriesBackOffThenTimeOut() {
        Recorder r = new Recorder();
        TcpConnection c = TcpConnection.connect(CONFIG, A, B, 1_000, r, T0);
        long t = T0;
        long[] gaps = {1, 2, 4, 8, 16, 32};
        for (long g : gaps) {
            long next = c.nextDeadline();
            assertThat(next - t, is(g * SECOND));
            c.timer(next - 1);
            assertThat(r.size(), is(1 + (int) (Math.log(g) / Math.log(2))));
            t = next;
            c.timer(t);
            assertThat(r.last().h().flags(), is(SYN));
            assertThat(r.last().h().seq(), is(1_000L));
        }
        assertThat(r.size(), is(7)); // the SYN and 6 retries
        assertThat(c.nextDeadline() - t, is(60 * SECOND)); // 64 s, clamped to maxRto
        c.timer(c.nextDeadline());
        assertThat(c.state(), is(TcpConnection.State.CLOSED));
        assertThat(c.termination(), is(TcpConnection.Termination.TIMEOUT));
        assertThat(r.size(), is(7)); // no RST from SYN-SENT
        assertThat(c.stats().retransmissions.get(), is(6L));
    }

    @Test
    void lostSynAckIsRetransmitted() {
        Wire w = new Wire(CONFIG);
        w.fault = s -> s.index() == 1 ? Wire.Action.DROP : Wire.Action.DELIVER; // the first SYN-ACK
        w.established();
        // B's own timer and A's retransmitted SYN each bring a SYN-ACK
        assertThat(w.b.stats().retransmissions.get(), is(2L));
        assertThat(w.a.stats().retransmissions.get(), is(1L));
    }

    @Test
    void lostSynLeavesAOneSegmentInitialWindowAndAThreeSecondRto() {
        Wire w = new Wire(CONFIG);
        w.fault = s -> s.index() == 0 ? Wire.Action.DROP : Wire.Action.DELIVER; // the first SYN
        w.established();
        assertThat(w.a.stats().retransmissions.get(), is(1L));
        assertThat(w.a.stats().cwnd(), is(1460L)); // RFC 6928 §2 / RFC 5681 §3.1
        assertThat(w.a.stats().rtoNanos(), is(3 * SECOND)); // RFC 6298 §5.7
        assertThat(w.b.stats().cwnd(), is(14_600L));
        assertThat(w.b.stats().rtoNanos(), is(200 * MS)); // sampled: 10 ms, clamped to minRto
    }

    @Test
    void duplicateSynInSynReceivedGetsTheSynAckAgain() {
        Recorder r = new Recorder();
        TcpRepr syn = new TcpRepr(A.port(), B.port(), 500, 0, SYN, 8_000, 1460, 3, false);
        TcpConnection c = TcpConnection.accept(CONFIG, B, A, syn, 77, r, T0);
        r.take();
        c.segment(syn, new byte[0], 0, 0, T0 + MS);
        assertThat(r.size(), is(1));
        assertThat(r.last().h().flags(), is(SYN | ACK));
        assertThat(r.last().h().seq(), is(77L));
        assertThat(c.state(), is(TcpConnection.State.SYN_RECEIVED));
    }

    @Test
    void badAckInSynReceivedIsAnsweredWithReset() {
        Recorder r = new Recorder();
        TcpRepr syn = new TcpRepr(A.port(), B.port(), 500, 0, SYN, 8_000, 1460, 3, false);
        TcpConnection c = TcpConnection.accept(CONFIG, B, A, syn, 77, r, T0);
        r.take();
        c.segment(TcpRepr.of(A.port(), B.port(), 501, 9_999, ACK, 100), new byte[0], 0, 0, T0 + MS);
        assertThat(r.last().h().flags(), is(RST));
        assertThat(r.last().h().seq(), is(9_999L));
        assertThat(c.state(), is(TcpConnection.State.SYN_RECEIVED));
    }

    @Test
    void dataQueuedBeforeEstablishmentIsSentAfterIt() {
        Wire w = new Wire(CONFIG).open();
        byte[] d = Wire.data(3_000, 5);
        assertThat(w.a.send(d, 0, d.length, w.now), is(3_000));
        assertThat(w.log.size(), is(1)); // only the SYN
        Wire.Reader reader = new Wire.Reader(false);
        w.apps.add(reader);
        w.runUntil(() -> reader.got.size() == 3_000, 5 * SECOND);
        assertThat(reader.bytes(), is(d));
        assertThat(w.a.stats().bytesSent.get(), is(3_000L));
    }

    @Test
    void closeInSynSentJustCloses() {
        Recorder r = new Recorder();
        TcpConnection c = TcpConnection.connect(CONFIG, A, B, 1_000, r, T0);
        c.close(T0 + MS);
        assertThat(c.state(), is(TcpConnection.State.CLOSED));
        assertThat(c.termination(), is(TcpConnection.Termination.ABORTED));
        assertThat(r.size(), is(1));
    }

    @Test
    void configRejectsNonsense() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> CONFIG.withMss(0));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> CONFIG.withWindowScale(15));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> CONFIG.withMinRto(Duration.ofSeconds(100)));
        assertThat(CONFIG.keepAlive(), is(false));
        assertThat(CONFIG.withKeepAlive(Duration.ofSeconds(1)).keepAlive(), is(true));
        assertThat(CONFIG.sendBuffer(), greaterThan(0));
    }
}
