package org.cspstack.protocols.tcp;

import java.util.ArrayDeque;
import java.util.Arrays;

import org.cspstack.core.buffer.BufferPool;
import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.csp.Batch;
import org.cspstack.core.csp.Outbox;
import org.cspstack.core.csp.Deadlines;
import org.cspstack.core.csp.Poison;
import org.cspstack.core.csp.Replies;
import org.cspstack.core.wire.IpProtocol;
import org.cspstack.core.wire.TcpRepr;
import org.cspstack.core.wire.TcpSegment;
import org.cspstack.protocols.ipv4.IpSend;
import org.jcsp.lang.AltingChannelInput;
import org.jcsp.lang.Alternative;
import org.jcsp.lang.CSProcess;
import org.jcsp.lang.CSTimer;
import org.jcsp.lang.ChannelOutput;
import org.jcsp.lang.Guard;
import org.jcsp.lang.PoisonException;

/**
 * One TCP connection: a process of its own, started by the TCP layer for a connect or for a SYN to a listener,
 * ended when the connection is closed (after TIME_WAIT, a reset, or a timeout).
 *
 * <pre>
 *                  app requests (shared rendezvous: Write, Read, ShutdownOutput, Close, Abort)
 *                          |            ^ one reply per request (the client's own channel)
 *                          v            |
 *   tcp --segments (up)--&gt; [ tcp:PORT-&gt;ADDR:PORT ] --toIp (shared, down)--&gt; ip
 *                          |   (timer: RTO, delayed ACK, persist, keepalive, TIME_WAIT)
 *                          +--events (shared, up)--&gt; tcp
 * </pre>
 *
 * The protocol is {@link TcpConnection}'s (plain logic, explicit time); this shell selects between the next
 * segment, the next application request and one {@link CSTimer} armed at the connection's earliest deadline
 * (switched off when there is none), calls the logic, and answers requests when it can. Segments arrive in
 * {@link Batch}es and every segment the logic emits in one turn goes to IP as one batch at the turn's end: a Write once all its
 * bytes are in the send buffer (back-pressure), a Read once there are bytes, the end of the stream or an error.
 * A Connect is answered when the handshake completes or fails (or its timeout passes).
 *
 * <p><b>Buffers.</b> A segment's buffer is the last stop of a received frame: once the logic has copied its
 * payload into the receive buffer (or ignored it) the process releases it to its pool, and with it the
 * segment's {@link TcpIn} and header, which the logic reads during the call only. Each segment it emits
 * goes out in a buffer taken from the stack's pool (the link transmitter, or the peer stack over memory,
 * releases it).
 *
 * <p><b>Termination.</b> When the connection is closed, the process answers what is still pending, tells the
 * layer ({@link ConnectionEvent.Ended}), poisons its request channel (so that a client writing to it fails
 * instead of waiting forever) and returns. Poison (the stack shutting down) ends it at once. It never poisons
 * the shared channels ({@code toIp}, {@code events}): they belong to the layer.
 */
final class TcpConnectionProcess implements CSProcess {
    private static final int SEGMENT = 0;
    private static final int REQUEST = 1;
    private static final int TIMER = 2;
    /** Largest Read answer: one request, up to 64 KiB. */
    private static final int MAX_READ = 65_536;

    private final ConnKey key;
    private final AltingChannelInput<Batch<TcpIn>> segments;
    private final AltingChannelInput<ConnRequest> requests;
    private final TcpConnectionHandle handle;
    private final Outbox<IpSend> toIp;
    private final BufferPool buffers;
    /** The stack's kept byte rings: the connection's send and receive rings come from it and go back to it. */
    private final RingCache rings;
    private final ChannelOutput<ConnectionEvent> events;
    private final Opening opening;
    /** The view over each segment the logic emits, while its header is written. */
    private final TcpSegment view = new TcpSegment();
    private final ArrayDeque<ConnRequest.Write> writes = new ArrayDeque<>();
    private final ArrayDeque<ConnRequest.Read> reads = new ArrayDeque<>();
    private ChannelOutput<ConnectResult> connectReply;
    private long connectDeadline = Long.MAX_VALUE;
    private int writeDone;
    private TcpConnection tcp;
    private boolean reportedEstablished;
    /** The application closed (not just shut down its output): nobody will read what still arrives. */
    private boolean closedByApp;
    /** When a closed connection entered FIN_WAIT_2, or Long.MAX_VALUE. */
    private long finWait2Deadline = Long.MAX_VALUE;

