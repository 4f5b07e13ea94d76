package org.cspstack.protocols.icmp;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.sameInstance;

import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import org.cspstack.core.csp.Batch;
import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.csp.Chan;
import org.cspstack.core.csp.ProcessTestKit;
import org.cspstack.core.wire.Checksum;
import org.cspstack.core.wire.IcmpPacket;
import org.cspstack.core.wire.IcmpRepr;
import org.cspstack.core.wire.IcmpType;
import org.cspstack.core.wire.IpProtocol;
import org.cspstack.core.wire.Ipv4Address;
import org.cspstack.core.wire.Ipv4Cidr;
import org.cspstack.core.wire.Ipv4Packet;
import org.cspstack.core.wire.Ipv4Repr;
import org.cspstack.core.wire.MalformedPacketException;
import org.cspstack.protocols.icmp.PingResult.Status;
import org.cspstack.protocols.ipv4.IpDatagram;
import org.cspstack.protocols.ipv4.IpSend;
import org.cspstack.protocols.stack.StackConfig;
import org.jcsp.lang.Any2OneChannel;
import org.jcsp.lang.One2OneChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The ICMP layer driven through its channel ends: IP datagrams in as the IPv4 layer delivers them (IP header
 * in the headroom), IpSends out, pings on the shared request channel with the test's own reply channels.
 */
class IcmpLayerTest {

    private static final Ipv4Address OURS = Ipv4Address.parse("198.18.0.2");
    private static final Ipv4Address PEER = Ipv4Address.parse("198.18.0.1");
    /** Beyond the gateway: pings to it with a small TTL die on the way. */
    private static final Ipv4Address FAR = Ipv4Address.parse("198.19.0.9");
    private static final StackConfig CONFIG = StackConfig.of(Ipv4Cidr.parse("198.18.0.2/24")).withGateway(PEER);
    private static final Duration LONG = Duration.ofSeconds(30);
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final ProcessTestKit kit = new ProcessTestKit("icmp-test");
    private final IcmpCounters counters = new IcmpCounters("icmp");
    private Chan<Batch<IpDatagram>> fromIp;
    private Any2OneChannel<PingRequest> apps;
    private Chan<Batch<IpSend>> toIp;

    private void start() {
        start(IcmpLayer.MAX_OUTSTANDING_PINGS);
    }

    private void start(int maxOutstanding) {
        fromIp = kit.input("ipToIcmp");
        apps = kit.network().requests("appsToIcmp", "icmp");
        toIp = kit.output("icmpToIp");
        kit.start("icmp", new IcmpLayer(fromIp.in(), apps.in(), toIp.out(), CONFIG, counters, maxOutstanding),
                counters);
    }

    @AfterEach
    void stop() throws InterruptedException {
        kit.close();
    }

    // ---- building what IP delivers ----

    /** The datagram as the IPv4 layer delivers it: ICMP at the buffer's start, the IP header in the headroom. */
    private static IpDatagram datagram(Ipv4Address source, Ipv4Address destination, int ttl, byte[] icmp) {
        int headerLength = Ipv4Packet.MIN_HEADER_LENGTH;
        PacketBuffer buf = PacketBuffer.allocate(14, headerLength + icmp.length);
        int headerOffset = buf.start();
        Ipv4Repr.of(source, destination, IpProtocol.ICMP, ttl, icmp.length)
                .emit(Ipv4Packet.wrap(buf.array(), headerOffset, headerLength + icmp.length));
        System.arraycopy(icmp, 0, buf.array(), headerOffset + headerLength, icmp.length);
        buf.consume(headerLength);
        return new IpDatagram(source, destination, IpProtocol.ICMP, ttl, headerOffset, headerLength, buf);
    }

    private static IpDatagram fromPeer(IcmpRepr message) {
        return datagram(PEER, OURS, 64, bytes(message));
    }

    private static byte[] bytes(IcmpRepr message) {
        byte[] b = new byte[message.length()];
        message.emit(IcmpPacket.wrap(b, 0, b.length));
        return b;
    }

    private static IcmpRepr parse(PacketBuffer buf) throws MalformedPacketException {
        return IcmpRepr.parse(IcmpPacket.wrapChecked(buf.array(), buf.start(), buf.length()));
    }

