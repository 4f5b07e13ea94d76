package org.cspstack.protocols.udp;

import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.csp.Batch;
import org.cspstack.core.csp.FanOut;
import org.cspstack.core.csp.Outbox;
import org.cspstack.core.csp.Chan;
import org.cspstack.core.csp.Poison;
import org.cspstack.core.csp.Replies;
import org.cspstack.core.csp.ProcessNetwork;
import org.cspstack.core.wire.EthernetFrame;
import org.cspstack.core.wire.IcmpPacket;
import org.cspstack.core.wire.IcmpRepr;
import org.cspstack.core.wire.IcmpType;
import org.cspstack.core.wire.IpProtocol;
import org.cspstack.core.wire.Ipv4Address;
import org.cspstack.core.wire.Ipv4Packet;
import org.cspstack.core.wire.MalformedPacketException;
import org.cspstack.core.wire.UdpPacket;
import org.cspstack.core.wire.UdpRepr;
import org.cspstack.protocols.ipv4.IpDatagram;
import org.cspstack.protocols.ipv4.IpSend;
import org.cspstack.protocols.ipv4.TokenBucket;
import org.cspstack.protocols.stack.StackConfig;
import org.jcsp.lang.AltingChannelInput;
import org.jcsp.lang.Alternative;
import org.jcsp.lang.CSProcess;
import org.jcsp.lang.ChannelOutput;
import org.jcsp.lang.Guard;
import org.jcsp.lang.PoisonException;

/**
 * The UDP layer (RFC 768, RFC 1122 4.1): delivers datagrams to bound ports, sends applications' datagrams,
 * and answers datagrams for unbound ports with ICMP Port Unreachable.
 *
 * <p><b>Limitations.</b> IPv4 only. One socket per port, bound to all our addresses (there is one): no
 * binding to a particular local address, no {@code SO_REUSEADDR}/{@code SO_REUSEPORT}, no connected sockets
 * (a socket receives from any source; the application filters). No multicast: no group membership, and
 * multicast datagrams never reach UDP because IP drops them. Broadcast: a datagram IP delivered to the limited
 * (255.255.255.255) or our subnet's broadcast address goes to the socket bound to its destination port, like
 * any other (there is no {@code SO_BROADCAST} to opt in or out; {@link UdpDatagram#destination()} tells the
 * application); with no such socket it is dropped silently, never answered with ICMP. Sending to a broadcast
 * address is allowed (no {@code SO_BROADCAST} check either). ICMP errors about our datagrams (port
 * unreachable from a peer, fragmentation needed) are not delivered to sockets. Ephemeral ports are chosen
 * sequentially from a random start ({@link PortTable}), not randomised per RFC 6056. Outgoing datagrams always
 * carry a checksum; incoming ones without (checksum 0) are accepted, as RFC 1122 4.1.3.4 allows.
 *
 * <pre>
 *   fromApps (requests: UdpRequest,     replyTo (one BindResult or Boolean    socket:port (up: UdpDatagram,
 *     shared by any number of clients)    per Bind/Close, client's channel)    one per bound port)
 *            |                                 ^                                   ^  ^  ^
 *            v                                 |                                   |  |  |
 *      +-------------------------------------------------------------------------------------+
 *      |                                       UdpLayer                                      |
 *      +-------------------------------------------------------------------------------------+
 *            ^ fromIp (up: IpDatagram)                    | toIp (down: IpSend: UDP datagrams
 *                                                         v   and ICMP port unreachable)
 * </pre>
 *
 * <table>
 *   <caption>Channels</caption>
 *   <tr><th>end</th><th>carries</th><th>buffering</th><th>meaning</th></tr>
 *   <tr><td>fromIp</td><td>{@link IpDatagram}, the UDP datagram at the payload buffer's start, the IP header
 *       in its headroom</td><td>upward, drops when full (never blocks IP)</td>
 *       <td>UDP datagrams addressed to us (unicast or broadcast)</td></tr>
 *   <tr><td>fromApps</td><td>{@link UdpRequest}</td><td>shared Any2One rendezvous: the request channel of the
 *       client-server rule</td><td>Bind, Send, Close; Bind and Close carry their client's reply channel</td></tr>
 *   <tr><td>replyTo (in Bind, Close)</td><td>{@link BindResult}, {@code Boolean}</td><td>the client's own,
 *       buffered (1): the layer's write never blocks as long as the client reads each reply before its next
 *       request</td><td>exactly one reply per Bind or Close</td></tr>
 *   <tr><td>socket:port (made per Bind, handed over in {@link BindResult.Bound})</td><td>{@link Batch} of
 *       {@link UdpDatagram}s, payload at the buffer's start</td><td>upward, the Bind's {@code queue} datagrams, drops when full
 *       (counted)</td><td>what arrives for the port; poisoned by the layer on Close and on termination</td></tr>
 *   <tr><td>toIp</td><td>{@link IpSend}</td><td>downward, may block</td>
 *       <td>our datagrams (the application's buffer, header prepended in place) and ICMP errors</td></tr>
 * </table>
 * {@code fromIp}, {@code toIp} and the sockets' channels carry {@link Batch}es: what one turn produces for an
 * output goes out as one batch at the end of the turn. Every buffer's ownership passes with the write. Guards
 * in the order {@code fromIp}, {@code fromApps},
 * served with {@code fairSelect}: under a flood of incoming datagrams the applications still get their Sends
 * and Closes through (a strict priority to input would starve them: receive livelock).
 *
 * <p><b>Receive policy.</b> A datagram is checked in this order and dropped, counted by reason, at the first
 * failure: at least 8 bytes; length field 8..the bytes IP delivered (bytes beyond it are cut off); checksum
 * over the pseudo-header unless it is 0 (no checksum); a socket on the destination port. For no socket, an
 * ICMP Destination Unreachable (port) quoting the IP header and the first 8 bytes goes back, but only for a
 * datagram unicast to our address from a source other than 0.0.0.0 (RFC 1122 3.2.2, 4.1.3.1), and at most
 * {@value #PORT_UNREACHABLE_PER_SECOND}/s with a burst of {@value #PORT_UNREACHABLE_BURST} (RFC 1812
 * 4.3.2.8; IP has a bucket of its own for its errors). A socket whose channel is full loses the datagram
 * (counted); one whose application poisoned its channel loses it and every later one until it is closed.
 *
 * <p><b>Send policy.</b> A Send is dropped, counted by reason, if it lacks a destination or payload or its
 * destination port is outside 1..65535; if its source port is not bound (by anyone: the layer cannot tell
 * clients apart); or if its payload is over {@value UdpRepr#MAX_IPV4_PAYLOAD_LENGTH} bytes. Otherwise the 8-byte
 * header is prepended in the payload's own buffer, the checksum computed over the pseudo-header with our
 * address as source, and the datagram goes down; IP fragments what exceeds the MTU. A payload with less than
 * {@value #HEADROOM} bytes of headroom is copied first (counted). Nothing about a Send is reported back: a
 * datagram is fire-and-forget.
 *
 * <p><b>Bind and Close.</b> Bind port 0 takes an ephemeral port; a port in use, an exhausted ephemeral range
 * or a queue over {@value #MAX_RECEIVE_QUEUE} is refused with a reason. A Bound result whose client has
 * poisoned its reply channel is undone (nobody could use or close that socket). Close unbinds the port and
 * poisons the socket's channel from the writer's side, so that a reader blocked on it, even in an
 * {@code Alternative}, wakes up with a {@link PoisonException}; datagrams still queued in it are lost.
 *
 * <p><b>Termination:</b> on poison from {@code fromIp}, {@code fromApps} or {@code toIp} it poisons those three
 * and returns; whenever it ends it poisons every socket's channel, so that no application waits for ever.
 * Poison on a client's reply channel or on a socket's channel (the application's doing) does not stop it.
 */
