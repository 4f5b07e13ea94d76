package org.cspstack.protocols.tcp;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

import org.cspstack.core.buffer.BufferPool;
import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.csp.Batch;
import org.cspstack.core.csp.FanOut;
import org.cspstack.core.csp.Outbox;
import org.cspstack.core.csp.Chan;
import org.cspstack.core.csp.Deadlines;
import org.cspstack.core.csp.Poison;
import org.cspstack.core.csp.Replies;
import org.cspstack.core.csp.ProcessNetwork;
import org.cspstack.core.wire.IpProtocol;
import org.cspstack.core.wire.Ipv4Address;
import org.cspstack.core.wire.MalformedPacketException;
import org.cspstack.core.wire.TcpHeader;
import org.cspstack.core.wire.TcpRepr;
import org.cspstack.core.wire.TcpSegment;
import org.cspstack.protocols.ipv4.IpDatagram;
import org.cspstack.protocols.ipv4.IpSend;
import org.cspstack.protocols.stack.StackConfig;
import org.cspstack.protocols.udp.PortTable;
import org.jcsp.lang.AltingChannelInput;
import org.jcsp.lang.Alternative;
import org.jcsp.lang.Any2OneChannel;
import org.jcsp.lang.CSProcess;
import org.jcsp.lang.CSTimer;
import org.jcsp.lang.Channel;
import org.jcsp.lang.ChannelOutput;
import org.jcsp.lang.Guard;
import org.jcsp.lang.PoisonException;

/**
 * The TCP layer: the demultiplexer and the listeners. Every connection is a process of its own
 * ({@link TcpConnectionProcess}), started here for a connect or for a SYN to a listening port.
 *
 * <pre>
 *       apps (Listen, Unlisten, Accept, Connect; own reply channels)
 *          | appsToTcp (shared rendezvous)
 *          v
 *   ip --ipToTcp (up)--&gt; [ tcp ] --segments (up, one per connection)--&gt; [ tcp:conn ] ...
 *                          ^  |                                            |      |
 *                          |  +--------- tcpToIp (shared, down) &lt;----------+      |
 *                          +------------ connToTcp (shared, up: Established, Ended)-+
 * </pre>
 *
 * <p><b>Policy.</b> Segments are checked (length, header length, options, checksum with the pseudo-header);
 * a segment for no connection and no listener is answered with RST as RFC 9293 §3.10.7.1 says (never a RST
 * for a RST); segments not unicast to us are dropped. A SYN to a listening port starts a connection process in
 * SYN-RECEIVED, within bounds that a SYN flood cannot break: at most {@code backlog} connections half-open and
 * {@code backlog} established but not yet accepted per listener, at most {@code maxConnections} in all; excess
 * SYNs are dropped and counted (the peer retries, as with a full Linux backlog). Initial sequence numbers follow
 * RFC 6528. Accept timeouts are kept here: every Accept is answered exactly once, with a connection, a failure
 * or a timeout.
 *
 * <p><b>Limitations.</b> No SYN cookies (the bound does the job, at the price of refusing SYNs under a flood);
 * no ICMP errors delivered to connections; IPv4 only. <b>Termination:</b> on poison it poisons its ends and
 * every connection's segment channel, and returns.
 */
public final class TcpLayer implements CSProcess {
    /** Default and largest listen backlog. */
    public static final int DEFAULT_BACKLOG = 128;
    public static final int MAX_BACKLOG = 4096;
    /**
     * Segments a connection's queue holds before the layer drops (counted): more than a full default window of
     * full-sized segments (256 KiB / 1,460 = 180), so that a burst the window allows is never dropped here.
     */
    static final int SEGMENT_QUEUE = 256;

