package org.cspstack.protocols.udp;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.sameInstance;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.cspstack.core.csp.Batch;
import org.cspstack.core.csp.BatchReader;
import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.csp.Chan;
import org.cspstack.core.csp.ProcessTestKit;
import org.cspstack.core.wire.Bytes;
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
import org.cspstack.core.wire.UdpPacket;
import org.cspstack.protocols.ipv4.IpDatagram;
import org.cspstack.protocols.ipv4.IpSend;
import org.cspstack.protocols.ipv4.TokenBucket;
import org.cspstack.protocols.stack.StackConfig;
import org.jcsp.lang.AltingChannelInput;
import org.jcsp.lang.Any2OneChannel;
import org.jcsp.lang.Channel;
import org.jcsp.lang.One2OneChannel;
import org.jcsp.lang.PoisonException;
import org.jcsp.util.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The UDP layer driven through its channel ends: IP datagrams in as the IPv4 layer delivers them (IP header in
 * the headroom), IpSends out, Bind/Send/Close on the shared request channel from the test thread with the
 * test's own reply channels, datagrams read from the sockets' receive channels.
 */
class UdpLayerTest {

    private static final Ipv4Address OURS = Ipv4Address.parse("198.18.0.2");
    private static final Ipv4Address PEER = Ipv4Address.parse("198.18.0.1");
    private static final StackConfig CONFIG = StackConfig.of(Ipv4Cidr.parse("198.18.0.2/24"));
    private static final Duration WAIT = Duration.ofSeconds(5);
    /** Long enough to be sure that nothing more is coming, short enough for a unit test. */
    private static final Duration QUIET = Duration.ofMillis(100);

    private final ProcessTestKit kit = new ProcessTestKit("udp-test");
    private final UdpCounters counters = new UdpCounters("udp");
    private Chan<Batch<IpDatagram>> fromIp;
    private Any2OneChannel<UdpRequest> apps;
    private Chan<Batch<IpSend>> toIp;

    private void start() {
        start(new TokenBucket(1000, 1000, System.nanoTime()), new PortTable());
    }

    private void start(TokenBucket errors, PortTable ports) {
        fromIp = kit.input("ipToUdp");
        apps = kit.network().requests("appsToUdp", "udp");
        toIp = kit.output("udpToIp");
        kit.start("udp", new UdpLayer(fromIp.in(), apps.in(), toIp.out(), kit.network(), "t.", CONFIG, counters,
                errors, ports), counters);
    }

    @AfterEach
    void stop() throws InterruptedException {
        kit.close();
    }

    // ---- building what IP delivers (independently of UdpPacket/UdpRepr) ----

    /** A UDP datagram with the checksum computed from RFC 768's definition; {@code length} as given. */
    private static byte[] udp(Ipv4Address src, Ipv4Address dst, int sport, int dport, byte[] payload) {
        byte[] b = new byte[8 + payload.length];
        Bytes.putU16(b, 0, sport);
        Bytes.putU16(b, 2, dport);
        Bytes.putU16(b, 4, b.length);
        System.arraycopy(payload, 0, b, 8, payload.length);
        int c = Checksum.finish(Checksum.add(Checksum.pseudoHeaderIpv4(src, dst, 17, b.length), b, 0, b.length));
        Bytes.putU16(b, 6, c == 0 ? 0xffff : c);
        return b;
    }

    private static byte[] fromPeer(int sport, int dport, String payload) {
        return udp(PEER, OURS, sport, dport, ascii(payload));
    }

    /** The datagram as the IPv4 layer delivers it: UDP at the buffer's start, the IP header in the headroom. */
    private static IpDatagram datagram(Ipv4Address source, Ipv4Address destination, byte[] udp) {
        int headerLength = Ipv4Packet.MIN_HEADER_LENGTH;
        PacketBuffer buf = PacketBuffer.allocate(14, headerLength + udp.length);
        int headerOffset = buf.start();
        new Ipv4Repr(source, destination, IpProtocol.UDP, 64, 0x4242, false, false, 0, udp.length)
                .emit(Ipv4Packet.wrap(buf.array(), headerOffset, headerLength + udp.length));
        System.arraycopy(udp, 0, buf.array(), headerOffset + headerLength, udp.length);
        buf.consume(headerLength);
        return new IpDatagram(source, destination, IpProtocol.UDP, 64, headerOffset, headerLength, buf);
    }

    private static IpDatagram datagram(byte[] udp) {
        return datagram(PEER, OURS, udp);
    }

