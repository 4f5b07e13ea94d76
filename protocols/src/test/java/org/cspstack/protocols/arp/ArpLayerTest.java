package org.cspstack.protocols.arp;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.sameInstance;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.cspstack.core.csp.Batch;
import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.csp.Chan;
import org.cspstack.core.csp.Deadlines;
import org.cspstack.core.csp.ProcessTestKit;
import org.cspstack.core.wire.ArpPacket;
import org.cspstack.core.wire.ArpRepr;
import org.cspstack.core.wire.Bytes;
import org.cspstack.core.wire.EtherType;
import org.cspstack.core.wire.EthernetFrame;
import org.cspstack.core.wire.Ipv4Address;
import org.cspstack.core.wire.Ipv4Cidr;
import org.cspstack.core.wire.MacAddress;
import org.cspstack.protocols.stack.StackConfig;
import org.cspstack.protocols.stack.StackConfig.ArpSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Drives {@link ArpLayer} through its channel ends. Outputs are read with timeouts; nothing sleeps. */
class ArpLayerTest {

    private static final MacAddress OUR_MAC = StackConfig.DEFAULT_MAC; // 02:c5:70:00:00:02
    private static final Ipv4Address OUR_IP = Ipv4Address.parse("198.18.0.2");
    private static final MacAddress PEER_MAC = MacAddress.parse("02:00:00:00:00:01");
    private static final Ipv4Address PEER_IP = Ipv4Address.parse("198.18.0.1");
    private static final MacAddress OTHER_MAC = MacAddress.parse("02:00:00:00:00:03");
    private static final Ipv4Address OTHER_IP = Ipv4Address.parse("198.18.0.3");
    private static final Ipv4Address THIRD_IP = Ipv4Address.parse("198.18.0.4");

    /** Retries every 10 s, so that no test but the retry test ever sees one; 4 packets per address. */
    private static final StackConfig CONFIG = StackConfig.of(Ipv4Cidr.parse("198.18.0.2/24"))
            .withArp(new ArpSettings(Duration.ofSeconds(60), Duration.ofSeconds(10), 3, 16, 4, 8));
    /** How long to wait for something that must not come. */
    private static final Duration QUIET = Duration.ofMillis(100);

    private ProcessTestKit kit;
    private Chan<Batch<PacketBuffer>> fromEth;
    private Chan<Batch<RoutedPacket>> fromIp;
    private Chan<Batch<PacketBuffer>> toLink;
    private ArpCounters counters;

    private void start(StackConfig config) {
        kit = new ProcessTestKit("arp");
        fromEth = kit.input("ethToArp");
        fromIp = kit.input("ipToArp");
        toLink = kit.output("arpToLink");
        counters = new ArpCounters("arp");
        kit.start("arp", new ArpLayer(fromEth.in(), fromIp.in(), toLink.out(), config, counters), counters);
    }

    @AfterEach
    void close() throws InterruptedException {
        if (kit != null) {
            kit.close();
        }
    }

    // --- answering ---------------------------------------------------------------------------------------

    @Test
    void answersARequestForOurAddressWithAUnicastReply() {
        start(CONFIG);
        // as it arrives from Ethernet: in a 46-byte minimum payload, zero padding after the 28 ARP bytes
        fromEth.out().write(Batch.of(arp(ArpRepr.request(PEER_MAC, PEER_IP, OUR_IP), 46)));

        Sent tx = sent();
        assertThat(tx.destination(), is(PEER_MAC));
        assertThat(tx.etherType(), is(EtherType.ARP));
        byte[] expected = Bytes.fromHex(
                "0001 0800 06 04 0002"      // Ethernet, IPv4, 6, 4, operation 2 (reply)
                        + "02c570000002 c6120002"  // sender: our MAC, 198.18.0.2
                        + "020000000001 c6120001"); // target: the requester's MAC, 198.18.0.1
        assertThat(tx.payload(), equalTo(expected));
        assertThat(counters.requestsReceived.get(), is(1L));
        assertThat(counters.repliesSent.get(), is(1L));
        assertThat(counters.entriesLearned.get(), is(1L));
    }