    /** The IP datagram our echo request would have been on the wire: header + ICMP, cut to {@code quoted} bytes. */
    private static byte[] quote(IpSend sent, int quoted) {
        byte[] icmp = sent.payload().toByteArray();
        byte[] datagram = new byte[Ipv4Packet.MIN_HEADER_LENGTH + icmp.length];
        new Ipv4Repr(OURS, sent.destination(), IpProtocol.ICMP, sent.ttl(), 4321, false, false, 0, icmp.length)
                .emit(Ipv4Packet.wrap(datagram, 0, datagram.length));
        System.arraycopy(icmp, 0, datagram, Ipv4Packet.MIN_HEADER_LENGTH, icmp.length);
        return Arrays.copyOf(datagram, quoted);
    }

    private static byte[] pattern(int length) {
        byte[] b = new byte[length];
        for (int k = 0; k < length; k++) {
            b[k] = (byte) k;
        }
        return b;
    }

    // ---- the client side ----

    /** A ping request on the shared channel, from the test thread; returns its reply channel. */
    private One2OneChannel<PingResult> ping(Ipv4Address to, int id, int seq, int dataLength, int ttl,
                                            Duration timeout) {
        One2OneChannel<PingResult> reply = Pinger.replyChannel();
        apps.out().write(new PingRequest(to, id, seq, dataLength, ttl, timeout, reply.out()));
        return reply;
    }

    private static PingResult result(One2OneChannel<PingResult> reply) {
        PingResult r = ProcessTestKit.poll(reply.in(), WAIT);
        assertThat("a ping result within " + WAIT, r, is(notNullValue()));
        return r;
    }

    /** Sends an echo request from the peer and waits for its reply: everything fed before has been handled. */
    private void barrier() {
        fromIp.out().write(Batch.of(fromPeer(new IcmpRepr.EchoRequest(0xbeef, 0xbeef, new byte[0]))));
        IpSend reply = kit.expectOne(toIp);
        assertThat(reply.payload().array()[reply.payload().start()], is((byte) IcmpType.ECHO_REPLY));
    }

    // ---- echo server ----

    @Test
    void answersAnEchoRequestWithAnEchoReplyInTheSameBuffer() throws MalformedPacketException {
        start();
        byte[] data = "seventeen bytes!!".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        IpDatagram request = fromPeer(new IcmpRepr.EchoRequest(0x1234, 7, data));
        fromIp.out().write(Batch.of(request));

        IpSend sent = kit.expectOne(toIp);
        assertThat(sent.destination(), is(PEER));
        assertThat(sent.protocol(), is(IpProtocol.ICMP));
        assertThat(sent.ttl(), is(IpSend.DEFAULT_TTL));
        assertThat(sent.dontFragment(), is(false));
        assertThat(sent.payload(), is(sameInstance(request.payload())));
        assertThat(sent.payload().headroom(), greaterThanOrEqualTo(Ipv4Packet.MIN_HEADER_LENGTH));
        assertThat(parse(sent.payload()), is(new IcmpRepr.EchoReply(0x1234, 7, data)));
        assertThat(counters.echoRequestsReceived.get(), is(1L));
        assertThat(counters.echoRepliesSent.get(), is(1L));
    }

    @Test
    void updatesTheChecksumIncrementallyAsAFullSumWould() {
        Random random = new Random(792);
        for (int i = 0; i < 500; i++) {
            byte[] message = new byte[IcmpPacket.HEADER_LENGTH + random.nextInt(80)];
            random.nextBytes(message);
            IcmpPacket icmp = IcmpPacket.wrap(message, 0, message.length);
            icmp.setType(IcmpType.ECHO_REQUEST);
            icmp.setCode(random.nextInt(4) == 0 ? random.nextInt(256) : 0);
            icmp.fillChecksum();
            int oldWord = icmp.type() << 8 | icmp.code();

            int incremental = IcmpLayer.updatedChecksum(icmp.checksum(), oldWord, IcmpType.ECHO_REPLY << 8);
            icmp.setType(IcmpType.ECHO_REPLY);
            icmp.setCode(0);
            icmp.setChecksum(incremental);
            assertThat("message " + i, icmp.verifyChecksum(), is(true));
            icmp.setChecksum(0);
            assertThat("message " + i, incremental, is(Checksum.compute(message, 0, message.length)));
        }
    }