public final class UdpLayer implements CSProcess {
    /**
     * Bytes an application must leave in front of a Send payload: UDP 8 + IPv4 20 + Ethernet 14 = 42.
     * {@link PacketBuffer#DEFAULT_HEADROOM} (144) is more than enough.
     */
    public static final int HEADROOM = UdpPacket.HEADER_LENGTH + Ipv4Packet.MIN_HEADER_LENGTH
            + EthernetFrame.HEADER_LENGTH;
    /** The largest receive queue a Bind may ask for; more is refused (the queue's array is allocated at once). */
    public static final int MAX_RECEIVE_QUEUE = 1 << 16;
    /** ICMP port unreachable messages: at most this many per second... */
    static final double PORT_UNREACHABLE_PER_SECOND = 100;
    /** ...with this burst (Linux: icmp_ratelimit 1000 ms/1000 msgs with burst 50, per destination). */
    static final int PORT_UNREACHABLE_BURST = 20;

    private static final int FROM_IP = 0;
    private static final int FROM_APPS = 1;

    private final AltingChannelInput<Batch<IpDatagram>> fromIp;
    private final AltingChannelInput<UdpRequest> fromApps;
    private final Outbox<IpSend> toIp;
    /** The sockets' channels, each with its batch of this turn. */
    private final FanOut<UdpDatagram> toSockets;
    private final ProcessNetwork network;
    private final String namePrefix;
    private final Ipv4Address ourAddress;
    private final int ourIp;
    private final UdpCounters counters;
    private final TokenBucket portUnreachables;
    private final PortTable ports;
    /** The socket bound to each port, or null; indexed by port. */
    @SuppressWarnings("unchecked")
    private final FanOut.Lane<UdpDatagram>[] sockets = new FanOut.Lane[65536];
    private final UdpPacket udp = new UdpPacket();
    private final Ipv4Packet quotedIp = new Ipv4Packet();

