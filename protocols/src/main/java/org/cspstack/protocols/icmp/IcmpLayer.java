package org.cspstack.protocols.icmp;

import java.util.List;

import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.csp.Batch;
import org.cspstack.core.csp.Outbox;
import org.cspstack.core.csp.Deadlines;
import org.cspstack.core.csp.Poison;
import org.cspstack.core.csp.Replies;
import org.cspstack.core.wire.Checksum;
import org.cspstack.core.wire.IcmpPacket;
import org.cspstack.core.wire.IcmpType;
import org.cspstack.core.wire.IpProtocol;
import org.cspstack.core.wire.Ipv4Packet;
import org.cspstack.core.wire.MalformedPacketException;
import org.cspstack.protocols.icmp.IcmpPingTable.Ping;
import org.cspstack.protocols.icmp.PingResult.Status;
import org.cspstack.protocols.ipv4.IpDatagram;
import org.cspstack.protocols.ipv4.IpSend;
import org.cspstack.protocols.stack.StackConfig;
import org.jcsp.lang.AltingChannelInput;
import org.jcsp.lang.Alternative;
import org.jcsp.lang.CSProcess;
import org.jcsp.lang.CSTimer;
import org.jcsp.lang.ChannelOutput;
import org.jcsp.lang.Guard;
import org.jcsp.lang.PoisonException;

/**
 * The ICMPv4 layer (RFC 792, RFC 1122 3.2.2): answers echo requests, and serves pings to applications.
 *
 * <p><b>Limitations.</b> Handles echo request, echo reply, destination unreachable and time exceeded only:
 * no timestamp, address mask, redirect, parameter problem or router discovery (counted as other types and
 * ignored). It sends no errors of its own yet (IP and UDP will), so it has no rate limiting of errors yet.
 * Errors quoting UDP or TCP datagrams are counted but not yet passed to the transports (RFC 1122 3.2.2.1
 * wants them to be). IP options of an echo request (record route, timestamp) are not copied into the reply
 * (RFC 1122 3.2.2.6 says SHOULD). It trusts the IP layer to have dropped datagrams from invalid sources
 * (RFC 1122 3.2.1.3) and to deliver only datagrams addressed to us. Echo requests to a broadcast or
 * multicast address are ignored (as Linux's {@code icmp_echo_ignore_broadcasts}). Echo data carries no
 * timestamp: round-trip times come from the layer's table of outstanding pings.
 *
 * <pre>
 *      fromApps (requests: PingRequest,         replyTo (one PingResult per request,
 *        shared by any number of clients)         ^      on the client's own channel)
 *            |                                    |
 *            v                                    |
 *      +---------------------------------------------+
 *      |                  IcmpLayer                  |&lt;-- timer (CSTimer: earliest ping deadline)
 *      +---------------------------------------------+
 *            ^ fromIp (up: IpDatagram)            | toIp (down: IpSend)
 * </pre>
 *
 * <table>
 *   <caption>Channels</caption>
 *   <tr><th>end</th><th>carries</th><th>buffering</th><th>meaning</th></tr>
 *   <tr><td>fromIp</td><td>{@link IpDatagram}, the ICMP message at the payload buffer's start, the IP header
 *       in its headroom</td><td>upward, drops when full (never blocks IP)</td>
 *       <td>ICMP messages addressed to us</td></tr>
 *   <tr><td>fromApps</td><td>{@link PingRequest}</td><td>shared Any2One rendezvous: the request channel of
 *       the client-server rule</td><td>pings to send; each carries its client's reply channel</td></tr>
 *   <tr><td>replyTo (in each request)</td><td>{@link PingResult}</td><td>the client's own, buffered (1),
 *       poisonable: the layer's write never blocks</td><td>exactly one result per request: reply, error,
 *       timeout, or refused at once</td></tr>
 *   <tr><td>toIp</td><td>{@link IpSend}</td><td>downward, may block</td>
 *       <td>echo replies (the request's own buffer, turned round in place) and our echo requests</td></tr>
 * </table>
 * {@code fromIp} and {@code toIp} carry {@link Batch}es; what one turn produces goes down as one batch. Every
 * buffer's ownership passes with the write. Guards in priority order: {@code fromIp}, the timer,
 * {@code fromApps}; the timer is switched off by its precondition while no ping is outstanding, otherwise set
 * to the earliest deadline. At most {@value #MAX_OUTSTANDING_PINGS} pings are outstanding at once; a request
 * beyond that, or one whose (identifier, sequence) is already outstanding, is answered REFUSED at once. The
 * bookkeeping lives in {@link IcmpPingTable}, which knows no JCSP and no clock.
 *
 * <p><b>Termination:</b> on poison from any end it poisons all its ends and returns; whenever it ends, it
 * poisons the reply channel of every ping still outstanding, so that no client waits for ever. A client that
 * poisons its own reply channel only loses its result: that poison does not stop the layer.
 */
