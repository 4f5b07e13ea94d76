package org.cspstack.protocols.tcp;

import static org.cspstack.core.wire.TcpSegment.ACK;
import static org.cspstack.core.wire.TcpSegment.PSH;
import static org.cspstack.core.wire.TcpSegment.SYN;
import static org.cspstack.protocols.tcp.Wire.A;
import static org.cspstack.protocols.tcp.Wire.B;
import static org.cspstack.protocols.tcp.Wire.T0;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.sameInstance;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;

import org.cspstack.core.buffer.BufferPool;
import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.wire.MalformedPacketException;
import org.cspstack.core.wire.TcpRepr;
import org.cspstack.core.wire.TcpSegment;
import org.junit.jupiter.api.Test;

/** TcpIn travels with its buffer and is valid until the buffer is released; what must outlive it is copied. */
class TcpInTest {
    private static final TcpConfig CONFIG = TcpConfig.defaults();
    /** A SYN from A to B with every option. */
    private static final TcpRepr SYN_FROM_A = new TcpRepr(A.port(), B.port(), 700, 0, SYN, 8_000, 1_200, 3, true);
    /** A data segment from A to B, without options. */
    private static final TcpRepr DATA_FROM_A = TcpRepr.of(A.port(), B.port(), 5_000, 9_000, ACK | PSH, 100);

    private final BufferPool pool = new BufferPool("test", BufferPool.ETHERNET_BUFFER_SIZE, 1);
    private final TcpSegment view = new TcpSegment();

    /** A pooled buffer holding {@code h} and {@code data} as TCP received them, and the layer's view checked. */
    private PacketBuffer received(TcpRepr h, String data) throws MalformedPacketException {
        byte[] d = data.getBytes(StandardCharsets.US_ASCII);
        PacketBuffer buf = pool.take(PacketBuffer.DEFAULT_HEADROOM, h.headerLength() + d.length);
        System.arraycopy(d, 0, buf.array(), buf.start() + h.headerLength(), d.length);
        h.emit(TcpSegment.wrap(buf.array(), buf.start(), buf.length()), A.address(), B.address());
        view.rewrapChecked(buf.array(), buf.start(), buf.length());
        return buf;
    }

    @Test
    void aBufferCarriesTheSameTcpInFilledWithEachSegment() throws MalformedPacketException {
        PacketBuffer first = received(SYN_FROM_A, "");
        TcpIn syn = TcpIn.on(first, view);
        assertThat(TcpRepr.copyOf(syn.header()), is(SYN_FROM_A));
        assertThat(syn.payload(), is(sameInstance(first)));
        assertThat(syn.payload().length(), is(0));
        first.release();

        PacketBuffer second = received(DATA_FROM_A, "hello");
        assertThat(second, is(sameInstance(first))); // a pool of one: the same buffer again
        TcpIn data = TcpIn.on(second, view);
        assertThat(data, is(sameInstance(syn)));
        assertThat(TcpRepr.copyOf(data.header()), is(DATA_FROM_A));
        assertThat(data.header().mss(), is(0));
        assertThat(data.header().windowScale(), is(-1));
        assertThat(data.header().sackPermitted(), is(false));
        PacketBuffer p = data.payload();
        assertThat(new String(p.array(), p.start(), p.length(), StandardCharsets.US_ASCII), is("hello"));
        assertThat(data.toString(), is("TcpIn[" + DATA_FROM_A + ", 5 bytes]"));
    }

    @Test
    void malformedOptionsLeaveTheBufferAsItWas() throws MalformedPacketException {
        PacketBuffer buf = received(SYN_FROM_A, "");
        buf.array()[buf.start() + TcpSegment.OPTIONS + 1] = 1; // the MSS option's length below 2
        view.rewrapChecked(buf.array(), buf.start(), buf.length());
        assertThrows(MalformedPacketException.class, () -> TcpIn.on(buf, view));
        assertThat(buf.length(), is(SYN_FROM_A.headerLength()));
    }

    @Test
    void aPassiveOpenKeepsItsSynWhenTheBufferCarriesTheNextSegment() throws MalformedPacketException {
        PacketBuffer buf = received(SYN_FROM_A, "");
        TcpIn syn = TcpIn.on(buf, view);
        TcpConnectionProcess.Opening opening = TcpLayer.passiveOpening(CONFIG, B, A, syn.header(), 42);
        buf.release(); // the layer is done with the SYN before the connection's process runs the opening

        TcpIn next = TcpIn.on(received(DATA_FROM_A, "later"), view); // the buffer, and its TcpIn, again
        assertThat(next, is(sameInstance(syn)));
        Recorder r = new Recorder();
        TcpConnection c = opening.open(r, T0);

        assertThat(c.state(), is(TcpConnection.State.SYN_RECEIVED));
        TcpRepr synAck = r.last().h();
        assertThat(synAck.flags(), is(SYN | ACK));
        assertThat(synAck.ack(), is(SYN_FROM_A.seq() + 1)); // not DATA_FROM_A's
        assertThat(c.effectiveMss(), is(1_200));
        assertThat(c.sendScale(), is(3));
    }
}