    /**
     * How long a connection the application has closed may wait in FIN_WAIT_2 for the peer's FIN before it
     * is reset (Linux's tcp_fin_timeout: 60 s). Without it a peer that never closes would hold the process
     * forever; the logic leaves this to the shell.
     */
    static final long FIN_WAIT_2_TIMEOUT_NANOS = 60_000_000_000L;

    /** How the connection starts: the logic's constructor call, given the sink the process provides. */
    @FunctionalInterface
    interface Opening {
        TcpConnection open(SegmentSink sink, long now);
    }

    TcpConnectionProcess(ConnKey key, Opening opening, AltingChannelInput<Batch<TcpIn>> segments,
                         AltingChannelInput<ConnRequest> requests, TcpConnectionHandle handle,
                         ChannelOutput<Batch<IpSend>> toIp, ChannelOutput<ConnectionEvent> events,
                         ChannelOutput<ConnectResult> connectReply, long connectTimeoutNanos, BufferPool buffers,
                         RingCache rings) {
        this.key = key;
        this.opening = opening;
        this.segments = segments;
        this.requests = requests;
        this.handle = handle;
        this.toIp = new Outbox<>(toIp);
        this.buffers = buffers;
        this.rings = rings;
        this.events = events;
        this.connectReply = connectReply;
        if (connectReply != null && connectTimeoutNanos > 0) {
            this.connectDeadline = System.nanoTime() + connectTimeoutNanos;
        }
    }

    @Override
    public void run() {
        CSTimer timer = new CSTimer();
        Alternative alt = new Alternative(new Guard[] {segments, requests, timer});
        boolean[] ready = {true, true, false};
        try {
            tcp = opening.open(new ToIp(), System.nanoTime());
            tcp.useRings(rings);
            toIp.flush();
            while (!tcp.isClosed()) {
                long deadline = Math.min(Math.min(tcp.nextDeadline(), connectDeadline), finWait2Deadline);
                ready[TIMER] = deadline != Long.MAX_VALUE;
                if (ready[TIMER]) {
                    Deadlines.arm(timer, deadline);
                }
                switch (alt.priSelect(ready)) {
                    case SEGMENT -> {
                        if (!segments(segments.read())) {
                            toIp.flush();
                            continue; // aborted
                        }
                    }
                    case REQUEST -> request(requests.read());
                    case TIMER -> {
                        long now = System.nanoTime();
                        if (now - connectDeadline >= 0 && connectReply != null) {
                            answerConnect(new ConnectResult.Failed("connection to " + handle.remote()
                                    + " timed out"));
                            tcp.abort(now);
                        }
                        if (now - finWait2Deadline >= 0 && tcp.state() == TcpConnection.State.FIN_WAIT_2) {
                            tcp.abort(now);
                        }
                        tcp.timer(now);
                    }
                    default -> throw new IllegalStateException("unknown guard");
                }
                service();
                toIp.flush();
            }
            finish();
            toIp.flush();
            tcp.releaseBuffers(); // after finish(): the requests are poisoned, nothing reads or writes them again
        } catch (PoisonException shutdown) {
            Poison.all(segments, requests);
            // Clients waiting for an answer must not wait forever.
            for (ConnRequest.Read rd : reads) {
                rd.replyTo().poison(Poison.STRENGTH);
            }
            for (ConnRequest.Write w : writes) {
                w.replyTo().poison(Poison.STRENGTH);
            }
            if (connectReply != null) {
                connectReply.poison(Poison.STRENGTH);
            }
        }
    }