    @Test
    void ignoresEchoRequestsToBroadcastAddressesAndAnswersTheNextUnicastOne() throws MalformedPacketException {
        start();
        byte[] icmp = bytes(new IcmpRepr.EchoRequest(1, 1, new byte[8]));
        fromIp.out().write(Batch.of(datagram(PEER, Ipv4Address.BROADCAST, 64, icmp)));
        fromIp.out().write(Batch.of(datagram(PEER, CONFIG.address().broadcast(), 64, icmp)));
        fromIp.out().write(Batch.of(fromPeer(new IcmpRepr.EchoRequest(1, 2, new byte[8]))));

        IcmpRepr first = parse(kit.expectOne(toIp).payload());
        assertThat(first, is(new IcmpRepr.EchoReply(1, 2, new byte[8])));
        assertThat(kit.pendingOne(toIp), is(false));
        assertThat(counters.echoRequestsReceived.get(), is(3L));
        assertThat(counters.broadcastEchoIgnored.get(), is(2L));
        assertThat(counters.echoRepliesSent.get(), is(1L));
    }

    @Test
    void dropsAndCountsTruncatedAndBadChecksumMessages() {
        start();
        fromIp.out().write(Batch.of(datagram(PEER, OURS, 64, new byte[] {8, 0, (byte) 0xf7, (byte) 0xff})));
        byte[] corrupt = bytes(new IcmpRepr.EchoRequest(3, 3, pattern(32)));
        corrupt[20] ^= 0x40;
        fromIp.out().write(Batch.of(datagram(PEER, OURS, 64, corrupt)));
        barrier();

        assertThat(kit.pendingOne(toIp), is(false));
        assertThat(counters.truncatedDropped.get(), is(1L));
        assertThat(counters.badChecksumDropped.get(), is(1L));
        assertThat(counters.echoRequestsReceived.get(), is(1L));
    }

    @Test
    void countsAndIgnoresTypesItDoesNotHandle() {
        start();
        byte[] timestampRequest = new byte[20];
        IcmpPacket icmp = IcmpPacket.wrap(timestampRequest, 0, timestampRequest.length);
        icmp.setType(13);
        icmp.fillChecksum();
        fromIp.out().write(Batch.of(datagram(PEER, OURS, 64, timestampRequest)));
        barrier();

        assertThat(kit.pendingOne(toIp), is(false));
        assertThat(counters.otherTypesIgnored.get(), is(1L));
    }

    // ---- ping client ----

    @Test
    void sendsAPingAsAnEchoRequestAndReportsItsReply() throws MalformedPacketException {
        start();
        One2OneChannel<PingResult> reply = ping(PEER, 0x4242, 1, 56, 42, LONG);

        IpSend sent = kit.expectOne(toIp);
        assertThat(sent.destination(), is(PEER));
        assertThat(sent.protocol(), is(IpProtocol.ICMP));
        assertThat(sent.ttl(), is(42));
        assertThat(sent.dontFragment(), is(false));
        assertThat(sent.payload().headroom(), greaterThanOrEqualTo(Ipv4Packet.MIN_HEADER_LENGTH));
        assertThat(parse(sent.payload()), is(new IcmpRepr.EchoRequest(0x4242, 1, pattern(56))));
        assertThat(counters.echoRequestsSent.get(), is(1L));

        fromIp.out().write(Batch.of(datagram(PEER, OURS, 63, bytes(new IcmpRepr.EchoReply(0x4242, 1, pattern(56))))));
        PingResult r = result(reply);
        assertThat(r.status(), is(Status.REPLY));
        assertThat(r.isReply(), is(true));
        assertThat(r.identifier(), is(0x4242));
        assertThat(r.sequence(), is(1));
        assertThat(r.from(), is(PEER));
        assertThat(r.dataLength(), is(56));
        assertThat(r.ttl(), is(63));
        assertThat(r.rttNanos(), greaterThan(0L));
        assertThat(counters.echoRepliesReceived.get(), is(1L));
    }