    /**
     * @param fromIp     UDP datagrams from IP (upward)
     * @param fromApps   the shared request channel's reading end
     * @param toIp       datagrams to IP (downward)
     * @param network    makes the sockets' receive channels ({@link ProcessNetwork#dynamicUpward})
     * @param namePrefix prefix of the channel names, e.g. {@code "a."} for stack a: channels are named
     *                   {@code <prefix>udp:<port>}
     * @param config     our address
     * @param counters   written only by this process
     */
    public UdpLayer(AltingChannelInput<Batch<IpDatagram>> fromIp, AltingChannelInput<UdpRequest> fromApps,
                    ChannelOutput<Batch<IpSend>> toIp, ProcessNetwork network, String namePrefix, StackConfig config,
                    UdpCounters counters) {
        this(fromIp, fromApps, toIp, network, namePrefix, config, counters,
                new TokenBucket(PORT_UNREACHABLE_PER_SECOND, PORT_UNREACHABLE_BURST, System.nanoTime()),
                new PortTable());
    }

    /** With another rate limit for port unreachables and another port table, for tests. */
    UdpLayer(AltingChannelInput<Batch<IpDatagram>> fromIp, AltingChannelInput<UdpRequest> fromApps,
             ChannelOutput<Batch<IpSend>> toIp, ProcessNetwork network, String namePrefix, StackConfig config,
             UdpCounters counters, TokenBucket portUnreachables, PortTable ports) {
        this.fromIp = fromIp;
        this.fromApps = fromApps;
        this.toIp = new Outbox<>(toIp);
        this.network = network;
        this.namePrefix = namePrefix;
        this.ourAddress = config.ip();
        this.ourIp = ourAddress.toInt();
        this.counters = counters;
        this.portUnreachables = portUnreachables;
        this.ports = ports;
        this.toSockets = new FanOut<>(new FanOut.Outcome() {
            @Override
            public void written(int n, boolean dropped) {
                (dropped ? counters.queueFullDropped : counters.delivered).add(n);
            }

            @Override
            public void readerGone(int n) {
                // The application's doing, not ours: the socket stays bound until it is closed.
                counters.readerGoneDropped.add(n);
            }
        });
    }

    @Override
    public void run() {
        Alternative alt = new Alternative(new Guard[] {fromIp, fromApps});
        try {
            while (true) {
                switch (alt.fairSelect()) {
                    case FROM_IP -> {
                        Batch<IpDatagram> batch = fromIp.read();
                        for (IpDatagram datagram : batch) {
                            if (!receive(datagram)) {
                                datagram.payload().release();
                            }
                        }
                        batch.recycle(); // handled: the writer reuses it
                    }
                    case FROM_APPS -> request(fromApps.read());
                    default -> throw new IllegalStateException("unknown guard");
                }
                toSockets.flush();
                toIp.flush();
            }
        } catch (PoisonException e) {
            Poison.all(fromIp, fromApps, toIp);
        } finally {
            closeAll();
        }
    }

    // ---- receive -------------------------------------------------------------------------------------------

    /** Hands a datagram to its socket; false when it was dropped (the caller releases its buffer). */
    private boolean receive(IpDatagram datagram) {
        counters.datagramsReceived.increment();
        PacketBuffer buf = datagram.payload();
        try {
            udp.rewrapChecked(buf.array(), buf.start(), buf.length());
        } catch (MalformedPacketException e) {
            if (e.reason() == MalformedPacketException.Reason.TRUNCATED) {
                counters.truncatedDropped.increment();
            } else {
                counters.badLengthDropped.increment();
            }
            return false;
        }
        buf.truncate(udp.length());
        if (!udp.verifyChecksum(datagram.source(), datagram.destination())) {
            counters.badChecksumDropped.increment();
            return false;
        }
        int port = udp.destinationPort();
        FanOut.Lane<UdpDatagram> socket = sockets[port];
        if (socket == null) {
            counters.noSocketDropped.increment();
            if (datagram.destination().toInt() == ourIp && !datagram.source().isUnspecified()) {
                portUnreachable(datagram);
            }
            return false;
        }
        if (socket.readerGone()) {
            counters.readerGoneDropped.increment();
            return false;
        }
        int sourcePort = udp.sourcePort();
        buf.consume(UdpPacket.HEADER_LENGTH);
        toSockets.add(socket, UdpDatagram.on(buf, datagram.source(), sourcePort, datagram.destination(), port));
        return true;
    }