public final class IcmpLayer implements CSProcess {
    /** The most pings outstanding at once; more are answered REFUSED. */
    public static final int MAX_OUTSTANDING_PINGS = 1024;

    private static final int FROM_IP = 0;
    private static final int TIMER = 1;
    private static final int FROM_APPS = 2;

    private final AltingChannelInput<Batch<IpDatagram>> fromIp;
    private final AltingChannelInput<PingRequest> fromApps;
    private final Outbox<IpSend> toIp;
    private final int ourIp;
    private final IcmpCounters counters;
    private final IcmpPingTable<PingRequest> outstanding;
    private final IcmpPacket icmp = new IcmpPacket();
    private final Ipv4Packet quotedIp = new Ipv4Packet();
    private final IcmpPacket quotedIcmp = new IcmpPacket();

    public IcmpLayer(AltingChannelInput<Batch<IpDatagram>> fromIp, AltingChannelInput<PingRequest> fromApps,
                     ChannelOutput<Batch<IpSend>> toIp, StackConfig config, IcmpCounters counters) {
        this(fromIp, fromApps, toIp, config, counters, MAX_OUTSTANDING_PINGS);
    }

    /** With another bound on outstanding pings, for tests. */
    IcmpLayer(AltingChannelInput<Batch<IpDatagram>> fromIp, AltingChannelInput<PingRequest> fromApps,
              ChannelOutput<Batch<IpSend>> toIp, StackConfig config, IcmpCounters counters, int maxOutstanding) {
        this.fromIp = fromIp;
        this.fromApps = fromApps;
        this.toIp = new Outbox<>(toIp);
        this.ourIp = config.ip().toInt();
        this.counters = counters;
        this.outstanding = new IcmpPingTable<>(maxOutstanding);
    }

    @Override
    public void run() {
        CSTimer timer = new CSTimer();
        Alternative alt = new Alternative(new Guard[] {fromIp, timer, fromApps});
        boolean[] ready = {true, false, true};
        try {
            while (true) {
                ready[TIMER] = !outstanding.isEmpty();
                if (ready[TIMER]) {
                    // CSTimer counts wall-clock milliseconds; deadlines are nanoTime: convert the delay, rounded up.
                    Deadlines.arm(timer, outstanding.nextDeadline());
                }
                switch (alt.priSelect(ready)) {
                    case FROM_IP -> {
                        Batch<IpDatagram> batch = fromIp.read();
                        for (IpDatagram datagram : batch) {
                            if (!receive(datagram)) {
                                datagram.payload().release();
                            }
                        }
                        batch.recycle(); // handled: the writer reuses it
                    }
                    case TIMER -> expire(System.nanoTime());
                    case FROM_APPS -> ping(fromApps.read());
                    default -> throw new IllegalStateException("unknown guard");
                }
                toIp.flush();
            }
        } catch (PoisonException e) {
            Poison.all(fromIp, fromApps, toIp);
        } finally {
            abandonOutstanding();
        }
    }

    /** True when the datagram's buffer went on (an echo turned round); false: the caller releases it. */
    private boolean receive(IpDatagram datagram) {
        PacketBuffer buf = datagram.payload();
        try {
            icmp.rewrapChecked(buf.array(), buf.start(), buf.length());
        } catch (MalformedPacketException e) {
            if (e.reason() == MalformedPacketException.Reason.TRUNCATED) {
                counters.truncatedDropped.increment();
            } else {
                counters.badChecksumDropped.increment();
            }
            return false;
        }
        switch (icmp.type()) {
            case IcmpType.ECHO_REQUEST -> {
                return echoRequest(datagram);
            }
            case IcmpType.ECHO_REPLY -> echoReply(datagram);
            case IcmpType.DESTINATION_UNREACHABLE -> {
                counters.destinationUnreachableReceived.increment();
                error(datagram, Status.DESTINATION_UNREACHABLE);
            }
            case IcmpType.TIME_EXCEEDED -> {
                counters.timeExceededReceived.increment();
                error(datagram, Status.TIME_EXCEEDED);
            }
            default -> counters.otherTypesIgnored.increment();
        }
        return false;
    }

