package org.cspstack.protocols.tcp;

import static org.cspstack.core.wire.TcpSegment.ACK;
import static org.cspstack.core.wire.TcpSegment.FIN;
import static org.cspstack.core.wire.TcpSegment.PSH;
import static org.cspstack.core.wire.TcpSegment.RST;
import static org.cspstack.core.wire.TcpSegment.SYN;
import static org.cspstack.protocols.tcp.Wire.A;
import static org.cspstack.protocols.tcp.Wire.B;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.cspstack.core.buffer.BufferPool;
import org.cspstack.core.csp.Batch;
import org.cspstack.core.csp.Chan;
import org.cspstack.core.csp.ProcessTestKit;
import org.cspstack.core.wire.Bytes;
import org.cspstack.core.wire.IpProtocol;
import org.cspstack.core.wire.TcpRepr;
import org.cspstack.core.wire.TcpSegment;
import org.cspstack.protocols.ipv4.IpSend;
import org.jcsp.lang.Any2OneChannel;
import org.jcsp.lang.Channel;
import org.junit.jupiter.api.Test;

/** The connection process's sink: what it hands IP for the segments its logic emits. */
class TcpConnectionProcessTest {
    private static final byte[] DATA = "..hello tcp..".getBytes(StandardCharsets.US_ASCII);

    /** The option-less segments emitted by fields, each followed by the same one as a {@code TcpRepr.of}. */
    private static final TcpRepr[] SEGMENTS = {
        TcpRepr.of(A.port(), B.port(), 0xffff_fff0L, 77, ACK | PSH, 1234),
        TcpRepr.of(A.port(), B.port(), 5, 0, RST, 0),
        TcpRepr.of(A.port(), B.port(), 0xffff_ffffL, 0xffff_ffffL, ACK | FIN, 0xffff),
    };

    @Test
    void fieldEmitSendsTheBytesThatTheReprEmitSends() throws Exception {
        try (ProcessTestKit kit = new ProcessTestKit("conn")) {
            Chan<Batch<TcpIn>> segments = kit.input("segments");
            Chan<Batch<IpSend>> toIp = kit.output("toIp");
            Chan<ConnectionEvent> events = kit.output("events");
            Any2OneChannel<ConnRequest> requests = Channel.any2one(0);
            TcpConnectionProcess.Opening opening = (sink, now) -> {
                for (TcpRepr h : SEGMENTS) {
                    int len = h.has(RST) ? 0 : 9; // DATA[2, 11): the sink copies from an offset
                    sink.emit(h.sourcePort(), h.destinationPort(), h.seq(), h.ack(), h.flags(), h.window(), DATA, 2,
                            len);
                    sink.emit(h, DATA, 2, len);
                }
                return TcpConnection.connect(TcpConfig.defaults(), A, B, 1_000, sink, now);
            };
            BufferPool pool = new BufferPool("test", BufferPool.ETHERNET_BUFFER_SIZE, 16);
            kit.start("conn", new TcpConnectionProcess(new ConnKey(A.port(), B.address().toInt(), B.port()), opening,
                    segments.in(), requests.in(), new TcpConnectionHandle(requests.out(), A, B), toIp.out(),
                    events.out(), null, 0, pool, RingCache.NONE), new TcpCounters("test"));

            for (TcpRepr h : SEGMENTS) {
                byte[] byFields = segment(kit.expectOne(toIp));
                byte[] byRepr = segment(kit.expectOne(toIp));
                assertThat(h.toString(), Bytes.hex(byFields), is(Bytes.hex(byRepr)));
                TcpSegment s = TcpSegment.wrapChecked(byFields, 0, byFields.length);
                assertThat(s.verifyChecksum(A.address(), B.address()), is(true));
                assertThat(TcpRepr.parse(s), is(h));
            }
            byte[] syn = segment(kit.expectOne(toIp)); // the connection's own SYN, with options, as a TcpRepr
            TcpRepr parsed = TcpRepr.parse(TcpSegment.wrapChecked(syn, 0, syn.length));
            assertThat(parsed.flags(), is(SYN));
            assertThat(parsed.mss(), is(TcpConfig.defaults().mss()));
        }
    }

    @Test
    void defaultFieldEmitHandsTheEquivalentReprToTheSink() {
        List<TcpRepr> got = new ArrayList<>();
        List<String> data = new ArrayList<>();
        SegmentSink sink = (h, d, off, len) -> {
            got.add(h);
            data.add(new String(d, off, len, StandardCharsets.US_ASCII));
        };
        for (TcpRepr h : SEGMENTS) {
            sink.emit(h.sourcePort(), h.destinationPort(), h.seq(), h.ack(), h.flags(), h.window(), DATA, 2, 9);
        }
        assertThat(got, is(List.of(SEGMENTS)));
        assertThat(data.get(0), is("hello tcp"));
    }

    /** The TCP segment an IpSend carries, as bytes; releases its buffer. */
    private static byte[] segment(IpSend send) {
        assertThat(send.destination(), is(B.address()));
        assertThat(send.protocol(), is(IpProtocol.TCP));
        byte[] b = send.payload().toByteArray();
        send.payload().release();
        return b;
    }
}
