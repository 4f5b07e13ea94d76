package org.cspstack.protocols.ipv4;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.csp.Batch;
import org.cspstack.core.csp.Outbox;
import org.cspstack.core.csp.Poison;
import org.cspstack.core.csp.ProcessNetwork;
import org.cspstack.core.wire.IcmpPacket;
import org.cspstack.core.wire.IcmpRepr;
import org.cspstack.core.wire.IcmpType;
import org.cspstack.core.wire.IpProtocol;
import org.cspstack.core.wire.Ipv4Address;
import org.cspstack.core.wire.Ipv4Cidr;
import org.cspstack.core.wire.Ipv4Packet;
import org.cspstack.core.wire.Ipv4Repr;
import org.cspstack.core.wire.MalformedPacketException;
import org.cspstack.protocols.arp.RoutedPacket;
import org.cspstack.protocols.stack.StackConfig;
import org.jcsp.lang.AltingChannelInput;
import org.jcsp.lang.Any2OneChannel;
import org.jcsp.lang.Alternative;
import org.jcsp.lang.CSProcess;
import org.jcsp.lang.ChannelOutput;
import org.jcsp.lang.Guard;
import org.jcsp.lang.PoisonException;

/**
 * The IPv4 layer of a host (RFC 791, RFC 1122): validates and delivers datagrams to the transports, routes and
 * fragments the transports' datagrams.
 *
 * <pre>
 *     toTransport[i] (up: IpDatagram)      fromTransport[i] (down: IpSend)
 *           ^   ^   ^                            |   |   |
 *           |   |   |                            v   v   v
 *         +------------------------------------------------+
 *         |                   Ipv4Layer                    |
 *         +------------------------------------------------+
 *           ^ fromEth (up: PacketBuffer at the IP header)  | toArp (down: RoutedPacket)
 * </pre>
 *
 * <table>
 *   <caption>Channels</caption>
 *   <tr><th>end</th><th>carries</th><th>buffering</th><th>meaning</th></tr>
 *   <tr><td>fromEth</td><td>PacketBuffer at the IPv4 header</td><td>upward, drops when full</td>
 *       <td>datagrams received on the link</td></tr>
 *   <tr><td>fromTransport[i]</td><td>{@link IpSend}</td><td>downward, blocking</td>
 *       <td>datagrams a transport (ICMP, UDP, TCP) sends</td></tr>
 *   <tr><td>toTransport[i]</td><td>{@link IpDatagram}</td><td>upward, drops when full</td>
 *       <td>datagrams of that transport's protocol for us</td></tr>
 *   <tr><td>toArp</td><td>{@link RoutedPacket}</td><td>downward, blocking</td>
 *       <td>finished datagrams with their next hop</td></tr>
 * </table>
 * These four carry {@link Batch}es of what the table names: everything one turn (one batch read) produces
 * for an output goes out as one batch at the end of the turn, upward outputs first. Every buffer's ownership
 * passes with the write.
 *
 * <p><b>Receive policy.</b> A datagram is checked in this order and dropped, counted by reason, at the first
 * failure: at least 20 bytes; version 4; IHL at least 5 and within the frame; total length within the frame
 * and not below the header; header checksum; source neither broadcast, multicast, loopback (127/8) nor our
 * own address; destination our address, 255.255.255.255 or our subnet's broadcast. Link-layer padding beyond
 * the total length is cut off. Options are accepted and ignored (counted). TTL is not checked on receipt: RFC 1122
 * 3.2.1.7 says a host must not discard a datagram because its TTL is below 2. A datagram for a protocol no
 * transport handles is answered with ICMP Protocol Unreachable when it was unicast to us from a source other
 * than 0.0.0.0 (rate-limited).
 *
 * <p><b>Send policy.</b> The source is our address; the next hop is the destination when it is on our subnet
 * or a broadcast, the gateway otherwise (no gateway: dropped, counted). A datagram to our own address is
 * delivered locally without touching the link. A datagram larger than the MTU is fragmented (offsets in
 * units of 8, MF on all but the last, one identification) unless Don't Fragment is set, in which case it is
 * dropped and counted, and the sender gets ICMP Fragmentation Needed (with our MTU) through our own ICMP layer.
 *
 * <p><b>Reassembly.</b> Each datagram arriving in fragments gets a process of its own
 * ({@link ReassemblyProcess}, started on the fly, on a virtual thread where the JDK has them), keyed by source,
 * destination, protocol and identification; its policy is {@link FragmentAssembly}'s. (Or, through the
 * {@link ReassemblyStrategy} seam, one long-lived process holds them all: {@link SingleReassembly}.) This
 * layer checks each fragment on its own (zero length, non-last length not a multiple of 8, ending beyond
 * 65,535 bytes) and bounds memory: at most {@code maxDatagrams} datagrams in reassembly and {@code maxBytes}
 * of fragment data held (64 and 4 MiB by default), the oldest evicted beyond either. The processes report on
 * one shared channel, {@code reasmToIp}; on a timeout after fragment 0 arrived the source gets ICMP Time
 * Exceeded (code 1, rate-limited).
 *
 * <p><b>Limitations.</b> No forwarding, no multicast,
 * no source routing or other option processing, one interface. IP cannot see whether a unicast datagram came
 * in a link-layer broadcast frame, so it may answer one with an ICMP error (RFC 1122 3.2.2 says it should not).
 * <b>Termination:</b> on poison from any end it poisons all its ends and returns.
 */
