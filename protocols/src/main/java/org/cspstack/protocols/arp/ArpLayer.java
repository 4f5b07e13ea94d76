package org.cspstack.protocols.arp;

import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.csp.Batch;
import org.cspstack.core.csp.Outbox;
import org.cspstack.core.csp.Deadlines;
import org.cspstack.core.csp.Poison;
import org.cspstack.core.wire.ArpPacket;
import org.cspstack.core.wire.ArpRepr;
import org.cspstack.core.wire.EtherType;
import org.cspstack.core.wire.Ipv4Address;
import org.cspstack.core.wire.MacAddress;
import org.cspstack.core.wire.MalformedPacketException;
import org.cspstack.protocols.ethernet.EthernetFramer;
import org.cspstack.protocols.stack.StackConfig;
import org.jcsp.lang.AltingChannelInput;
import org.jcsp.lang.Alternative;
import org.jcsp.lang.CSProcess;
import org.jcsp.lang.CSTimer;
import org.jcsp.lang.ChannelOutput;
import org.jcsp.lang.Guard;
import org.jcsp.lang.PoisonException;

/**
 * The ARP layer (RFC 826, with RFC 1122 section 2.3.2): answers requests for our address, resolves the next
 * hops of outgoing IPv4 datagrams, holds datagrams while their next hop is being resolved, and frames what it
 * sends ({@link EthernetFramer}: the destination MAC is known here) straight to the link's transmitter, so that
 * a datagram going down crosses no framing process of its own.
 *
 * <p><b>Limitations.</b> No gratuitous ARP announcements of our own address, no RFC 5227 probes or address
 * conflict defence (a conflict is only counted), no proxy ARP, no static entries, no RFC 1122 unicast
 * revalidation of an entry before it expires (an expired entry is simply resolved again by broadcast). Only
 * Ethernet/IPv4 ARP. While a next hop is being resolved, datagrams beyond the queue bounds are refused (the
 * first ones are kept, not the latest). Waiting datagrams are dropped, uncounted, at termination.
 *
 * <pre>
 *                fromIp (down: RoutedPacket)
 *                   |
 *                   v
 *           +---------------+
 *           |   ArpLayer    |&lt;-- CSTimer: next retry deadline (off when nothing is pending)
 *           | ArpCache core |
 *           +---------------+
 *              ^         |
 *              |         v
 *   fromEth (up: ARP)   toLink (down: Ethernet frames: ARP packets and IPv4 datagrams)
 * </pre>
 *
 * <table>
 *   <caption>Channels</caption>
 *   <tr><th>end</th><th>carries</th><th>buffering</th><th>meaning</th></tr>
 *   <tr><td>fromEth</td><td>PacketBuffer at the ARP header</td><td>upward, drops when full</td>
 *       <td>ARP packets (EtherType 0x0806) for us or broadcast; link padding may follow the 28 bytes</td></tr>
 *   <tr><td>fromIp</td><td>{@link RoutedPacket}</td><td>downward, blocking</td>
 *       <td>IPv4 datagrams with the next hop that routing chose</td></tr>
 *   <tr><td>toLink</td><td>PacketBuffer, a whole Ethernet frame</td><td>downward, blocking</td>
 *       <td>our ARP requests (broadcast) and replies (unicast), datagrams to their resolved MAC, framed</td></tr>
 * </table>
 * Every channel carries {@link Batch}es of what the table names; what one turn produces goes to the link as
 * one batch. Every buffer's ownership passes with the write. A received ARP buffer ends its life here; replies and
 * requests are built in fresh buffers with headroom for the Ethernet header.
 *
 * <p><b>Receiving</b> follows RFC 826: a packet whose sender is already known (resolved, or being resolved)
 * updates the entry (merge); a packet whose target is our address adds its sender, and a request is answered
 * with a unicast reply. Learning an address sends the datagrams that waited for it. Packets from a group MAC
 * or a broadcast/multicast IP are dropped; packets claiming our IP from another MAC are counted as a conflict
 * and ignored; RFC 5227 probes (sender IP 0.0.0.0) for our address are answered, never learned.
 *
 * <p><b>Sending</b>: a datagram to 255.255.255.255 or to our subnet's directed broadcast goes to
 * ff:ff:ff:ff:ff:ff, one to a multicast group to its RFC 1112 MAC, without ARP. Otherwise a cached MAC sends
 * it at once; an unknown next hop queues it and, for the first datagram, broadcasts a request, which is
 * repeated every {@code retryInterval} until {@code maxRequests} have gone unanswered; then the waiting
 * datagrams are dropped and counted. (RFC 1122 asks for at most one request per second per address: keep
 * {@code retryInterval} at 1 s or more outside tests.)
 *
 * <p><b>Guards</b>, in priority order: {@code fromEth} (a reply may release waiting datagrams), the timer,
 * {@code fromIp}. The timer is an absolute {@link CSTimer} alarm at the earliest retry deadline, switched off
 * by a precondition while nothing is pending: no periodic tick.
 *
 * <p><b>Termination:</b> on poison from any end it poisons all its ends and returns.
 */