    /**
     * Gives the logic a batch of segments in order; false when the layer asked for an abort (what follows the
     * abort is ignored: the connection is closed).
     */
    private boolean segments(Batch<TcpIn> batch) {
        for (TcpIn in : batch) {
            if (in == TcpIn.ABORT) {
                tcp.abort(System.nanoTime());
                return false;
            }
            PacketBuffer p = in.payload();
            tcp.segment(in.header(), p.array(), p.start(), p.length(), System.nanoTime());
            p.release(); // the logic copies what it keeps (ReceiveBuffer): this process is the last owner
        }
        batch.recycle(); // handled: the layer reuses it
        return true;
    }

    /**
     * The logic's sink: turns each segment into a datagram for IP (written with the others of this turn), its
     * header written straight into a pooled buffer, from the fields when the segment has no options.
     */
    private final class ToIp implements SegmentSink {
        @Override
        public void emit(TcpRepr header, byte[] data, int off, int len) {
            PacketBuffer buf = take(header.headerLength(), data, off, len);
            header.emit(view, handle.local().address(), handle.remote().address());
            send(buf);
        }

        @Override
        public void emit(int sourcePort, int destinationPort, long seq, long ack, int flags, int window,
                         byte[] data, int off, int len) {
            PacketBuffer buf = take(TcpSegment.MIN_HEADER_LENGTH, data, off, len);
            TcpRepr.emit(view, handle.local().address(), handle.remote().address(), sourcePort, destinationPort, seq,
                    ack, flags, window);
            send(buf);
        }

        /** A pooled buffer with the data behind room for the header, and the view over both. */
        private PacketBuffer take(int headerLength, byte[] data, int off, int len) {
            PacketBuffer buf = buffers.take(PacketBuffer.DEFAULT_HEADROOM, headerLength + len);
            System.arraycopy(data, off, buf.array(), buf.start() + headerLength, len);
            view.rewrap(buf.array(), buf.start(), headerLength + len);
            return buf;
        }

        private void send(PacketBuffer buf) {
            toIp.add(IpSend.of(handle.remote().address(), IpProtocol.TCP, buf));
        }
    }

    private void request(ConnRequest r) {
        long now = System.nanoTime();
        if (r instanceof ConnRequest.Write w) {
            writes.add(w);
        } else if (r instanceof ConnRequest.Read rd) {
            reads.add(rd);
        } else if (r instanceof ConnRequest.ShutdownOutput s) {
            flushWritesBeforeShutdown(now);
            tcp.shutdownOutput(now);
            Replies.answer(s.replyTo(), Boolean.TRUE);
        } else if (r instanceof ConnRequest.Close c) {
            flushWritesBeforeShutdown(now);
            tcp.close(now);
            closedByApp = true;
            Replies.answer(c.replyTo(), Boolean.TRUE);
        } else if (r instanceof ConnRequest.Abort a) {
            tcp.abort(now);
            Replies.answer(a.replyTo(), Boolean.TRUE);
        }
    }

    /**
     * Before FIN: whatever of the pending writes fits goes into the send buffer; the rest is refused (-1),
     * since nothing may follow a FIN.
     */
    private void flushWritesBeforeShutdown(long now) {
        serviceWrites(now);
        while (!writes.isEmpty()) {
            Replies.answer(writes.poll().replyTo(), -1);
            writeDone = 0;
        }
    }