public final class Ipv4Layer implements CSProcess {
    /** ICMP errors we originate: at most this many per second, with this burst (Linux: 1000/s, burst 50). */
    static final double ICMP_ERRORS_PER_SECOND = 100;
    static final int ICMP_ERROR_BURST = 20;

    private final AltingChannelInput<Batch<PacketBuffer>> fromEth;
    private final List<Transport> transports;
    private final Outbox<RoutedPacket> toArp;
    private final StackConfig config;
    private final Ipv4Counters counters;
    private final Ipv4Cidr subnet;
    private final int ourIp;
    private final int subnetBroadcast;
    private final Outbox<IpDatagram>[] byProtocol;
    /** Every outbox, flushed after each turn. */
    private final Outbox<?>[] outboxes;
    private final Ipv4Packet view = new Ipv4Packet();
    private final TokenBucket icmpErrors;
    private final Reassembly reassembly;
    private final ReassemblyStrategy strategy;
    private final StackConfig.ReassemblySettings limits;
    /** Datagrams in reassembly, oldest first (the order in which they are evicted). */
    private final Map<FragmentKey, InFlight> inFlight = new LinkedHashMap<>();
    private long bytesHeld;
    private int nextIdentification;
    /** The source of the latest datagram delivered, reused for the next one from the same host. */
    private Ipv4Address lastSource;

    /**
     * What the layer needs for reassembly: the network (to start processes and make their channels), a prefix
     * for their names, the shared channel on which reassemblers report, and who reassembles
     * ({@link ReassemblyStrategy}; null for a process per datagram).
     */
    public record Reassembly(ProcessNetwork network, String namePrefix, Any2OneChannel<ReassemblyEvent> events,
                             ReassemblyStrategy strategy) {
        /** A process per datagram ({@link PerDatagramReassembly}), the default. */
        public Reassembly(ProcessNetwork network, String namePrefix, Any2OneChannel<ReassemblyEvent> events) {
            this(network, namePrefix, events, null);
        }
    }

    /** One datagram in reassembly, as the layer sees it: where its fragments go and how many bytes it holds. */
    private static final class InFlight {
        final ReassemblyStrategy.Datagram fragments;
        long bytes;

        InFlight(ReassemblyStrategy.Datagram fragments) {
            this.fragments = fragments;
        }
    }