    private final AltingChannelInput<Batch<IpDatagram>> fromIp;
    private final AltingChannelInput<TcpRequest> fromApps;
    private final Any2OneChannel<Batch<IpSend>> tcpToIp;
    private final Any2OneChannel<ConnectionEvent> connToTcp;
    private final ProcessNetwork network;
    private final String prefix;
    private final StackConfig config;
    private final TcpConfig tcpConfig;
    private final int maxConnections;
    /** The stack's pool, for the segments the connections emit. */
    private final BufferPool buffers;
    /** The byte rings its connections' buffers grow into, kept from connection to connection. */
    private final RingCache rings = new RingCache(RingCache.DEFAULT_KEEP);
    private final TcpCounters counters;
    private final Outbox<IpSend> toIp;
    private final Map<ConnKey, FanOut.Lane<TcpIn>> connections = new HashMap<>();
    /** The connections' segment channels, each with its batch of this turn. */
    private final FanOut<TcpIn> toConnections;
    /** Connections started by a SYN to a listener (the others were started by a Connect). */
    private final java.util.Set<ConnKey> passive = new java.util.HashSet<>();
    private final Map<Integer, Listener> listeners = new HashMap<>();
    private final PortTable ephemeral = new PortTable();
    private final IsnGenerator isn = new IsnGenerator();
    private final TcpSegment view = new TcpSegment();
    /** The arriving segment's key, refilled for each lookup: never stored (see ConnKey). */
    private final ConnKey probe = ConnKey.probe();
    private long nextId;
    /**
     * When the timer must wake the layer for accept timeouts: never later than any waiting accept's deadline
     * (an Accept lowers it), exact after each {@link #expireAccepts} (the only full scan). An accept answered
     * meanwhile may leave it early: the timer then wakes the layer once for nothing. Without the scan per turn,
     * a turn makes no iterators.
     */
    private long acceptDeadline = Long.MAX_VALUE;

    private static final class Listener {
        final int backlog;
        int halfOpen;
        final ArrayDeque<TcpConnectionHandle> ready = new ArrayDeque<>();
        final ArrayDeque<PendingAccept> waiting = new ArrayDeque<>();

        Listener(int backlog) {
            this.backlog = backlog;
        }
    }

    private record PendingAccept(ChannelOutput<ConnectResult> replyTo, long deadline) {
    }

    public TcpLayer(AltingChannelInput<Batch<IpDatagram>> fromIp, AltingChannelInput<TcpRequest> fromApps,
                    Any2OneChannel<Batch<IpSend>> tcpToIp, Any2OneChannel<ConnectionEvent> connToTcp, ProcessNetwork network,
                    String prefix, StackConfig config, TcpConfig tcpConfig, int maxConnections, BufferPool buffers,
                    TcpCounters counters) {
        this.buffers = buffers;
        this.fromIp = fromIp;
        this.fromApps = fromApps;
        this.tcpToIp = tcpToIp;
        this.connToTcp = connToTcp;
        this.network = network;
        this.prefix = prefix;
        this.config = config;
        this.tcpConfig = tcpConfig;
        this.maxConnections = maxConnections;
        this.counters = counters;
        this.toIp = new Outbox<>(tcpToIp.out());
        this.toConnections = new FanOut<>(new FanOut.Outcome() {
            @Override
            public void written(int n, boolean dropped) {
                if (dropped) {
                    counters.queueFullDropped.add(n);
                }
            }

            @Override
            public void readerGone(int n) {
                // a connection that ended meanwhile: its segments have nowhere to go
            }
        });
    }