    @Test
    void answersEachPingOnceAndIgnoresADuplicateReply() {
        start();
        One2OneChannel<PingResult> reply = ping(PEER, 9, 9, 0, 64, LONG);
        kit.expectOne(toIp);
        byte[] echoReply = bytes(new IcmpRepr.EchoReply(9, 9, new byte[0]));
        fromIp.out().write(Batch.of(datagram(PEER, OURS, 64, echoReply)));
        fromIp.out().write(Batch.of(datagram(PEER, OURS, 64, echoReply)));
        assertThat(result(reply).status(), is(Status.REPLY));
        barrier();

        assertThat(reply.in().pending(), is(false));
        assertThat(counters.echoRepliesReceived.get(), is(2L));
        assertThat(counters.unmatchedRepliesIgnored.get(), is(1L));
    }

    @Test
    void reportsATimeoutWhenNoReplyComesAndIgnoresALateReply() {
        start();
        long before = System.nanoTime();
        One2OneChannel<PingResult> reply = ping(PEER, 5, 1, 8, 64, Duration.ofMillis(100));
        kit.expectOne(toIp);

        PingResult r = result(reply);
        long waited = System.nanoTime() - before;
        assertThat(r.status(), is(Status.TIMEOUT));
        assertThat(r.from(), is(nullValue()));
        assertThat(r.rttNanos(), greaterThanOrEqualTo(Duration.ofMillis(100).toNanos()));
        assertThat(waited, greaterThanOrEqualTo(Duration.ofMillis(100).toNanos()));
        assertThat(r.detail(), containsString("100 ms"));
        assertThat(counters.pingTimeouts.get(), is(1L));

        fromIp.out().write(Batch.of(fromPeer(new IcmpRepr.EchoReply(5, 1, pattern(8)))));
        barrier();
        assertThat(reply.in().pending(), is(false));
        assertThat(counters.unmatchedRepliesIgnored.get(), is(1L));
    }

    @Test
    void timesOutTheEarliestDeadlineFirstWhateverTheOrderOfArrival() {
        start();
        One2OneChannel<PingResult> slow = ping(PEER, 1, 1, 0, 64, LONG);
        One2OneChannel<PingResult> fast = ping(PEER, 1, 2, 0, 64, Duration.ofMillis(50));
        kit.expectOne(toIp);
        kit.expectOne(toIp);

        assertThat(result(fast).status(), is(Status.TIMEOUT));
        assertThat(slow.in().pending(), is(false));
        fromIp.out().write(Batch.of(fromPeer(new IcmpRepr.EchoReply(1, 1, new byte[0]))));
        assertThat(result(slow).status(), is(Status.REPLY));
        assertThat(counters.pingTimeouts.get(), is(1L));
    }

    @ParameterizedTest(name = "code {0}: {1}")
    @CsvSource({
        "3, port unreachable",
        "1, host unreachable",
        "0, net unreachable",
        "13, communication administratively prohibited",
    })
    void reportsDestinationUnreachableQuotingOurEchoRequest(int code, String detail) {
        start();
        One2OneChannel<PingResult> reply = ping(PEER, 77, 3, 56, 64, LONG);
        IpSend sent = kit.expectOne(toIp);

        byte[] quoted = quote(sent, Ipv4Packet.MIN_HEADER_LENGTH + IcmpPacket.HEADER_LENGTH + 56);
        fromIp.out().write(Batch.of(datagram(PEER, OURS, 61, bytes(new IcmpRepr.DestinationUnreachable(code, 0, quoted)))));
        PingResult r = result(reply);
        assertThat(r.status(), is(Status.DESTINATION_UNREACHABLE));
        assertThat(r.identifier(), is(77));
        assertThat(r.sequence(), is(3));
        assertThat(r.from(), is(PEER));
        assertThat(r.ttl(), is(61));
        assertThat(r.detail(), is(detail));
        assertThat(counters.destinationUnreachableReceived.get(), is(1L));
    }

    @ParameterizedTest(name = "code {0}: {1}")
    @CsvSource({
        "0, time to live exceeded in transit",
        "1, fragment reassembly time exceeded",
    })
    void reportsTimeExceededQuotingOurEchoRequest(int code, String detail) {
        start();
        One2OneChannel<PingResult> reply = ping(FAR, 78, 1, 56, 1, LONG);
        IpSend sent = kit.expectOne(toIp);
        assertThat(sent.ttl(), is(1));

        // A router quotes just the IP header and 8 bytes, as RFC 792 requires at least.
        byte[] quoted = quote(sent, Ipv4Packet.MIN_HEADER_LENGTH + 8);
        fromIp.out().write(Batch.of(datagram(PEER, OURS, 64, bytes(new IcmpRepr.TimeExceeded(code, quoted)))));
        PingResult r = result(reply);
        assertThat(r.status(), is(Status.TIME_EXCEEDED));
        assertThat(r.from(), is(PEER));
        assertThat(r.detail(), is(detail));
        assertThat(counters.timeExceededReceived.get(), is(1L));
    }