    @SuppressWarnings("unchecked")
    public Ipv4Layer(AltingChannelInput<Batch<PacketBuffer>> fromEth, List<Transport> transports,
                     ChannelOutput<Batch<RoutedPacket>> toArp, Reassembly reassembly, StackConfig config,
                     Ipv4Counters counters) {
        this.reassembly = reassembly;
        this.limits = config.reassembly();
        this.strategy = reassembly.strategy() != null ? reassembly.strategy()
                : new PerDatagramReassembly(reassembly.network(), reassembly.namePrefix(), reassembly.events().out(),
                        limits);
        this.fromEth = fromEth;
        this.transports = List.copyOf(transports);
        this.toArp = new Outbox<>(toArp);
        this.config = config;
        this.counters = counters;
        this.subnet = config.address();
        this.ourIp = config.ip().toInt();
        this.subnetBroadcast = subnet.prefixLength() >= 31 ? -1 : subnet.broadcast().toInt();
        this.byProtocol = new Outbox[256];
        this.outboxes = new Outbox<?>[this.transports.size() + 1];
        outboxes[0] = this.toArp;
        for (int i = 0; i < this.transports.size(); i++) {
            Transport t = this.transports.get(i);
            if (byProtocol[t.protocol()] != null) {
                throw new IllegalArgumentException("two transports for protocol " + t.protocol());
            }
            byProtocol[t.protocol()] = new Outbox<>(t.toTransport());
            outboxes[i + 1] = byProtocol[t.protocol()];
        }
        this.icmpErrors = new TokenBucket(ICMP_ERRORS_PER_SECOND, ICMP_ERROR_BURST, System.nanoTime());
        // RFC 6864 asks only for uniqueness per (source, destination, protocol) within a datagram's lifetime;
        // starting from a time-derived value avoids reusing ids across quick restarts.
        this.nextIdentification = (int) (System.nanoTime() & 0xffff);
    }

    @Override
    public void run() {
        // Guards: every transport's downward input first (sending never waits on anything going up), then
        // the link. Index i < transports.size() is transport i; the last guard is fromEth.
        // Then the reassembly processes' reports, then the link.
        int n = transports.size();
        Guard[] guards = new Guard[n + 2];
        for (int i = 0; i < n; i++) {
            guards[i] = transports.get(i).fromTransport();
        }
        int reassemblyIndex = n;
        int fromEthIndex = n + 1;
        AltingChannelInput<ReassemblyEvent> events = reassembly.events().in();
        guards[reassemblyIndex] = events;
        guards[fromEthIndex] = fromEth;
        Alternative alt = new Alternative(guards);
        try {
            while (true) {
                int i = alt.fairSelect();
                if (i == fromEthIndex) {
                    Batch<PacketBuffer> up = fromEth.read();
                    for (PacketBuffer buf : up) {
                        if (!receive(buf)) {
                            buf.release();
                        }
                    }
                    up.recycle(); // handled: the writer reuses it
                } else if (i == reassemblyIndex) {
                    reassembled(events.read());
                } else {
                    Batch<IpSend> down = transports.get(i).fromTransport().read();
                    for (IpSend req : down) {
                        send(req);
                    }
                    down.recycle(); // handled: the writer reuses it
                }
                // Up first: those writes never wait; the downward one may (rule 2).
                for (int k = outboxes.length - 1; k >= 0; k--) {
                    outboxes[k].flush();
                }
            }
        } catch (PoisonException e) {
            Poison.all(fromEth, toArp, events, reassembly.events().out());
            for (Transport t : transports) {
                Poison.all(t.fromTransport(), t.toTransport());
            }
            for (InFlight f : inFlight.values()) {
                f.fragments.release();
            }
            inFlight.clear();
            strategy.close();
        }
    }

    // ---- receive -------------------------------------------------------------------------------------------

    /** Hands a datagram on (up, or to reassembly); false when it was dropped (the caller releases it). */
    private boolean receive(PacketBuffer buf) {
        counters.packetsReceived.increment();
        try {
            view.rewrapChecked(buf.array(), buf.start(), buf.length());
        } catch (MalformedPacketException e) {
            countMalformed(e.reason());
            return false;
        }
        buf.truncate(view.totalLength());
        int src = view.sourceAsInt();
        int dst = view.destinationAsInt();
        if (src == -1 || src >>> 28 == 0xe || src >>> 24 == 127 || src == subnetBroadcast || src == ourIp) {
            // broadcast, multicast (224/4), loopback (127/8), our subnet's broadcast, ourselves
            counters.badSourceDropped.increment();
            return false;
        }
        boolean unicastToUs = dst == ourIp;
        if (!unicastToUs && dst != -1 && dst != subnetBroadcast) {
            counters.notForUsDropped.increment();
            return false;
        }
        if (view.optionsLength() > 0) {
            counters.optionsIgnored.increment();
        }
        if (view.isFragment()) {
            return fragment(buf);
        }
        return deliver(buf, unicastToUs);
    }

