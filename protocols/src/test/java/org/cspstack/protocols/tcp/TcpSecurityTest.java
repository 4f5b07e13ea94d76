package org.cspstack.protocols.tcp;

import static org.cspstack.core.wire.TcpSegment.ACK;
import static org.cspstack.core.wire.TcpSegment.RST;
import static org.cspstack.core.wire.TcpSegment.SYN;
import static org.cspstack.protocols.tcp.Wire.MS;
import static org.cspstack.protocols.tcp.Wire.SECOND;
import static org.cspstack.protocols.tcp.Wire.T0;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import org.cspstack.core.wire.TcpRepr;
import org.junit.jupiter.api.Test;

/** RFC 5961 and the acceptability test, with the peer played by hand. */
class TcpSecurityTest {
    private static final TcpConfig CONFIG = TcpConfig.defaults();
    private static final long ISS = 1_000;
    private static final long IRS = 50_000;
    private static final byte[] NONE = new byte[0];

    private Recorder r;

    /** An established connection (we are the client at 40000, the peer at 80). */
    private TcpConnection established(TcpConfig cfg) {
        r = new Recorder();
        TcpConnection c = TcpConnection.connect(cfg, Wire.A, Wire.B, ISS, r, T0);
        c.segment(new TcpRepr(80, 40_000, IRS, ISS + 1, SYN | ACK, 1000, 1460, 0, false), NONE, 0, 0, T0 + MS);
        assertThat(c.state(), is(TcpConnection.State.ESTABLISHED));
        r.take();
        return c;
    }

    private static TcpRepr seg(long seq, long ack, int flags) {
        return TcpRepr.of(80, 40_000, seq, ack, flags, 1000);
    }

    @Test
    void exactResetResetsTheConnection() {
        TcpConnection c = established(CONFIG);
        c.segment(seg(IRS + 1, 0, RST), NONE, 0, 0, T0 + 2 * MS);
        assertThat(c.state(), is(TcpConnection.State.CLOSED));
        assertThat(c.termination(), is(TcpConnection.Termination.RESET));
        assertThat(r.size(), is(0));
    }

    @Test
    void inWindowResetWithWrongSequenceGetsAChallengeAck() {
        TcpConnection c = established(CONFIG);
        c.segment(seg(IRS + 1 + 500, 0, RST), NONE, 0, 0, T0 + 2 * MS);
        assertThat(c.state(), is(TcpConnection.State.ESTABLISHED));
        assertThat(r.size(), is(1));
        TcpRepr ack = r.last().h();
        assertThat(ack.flags(), is(ACK));
        assertThat(ack.seq(), is(ISS + 1));
        assertThat(ack.ack(), is(IRS + 1));
        assertThat(c.stats().challengeAcksSent.get(), is(1L));
    }

    @Test
    void outOfWindowResetIsDroppedSilently() {
        TcpConnection c = established(CONFIG);
        c.segment(seg(IRS + 1 + 10_000_000, 0, RST), NONE, 0, 0, T0 + 2 * MS);
        c.segment(seg(IRS - 5, 0, RST), NONE, 0, 0, T0 + 2 * MS);
        assertThat(c.state(), is(TcpConnection.State.ESTABLISHED));
        assertThat(r.size(), is(0));
        assertThat(c.stats().badSegmentsDropped.get(), is(2L));
    }

    @Test
    void synInEstablishedGetsAChallengeAckWhateverItsSequence() {
        TcpConnection c = established(CONFIG);
        c.segment(new TcpRepr(80, 40_000, IRS + 100, 0, SYN, 1000, 1460, 3, false), NONE, 0, 0, T0 + 2 * MS);
        c.segment(new TcpRepr(80, 40_000, 7, 0, SYN, 1000, 1460, 3, false), NONE, 0, 0, T0 + 2 * MS);
        assertThat(c.state(), is(TcpConnection.State.ESTABLISHED));
        assertThat(r.size(), is(2));
        assertThat(r.last().h().flags(), is(ACK));
        assertThat(r.last().h().ack(), is(IRS + 1));
        assertThat(c.stats().challengeAcksSent.get(), is(2L));
    }