    @Test
    void ignoresErrorsThatQuoteSomethingElseOrTooLittle() {
        start();
        One2OneChannel<PingResult> reply = ping(PEER, 80, 1, 16, 64, LONG);
        IpSend sent = kit.expectOne(toIp);
        byte[] quoted = quote(sent, Ipv4Packet.MIN_HEADER_LENGTH + 8);

        byte[] tooShort = Arrays.copyOf(quoted, Ipv4Packet.MIN_HEADER_LENGTH + 7);
        fromIp.out().write(Batch.of(fromPeer(new IcmpRepr.DestinationUnreachable(IcmpType.UNREACHABLE_PORT, 0, tooShort))));
        byte[] udp = quoted.clone();
        Ipv4Packet ip = Ipv4Packet.wrap(udp, 0, udp.length);
        ip.setProtocol(IpProtocol.UDP);
        ip.fillChecksum();
        fromIp.out().write(Batch.of(fromPeer(new IcmpRepr.DestinationUnreachable(IcmpType.UNREACHABLE_PORT, 0, udp))));
        byte[] otherSequence = quoted.clone();
        IcmpPacket.wrap(otherSequence, Ipv4Packet.MIN_HEADER_LENGTH, 8).setSequenceNumber(2);
        fromIp.out().write(Batch.of(fromPeer(new IcmpRepr.TimeExceeded(IcmpType.TIME_EXCEEDED_TTL, otherSequence))));
        barrier();

        assertThat(reply.in().pending(), is(false));
        assertThat(counters.badQuoteIgnored.get(), is(1L));
        assertThat(counters.destinationUnreachableReceived.get(), is(2L));
        assertThat(counters.timeExceededReceived.get(), is(1L));

        fromIp.out().write(Batch.of(fromPeer(new IcmpRepr.EchoReply(80, 1, pattern(16)))));
        assertThat(result(reply).status(), is(Status.REPLY));
    }

    @Test
    void refusesAPingBeyondTheBoundAtOnce() {
        start(2);
        ping(PEER, 1, 1, 0, 64, LONG);
        ping(PEER, 1, 2, 0, 64, LONG);
        kit.expectOne(toIp);
        kit.expectOne(toIp);

        PingResult r = result(ping(PEER, 1, 3, 0, 64, LONG));
        assertThat(r.status(), is(Status.REFUSED));
        assertThat(r.sequence(), is(3));
        assertThat(r.detail(), containsString("2 pings are outstanding"));
        assertThat(kit.pendingOne(toIp), is(false));
        assertThat(counters.pingsRefused.get(), is(1L));
        assertThat(counters.echoRequestsSent.get(), is(2L));
    }

    @Test
    void refusesAPingWhoseIdentifierAndSequenceAreOutstanding() {
        start();
        One2OneChannel<PingResult> first = ping(PEER, 4, 4, 0, 64, LONG);
        kit.expectOne(toIp);
        PingResult second = result(ping(PEER, 4, 4, 0, 64, LONG));
        assertThat(second.status(), is(Status.REFUSED));
        assertThat(second.detail(), containsString("still outstanding"));
        assertThat(first.in().pending(), is(false));
        assertThat(counters.pingsRefused.get(), is(1L));
    }

    @Test
    void goesOnWhenAClientHasPoisonedItsOwnReplyChannel() {
        start();
        One2OneChannel<PingResult> gone = ping(PEER, 6, 1, 0, 64, Duration.ofMillis(20));
        gone.in().poison(1);
        kit.expectOne(toIp);
        One2OneChannel<PingResult> later = ping(PEER, 6, 2, 0, 64, Duration.ofMillis(20));
        kit.expectOne(toIp);
        assertThat(result(later).status(), is(Status.TIMEOUT));
        assertThat(counters.pingTimeouts.get(), is(2L));
    }
}