    @Override
    public void run() {
        final int events = 0;
        final int fromIpIndex = 1;
        final int apps = 2;
        final int timerIndex = 3;
        AltingChannelInput<ConnectionEvent> fromConns = connToTcp.in();
        CSTimer timer = new CSTimer();
        Alternative alt = new Alternative(new Guard[] {fromConns, fromIp, fromApps, timer});
        boolean[] ready = {true, true, true, false};
        try {
            while (true) {
                ready[timerIndex] = acceptDeadline != Long.MAX_VALUE;
                if (ready[timerIndex]) {
                    Deadlines.arm(timer, acceptDeadline);
                }
                int i = alt.fairSelect(ready);
                if (i == events) {
                    event(fromConns.read());
                } else if (i == fromIpIndex) {
                    Batch<IpDatagram> batch = fromIp.read();
                    for (IpDatagram d : batch) {
                        if (!receive(d)) {
                            d.payload().release();
                        }
                    }
                    batch.recycle(); // handled: the writer reuses it
                } else if (i == apps) {
                    request(fromApps.read());
                } else {
                    expireAccepts(System.nanoTime());
                }
                toConnections.flush();
                toIp.flush();
            }
        } catch (PoisonException e) {
            Poison.all(fromIp, fromApps, fromConns, toIp);
            for (FanOut.Lane<TcpIn> c : connections.values()) {
                c.channel().out().poison(Poison.STRENGTH);
            }
            // Clients waiting for an accept must not wait forever: their reply channels get the poison too.
            for (Listener l : listeners.values()) {
                for (PendingAccept a : l.waiting) {
                    a.replyTo().poison(Poison.STRENGTH);
                }
            }
        }
    }

    // ---- segments from IP ----------------------------------------------------------------------------------

    /**
     * Hands a segment to its connection; false when it was handled here (a SYN, a reset) or dropped: then the
     * caller releases its buffer (what is needed of it, the header, is copied by then where it must stay).
     */
    private boolean receive(IpDatagram d) {
        counters.segmentsReceived.increment();
        PacketBuffer buf = d.payload();
        TcpIn in;
        try {
            view.rewrapChecked(buf.array(), buf.start(), buf.length());
            if (!view.verifyChecksum(d.source(), d.destination())) {
                counters.badChecksumDropped.increment();
                return false;
            }
            in = TcpIn.on(buf, view);
        } catch (MalformedPacketException e) {
            switch (e.reason()) {
                case TRUNCATED -> counters.truncatedDropped.increment();
                case BAD_HEADER_LENGTH -> counters.badHeaderLengthDropped.increment();
                default -> counters.badOptionsDropped.increment();
            }
            return false;
        }
        if (!d.destination().equals(config.ip()) || d.source().isBroadcast() || d.source().isMulticast()) {
            counters.notUnicastDropped.increment();
            return false;
        }
        TcpHeader h = in.header();
        FanOut.Lane<TcpIn> conn = connections.get(probe.set(h.destinationPort(), d.source().toInt(),
                h.sourcePort()));
        if (conn != null) {
            toConnections.add(conn, in); // the connection's now, with the buffer
            return true;
        }
        Listener l = listeners.get(h.destinationPort());
        if (l != null && h.has(TcpSegment.SYN) && !h.has(TcpSegment.ACK) && !h.has(TcpSegment.RST)) {
            passiveOpen(l, d.source(), h);
            return false;
        }
        if (l != null && !h.has(TcpSegment.RST) && !h.has(TcpSegment.ACK)) {
            return false; // RFC 9293 LISTEN: anything else without ACK is dropped
        }
        reset(d.source(), h, buf.length());
        return false;
    }

    /** RFC 9293 §3.10.7.1: a segment for no connection gets a RST, unless it is one. */
    private void reset(Ipv4Address to, TcpHeader h, int dataLength) {
        TcpRepr rst = TcpConnection.resetFor(h, dataLength);
        if (rst == null) {
            return;
        }
        PacketBuffer buf = PacketBuffer.allocate(PacketBuffer.DEFAULT_HEADROOM, rst.headerLength());
        rst.emit(TcpSegment.wrap(buf.array(), buf.start(), buf.length()), config.ip(), to);
        counters.resetsSent.increment();
        toIp.add(IpSend.of(to, IpProtocol.TCP, buf));
    }

    private void passiveOpen(Listener l, Ipv4Address remote, TcpHeader syn) {
        if (l.halfOpen >= l.backlog || l.ready.size() >= l.backlog) {
            counters.synBacklogDropped.increment();
            return;
        }
        if (connections.size() >= maxConnections) {
            counters.synLimitDropped.increment();
            return;
        }
        ConnKey key = new ConnKey(syn.destinationPort(), remote.toInt(), syn.sourcePort());
        Endpoint local = new Endpoint(config.ip(), key.localPort());
        Endpoint peer = new Endpoint(remote, key.remotePort());
        long iss = isn.next(local, peer, System.nanoTime());
        if (start(key, local, peer, passiveOpening(tcpConfig, local, peer, syn, iss), null, 0) != null) {
            passive.add(key);
            l.halfOpen++;
            counters.halfOpenNow.add(1);
        }
    }