    @Test
    void ignoresARequestForAnotherAddress() {
        start(CONFIG);
        fromEth.out().write(Batch.of(arp(ArpRepr.request(OTHER_MAC, OTHER_IP, THIRD_IP))));
        fromEth.out().write(Batch.of(arp(ArpRepr.request(PEER_MAC, PEER_IP, OUR_IP))));

        ArpRepr reply = parseArp(sent());
        assertThat(reply.targetIp(), is(PEER_IP));
        // inputs are handled in order: anything the first request caused would have come out before this
        assertThat(kit.pendingOne(toLink), is(false));
        assertThat(counters.notForUsIgnored.get(), is(1L));
        assertThat(counters.repliesSent.get(), is(1L));

        // and its unknown sender was not learned: sending to it needs a request
        fromIp.out().write(Batch.of(new RoutedPacket(OTHER_IP, datagram())));
        assertThat(parseArp(sent()).operation(), is(ArpRepr.REQUEST));
    }

    @Test
    void learnsTheSenderOfARequestForUs() {
        start(CONFIG);
        fromEth.out().write(Batch.of(arp(ArpRepr.request(PEER_MAC, PEER_IP, OUR_IP))));
        PacketBuffer d = datagram();
        fromIp.out().write(Batch.of(new RoutedPacket(PEER_IP, d)));

        assertThat(parseArp(sent()).operation(), is(ArpRepr.REPLY));
        Sent tx = sent();
        assertThat(tx.destination(), is(PEER_MAC));
        assertThat(tx.etherType(), is(EtherType.IPV4));
        assertThat(tx.frame(), is(sameInstance(d)));
        assertThat(counters.requestsSent.get(), is(0L));
    }

    @Test
    void answersAProbeForOurAddressWithoutLearningIt() {
        start(CONFIG);
        fromEth.out().write(Batch.of(arp(ArpRepr.request(PEER_MAC, Ipv4Address.ANY, OUR_IP))));

        Sent tx = sent();
        ArpRepr reply = parseArp(tx);
        assertThat(tx.destination(), is(PEER_MAC));
        assertThat(reply, equalTo(ArpRepr.reply(OUR_MAC, OUR_IP, PEER_MAC, Ipv4Address.ANY)));
        assertThat(counters.entriesLearned.get(), is(0L));
    }

    @Test
    void countsAnotherHostClaimingOurAddressAndIgnoresIt() {
        start(CONFIG);
        fromEth.out().write(Batch.of(arp(ArpRepr.request(OTHER_MAC, OUR_IP, OUR_IP)))); // someone announces our IP
        fromEth.out().write(Batch.of(arp(ArpRepr.request(PEER_MAC, PEER_IP, OUR_IP))));

        assertThat(parseArp(sent()).targetIp(), is(PEER_IP));
        assertThat(kit.pendingOne(toLink), is(false));
        assertThat(counters.conflictDetected.get(), is(1L));
        assertThat(counters.repliesSent.get(), is(1L));
    }

    // --- malformed and invalid input ---------------------------------------------------------------------

