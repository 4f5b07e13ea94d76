package org.cspstack.protocols.tcp;

import static org.cspstack.core.wire.TcpSegment.ACK;
import static org.cspstack.core.wire.TcpSegment.FIN;
import static org.cspstack.core.wire.TcpSegment.SYN;
import static org.cspstack.protocols.tcp.Wire.MS;
import static org.cspstack.protocols.tcp.Wire.T0;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import org.cspstack.core.wire.TcpRepr;
import org.junit.jupiter.api.Test;

/** The receiving side with the peer played by hand: ACK policy, out-of-order FIN, zero window. */
class TcpReceiveTest {
    private static final long ISS = 0xffff_ff00L;
    private static final long IRS = 0xffff_ffc0L; // data crosses the wrap after 63 bytes
    private static final byte[] NONE = new byte[0];

    private Recorder r;

    private TcpConnection established(TcpConfig cfg) {
        r = new Recorder();
        TcpConnection c = TcpConnection.connect(cfg, Wire.A, Wire.B, ISS, r, T0);
        c.segment(new TcpRepr(80, 40_000, IRS, Seq.add(ISS, 1), SYN | ACK, 60_000, 1460, 0, false), NONE, 0, 0,
                T0 + MS);
        r.take();
        return c;
    }

    private static TcpRepr seg(long offset, int flags) {
        return TcpRepr.of(80, 40_000, Seq.add(IRS, 1 + offset), Seq.add(ISS, 1), ACK | flags, 60_000);
    }

    @Test
    void outOfOrderFinWaitsForTheDataBeforeIt() {
        TcpConnection c = established(TcpConfig.defaults());
        byte[] d = Wire.data(200, 50);
        c.segment(seg(100, FIN), d, 100, 100, T0 + 2 * MS);
        assertThat(c.finReceived(), is(false));
        assertThat(c.state(), is(TcpConnection.State.ESTABLISHED));
        assertThat(r.last().h().ack(), is(Seq.add(IRS, 1))); // duplicate ACK at once
        c.segment(seg(0, 0), d, 0, 100, T0 + 3 * MS);
        assertThat(c.finReceived(), is(true));
        assertThat(c.state(), is(TcpConnection.State.CLOSE_WAIT));
        assertThat(r.last().h().ack(), is(Seq.add(IRS, 202)));
        byte[] got = new byte[300];
        assertThat(c.receive(got, 0, 300, T0 + 4 * MS), is(200));
        assertThat(java.util.Arrays.copyOf(got, 200), is(d));
        assertThat(c.receive(got, 0, 300, T0 + 4 * MS), is(-1));
    }

    @Test
    void duplicateDataIsAckedAtOnce() {
        TcpConnection c = established(TcpConfig.defaults());
        byte[] d = Wire.data(100, 51);
        c.segment(seg(0, 0), d, 0, 100, T0 + 2 * MS);
        assertThat(r.size(), is(0)); // delayed
        assertThat(c.nextDeadline(), is(T0 + 42 * MS));
        c.segment(seg(0, 0), d, 0, 100, T0 + 3 * MS);
        assertThat(r.size(), is(1));
        assertThat(r.last().h().ack(), is(Seq.add(IRS, 101)));
        assertThat(c.stats().duplicateBytesReceived.get(), is(100L));
        assertThat(c.available(), is(100));
    }

    @Test
    void filledHoleIsAckedAtOnce() {
        TcpConnection c = established(TcpConfig.defaults());
        byte[] d = Wire.data(300, 52);
        c.segment(seg(100, 0), d, 100, 100, T0 + 2 * MS);
        assertThat(r.take().size(), is(1));
        c.segment(seg(0, 0), d, 0, 100, T0 + 3 * MS);
        assertThat(r.size(), is(1));
        assertThat(r.last().h().ack(), is(Seq.add(IRS, 201)));
    }

    @Test
    void zeroWindowProbeIsAnsweredWithTheClosedWindowAndABareFinIsTaken() {
        TcpConnection c = established(TcpConfig.defaults().withReceiveBuffer(500));
        byte[] d = Wire.data(600, 53);
        c.segment(seg(0, 0), d, 0, 500, T0 + 2 * MS);
        assertThat(c.available(), is(500));
        r.take();
        c.timer(T0 + SECOND_LATER);
        // a one-byte probe at RCV.NXT: not taken, answered with window 0
        c.segment(seg(500, 0), d, 500, 1, T0 + 3 * MS);
        assertThat(c.available(), is(500));
        assertThat(r.last().h().ack(), is(Seq.add(IRS, 501)));
        assertThat(r.last().h().window(), is(0));
        // a FIN at RCV.NXT needs no room: taken
        c.segment(seg(500, FIN), NONE, 0, 0, T0 + 4 * MS);
        assertThat(c.finReceived(), is(true));
        assertThat(r.last().h().ack(), is(Seq.add(IRS, 502)));
    }

    private static final long SECOND_LATER = 1_000 * MS;
}