    @Test
    void challengeAcksAreRateLimited() {
        TcpConnection c = established(CONFIG.withChallengeAcksPerSecond(3));
        long t = T0 + 2 * MS;
        for (int i = 0; i < 10; i++) {
            c.segment(seg(IRS + 1 + 100 + i, 0, RST), NONE, 0, 0, t);
        }
        assertThat(r.size(), is(3));
        assertThat(c.stats().challengeAcksSent.get(), is(3L));
        assertThat(c.stats().challengeAcksSuppressed.get(), is(7L));
        // a second later, three more
        for (int i = 0; i < 10; i++) {
            c.segment(seg(IRS + 1 + 100 + i, 0, RST), NONE, 0, 0, t + SECOND);
        }
        assertThat(r.size(), is(6));
        assertThat(c.state(), is(TcpConnection.State.ESTABLISHED));
    }

    @Test
    void ackBeyondSndNxtIsDroppedWithAChallengeAck() {
        TcpConnection c = established(CONFIG);
        byte[] payload = {1, 2, 3};
        c.segment(seg(IRS + 1, ISS + 1 + 100, ACK), payload, 0, 3, T0 + 2 * MS);
        assertThat(c.available(), is(0)); // the data is dropped with it
        assertThat(r.size(), is(1));
        assertThat(r.last().h().ack(), is(IRS + 1));
        assertThat(c.stats().challengeAcksSent.get(), is(1L));
    }

    @Test
    void ackFarBehindIsDropped() {
        TcpConnection c = established(CONFIG);
        byte[] payload = {1, 2, 3};
        c.segment(seg(IRS + 1, Seq.add(ISS, -1_000_000), ACK), payload, 0, 3, T0 + 2 * MS);
        assertThat(c.available(), is(0));
        assertThat(r.size(), is(0));
        assertThat(c.stats().badSegmentsDropped.get(), is(1L));
        // an old ACK within MAX.SND.WND is fine
        c.segment(seg(IRS + 1, ISS, ACK), payload, 0, 3, T0 + 3 * MS);
        assertThat(c.available(), is(3));
    }

    @Test
    void segmentsOutsideTheWindowAreAckedAndCounted() {
        TcpConnection c = established(CONFIG);
        byte[] payload = new byte[100];
        c.segment(seg(IRS + 1 + 10_000_000, ISS + 1, ACK), payload, 0, 100, T0 + 2 * MS);
        c.segment(seg(IRS + 1 - 200, ISS + 1, ACK), payload, 0, 100, T0 + 2 * MS); // old
        assertThat(r.size(), is(2));
        assertThat(r.last().h().ack(), is(IRS + 1));
        assertThat(c.stats().badSegmentsDropped.get(), is(2L));
        assertThat(c.available(), is(0));
    }

    @Test
    void dataBeyondTheWindowIsTrimmed() {
        TcpConnection c = established(CONFIG.withReceiveBuffer(1_000));
        byte[] payload = Wire.data(1_500, 30);
        c.segment(seg(IRS + 1, ISS + 1, ACK), payload, 0, 1_500, T0 + 2 * MS);
        assertThat(c.available(), is(1_000));
        assertThat(r.last().h().ack(), is(IRS + 1 + 1_000));
        assertThat(r.last().h().window(), is(0));
        // partly old, partly new: the old part is trimmed
        byte[] got = new byte[1_000];
        c.receive(got, 0, 1_000, T0 + 3 * MS);
        c.segment(seg(IRS + 1 + 900, ISS + 1, ACK), payload, 900, 600, T0 + 4 * MS);
        assertThat(c.available(), is(500));
        assertThat(c.stats().duplicateBytesReceived.get(), is(100L));
    }

    @Test
    void segmentWithoutAckIsDropped() {
        TcpConnection c = established(CONFIG);
        c.segment(seg(IRS + 1, 0, 0), new byte[10], 0, 10, T0 + 2 * MS);
        assertThat(c.available(), is(0));
        assertThat(c.stats().badSegmentsDropped.get(), is(1L));
    }

    @Test
    void resetInSynReceivedClosesThePassiveConnection() {
        Recorder rec = new Recorder();
        TcpRepr syn = new TcpRepr(40_000, 80, 700, 0, SYN, 1000, 1460, 3, false);
        TcpConnection c = TcpConnection.accept(CONFIG, Wire.B, Wire.A, syn, 9, rec, T0);
        c.segment(TcpRepr.of(40_000, 80, 800, 0, RST, 0), NONE, 0, 0, T0 + MS); // in window, wrong
        assertThat(c.state(), is(TcpConnection.State.SYN_RECEIVED));
        c.segment(TcpRepr.of(40_000, 80, 701, 0, RST, 0), NONE, 0, 0, T0 + MS);
        assertThat(c.state(), is(TcpConnection.State.CLOSED));
        assertThat(c.termination(), is(TcpConnection.Termination.RESET));
    }
}