    static Stream<Arguments> badPackets() {
        return Stream.of(
                Arguments.of("27 bytes", (Consumer<PacketBuffer>) b -> b.truncate(27), "truncatedDropped"),
                Arguments.of("empty", (Consumer<PacketBuffer>) b -> b.truncate(0), "truncatedDropped"),
                Arguments.of("hardware type 6 (IEEE 802)", set(ArpPacket.HARDWARE_TYPE, 0x00, 0x06),
                        "unsupportedDropped"),
                Arguments.of("protocol type IPv6", set(ArpPacket.PROTOCOL_TYPE, 0x86, 0xdd), "unsupportedDropped"),
                Arguments.of("hardware length 8", set(ArpPacket.HARDWARE_LENGTH, 8), "unsupportedDropped"),
                Arguments.of("operation 3 (RARP request)", set(ArpPacket.OPERATION, 0x00, 0x03),
                        "unsupportedDropped"),
                Arguments.of("broadcast sender MAC", set(ArpPacket.SENDER_HARDWARE_ADDRESS, 0xff, 0xff, 0xff,
                        0xff, 0xff, 0xff), "invalidSenderDropped"),
                Arguments.of("directed broadcast sender IP", set(ArpPacket.SENDER_PROTOCOL_ADDRESS, 198, 18, 0,
                        255), "invalidSenderDropped"),
                Arguments.of("multicast sender IP", set(ArpPacket.SENDER_PROTOCOL_ADDRESS, 224, 0, 0, 1),
                        "invalidSenderDropped"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badPackets")
    void dropsAndCountsBadPackets(String name, Consumer<PacketBuffer> spoil, String counter) {
        start(CONFIG);
        PacketBuffer bad = arp(ArpRepr.request(PEER_MAC, PEER_IP, OUR_IP));
        spoil.accept(bad);
        fromEth.out().write(Batch.of(bad));
        fromEth.out().write(Batch.of(arp(ArpRepr.request(OTHER_MAC, OTHER_IP, OUR_IP))));

        // the reply to the valid packet proves the bad one, written before it, has been handled
        assertThat(parseArp(sent()).targetIp(), is(OTHER_IP));
        assertThat(kit.pendingOne(toLink), is(false));
        assertThat(counters.get(counter), is(1L));
        assertThat(counters.packetsReceived.get(), is(2L));
        assertThat(counters.repliesSent.get(), is(1L));
        assertThat("the bad packet's sender was not learned", counters.entriesLearned.get(), is(1L));
    }

    // --- resolving ---------------------------------------------------------------------------------------

    @Test
    void resolvesAnUnknownNextHopAndSendsTheWaitingDatagrams() {
        start(CONFIG);
        PacketBuffer first = datagram();
        PacketBuffer second = datagram();
        fromIp.out().write(Batch.of(new RoutedPacket(PEER_IP, first)));
        fromIp.out().write(Batch.of(new RoutedPacket(PEER_IP, second)));

        Sent tx = sent();
        assertThat(tx.destination(), is(MacAddress.BROADCAST));
        assertThat(parseArp(tx), equalTo(ArpRepr.request(OUR_MAC, OUR_IP, PEER_IP)));
        awaitIpHandled();

        fromEth.out().write(Batch.of(arp(ArpRepr.reply(PEER_MAC, PEER_IP, OUR_MAC, OUR_IP))));
        Sent out1 = sent();
        Sent out2 = sent();
        assertThat(out1, equalTo(new Sent(PEER_MAC, EtherType.IPV4, first)));
        assertThat(out2, equalTo(new Sent(PEER_MAC, EtherType.IPV4, second)));
        assertThat("one request for both datagrams", counters.requestsSent.get(), is(1L));
        assertThat(counters.packetsQueued.get(), is(2L));
        assertThat(counters.repliesReceived.get(), is(1L));
        assertThat(counters.entriesLearned.get(), is(1L));
        assertThat(counters.packetsSent.get(), is(3L)); // with the marker
        assertThat("a reply is not answered", kit.pendingOne(toLink), is(false));

        // now known: the next datagram goes straight out
        PacketBuffer third = datagram();
        fromIp.out().write(Batch.of(new RoutedPacket(PEER_IP, third)));
        assertThat(sent(), equalTo(new Sent(PEER_MAC, EtherType.IPV4, third)));
        assertThat(counters.requestsSent.get(), is(1L));
    }

    @Test
    void mergesAPendingSenderFromARequestForAnotherAddress() {
        start(CONFIG);
        PacketBuffer d = datagram();
        fromIp.out().write(Batch.of(new RoutedPacket(PEER_IP, d)));
        assertThat(parseArp(sent()).operation(), is(ArpRepr.REQUEST));

        // RFC 826: the sender is in our table (being resolved), so it is updated even though it asks for
        // someone else
        fromEth.out().write(Batch.of(arp(ArpRepr.request(PEER_MAC, PEER_IP, THIRD_IP))));
        assertThat(sent(), equalTo(new Sent(PEER_MAC, EtherType.IPV4, d)));
        assertThat(kit.pollOne(toLink, QUIET), is(nullValue()));
        assertThat(counters.notForUsIgnored.get(), is(1L));
        assertThat(counters.repliesSent.get(), is(0L));
    }

    @Test
    void refusesDatagramsBeyondThePerAddressQueue() {
        start(CONFIG); // 4 per address
        PacketBuffer[] sent = new PacketBuffer[5];
        for (int i = 0; i < sent.length; i++) {
            sent[i] = datagram();
            fromIp.out().write(Batch.of(new RoutedPacket(PEER_IP, sent[i])));
        }
        assertThat(parseArp(sent()).operation(), is(ArpRepr.REQUEST));
        awaitIpHandled();
        fromEth.out().write(Batch.of(arp(ArpRepr.reply(PEER_MAC, PEER_IP, OUR_MAC, OUR_IP))));
        for (int i = 0; i < 4; i++) {
            assertThat("datagram " + i, sent().frame(), is(sameInstance(sent[i])));
        }
        assertThat(kit.pendingOne(toLink), is(false));
        assertThat(counters.packetsQueued.get(), is(4L));
        assertThat(counters.queueFullDropped.get(), is(1L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"255.255.255.255", "198.18.0.255"})
    void sendsBroadcastsToTheBroadcastMacWithoutArp(String nextHop) {
        start(CONFIG);
        PacketBuffer d = datagram();
        fromIp.out().write(Batch.of(new RoutedPacket(Ipv4Address.parse(nextHop), d)));

        assertThat(sent(), equalTo(new Sent(MacAddress.BROADCAST, EtherType.IPV4, d)));
        assertThat(kit.pendingOne(toLink), is(false));
        assertThat(counters.requestsSent.get(), is(0L));
        assertThat(counters.packetsSent.get(), is(1L));
    }

    @Test
    void sendsMulticastToItsGroupMacWithoutArp() {
        start(CONFIG);
        PacketBuffer d = datagram();
        fromIp.out().write(Batch.of(new RoutedPacket(Ipv4Address.parse("224.0.0.251"), d)));

        assertThat(sent(), equalTo(new Sent(MacAddress.parse("01:00:5e:00:00:fb"), EtherType.IPV4, d)));
        assertThat(counters.requestsSent.get(), is(0L));
    }

    @Test
    void retriesAnUnansweredRequestThenDropsTheDatagram() {
        start(CONFIG.withArp(new ArpSettings(Duration.ofSeconds(60), Duration.ofMillis(50), 3, 16, 4, 8)));
        fromIp.out().write(Batch.of(new RoutedPacket(PEER_IP, datagram())));

        long firstAt = 0;
        for (int i = 1; i <= 3; i++) {
            Sent tx = sent();
            if (i == 1) {
                firstAt = System.nanoTime();
            }
            assertThat("request " + i, tx.destination(), is(MacAddress.BROADCAST));
            assertThat("request " + i, parseArp(tx), equalTo(ArpRepr.request(OUR_MAC, OUR_IP, PEER_IP)));
        }
        long spanMillis = (System.nanoTime() - firstAt) / 1_000_000;
        assertThat("two retry intervals, less a little timer slack", spanMillis, greaterThanOrEqualTo(90L));

        // the give-up is due 50 ms after the third request; no fourth request comes
        assertThat(kit.pollOne(toLink, Duration.ofMillis(300)), is(nullValue()));

        // given up: the next datagram to the same hop starts a new resolution rather than queueing
        fromIp.out().write(Batch.of(new RoutedPacket(PEER_IP, datagram())));
        assertThat(parseArp(sent()).operation(), is(ArpRepr.REQUEST));
        assertThat(counters.unresolvedDropped.get(), is(1L));
        assertThat(counters.resolutionFailures.get(), is(1L));
        assertThat(counters.requestsSent.get(), is(4L));
        assertThat(counters.retriesSent.get(), is(2L));
    }

    @Test
    void endsAndPoisonsItsEndsWhenPoisoned() throws InterruptedException {
        start(CONFIG);
        fromIp.out().write(Batch.of(new RoutedPacket(PEER_IP, datagram()))); // a pending resolution arms the timer
        kit.expectOne(toLink);
        kit.close(); // fails unless the process ends
        kit = null;
    }

    @Test
    void roundsAlarmsUpToWholeMilliseconds() {
        assertThat(Deadlines.ceilMillis(-5), is(0L));
        assertThat(Deadlines.ceilMillis(0), is(0L));
        assertThat(Deadlines.ceilMillis(1), is(1L));
        assertThat(Deadlines.ceilMillis(1_000_000), is(1L));
        assertThat(Deadlines.ceilMillis(1_000_001), is(2L));
        assertThat(Deadlines.ceilMillis(Long.MAX_VALUE), is(Long.MAX_VALUE / 1_000_000 + 1));
    }

    // --- helpers -----------------------------------------------------------------------------------------

    /**
     * Returns once every RoutedPacket written so far has been handled: fromIp is read in order, and a
     * broadcast goes straight out. Needed before writing to fromEth, whose guard has priority.
     */
    private void awaitIpHandled() {
        PacketBuffer marker = datagram();
        fromIp.out().write(Batch.of(new RoutedPacket(Ipv4Address.BROADCAST, marker)));
        assertThat("the marker", sent().frame(), is(sameInstance(marker)));
    }

    /** An ARP packet as Ethernet delivers it: a buffer starting at the ARP header. */
    private static PacketBuffer arp(ArpRepr repr) {
        return arp(repr, ArpPacket.LENGTH);
    }

    private static PacketBuffer arp(ArpRepr repr, int length) {
        PacketBuffer b = PacketBuffer.allocate(14, length);
        repr.emit(ArpPacket.wrap(b.array(), b.start(), b.length()));
        return b;
    }

    /** Overwrites bytes of the ARP packet from {@code offset}. */
    private static Consumer<PacketBuffer> set(int offset, int... bytes) {
        return b -> {
            for (int i = 0; i < bytes.length; i++) {
                b.array()[b.start() + offset + i] = (byte) bytes[i];
            }
        };
    }

    /**
     * A frame the layer sent, read back; equal to another when the destination and EtherType are and the frame
     * is the same buffer (a datagram is framed in place). {@link #sent()} checks that the source is our MAC.
     */
    private record Sent(MacAddress destination, int etherType, PacketBuffer frame) {
        byte[] payload() {
            byte[] all = frame.toByteArray();
            return java.util.Arrays.copyOfRange(all, EthernetFrame.HEADER_LENGTH, all.length);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Sent other && destination.equals(other.destination) && etherType == other.etherType
                    && frame == other.frame;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(frame);
        }
    }

    /** The next frame to the link, read back (and checked to come from our MAC). */
    private Sent sent() {
        PacketBuffer frame = kit.expectOne(toLink);
        EthernetFrame f = new EthernetFrame();
        assertThat("a whole Ethernet header", frame.length(), greaterThanOrEqualTo(EthernetFrame.HEADER_LENGTH));
        f.rewrap(frame.array(), frame.start(), frame.length());
        assertThat(f.source(), is(OUR_MAC));
        return new Sent(f.destination(), f.etherType(), frame);
    }

    private static ArpRepr parseArp(Sent tx) {
        assertThat(tx.etherType(), is(EtherType.ARP));
        byte[] b = tx.payload();
        assertThat(b.length, is(ArpPacket.LENGTH));
        try {
            return ArpRepr.parse(ArpPacket.wrapChecked(b, 0, b.length));
        } catch (Exception e) {
            throw new AssertionError("not a valid ARP packet: " + e.getMessage(), e);
        }
    }

    /** A stand-in IPv4 datagram; the layer never looks inside, and tests compare buffers by identity. */
    private static PacketBuffer datagram() {
        return PacketBuffer.allocate(20);
    }
}