    /** ICMP Destination Unreachable (port) back to the source, quoting the IP header and 8 bytes, rate-limited. */
    private void portUnreachable(IpDatagram datagram) {
        if (!portUnreachables.tryTake(System.nanoTime())) {
            counters.portUnreachableRateLimited.increment();
            return;
        }
        PacketBuffer buf = datagram.payload();
        // The IP header lies in the headroom right before the UDP datagram (which starts at buf.start()).
        quotedIp.rewrap(buf.array(), datagram.headerOffset(), datagram.headerLength() + buf.length());
        IcmpRepr error = new IcmpRepr.DestinationUnreachable(IcmpType.UNREACHABLE_PORT, 0,
                IcmpRepr.quote(quotedIp));
        PacketBuffer msg = PacketBuffer.allocate(error.length());
        error.emit(IcmpPacket.wrap(msg.array(), msg.start(), msg.length()));
        counters.portUnreachableSent.increment();
        toIp.add(IpSend.of(datagram.source(), IpProtocol.ICMP, msg));
    }

    // ---- requests ------------------------------------------------------------------------------------------

    private void request(UdpRequest request) {
        if (request instanceof UdpRequest.Send s) {
            send(s);
        } else if (request instanceof UdpRequest.Bind b) {
            bind(b);
        } else if (request instanceof UdpRequest.Close c) {
            close(c);
        } else {
            throw new IllegalStateException("unknown UDP request " + request);
        }
    }

    private void send(UdpRequest.Send send) {
        PacketBuffer buf = send.payload();
        Ipv4Address destination = send.destination();
        if (buf == null || destination == null || send.destinationPort() < 1 || send.destinationPort() > 65535) {
            counters.badSendDropped.increment();
            return;
        }
        int port = send.sourcePort();
        if (!ports.isBound(port)) {
            counters.notBoundDropped.increment();
            return;
        }
        int length = buf.length();
        if (length > UdpRepr.MAX_IPV4_PAYLOAD_LENGTH) {
            counters.oversizeDropped.increment();
            return;
        }
        if (buf.headroom() < HEADROOM) {
            counters.shortHeadroomCopied.increment();
            buf = PacketBuffer.copyOf(buf.array(), buf.start(), length, PacketBuffer.DEFAULT_HEADROOM);
        }
        buf.prepend(UdpPacket.HEADER_LENGTH);
        new UdpRepr(port, send.destinationPort(), length)
                .emit(udp.rewrap(buf.array(), buf.start(), buf.length()), ourAddress, destination);
        counters.datagramsSent.increment();
        toIp.add(IpSend.of(destination, IpProtocol.UDP, buf));
    }

    private void bind(UdpRequest.Bind bind) {
        if (bind.queue() > MAX_RECEIVE_QUEUE) {
            counters.bindsRefused.increment();
            Replies.answer(bind.replyTo(), new BindResult.Refused(bind.port(), "receive queue of " + bind.queue()
                    + " datagrams is over the most, " + MAX_RECEIVE_QUEUE + "; ask for a smaller queue"));
            return;
        }
        PortTable.Result result = bind.port() == 0 ? ports.bindEphemeral() : ports.bind(bind.port());
        if (result instanceof PortTable.Result.Refused r) {
            counters.bindsRefused.increment();
            Replies.answer(bind.replyTo(), new BindResult.Refused(r.port(), r.reason()));
            return;
        }
        int port = ((PortTable.Result.Bound) result).port();
        Chan<Batch<UdpDatagram>> received = network.dynamicUpward(namePrefix + "udp:" + port, namePrefix + "udp",
                "socket:" + port, bind.queue());
        sockets[port] = new FanOut.Lane<>(received);
        counters.socketsOpen.set(ports.size());
        if (!Replies.answer(bind.replyTo(), new BindResult.Bound(port, received.in()))) {
            unbind(port); // nobody will ever read or close this socket
        }
    }

    private void close(UdpRequest.Close close) {
        int port = close.port();
        boolean wasBound = ports.isBound(port);
        if (wasBound) {
            unbind(port);
        }
        Replies.answer(close.replyTo(), wasBound);
    }

    /** Releases a bound port and poisons its channel from the writer's side. */
    private void unbind(int port) {
        ports.unbind(port);
        FanOut.Lane<UdpDatagram> socket = sockets[port];
        counters.readerGoneDropped.add(socket.discard()); // something only when the layer ends mid-turn
        sockets[port] = null;
        socket.channel().out().poison(Poison.STRENGTH);
        counters.socketsOpen.set(ports.size());
    }

    /** Poisons every socket's channel: the layer is ending. */
    private void closeAll() {
        for (int port = 0; port < sockets.length; port++) {
            if (sockets[port] != null) {
                unbind(port);
            }
        }
    }

}