    /** Answers what can be answered now. */
    private void service() {
        long now = System.nanoTime();
        if (closedByApp && finWait2Deadline == Long.MAX_VALUE && tcp.state() == TcpConnection.State.FIN_WAIT_2) {
            finWait2Deadline = now + FIN_WAIT_2_TIMEOUT_NANOS;
        }
        if (connectReply != null && tcp.isEstablished()) {
            answerConnect(new ConnectResult.Connected(handle));
        }
        if (!reportedEstablished && tcp.isEstablished()) {
            reportedEstablished = true;
            events.write(new ConnectionEvent.Established(key, handle));
        }
        serviceWrites(now);
        while (!reads.isEmpty()) {
            ConnRequest.Read rd = reads.peek();
            if (tcp.available() > 0) {
                int want = Math.min(Math.min(rd.max(), MAX_READ), tcp.available());
                reads.poll();
                if (rd.into() != null) { // lent: copy straight into the application's array
                    int n = tcp.receive(rd.into(), rd.off(), want, now);
                    Replies.answer(rd.replyTo(), result(rd, rd.into(), n, null));
                } else {
                    byte[] b = new byte[want];
                    int n = tcp.receive(b, 0, b.length, now);
                    Replies.answer(rd.replyTo(),
                            new ConnRequest.ReadResult(n == b.length ? b : Arrays.copyOf(b, Math.max(0, n)), null));
                }
            } else if (tcp.finReceived()) {
                reads.poll();
                Replies.answer(rd.replyTo(), result(rd, null, -1, null));
            } else if (tcp.isClosed()) {
                reads.poll();
                Replies.answer(rd.replyTo(), result(rd, null, -1, "connection " + tcp.termination()));
            } else {
                break;
            }
        }
    }

    /** The answer to {@code rd}: its own result filled in when it brought one, else a new one. */
    private static ConnRequest.ReadResult result(ConnRequest.Read rd, byte[] data, int length, String error) {
        ConnRequest.ReadResult own = rd.result();
        return own != null ? own.fill(data, length, error) : new ConnRequest.ReadResult(data, length, error);
    }

    private void serviceWrites(long now) {
        while (!writes.isEmpty()) {
            ConnRequest.Write w = writes.peek();
            if (tcp.isClosed()) {
                writes.poll();
                writeDone = 0;
                Replies.answer(w.replyTo(), -1);
                continue;
            }
            if (!tcp.isEstablished() && tcp.state() != TcpConnection.State.SYN_SENT
                    && tcp.state() != TcpConnection.State.SYN_RECEIVED) {
                writes.poll();
                writeDone = 0;
                Replies.answer(w.replyTo(), -1);
                continue;
            }
            int n;
            try {
                n = tcp.send(w.data(), w.off() + writeDone, w.len() - writeDone, now);
            } catch (IllegalStateException cannotSend) {
                writes.poll();
                writeDone = 0;
                Replies.answer(w.replyTo(), -1);
                continue;
            }
            writeDone += n;
            if (writeDone < w.len()) {
                return; // the send buffer is full: answer when acknowledgements make room
            }
            writes.poll();
            writeDone = 0;
            Replies.answer(w.replyTo(), w.done());
        }
    }

    private void answerConnect(ConnectResult result) {
        ChannelOutput<ConnectResult> r = connectReply;
        connectReply = null;
        connectDeadline = Long.MAX_VALUE;
        Replies.answer(r, result);
    }

    private void finish() {
        if (connectReply != null) {
            answerConnect(new ConnectResult.Failed(describe(tcp.termination())));
        }
        service();
        for (ConnRequest.Read rd : reads) {
            Replies.answer(rd.replyTo(), result(rd, null, -1, describe(tcp.termination())));
        }
        reads.clear();
        for (ConnRequest.Write w : writes) {
            Replies.answer(w.replyTo(), -1);
        }
        writes.clear();
        try {
            events.write(new ConnectionEvent.Ended(key, reportedEstablished, tcp.stats()));
        } catch (PoisonException shuttingDown) {
            // the layer is gone already
        }
        requests.poison(Poison.STRENGTH);
        segments.poison(Poison.STRENGTH);
    }

    private String describe(TcpConnection.Termination t) {
        if (t == null) {
            return "connection ended";
        }
        return switch (t) {
            case REFUSED -> "connection refused by " + handle.remote();
            case RESET -> "connection reset by " + handle.remote();
            case TIMEOUT -> "connection to " + handle.remote() + " timed out";
            case ABORTED -> "connection aborted";
            case NORMAL -> "connection closed";
        };
    }

}