    /** Turns the request round in place: same buffer, same identifier, sequence and data, type 0. */
    private boolean echoRequest(IpDatagram datagram) {
        counters.echoRequestsReceived.increment();
        if (datagram.destination().toInt() != ourIp) {
            counters.broadcastEchoIgnored.increment();
            return false;
        }
        int oldWord = icmp.type() << 8 | icmp.code();
        icmp.setType(IcmpType.ECHO_REPLY);
        icmp.setCode(0);
        icmp.setChecksum(updatedChecksum(icmp.checksum(), oldWord, IcmpType.ECHO_REPLY << 8));
        counters.echoRepliesSent.increment();
        toIp.add(IpSend.of(datagram.source(), IpProtocol.ICMP, datagram.payload()));
        return true;
    }

    private void echoReply(IpDatagram datagram) {
        counters.echoRepliesReceived.increment();
        long now = System.nanoTime();
        Ping<PingRequest> ping = outstanding.match(icmp.identifier(), icmp.sequenceNumber());
        if (ping == null) {
            counters.unmatchedRepliesIgnored.increment();
            return;
        }
        Replies.answer(ping.client().replyTo(),
                new PingResult(ping.identifier(), ping.sequence(), Status.REPLY, datagram.source(),
                now - ping.sentNanos(), icmp.dataLength(), datagram.ttl(), "echo reply"));
    }

    /**
     * A destination unreachable or time exceeded: if it quotes one of our outstanding echo requests, that ping
     * ends with {@code status}. The quote is the original IP header (read with {@code wrap}: its total length
     * counts bytes that were not quoted) and at least 8 bytes of its data, the echo header.
     */
    private void error(IpDatagram datagram, Status status) {
        long now = System.nanoTime();
        int off = icmp.dataOffset();
        int len = icmp.dataLength();
        if (len < Ipv4Packet.MIN_HEADER_LENGTH) {
            counters.badQuoteIgnored.increment();
            return;
        }
        quotedIp.rewrap(icmp.buffer(), off, len);
        int headerLength = quotedIp.headerLength();
        if (quotedIp.version() != 4 || headerLength < Ipv4Packet.MIN_HEADER_LENGTH
                || len < headerLength + IcmpPacket.HEADER_LENGTH) {
            counters.badQuoteIgnored.increment();
            return;
        }
        if (quotedIp.protocol() != IpProtocol.ICMP || quotedIp.fragmentOffset() != 0
                || quotedIp.sourceAsInt() != ourIp) {
            return; // about a datagram that was not one of our echo requests (UDP and TCP will want these)
        }
        quotedIcmp.rewrap(icmp.buffer(), off + headerLength, len - headerLength);
        if (quotedIcmp.type() != IcmpType.ECHO_REQUEST) {
            return;
        }
        Ping<PingRequest> ping = outstanding.match(quotedIcmp.identifier(), quotedIcmp.sequenceNumber());
        if (ping == null) {
            return; // already answered (timed out), or not ours
        }
        Replies.answer(ping.client().replyTo(),
                new PingResult(ping.identifier(), ping.sequence(), status, datagram.source(),
                now - ping.sentNanos(), 0, datagram.ttl(), errorDetail(icmp.type(), icmp.code(), icmp.nextHopMtu())));
    }

    private void ping(PingRequest request) {
        long now = System.nanoTime();
        switch (outstanding.add(request.identifier(), request.sequence(), now, request.timeout().toNanos(),
                request)) {
            case ADDED -> send(request);
            case FULL -> refuse(request, outstanding.size() + " pings are outstanding, the most the layer keeps;"
                    + " wait for their results before sending more");
            case DUPLICATE -> refuse(request, "a ping with identifier " + request.identifier() + " and sequence "
                    + request.sequence() + " is still outstanding; use another sequence number");
            default -> throw new IllegalStateException("unknown admission");
        }
    }