    // ---- reassembly ----------------------------------------------------------------------------------------

    /**
     * A fragment for us: checked on its own, then handed to its datagram's reassembly process, which is
     * started for the first fragment. Memory is bounded here: at most {@code maxDatagrams} in reassembly and
     * {@code maxBytes} of fragment data held, the oldest datagrams evicted beyond either.
     */
    private boolean fragment(PacketBuffer buf) {
        counters.fragmentsReceived.increment();
        int length = view.payloadLength();
        if (length == 0 || (view.moreFragments() && length % 8 != 0)) {
            counters.badFragments.increment();
            return false;
        }
        FragmentKey key = FragmentKey.of(view);
        if (view.headerLength() + view.fragmentOffset() + length > Ipv4Packet.MAX_TOTAL_LENGTH) {
            // Ping of death: the datagram would end beyond 65,535 bytes. Drop it whole.
            counters.reassemblyTooLong.increment();
            InFlight f = inFlight.remove(key);
            if (f != null) {
                release(f);
                updateGauges();
            }
            return false;
        }
        InFlight f = inFlight.get(key);
        if (f == null) {
            while (inFlight.size() >= limits.maxDatagrams()) {
                evictOldest();
            }
            f = start(key);
            if (f == null) {
                return false;
            }
        }
        f.bytes += length;
        bytesHeld += length;
        while (bytesHeld > limits.maxBytes() && inFlight.size() > 1) {
            evictOldest();
        }
        if (bytesHeld > limits.maxBytes()) {
            // This datagram alone is over the cap (only with a cap below 64 KiB of data).
            inFlight.remove(key);
            release(f);
            counters.reassemblyEvictions.increment();
            updateGauges();
            return false;
        }
        updateGauges();
        f.fragments.offer(buf);
        return true;
    }

    private InFlight start(FragmentKey key) {
        ReassemblyStrategy.Datagram fragments = strategy.start(key);
        if (fragments == null) {
            return null; // shutting down
        }
        InFlight f = new InFlight(fragments);
        inFlight.put(key, f);
        counters.reassembliesStarted.increment();
        return f;
    }

    private void evictOldest() {
        Iterator<InFlight> it = inFlight.values().iterator();
        InFlight oldest = it.next();
        it.remove();
        release(oldest);
        counters.reassemblyEvictions.increment();
    }

    /** Ends a reassembly the layer no longer wants, quietly (a process per datagram is poisoned). */
    private void release(InFlight f) {
        f.fragments.release();
        bytesHeld -= f.bytes;
        counters.fragmentQueueFullDropped.add(f.fragments.queueFullDropped());
    }

    private void updateGauges() {
        counters.reassemblyBytesHeld.set(bytesHeld);
        counters.reassemblyBytesHeldMax.max(bytesHeld);
        counters.reassembliesInFlight.set(inFlight.size());
    }