public final class ArpLayer implements CSProcess {
    private static final int FROM_ETH = 0;
    private static final int TIMER = 1;
    private static final int FROM_IP = 2;

    /** RFC 1112 section 6.4: 01:00:5e followed by the low 23 bits of the group address. */
    private static final long IPV4_MULTICAST_MAC_PREFIX = 0x01_00_5e_00_00_00L;

    private final AltingChannelInput<Batch<PacketBuffer>> fromEth;
    private final AltingChannelInput<Batch<RoutedPacket>> fromIp;
    private final Outbox<PacketBuffer> toLink;
    private final EthernetFramer framer;
    private final MacAddress ourMac;
    private final Ipv4Address ourIp;
    /** Our subnet's directed broadcast, or null on /31 and /32 links, which have none (RFC 3021). */
    private final Ipv4Address subnetBroadcast;
    /** Each counter is incremented before the write it counts, so whoever reads that output sees it. */
    private final ArpCounters counters;
    private final ArpCache<PacketBuffer> cache;
    private final ArpPacket view = new ArpPacket();

    public ArpLayer(AltingChannelInput<Batch<PacketBuffer>> fromEth, AltingChannelInput<Batch<RoutedPacket>> fromIp,
                    ChannelOutput<Batch<PacketBuffer>> toLink, StackConfig config, ArpCounters counters) {
        this.fromEth = fromEth;
        this.fromIp = fromIp;
        this.toLink = new Outbox<>(toLink);
        this.framer = new EthernetFramer(config.mac());
        this.ourMac = config.mac();
        this.ourIp = config.ip();
        this.subnetBroadcast = config.address().prefixLength() <= 30 ? config.address().broadcast() : null;
        this.counters = counters;
        this.cache = new ArpCache<>(config.arp());
    }

    @Override
    public void run() {
        CSTimer timer = new CSTimer();
        Alternative alt = new Alternative(new Guard[] {fromEth, timer, fromIp});
        boolean[] ready = {true, false, true};
        try {
            while (true) {
                ready[TIMER] = cache.hasPending();
                if (ready[TIMER]) {
                    Deadlines.arm(timer, cache.nextDeadline());
                }
                switch (alt.priSelect(ready)) {
                    case FROM_ETH -> {
                        Batch<PacketBuffer> up = fromEth.read();
                        for (PacketBuffer buf : up) {
                            receive(buf);
                            buf.release(); // parsed into an ArpRepr: nothing refers to the frame any more
                        }
                        up.recycle(); // handled: the writer reuses it
                    }
                    case TIMER -> retry(System.nanoTime());
                    case FROM_IP -> {
                        Batch<RoutedPacket> down = fromIp.read();
                        for (RoutedPacket packet : down) {
                            route(packet);
                        }
                        down.recycle(); // handled: the writer reuses it
                    }
                    default -> throw new IllegalStateException("unknown guard");
                }
                toLink.flush();
                counters.cacheEntries.set(cache.entryCount());
                counters.pendingAddresses.set(cache.pendingAddressCount());
                counters.pendingPackets.set(cache.pendingPacketCount());
            }
        } catch (PoisonException e) {
            Poison.all(fromEth, fromIp, toLink);
        }
    }