    /** Builds the echo request: data byte k is k mod 256 (as Linux ping's pattern, without its timestamp). */
    private void send(PingRequest request) {
        int length = IcmpPacket.HEADER_LENGTH + request.dataLength();
        PacketBuffer buf = PacketBuffer.allocate(PacketBuffer.DEFAULT_HEADROOM, length);
        byte[] b = buf.array();
        icmp.rewrap(b, buf.start(), length);
        icmp.setType(IcmpType.ECHO_REQUEST);
        icmp.setCode(0);
        icmp.setIdentifier(request.identifier());
        icmp.setSequenceNumber(request.sequence());
        int data = icmp.dataOffset();
        for (int k = 0; k < request.dataLength(); k++) {
            b[data + k] = (byte) k;
        }
        icmp.fillChecksum();
        counters.echoRequestsSent.increment();
        toIp.add(IpSend.on(buf, request.destination(), IpProtocol.ICMP, request.ttl(), false));
    }

    private void refuse(PingRequest request, String why) {
        counters.pingsRefused.increment();
        Replies.answer(request.replyTo(),
                new PingResult(request.identifier(), request.sequence(), Status.REFUSED, null, 0, 0, 0,
                why));
    }

    private void expire(long now) {
        List<Ping<PingRequest>> expired = outstanding.expire(now);
        for (Ping<PingRequest> ping : expired) {
            counters.pingTimeouts.increment();
            PingRequest request = ping.client();
            Replies.answer(request.replyTo(), new PingResult(ping.identifier(), ping.sequence(), Status.TIMEOUT, null,
                    now - ping.sentNanos(), 0, 0, "no reply within " + request.timeout().toMillis() + " ms"));
        }
    }

    /** Poisons the reply channel of every ping still outstanding: their clients learn that the stack is gone. */
    private void abandonOutstanding() {
        for (Ping<PingRequest> ping : outstanding.removeAll()) {
            Poison.all(ping.client().replyTo());
        }
    }

    /**
     * The checksum after one 16-bit word of the message changed from {@code oldWord} to {@code newWord},
     * without summing the message again: RFC 1624 eqn. 3, HC' = ~(~HC + ~m + m').
     */
    static int updatedChecksum(int checksum, int oldWord, int newWord) {
        long sum = (~checksum & 0xffff) + (~oldWord & 0xffff) + (newWord & 0xffff);
        return Checksum.finish(sum);
    }

    /** A short description of an error message for people, e.g. "port unreachable". */
    static String errorDetail(int type, int code, int nextHopMtu) {
        if (type == IcmpType.TIME_EXCEEDED) {
            return switch (code) {
                case IcmpType.TIME_EXCEEDED_TTL -> "time to live exceeded in transit";
                case IcmpType.TIME_EXCEEDED_REASSEMBLY -> "fragment reassembly time exceeded";
                default -> "time exceeded, code " + code;
            };
        }
        if (type != IcmpType.DESTINATION_UNREACHABLE) {
            return IcmpType.name(type) + ", code " + code;
        }
        return switch (code) {
            case IcmpType.UNREACHABLE_NET -> "net unreachable";
            case IcmpType.UNREACHABLE_HOST -> "host unreachable";
            case IcmpType.UNREACHABLE_PROTOCOL -> "protocol unreachable";
            case IcmpType.UNREACHABLE_PORT -> "port unreachable";
            case IcmpType.UNREACHABLE_FRAGMENTATION_NEEDED -> "fragmentation needed and DF set (next-hop MTU "
                    + (nextHopMtu == 0 ? "unknown" : nextHopMtu) + ")";
            case 5 -> "source route failed";
            case 6 -> "destination network unknown";
            case 7 -> "destination host unknown";
            case 8 -> "source host isolated";
            case 9 -> "network administratively prohibited";
            case 10 -> "host administratively prohibited";
            case 11 -> "network unreachable for type of service";
            case 12 -> "host unreachable for type of service";
            case 13 -> "communication administratively prohibited";
            case 14 -> "host precedence violation";
            case 15 -> "precedence cutoff in effect";
            default -> "destination unreachable, code " + code;
        };
    }
}