    /** The one event of a reassembly process that ended by itself. */
    private void reassembled(ReassemblyEvent event) {
        InFlight f = inFlight.remove(event.key());
        if (f != null) {
            bytesHeld -= f.bytes;
            counters.fragmentQueueFullDropped.add(f.fragments.queueFullDropped());
        }
        updateGauges();
        counters.fragmentDuplicates.add(event.duplicates());
        counters.badFragments.add(event.rejected());
        if (event instanceof ReassemblyEvent.Complete c) {
            counters.reassembled.increment();
            PacketBuffer datagram = c.datagram();
            try {
                view.rewrapChecked(datagram.array(), datagram.start(), datagram.length());
            } catch (MalformedPacketException e) {
                throw new IllegalStateException("reassembly produced a malformed datagram: " + e.getMessage(), e);
            }
            if (!deliver(datagram, view.destinationAsInt() == ourIp)) {
                datagram.release();
            }
        } else if (event instanceof ReassemblyEvent.Dropped d) {
            switch (d.reason()) {
                case OVERLAP -> counters.reassemblyOverlaps.increment();
                case TOO_LONG -> counters.reassemblyTooLong.increment();
                default -> counters.badFragments.increment();
            }
        } else if (event instanceof ReassemblyEvent.TimedOut t) {
            counters.reassemblyTimeouts.increment();
            // RFC 792/1122: Time Exceeded (fragment reassembly) only if fragment 0 arrived, only to a unicast
            // source, only for a datagram sent to us.
            if (t.quote() != null && t.key().destination() == ourIp && t.key().source() != 0) {
                sendError(IcmpType.TIME_EXCEEDED, IcmpType.TIME_EXCEEDED_REASSEMBLY,
                        Ipv4Address.of(t.key().source()), t.quote());
            }
        }
    }

    /** Hands a whole datagram (the view wraps it) to its transport; false when no transport takes it. */
    private boolean deliver(PacketBuffer buf, boolean unicastToUs) {
        int protocol = view.protocol();
        Outbox<IpDatagram> up = byProtocol[protocol];
        if (up == null) {
            counters.unknownProtocolDropped.increment();
            // RFC 1122 3.2.2: no error about a datagram whose source is not a single host (0.0.0.0 here; the
            // other such sources were dropped as bad sources) or that was not unicast to us.
            if (unicastToUs && view.sourceAsInt() != 0) {
                sendError(IcmpType.DESTINATION_UNREACHABLE, IcmpType.UNREACHABLE_PROTOCOL, view.source(),
                        IcmpRepr.quote(view));
            }
            return false;
        }
        int headerOffset = buf.start();
        int headerLength = view.headerLength();
        IpDatagram d = IpDatagram.on(buf.consume(headerLength), source(view.sourceAsInt()),
                destination(view.destinationAsInt()), protocol, view.ttl(), headerOffset, headerLength);
        counters.delivered.increment();
        up.add(d);
        return true;
    }

    /**
     * The source as an address object, reusing the previous one when it is the same host (the usual case in a
     * flow): Ipv4Address is immutable, so sharing it between datagrams is safe, and it saves an object per datagram.
     */
    private Ipv4Address source(int src) {
        Ipv4Address last = lastSource;
        if (last == null || last.toInt() != src) {
            last = Ipv4Address.of(src);
            lastSource = last;
        }
        return last;
    }

    /** The destination as an address object: our own address's object when it is ours, else a new one. */
    private Ipv4Address destination(int dst) {
        return dst == ourIp ? config.ip() : Ipv4Address.of(dst);
    }

    private void countMalformed(MalformedPacketException.Reason reason) {
        switch (reason) {
            case TRUNCATED -> counters.truncatedDropped.increment();
            case BAD_VERSION -> counters.badVersionDropped.increment();
            case BAD_HEADER_LENGTH -> counters.badHeaderLengthDropped.increment();
            case BAD_TOTAL_LENGTH, BAD_LENGTH -> counters.badTotalLengthDropped.increment();
            case BAD_CHECKSUM -> counters.badChecksumDropped.increment();
            default -> counters.truncatedDropped.increment();
        }
    }

    /** Sends an ICMP error about a datagram we received (its quoted start) back to its source, rate-limited. */
    private void sendError(int type, int code, Ipv4Address to, byte[] quote) {
        if (!icmpErrors.tryTake(System.nanoTime())) {
            counters.icmpErrorsRateLimited.increment();
            return;
        }
        IcmpRepr error = type == IcmpType.TIME_EXCEEDED
                ? new IcmpRepr.TimeExceeded(code, quote)
                : new IcmpRepr.DestinationUnreachable(code, 0, quote);
        PacketBuffer msg = PacketBuffer.allocate(error.length());
        error.emit(IcmpPacket.wrap(msg.array(), msg.start(), msg.length()));
        counters.icmpErrorsSent.increment();
        send(IpSend.of(to, IpProtocol.ICMP, msg));
    }