    private void receive(PacketBuffer buf) {
        counters.packetsReceived.increment();
        ArpRepr arp;
        try {
            arp = ArpRepr.parse(view.rewrapChecked(buf.array(), buf.start(), buf.length()));
        } catch (MalformedPacketException e) {
            switch (e.reason()) {
                case TRUNCATED -> counters.truncatedDropped.increment();
                case UNSUPPORTED -> counters.unsupportedDropped.increment();
                default -> counters.malformedDropped.increment();
            }
            return;
        }
        boolean request = arp.operation() == ArpRepr.REQUEST;
        (request ? counters.requestsReceived : counters.repliesReceived).increment();

        MacAddress senderMac = arp.senderMac();
        Ipv4Address senderIp = arp.senderIp();
        if (!senderMac.isUnicast() || senderIp.isMulticast() || isBroadcast(senderIp)) {
            counters.invalidSenderDropped.increment();
            return;
        }
        if (senderIp.equals(ourIp)) {
            (senderMac.equals(ourMac) ? counters.invalidSenderDropped : counters.conflictDetected).increment();
            return;
        }
        boolean forUs = arp.targetIp().equals(ourIp);
        if (!senderIp.isUnspecified()) { // 0.0.0.0 is an RFC 5227 probe: nothing to learn
            long now = System.nanoTime();
            MacAddress known = cache.lookup(senderIp, now);
            if (forUs || known != null || cache.isPending(senderIp)) { // add, or RFC 826's merge
                if (known == null) {
                    counters.entriesLearned.increment();
                } else if (!known.equals(senderMac)) {
                    counters.entriesChanged.increment();
                }
                for (PacketBuffer datagram : cache.learn(senderIp, senderMac, now)) {
                    sendDatagram(senderMac, datagram);
                }
            }
        }
        if (!forUs) {
            if (request) {
                counters.notForUsIgnored.increment();
            }
            return;
        }
        if (request) {
            counters.repliesSent.increment();
            send(arp.replyFrom(ourMac), senderMac);
        }
    }

    private void route(RoutedPacket packet) {
        Ipv4Address hop = packet.nextHop();
        PacketBuffer datagram = packet.datagram();
        if (isBroadcast(hop)) {
            sendDatagram(MacAddress.BROADCAST, datagram);
            return;
        }
        if (hop.isMulticast()) {
            sendDatagram(MacAddress.of(IPV4_MULTICAST_MAC_PREFIX | (hop.toInt() & 0x7f_ffff)), datagram);
            return;
        }
        long now = System.nanoTime();
        MacAddress mac = cache.lookup(hop, now);
        if (mac != null) {
            sendDatagram(mac, datagram);
            return;
        }
        switch (cache.enqueue(hop, datagram, now)) {
            case SEND_REQUEST -> {
                counters.packetsQueued.increment();
                sendRequest(hop);
            }
            case QUEUED -> counters.packetsQueued.increment();
            case REFUSED_FULL -> counters.queueFullDropped.increment();
            default -> throw new IllegalStateException("unknown outcome");
        }
    }

    private void retry(long now) {
        ArpCache.Expiry<PacketBuffer> due = cache.poll(now);
        counters.resolutionFailures.add(due.failed().size());
        counters.unresolvedDropped.add(due.dropped().size());
        for (Ipv4Address hop : due.resend()) {
            counters.retriesSent.increment();
            sendRequest(hop);
        }
    }

    /** True for 255.255.255.255 and our subnet's directed broadcast. */
    private boolean isBroadcast(Ipv4Address ip) {
        return ip.isBroadcast() || ip.equals(subnetBroadcast);
    }

    private void sendRequest(Ipv4Address hop) {
        counters.requestsSent.increment();
        send(ArpRepr.request(ourMac, ourIp, hop), MacAddress.BROADCAST);
    }

    private void send(ArpRepr arp, MacAddress destination) {
        PacketBuffer buf = PacketBuffer.allocate(ArpPacket.LENGTH);
        arp.emit(view.rewrap(buf.array(), buf.start(), buf.length()));
        toLink.add(framer.frame(buf, destination, EtherType.ARP));
    }

    private void sendDatagram(MacAddress destination, PacketBuffer datagram) {
        counters.packetsSent.increment();
        toLink.add(framer.frame(datagram, destination, EtherType.IPV4));
    }
}