    /**
     * How a connection for a SYN to a listener opens. The new process runs it later, after the layer has
     * released the SYN's buffer (and with it {@code syn}, if it is the buffer's {@link TcpIn}): so the SYN is
     * copied here.
     */
    static TcpConnectionProcess.Opening passiveOpening(TcpConfig config, Endpoint local, Endpoint peer,
                                                       TcpHeader syn, long iss) {
        TcpRepr kept = TcpRepr.copyOf(syn);
        return (sink, now) -> TcpConnection.accept(config, local, peer, kept, iss, sink, now);
    }

    /** Starts a connection's process and registers its segment channel. */
    private FanOut.Lane<TcpIn> start(ConnKey key, Endpoint local, Endpoint remote, TcpConnectionProcess.Opening opening,
                       ChannelOutput<ConnectResult> connectReply, long connectTimeoutNanos) {
        String name = prefix + "tcp:" + local.port() + "-" + remote + "#" + (++nextId);
        Chan<Batch<TcpIn>> segments = network.dynamicUpward(name + ".segments", prefix + "tcp", name, SEGMENT_QUEUE);
        Any2OneChannel<ConnRequest> requests = Channel.any2one(0);
        TcpConnectionHandle handle = new TcpConnectionHandle(requests.out(), local, remote);
        TcpConnectionProcess p = new TcpConnectionProcess(key, opening, segments.in(), requests.in(), handle,
                tcpToIp.out(), connToTcp.out(), connectReply, connectTimeoutNanos, buffers, rings);
        if (!network.spawn(name, "tcp-connection", p, true)) {
            return null;
        }
        FanOut.Lane<TcpIn> conn = new FanOut.Lane<>(segments);
        connections.put(key, conn);
        counters.connectionsNow.set(connections.size());
        return conn;
    }

    // ---- events from connections ---------------------------------------------------------------------------

    private void event(ConnectionEvent e) {
        Listener l = listeners.get(e.key().localPort());
        if (e instanceof ConnectionEvent.Established est) {
            if (passive.contains(e.key()) && l != null) {
                l.halfOpen--;
                counters.halfOpenNow.add(-1);
                counters.connectionsAccepted.increment();
                PendingAccept waiting = l.waiting.poll();
                if (waiting != null) {
                    Replies.answer(waiting.replyTo(), new ConnectResult.Connected(est.handle()));
                } else {
                    l.ready.add(est.handle());
                }
            }
        } else if (e instanceof ConnectionEvent.Ended ended) {
            connections.remove(e.key());
            boolean wasPassive = passive.remove(e.key());
            counters.connectionsNow.set(connections.size());
            counters.connectionsEnded.increment();
            counters.add(ended.stats());
            if (!ended.wasEstablished() && wasPassive && l != null) {
                l.halfOpen--;
                counters.halfOpenNow.add(-1);
            }
            if (!wasPassive) {
                ephemeral.unbind(e.key().localPort());
            }
        }
    }

    // ---- application requests -----------------------------------------------------------------------------