    // ---- send ----------------------------------------------------------------------------------------------

    private void send(IpSend req) {
        Ipv4Address dst = req.destination();
        int payloadLength = req.payload().length();
        if (payloadLength > Ipv4Repr.MAX_PAYLOAD_LENGTH) {
            // A transport's bug, not the network's: refuse it rather than let the layer die.
            counters.oversizeDropped.increment();
            return;
        }
        int id = nextIdentification++ & 0xffff;
        if (dst.toInt() == ourIp) {
            // Local delivery: build the datagram and take it up directly, as a loopback interface would.
            PacketBuffer buf = req.payload();
            emitHeader(buf, req, dst, id, req.dontFragment(), false, 0, payloadLength);
            counters.loopedBack.increment();
            deliver(buf, true);
            return;
        }
        Ipv4Address nextHop = route(dst);
        if (nextHop == null) {
            counters.noRouteDropped.increment();
            return;
        }
        if (Ipv4Packet.MIN_HEADER_LENGTH + payloadLength <= config.mtu()) {
            PacketBuffer buf = req.payload();
            emitHeader(buf, req, dst, id, req.dontFragment(), false, 0, payloadLength);
            counters.packetsSent.increment();
            toArp.add(RoutedPacket.on(buf, nextHop));
            return;
        }
        if (req.dontFragment()) {
            // The sender gets an error instead (RFC 1191's message, from ourselves): ICMP Fragmentation Needed
            // with our MTU, quoting the datagram's header and first 8 bytes, delivered to our own ICMP.
            counters.fragmentationNeededDropped.increment();
            PacketBuffer buf = req.payload();
            emitHeader(buf, req, dst, id, true, false, 0, payloadLength);
            IcmpRepr error = new IcmpRepr.DestinationUnreachable(IcmpType.UNREACHABLE_FRAGMENTATION_NEEDED,
                    config.mtu(), IcmpRepr.quote(view));
            PacketBuffer msg = PacketBuffer.allocate(error.length());
            error.emit(IcmpPacket.wrap(msg.array(), msg.start(), msg.length()));
            send(IpSend.of(config.ip(), IpProtocol.ICMP, msg));
            return;
        }
        fragment(req, nextHop, id);
    }

    /**
     * Splits a datagram into fragments that fit the MTU: each carries a multiple of 8 data bytes but the last,
     * the same identification, its offset, and MF on all but the last.
     */
    private void fragment(IpSend req, Ipv4Address nextHop, int id) {
        PacketBuffer payload = req.payload();
        int total = payload.length();
        int perFragment = (config.mtu() - Ipv4Packet.MIN_HEADER_LENGTH) & ~7;
        counters.packetsSent.increment();
        for (int offset = 0; offset < total; offset += perFragment) {
            int len = Math.min(perFragment, total - offset);
            boolean more = offset + len < total;
            PacketBuffer frag = PacketBuffer.allocate(PacketBuffer.DEFAULT_HEADROOM, len);
            System.arraycopy(payload.array(), payload.start() + offset, frag.array(), frag.start(), len);
            emitHeader(frag, req, req.destination(), id, false, more, offset, len);
            counters.fragmentsSent.increment();
            toArp.add(RoutedPacket.on(frag, nextHop));
        }
    }

    /** Prepends our 20-byte header for {@code req}'s protocol and TTL, from our address to {@code dst}. */
    private void emitHeader(PacketBuffer buf, IpSend req, Ipv4Address dst, int id, boolean dontFragment,
                            boolean moreFragments, int fragmentOffset, int payloadLength) {
        buf.prepend(Ipv4Packet.MIN_HEADER_LENGTH);
        Ipv4Repr.emit(view.rewrap(buf.array(), buf.start(), buf.length()), config.ip(), dst, req.protocol(),
                req.ttl(), id, dontFragment, moreFragments, fragmentOffset, payloadLength);
    }

    /** The next hop for a destination, or null when there is no route. */
    Ipv4Address route(Ipv4Address dst) {
        if (dst.isBroadcast() || subnet.contains(dst)) {
            return dst;
        }
        return config.gateway();
    }
}