    /** The IP packet that {@link #datagram} put in the buffer: header and UDP. */
    private static byte[] ipPacket(IpDatagram d) {
        PacketBuffer b = d.payload();
        return Arrays.copyOfRange(b.array(), d.headerOffset(), b.end());
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String text(UdpDatagram d) {
        return new String(d.data(), StandardCharsets.US_ASCII);
    }

    // ---- the client side ----

    private static <T> One2OneChannel<T> replyChannel() {
        return Channel.one2one(new Buffer<T>(1), 0);
    }

    private BindResult bind(int port, int queue) {
        One2OneChannel<BindResult> reply = replyChannel();
        apps.out().write(new UdpRequest.Bind(port, queue, reply.out()));
        BindResult r = ProcessTestKit.poll(reply.in(), WAIT);
        assertThat("a bind result within " + WAIT, r, is(notNullValue()));
        return r;
    }

    private BindResult.Bound bound(int port, int queue) {
        BindResult r = bind(port, queue);
        assertThat(r, instanceOf(BindResult.Bound.class));
        return (BindResult.Bound) r;
    }

    private boolean close(int port) {
        One2OneChannel<Boolean> reply = replyChannel();
        apps.out().write(new UdpRequest.Close(port, reply.out()));
        Boolean r = ProcessTestKit.poll(reply.in(), WAIT);
        assertThat("a close result within " + WAIT, r, is(notNullValue()));
        return r;
    }

    /**
     * A request round trip (Close of port 0, never bound): the layer serves one message at a time, so whatever
     * it was doing when the test saw its last output (counting a delivery, say) is finished.
     */
    private void roundTrip() {
        assertThat(close(0), is(false));
    }

    private void send(int sourcePort, Ipv4Address to, int port, PacketBuffer payload) {
        apps.out().write(new UdpRequest.Send(sourcePort, to, port, payload));
    }

    private void send(int sourcePort, Ipv4Address to, int port, String payload) {
        byte[] data = ascii(payload);
        send(sourcePort, to, port, PacketBuffer.copyOf(data, 0, data.length, PacketBuffer.DEFAULT_HEADROOM));
    }

    /** Each socket's reader: it holds what a batch brought beyond one datagram. */
    private final java.util.Map<AltingChannelInput<Batch<UdpDatagram>>, BatchReader<UdpDatagram>> readers =
            new java.util.IdentityHashMap<>();

    /** The socket's next datagram, whatever batches the layer wrote them in. */
    private UdpDatagram receive(AltingChannelInput<Batch<UdpDatagram>> socket) {
        UdpDatagram d = readers.computeIfAbsent(socket, BatchReader::new).poll(WAIT.toMillis());
        assertThat("a datagram on the socket within " + WAIT, d, is(notNullValue()));
        return d;
    }

    /** The UDP datagram in a Send that went down, checked: header, length, and checksum from our address. */
    private static UdpPacket sentUdp(IpSend sent) throws MalformedPacketException {
        assertThat(sent.protocol(), is(IpProtocol.UDP));
        PacketBuffer b = sent.payload();
        UdpPacket u = UdpPacket.wrapChecked(b.array(), b.start(), b.length());
        assertThat(u.length(), is(b.length()));
        assertThat(u.checksum(), is(not(0)));
        assertThat(u.verifyChecksum(OURS, sent.destination()), is(true));
        return u;
    }

    // ---- receive ----

    @Test
    void deliversADatagramToTheBoundPortWithAddressesPortsAndPayload() {
        start();
        BindResult.Bound socket = bound(7, 8);
        assertThat(socket.port(), is(7));
        fromIp.out().write(Batch.of(datagram(fromPeer(40000, 7, "cspstack"))));

        UdpDatagram d = receive(socket.received());
        assertThat(d.source(), is(PEER));
        assertThat(d.sourcePort(), is(40000));
        assertThat(d.destination(), is(OURS));
        assertThat(d.destinationPort(), is(7));
        assertThat(text(d), is("cspstack"));
        assertThat(d.payload().length(), is(8));
        roundTrip();
        assertThat(counters.datagramsReceived.get(), is(1L));
        assertThat(counters.delivered.get(), is(1L));
        assertThat(counters.socketsOpen.get(), is(1L));
    }

    @Test
    void dropsADatagramWithABadChecksumAndDeliversTheNextGoodOne() {
        start();
        BindResult.Bound socket = bound(7, 8);
        byte[] corrupt = fromPeer(40000, 7, "corrupted");
        corrupt[corrupt.length - 1] ^= 0x01;
        fromIp.out().write(Batch.of(datagram(corrupt)));
        byte[] wrongPseudoHeader = udp(PEER, Ipv4Address.parse("198.18.0.3"), 40000, 7, ascii("misaddressed"));
        fromIp.out().write(Batch.of(datagram(wrongPseudoHeader)));
        fromIp.out().write(Batch.of(datagram(fromPeer(40000, 7, "good"))));

        assertThat(text(receive(socket.received())), is("good"));
        assertThat(ProcessTestKit.poll(socket.received(), QUIET), is((Batch<UdpDatagram>) null));
        roundTrip();
        assertThat(counters.badChecksumDropped.get(), is(2L));
        assertThat(counters.delivered.get(), is(1L));
        assertThat(counters.datagramsReceived.get(), is(3L));
    }

    @Test
    void acceptsADatagramWithoutChecksum() {
        start();
        BindResult.Bound socket = bound(7, 8);
        byte[] noChecksum = fromPeer(40000, 7, "no checksum");
        Bytes.putU16(noChecksum, 6, 0);
        fromIp.out().write(Batch.of(datagram(noChecksum)));

        assertThat(text(receive(socket.received())), is("no checksum"));
        assertThat(counters.badChecksumDropped.get(), is(0L));
    }

    @Test
    void dropsAndCountsTruncatedAndBadLengthDatagrams() {
        start();
        BindResult.Bound socket = bound(7, 8);
        byte[] good = fromPeer(40000, 7, "good");
        fromIp.out().write(Batch.of(datagram(Arrays.copyOf(good, 5))));
        fromIp.out().write(Batch.of(datagram(new byte[0])));
        byte[] tooShortField = good.clone();
        Bytes.putU16(tooShortField, 4, 7);
        fromIp.out().write(Batch.of(datagram(tooShortField)));
        byte[] tooLongField = good.clone();
        Bytes.putU16(tooLongField, 4, good.length + 1);
        fromIp.out().write(Batch.of(datagram(tooLongField)));
        fromIp.out().write(Batch.of(datagram(good)));

        assertThat(text(receive(socket.received())), is("good"));
        roundTrip();
        assertThat(counters.truncatedDropped.get(), is(2L));
        assertThat(counters.badLengthDropped.get(), is(2L));
        assertThat(counters.delivered.get(), is(1L));
        assertThat(kit.pendingOne(toIp), is(false));
    }

    @Test
    void cutsBytesBeyondTheUdpLengthOff() {
        start();
        BindResult.Bound socket = bound(7, 8);
        byte[] good = fromPeer(40000, 7, "four");
        byte[] longer = Arrays.copyOf(good, good.length + 3); // IP carried 3 bytes more than UDP says
        fromIp.out().write(Batch.of(datagram(longer)));

        UdpDatagram d = receive(socket.received());
        assertThat(text(d), is("four"));
        assertThat(d.payload().length(), is(4));
    }

    @Test
    void answersADatagramToAnUnboundPortWithPortUnreachableQuotingItsStart() throws MalformedPacketException {
        start();
        IpDatagram d = datagram(fromPeer(40000, 33434, "probe probe probe"));
        byte[] original = ipPacket(d);
        fromIp.out().write(Batch.of(d));

        IpSend sent = kit.expectOne(toIp);
        assertThat(sent.destination(), is(PEER));
        assertThat(sent.protocol(), is(IpProtocol.ICMP));
        assertThat(sent.payload().headroom(), greaterThanOrEqualTo(Ipv4Packet.MIN_HEADER_LENGTH));
        PacketBuffer msg = sent.payload();
        IcmpPacket icmp = IcmpPacket.wrapChecked(msg.array(), msg.start(), msg.length()); // checks the checksum
        assertThat(icmp.type(), is(IcmpType.DESTINATION_UNREACHABLE));
        assertThat(icmp.code(), is(IcmpType.UNREACHABLE_PORT));
        byte[] quote = Arrays.copyOf(original, Ipv4Packet.MIN_HEADER_LENGTH + 8);
        assertThat(IcmpRepr.parse(icmp), is(new IcmpRepr.DestinationUnreachable(IcmpType.UNREACHABLE_PORT, 0, quote)));
        assertThat(counters.noSocketDropped.get(), is(1L));
        assertThat(counters.portUnreachableSent.get(), is(1L));
    }

    @Test
    void sendsNoPortUnreachableForBroadcastsOrAnUnspecifiedSource() throws MalformedPacketException {
        start();
        Ipv4Address subnetBroadcast = CONFIG.address().broadcast();
        fromIp.out().write(Batch.of(datagram(PEER, Ipv4Address.BROADCAST, udp(PEER, Ipv4Address.BROADCAST, 68, 67,
                ascii("dhcp?")))));
        fromIp.out().write(Batch.of(datagram(PEER, subnetBroadcast, udp(PEER, subnetBroadcast, 137, 137, ascii("nb")))));
        fromIp.out().write(Batch.of(datagram(Ipv4Address.ANY, OURS, udp(Ipv4Address.ANY, OURS, 68, 67, ascii("x")))));
        fromIp.out().write(Batch.of(datagram(fromPeer(40000, 9999, "unicast"))));

        IpSend sent = kit.expectOne(toIp);
        PacketBuffer msg = sent.payload();
        IcmpPacket icmp = IcmpPacket.wrapChecked(msg.array(), msg.start(), msg.length());
        UdpPacket quoted = UdpPacket.wrap(icmp.buffer(), icmp.dataOffset() + 20, 8);
        assertThat(quoted.destinationPort(), is(9999)); // the answer is about the unicast one
        assertThat(kit.pollOne(toIp, QUIET), is((IpSend) null));
        assertThat(counters.noSocketDropped.get(), is(4L));
        assertThat(counters.portUnreachableSent.get(), is(1L));
    }

    @Test
    void deliversABroadcastDatagramToTheSocketBoundToItsPort() {
        start();
        BindResult.Bound socket = bound(67, 8);
        fromIp.out().write(Batch.of(datagram(PEER, Ipv4Address.BROADCAST,
                udp(PEER, Ipv4Address.BROADCAST, 68, 67, ascii("discover")))));

        UdpDatagram d = receive(socket.received());
        assertThat(d.destination(), is(Ipv4Address.BROADCAST));
        assertThat(text(d), is("discover"));
    }

    @Test
    void rateLimitsPortUnreachables() {
        start(new TokenBucket(0.01, 2, System.nanoTime()), new PortTable()); // a burst of 2, then 1 per 100 s
        BindResult.Bound socket = bound(7, 8);
        for (int i = 0; i < 5; i++) {
            fromIp.out().write(Batch.of(datagram(fromPeer(40000, 8, "closed " + i))));
        }
        fromIp.out().write(Batch.of(datagram(fromPeer(40000, 7, "barrier"))));
        assertThat(text(receive(socket.received())), is("barrier"));

        kit.expectOne(toIp);
        kit.expectOne(toIp);
        assertThat(kit.pendingOne(toIp), is(false));
        assertThat(counters.noSocketDropped.get(), is(5L));
        assertThat(counters.portUnreachableSent.get(), is(2L));
        assertThat(counters.portUnreachableRateLimited.get(), is(3L));
    }

    @Test
    void dropsAndCountsWhenASocketsQueueIsFullWithoutBlocking() {
        start();
        BindResult.Bound socket = bound(7, 2);
        for (int i = 0; i < 5; i++) {
            fromIp.out().write(Batch.of(datagram(fromPeer(40000, 7, "d" + i))));
        }
        fromIp.out().write(Batch.of(datagram(fromPeer(40000, 8, "barrier")))); // unbound: its ICMP says all 5 were handled
        kit.expectOne(toIp);

        assertThat(counters.delivered.get(), is(2L));
        assertThat(counters.queueFullDropped.get(), is(3L));
        assertThat(text(receive(socket.received())), is("d0"));
        assertThat(text(receive(socket.received())), is("d1"));
        // The layer is alive and serving requests.
        assertThat(close(7), is(true));
        assertThat(bound(7, 2).port(), is(7));
    }

    // ---- bind and close ----

    @Test
    void refusesToBindAPortInUseWithAClearReason() {
        start();
        bound(7, 8);
        BindResult r = bind(7, 8);
        assertThat(r, instanceOf(BindResult.Refused.class));
        BindResult.Refused refused = (BindResult.Refused) r;
        assertThat(refused.port(), is(7));
        assertThat(refused.reason(), containsString("port 7 is in use"));
        assertThat(counters.bindsRefused.get(), is(1L));
        assertThat(counters.socketsOpen.get(), is(1L));
    }

    @Test
    void refusesAReceiveQueueBeyondTheMost() {
        start();
        BindResult r = bind(7, UdpLayer.MAX_RECEIVE_QUEUE + 1);
        assertThat(r, instanceOf(BindResult.Refused.class));
        assertThat(((BindResult.Refused) r).reason(), containsString("smaller queue"));
        assertThat(bound(7, UdpLayer.MAX_RECEIVE_QUEUE).port(), is(7));
    }

    @Test
    void bindsDistinctEphemeralPortsFromTheDynamicRange() {
        start();
        int first = bound(0, 8).port();
        int second = bound(0, 8).port();
        assertThat(first, allOf(greaterThanOrEqualTo(49152), lessThanOrEqualTo(65535)));
        assertThat(second, allOf(greaterThanOrEqualTo(49152), lessThanOrEqualTo(65535)));
        assertThat(second, is(not(first)));
        assertThat(counters.socketsOpen.get(), is(2L));
    }

    @Test
    void refusesAnEphemeralBindWhenTheRangeIsExhausted() {
        start(new TokenBucket(1000, 1000, System.nanoTime()), new PortTable(50000, 50001, 50000));
        assertThat(bound(0, 1).port(), is(50000));
        assertThat(bound(0, 1).port(), is(50001));
        BindResult r = bind(0, 1);
        assertThat(((BindResult.Refused) r).reason(), containsString("no ephemeral port left (2 in use"));
        assertThat(close(50000), is(true));
        assertThat(bound(0, 1).port(), is(50000));
    }

    @Test
    void closePoisonsTheReceiveChannelAndFreesThePort() throws Exception {
        start();
        BindResult.Bound socket = bound(7, 8);
        // An application blocked reading its socket wakes up with poison.
        CompletableFuture<Throwable> reader = CompletableFuture.supplyAsync(() -> {
            try {
                socket.received().read();
                return null;
            } catch (PoisonException e) {
                return e;
            }
        });
        assertThat(close(7), is(true));
        assertThat(reader.get(5, TimeUnit.SECONDS), instanceOf(PoisonException.class));
        assertThrows(PoisonException.class, () -> socket.received().read());
        assertThat(counters.socketsOpen.get(), is(0L));
        assertThat(close(7), is(false));

        // The port is free: a datagram to it now gets port unreachable, and it can be bound again.
        fromIp.out().write(Batch.of(datagram(fromPeer(40000, 7, "late"))));
        assertThat(kit.expectOne(toIp).protocol(), is(IpProtocol.ICMP));
        BindResult.Bound again = bound(7, 8);
        fromIp.out().write(Batch.of(datagram(fromPeer(40000, 7, "again"))));
        assertThat(text(receive(again.received())), is("again"));
    }

    @Test
    void answersCloseOfAPortNeverBoundOrOutOfRangeWithFalse() {
        start();
        assertThat(close(1234), is(false));
        assertThat(close(0), is(false));
        assertThat(close(70000), is(false));
    }

    @Test
    void undoesABindWhoseClientHasPoisonedItsReplyChannel() {
        start();
        One2OneChannel<BindResult> gone = replyChannel();
        gone.in().poison(1);
        apps.out().write(new UdpRequest.Bind(7, 8, gone.out()));
        // The layer goes on, and port 7 is free again.
        assertThat(bound(7, 8).port(), is(7));
        assertThat(counters.socketsOpen.get(), is(1L));
    }

    @Test
    void goesOnWhenAnApplicationPoisonsItsOwnReceiveChannel() {
        start();
        BindResult.Bound socket = bound(7, 8);
        socket.received().poison(1);
        fromIp.out().write(Batch.of(datagram(fromPeer(40000, 7, "nobody reads this"))));
        fromIp.out().write(Batch.of(datagram(fromPeer(40000, 7, "nor this"))));
        fromIp.out().write(Batch.of(datagram(fromPeer(40000, 8, "barrier"))));
        kit.expectOne(toIp);

        assertThat(counters.readerGoneDropped.get(), is(2L));
        assertThat(close(7), is(true));
        assertThat(bound(7, 8).port(), is(7));
    }

    // ---- send ----

    @Test
    void sendsAGoldenDatagramFromTheBoundPort() throws MalformedPacketException {
        start(new TokenBucket(1000, 1000, System.nanoTime()), new PortTable(49152, 65535, 49152));
        int port = bound(0, 8).port();
        assertThat(port, is(49152));
        byte[] data = ascii("hello udp");
        PacketBuffer payload = PacketBuffer.copyOf(data, 0, data.length, PacketBuffer.DEFAULT_HEADROOM);
        send(port, PEER, 9, payload);

        IpSend sent = kit.expectOne(toIp);
        assertThat(sent.destination(), is(PEER));
        assertThat(sent.ttl(), is(IpSend.DEFAULT_TTL));
        assertThat(sent.dontFragment(), is(false));
        assertThat(sent.payload(), is(sameInstance(payload))); // header prepended in place
        assertThat(sent.payload().headroom(), greaterThanOrEqualTo(20 + 14));
        UdpPacket u = sentUdp(sent);
        assertThat(u.sourcePort(), is(49152));
        assertThat(u.destinationPort(), is(9));
        assertThat(u.payloadLength(), is(9));
        // Scapy: IP(src="198.18.0.2", dst="198.18.0.1")/UDP(sport=49152, dport=9)/b"hello udp", from byte 20.
        assertThat(Bytes.hex(sent.payload().toByteArray()), is("c00000090011" + "8a43" + "68656c6c6f20756470"));
        assertThat(counters.datagramsSent.get(), is(1L));
    }

    @Test
    void sendsOddAndEmptyPayloadsWithValidChecksums() throws MalformedPacketException {
        start();
        int port = bound(5000, 8).port();
        for (String payload : new String[] {"", "a", "abc", "even"}) {
            send(port, Ipv4Address.parse("198.18.0.77"), 6000, payload);
            UdpPacket u = sentUdp(kit.expectOne(toIp));
            assertThat(u.payloadLength(), is(payload.length()));
            assertThat(u.sourcePort(), is(5000));
        }
    }

    @Test
    void dropsASendFromAnUnboundPortAndSendsTheNextValidOne() throws MalformedPacketException {
        start();
        int port = bound(5000, 8).port();
        send(5001, PEER, 9, "from nowhere");
        send(port, PEER, 9, "from 5000");

        UdpPacket u = sentUdp(kit.expectOne(toIp));
        assertThat(u.sourcePort(), is(5000));
        assertThat(kit.pollOne(toIp, QUIET), is((IpSend) null));
        assertThat(counters.notBoundDropped.get(), is(1L));
        assertThat(counters.datagramsSent.get(), is(1L));
    }

    @Test
    void dropsAnOversizePayloadButSendsTheLargestThatFits() throws MalformedPacketException {
        start();
        int port = bound(5000, 8).port();
        send(port, PEER, 9, PacketBuffer.allocate(65_508));
        send(port, PEER, 9, PacketBuffer.allocate(65_507));

        UdpPacket u = sentUdp(kit.expectOne(toIp));
        assertThat(u.length(), is(65_515));
        assertThat(counters.oversizeDropped.get(), is(1L));
        assertThat(counters.datagramsSent.get(), is(1L));
    }

    @Test
    void copiesAPayloadWithTooLittleHeadroom() throws MalformedPacketException {
        start();
        int port = bound(5000, 8).port();
        send(port, PEER, 9, PacketBuffer.wrap(ascii("no room")));

        IpSend sent = kit.expectOne(toIp);
        assertThat(sent.payload().headroom(), greaterThanOrEqualTo(20 + 14));
        UdpPacket u = sentUdp(sent);
        assertThat(new String(u.buffer(), u.payloadOffset(), u.payloadLength(), StandardCharsets.US_ASCII),
                is("no room"));
        assertThat(counters.shortHeadroomCopied.get(), is(1L));
    }

    @Test
    void dropsMalformedSends() throws MalformedPacketException {
        start();
        int port = bound(5000, 8).port();
        send(port, PEER, 0, "port zero");
        send(port, PEER, 65536, "port too large");
        send(port, null, 9, "nowhere");
        send(port, PEER, 9, (PacketBuffer) null);
        send(port, PEER, 9, "fine");

        assertThat(sentUdp(kit.expectOne(toIp)).destinationPort(), is(9));
        assertThat(counters.badSendDropped.get(), is(4L));
    }

    // ---- termination ----

    @Test
    void terminatesOnPoisonAndPoisonsEverySocket() throws InterruptedException {
        start();
        BindResult.Bound a = bound(7, 8);
        BindResult.Bound b = bound(0, 8);
        kit.close(); // fails if the layer does not end
        assertThrows(PoisonException.class, () -> a.received().read());
        assertThrows(PoisonException.class, () -> b.received().read());
    }
}