    private void request(TcpRequest r) {
        if (r instanceof TcpRequest.Listen listen) {
            if (listen.port() < 1 || listen.port() > 65535) {
                Replies.answer(listen.replyTo(), "port " + listen.port() + " is outside 1..65535");
            } else if (listeners.containsKey(listen.port())) {
                Replies.answer(listen.replyTo(), "TCP port " + listen.port() + " is already listening");
            } else {
                listeners.put(listen.port(), new Listener(Math.max(1, Math.min(listen.backlog(), MAX_BACKLOG))));
                Replies.answer(listen.replyTo(), null);
            }
        } else if (r instanceof TcpRequest.Unlisten u) {
            Listener l = listeners.remove(u.port());
            if (l == null) {
                Replies.answer(u.replyTo(), "TCP port " + u.port() + " is not listening");
                return;
            }
            for (PendingAccept a : l.waiting) {
                Replies.answer(a.replyTo(), new ConnectResult.Failed("stopped listening on port " + u.port()));
            }
            for (TcpConnectionHandle h : l.ready) {
                // Established but never accepted: tell the connection to reset, on its segment channel (which
                // never blocks the layer), with the abort marker.
                FanOut.Lane<TcpIn> c = connections.get(new ConnKey(h.local().port(), h.remote().address().toInt(),
                        h.remote().port()));
                if (c != null) {
                    toConnections.add(c, TcpIn.ABORT);
                }
            }
            Replies.answer(u.replyTo(), null);
        } else if (r instanceof TcpRequest.Accept a) {
            Listener l = listeners.get(a.port());
            if (l == null) {
                Replies.answer(a.replyTo(), new ConnectResult.Failed("TCP port " + a.port() + " is not listening"));
            } else if (!l.ready.isEmpty()) {
                Replies.answer(a.replyTo(), new ConnectResult.Connected(l.ready.poll()));
            } else {
                long deadline = a.timeout() == null ? Long.MAX_VALUE : System.nanoTime() + a.timeout().toNanos();
                l.waiting.add(new PendingAccept(a.replyTo(), deadline));
                acceptDeadline = Math.min(acceptDeadline, deadline);
            }
        } else if (r instanceof TcpRequest.Connect c) {
            connect(c);
        }
    }

    private void connect(TcpRequest.Connect c) {
        if (connections.size() >= maxConnections) {
            Replies.answer(c.replyTo(), new ConnectResult.Failed("too many connections (" + maxConnections + ")"));
            return;
        }
        PortTable.Result port = ephemeral.bindEphemeral();
        if (!(port instanceof PortTable.Result.Bound bound)) {
            Replies.answer(c.replyTo(), new ConnectResult.Failed(((PortTable.Result.Refused) port).reason()));
            return;
        }
        Endpoint local = new Endpoint(config.ip(), bound.port());
        Endpoint remote = new Endpoint(c.destination(), c.port());
        ConnKey key = new ConnKey(bound.port(), c.destination().toInt(), c.port());
        long iss = isn.next(local, remote, System.nanoTime());
        TcpConfig cfg = tcpConfig.withNagle(c.nagle());
        long timeout = c.timeout() == null ? 0 : c.timeout().toNanos();
        if (start(key, local, remote, (sink, now) -> TcpConnection.connect(cfg, local, remote, iss, sink, now),
                c.replyTo(), timeout) == null) {
            ephemeral.unbind(bound.port());
            Replies.answer(c.replyTo(), new ConnectResult.Failed("the stack is shutting down"));
            return;
        }
        counters.connectionsOpened.increment();
    }

    /** The earliest deadline of the accepts waiting now, or Long.MAX_VALUE. */
    private long nextAcceptDeadline() {
        long min = Long.MAX_VALUE;
        for (Listener l : listeners.values()) {
            for (PendingAccept a : l.waiting) {
                min = Math.min(min, a.deadline());
            }
        }
        return min;
    }

    private void expireAccepts(long now) {
        for (Listener l : listeners.values()) {
            for (Iterator<PendingAccept> it = l.waiting.iterator(); it.hasNext(); ) {
                PendingAccept a = it.next();
                if (a.deadline() != Long.MAX_VALUE && now - a.deadline() >= 0) {
                    it.remove();
                    counters.acceptTimeouts.increment();
                    Replies.answer(a.replyTo(), new ConnectResult.Failed("accept timed out"));
                }
            }
        }
        acceptDeadline = nextAcceptDeadline();
    }

    /** For descriptions: the connections alive now. */
    int connectionCount() {
        return connections.size();
    }
}
