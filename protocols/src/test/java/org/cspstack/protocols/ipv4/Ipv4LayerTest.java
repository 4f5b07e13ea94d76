package org.cspstack.protocols.ipv4;

import static org.cspstack.protocols.testing.DatagramBuilder.datagram;
import static org.cspstack.protocols.testing.TestNet.GATEWAY_IP;
import static org.cspstack.protocols.testing.TestNet.NEIGHBOUR_IP;
import static org.cspstack.protocols.testing.TestNet.OFF_LINK_IP;
import static org.cspstack.protocols.testing.TestNet.OUR_IP;
import static org.cspstack.protocols.testing.TestNet.PEER_IP;
import static org.cspstack.protocols.testing.TestNet.SUBNET_BROADCAST;
import static org.cspstack.protocols.testing.TestNet.pattern;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.cspstack.core.csp.Batch;
import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.csp.Chan;
import org.cspstack.core.csp.ProcessTestKit;
import org.cspstack.core.wire.Bytes;
import org.cspstack.core.wire.IcmpPacket;
import org.cspstack.core.wire.IcmpType;
import org.cspstack.core.wire.IpProtocol;
import org.cspstack.core.wire.Ipv4Address;
import org.cspstack.core.wire.Ipv4Packet;
import org.cspstack.core.wire.MalformedPacketException;
import org.cspstack.protocols.arp.RoutedPacket;
import org.cspstack.protocols.stack.ProcessRegistry;
import org.cspstack.protocols.stack.StackConfig;
import org.cspstack.protocols.testing.DatagramBuilder;
import org.cspstack.protocols.testing.TestNet;
import org.jcsp.lang.Any2OneChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Drives {@link Ipv4Layer} through its channel ends, wired with two transports, ICMP (1) and UDP (17): datagrams
 * come up from Ethernet and go to a transport; {@link IpSend}s come down from a transport and go to ARP as
 * {@link RoutedPacket}s.
 */
class Ipv4LayerTest {
    /** The Ethernet header in front of every received datagram, as the Ethernet layer hands it up. */
    private static final int ETH_HEADROOM = 14;
    private static final int UNKNOWN_PROTOCOL = 99;

    private ProcessTestKit kit;
    private Chan<Batch<PacketBuffer>> fromEth;
    private Chan<Batch<RoutedPacket>> toArp;
    private Chan<Batch<IpSend>> icmpDown;
    private Chan<Batch<IpDatagram>> icmpUp;
    private Chan<Batch<IpSend>> udpDown;
    private Chan<Batch<IpDatagram>> udpUp;
    private Ipv4Counters counters;

    private void start(StackConfig config) {
        kit = new ProcessTestKit("ipv4");
        fromEth = kit.input("ethToIp");
        toArp = kit.output("ipToArp");
        icmpDown = kit.input("icmpToIp");
        icmpUp = kit.output("ipToIcmp");
        udpDown = kit.input("udpToIp");
        udpUp = kit.output("ipToUdp");
        counters = new Ipv4Counters("ipv4");
        List<Transport> transports = List.of(
                new Transport(IpProtocol.ICMP, "icmp", icmpDown.in(), icmpUp.out()),
                new Transport(IpProtocol.UDP, "udp", udpDown.in(), udpUp.out()));
        // Whichever implementation the config names, built by the registry as HostStack does.
        ReassemblyStrategy.Factory factory = ProcessRegistry.reassembly(config.process(ProcessRegistry.REASSEMBLY));
        Any2OneChannel<ReassemblyEvent> events = kit.network().upwardShared("reasmToIp", factory.eventWriters(""),
                "ipv4", 64);
        Ipv4Layer.Reassembly reassembly = new Ipv4Layer.Reassembly(kit.network(), "", events,
                factory.build(kit.network(), "", config, events));
        kit.start("ipv4", new Ipv4Layer(fromEth.in(), transports, toArp.out(), reassembly, config, counters),
                counters);
    }

    private void start() {
        start(TestNet.config());
    }

    @AfterEach
    void stopLayer() throws InterruptedException {
        if (kit != null) {
            kit.close();
        }
    }

    // ==== receive ===========================================================================================

    @Test
    void deliversADatagramForUsToTheTransportOfItsProtocol() {
        start();
        byte[] l4 = pattern(12, 1);
        byte[] wire = datagram().protocol(IpProtocol.UDP).ttl(57).payload(l4).build();

        fromEth.out().write(Batch.of(PacketBuffer.copyOf(wire, 0, wire.length, ETH_HEADROOM)));
        IpDatagram d = kit.expectOne(udpUp);

        assertThat(d.source(), is(PEER_IP));
        assertThat(d.destination(), is(OUR_IP));
        assertThat(d.protocol(), is(IpProtocol.UDP));
        assertThat(d.ttl(), is(57));
        assertThat(Bytes.hex(d.payload().toByteArray()), is(Bytes.hex(l4)));
        // The IP header is still there, in the headroom, right in front of the payload.
        assertThat(d.headerOffset(), is(ETH_HEADROOM));
        assertThat(d.headerLength(), is(20));
        assertThat(d.payload().start(), is(d.headerOffset() + d.headerLength()));
        assertThat(Bytes.hex(d.payload().array(), d.headerOffset(), d.headerLength()), is(Bytes.hex(wire, 0, 20)));
        assertNothingPending();
        assertCounters(Map.of("packetsReceived", 1L, "delivered", 1L));
    }

    @Test
    void deliversEachProtocolToItsOwnTransport() {
        start();
        fromEth.out().write(Batch.of(datagram().protocol(IpProtocol.ICMP).payload(pattern(8, 2)).buffer()));
        fromEth.out().write(Batch.of(datagram().protocol(IpProtocol.UDP).payload(pattern(8, 3)).buffer()));

        // The ICMP datagram was handled first: had it gone to UDP, it would be first on udpUp.
        IpDatagram udp = kit.expectOne(udpUp);
        assertThat(udp.protocol(), is(IpProtocol.UDP));
        assertThat(Bytes.hex(udp.payload().toByteArray()), is(Bytes.hex(pattern(8, 3))));
        IpDatagram icmp = kit.expectOne(icmpUp);
        assertThat(icmp.protocol(), is(IpProtocol.ICMP));
        assertThat(Bytes.hex(icmp.payload().toByteArray()), is(Bytes.hex(pattern(8, 2))));
        assertNothingPending();
        assertCounters(Map.of("packetsReceived", 2L, "delivered", 2L));
    }

    @Test
    void cutsOffEthernetPaddingBeyondTheTotalLength() {
        start();
        byte[] l4 = pattern(6, 4);
        byte[] padding = new byte[20];
        Arrays.fill(padding, (byte) 0xee);
        fromEth.out().write(Batch.of(datagram().payload(l4).padding(padding).buffer()));

        IpDatagram d = kit.expectOne(udpUp);
        assertThat(Bytes.hex(d.payload().toByteArray()), is(Bytes.hex(l4)));
        assertCounters(Map.of("packetsReceived", 1L, "delivered", 1L));
    }

    @ParameterizedTest(name = "to {0}")
    @ValueSource(strings = {"255.255.255.255", "198.18.0.255"})
    void acceptsBroadcastDestinations(String destination) {
        start();
        Ipv4Address to = Ipv4Address.parse(destination);
        fromEth.out().write(Batch.of(datagram().destination(to).payload(pattern(8, 5)).buffer()));

        IpDatagram d = kit.expectOne(udpUp);
        assertThat(d.destination(), is(Ipv4Address.parse(destination)));
        assertThat(Bytes.hex(d.payload().toByteArray()), is(Bytes.hex(pattern(8, 5))));
        assertCounters(Map.of("packetsReceived", 1L, "delivered", 1L));
    }

    @ParameterizedTest(name = "to {0}")
    @ValueSource(strings = {"198.18.0.7", "198.19.5.5", "224.0.0.1"})
    void dropsDatagramsForAnotherDestination(String destination) {
        start();
        fromEth.out().write(Batch.of(datagram().destination(Ipv4Address.parse(destination)).buffer()));

        assertOnlyTheFollowingValidDatagramIsDelivered();
        assertCounters(Map.of("packetsReceived", 2L, "delivered", 1L, "notForUsDropped", 1L));
    }

    static Stream<Arguments> malformed() {
        Supplier<DatagramBuilder> valid = () -> datagram().payload(pattern(20, 6));
        return Stream.of(
                Arguments.of("empty", new byte[0], "truncatedDropped"),
                Arguments.of("19 bytes, shorter than a header", valid.get().firstBytes(19), "truncatedDropped"),
                Arguments.of("version 6", valid.get().version(6).build(), "badVersionDropped"),
                Arguments.of("IHL 4", valid.get().ihl(4).build(), "badHeaderLengthDropped"),
                Arguments.of("IHL 15 in 40 bytes", valid.get().ihl(15).build(), "badHeaderLengthDropped"),
                Arguments.of("total length 100 in 40 bytes", valid.get().totalLength(100).build(),
                        "badTotalLengthDropped"),
                Arguments.of("total length 19, below the header", valid.get().totalLength(19).build(),
                        "badTotalLengthDropped"),
                Arguments.of("bad header checksum", valid.get().badChecksum().build(), "badChecksumDropped"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void dropsAMalformedDatagramAndCountsItsReason(String name, byte[] wire, String counter) {
        start();
        fromEth.out().write(Batch.of(PacketBuffer.copyOf(wire, 0, wire.length, ETH_HEADROOM)));

        assertOnlyTheFollowingValidDatagramIsDelivered();
        assertCounters(Map.of("packetsReceived", 2L, "delivered", 1L, counter, 1L));
    }

    /** RFC 1122 3.2.1.3: a source that is a broadcast, multicast or our own address is dropped. */
    @ParameterizedTest(name = "from {0}")
    @ValueSource(strings = {"255.255.255.255", "198.18.0.255", "224.0.0.1", "239.255.255.250", "198.18.0.2"})
    void dropsDatagramsWithASourceThatIsNotAnotherHost(String source) {
        start();
        fromEth.out().write(Batch.of(datagram().source(Ipv4Address.parse(source)).buffer()));

        assertOnlyTheFollowingValidDatagramIsDelivered();
        assertCounters(Map.of("packetsReceived", 2L, "delivered", 1L, "badSourceDropped", 1L));
    }

    /** RFC 1122 3.2.1.3 (g): 127/8 "MUST NOT appear outside a host"; one on the wire is a martian. */
    @Test
    void dropsDatagramsFromALoopbackSourceOnTheWire() {
        start();
        fromEth.out().write(Batch.of(datagram().source(Ipv4Address.parse("127.0.0.1")).buffer()));

        assertOnlyTheFollowingValidDatagramIsDelivered();
        assertCounters(Map.of("packetsReceived", 2L, "delivered", 1L, "badSourceDropped", 1L));
    }

    @Test
    void deliversADatagramWithOptionsSkippingThemAndCountsTheOptions() {
        start();
        byte[] routerAlert = Bytes.fromHex("94040000"); // RFC 2113, 4 bytes: IHL 6
        byte[] l4 = pattern(16, 7);
        byte[] wire = datagram().options(routerAlert).payload(l4).build();
        assertThat(wire[0], is((byte) 0x46));

        fromEth.out().write(Batch.of(PacketBuffer.copyOf(wire, 0, wire.length, ETH_HEADROOM)));
        IpDatagram d = kit.expectOne(udpUp);

        assertThat(d.headerLength(), is(24));
        assertThat(d.headerOffset(), is(ETH_HEADROOM));
        assertThat(d.payload().start(), is(ETH_HEADROOM + 24));
        assertThat(Bytes.hex(d.payload().toByteArray()), is(Bytes.hex(l4)));
        assertCounters(Map.of("packetsReceived", 1L, "delivered", 1L, "optionsIgnored", 1L));
    }

    /** The reassembly implementations of the registry: every reassembly test runs with each. */
    static List<String> reassemblers() {
        return ProcessRegistry.choices(ProcessRegistry.REASSEMBLY).stream().map(ProcessRegistry.Entry::name).toList();
    }

    private static StackConfig config(String reassembler) {
        return TestNet.config().withProcess(ProcessRegistry.REASSEMBLY, reassembler);
    }

    static Stream<Arguments> fragments() {
        return reassemblers().stream().flatMap(r -> Stream.of(
                Arguments.of(r, "first: MF, offset 0", datagram().moreFragments().payload(pattern(8, 8))),
                Arguments.of(r, "middle: MF, offset 8", datagram().moreFragments().fragmentOffset(8)
                        .payload(pattern(8, 8))),
                Arguments.of(r, "last: offset 1480", datagram().fragmentOffset(1480).payload(pattern(8, 8))),
                Arguments.of(r, "last with DF: offset 8", datagram().dontFragment().fragmentOffset(8)
                        .payload(pattern(8, 8)))));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("fragments")
    void holdsALoneFragmentInReassemblyAndDeliversNothingYet(String reassembler, String name,
                                                             DatagramBuilder fragment) {
        start(config(reassembler));
        fromEth.out().write(Batch.of(fragment.buffer()));

        assertOnlyTheFollowingValidDatagramIsDelivered();
        assertCounters(Map.of("packetsReceived", 2L, "delivered", 1L, "fragmentsReceived", 1L,
                "reassembliesStarted", 1L, "reassembliesInFlight", 1L, "reassemblyBytesHeld", 8L,
                "reassemblyBytesHeldMax", 8L));
        // A process of its own, or an entry in the one process's table.
        assertThat(kit.runner().liveDynamic().size(), is(reassembler.equals("per-datagram") ? 1 : 0));
    }

    @ParameterizedTest
    @MethodSource("reassemblers")
    void reassemblesFragmentsInAProcessOfTheirOwnAndDeliversTheWholeDatagram(String reassembler) {
        start(config(reassembler));
        byte[] l4 = pattern(24, 3);
        // Out of order: the last fragment first.
        fromEth.out().write(Batch.of(datagram().identification(77).fragmentOffset(16)
                .payload(Arrays.copyOfRange(l4, 16, 24)).buffer()));
        fromEth.out().write(Batch.of(datagram().identification(77).moreFragments()
                .payload(Arrays.copyOfRange(l4, 0, 16)).buffer()));

        IpDatagram d = kit.expectOne(udpUp);
        assertThat(Bytes.hex(d.payload().toByteArray()), is(Bytes.hex(l4)));
        assertThat(d.source(), is(PEER_IP));
        assertThat(counters.get("fragmentsReceived"), is(2L));
        assertThat(counters.get("reassembliesStarted"), is(1L));
        assertThat(counters.get("reassembled"), is(1L));
        assertThat(counters.get("reassembliesInFlight"), is(0L));
        assertThat(counters.get("reassemblyBytesHeld"), is(0L));
        assertThat(counters.get("reassemblyBytesHeldMax"), is(24L));
    }

    @ParameterizedTest
    @MethodSource("reassemblers")
    void anIncompleteDatagramTimesOutWithIcmpTimeExceededToItsSource(String reassembler)
            throws MalformedPacketException {
        StackConfig config = config(reassembler);
        start(config.withReassembly(config.reassembly().withTimeout(java.time.Duration.ofMillis(100))));
        DatagramBuilder first = datagram().identification(88).moreFragments().payload(pattern(16, 4));
        byte[] firstBytes = first.build();
        fromEth.out().write(Batch.of(first.buffer()));

        RoutedPacket error = kit.expectOne(toArp);
        byte[] out = error.datagram().toByteArray();
        Ipv4Packet ip = Ipv4Packet.wrapChecked(out, 0, out.length);
        assertThat(ip.destination(), is(PEER_IP));
        assertThat(ip.protocol(), is(IpProtocol.ICMP));
        IcmpPacket icmp = IcmpPacket.wrapChecked(out, ip.payloadOffset(), ip.payloadLength());
        assertThat(icmp.type(), is(IcmpType.TIME_EXCEEDED));
        assertThat(icmp.code(), is(IcmpType.TIME_EXCEEDED_REASSEMBLY));
        assertThat("quotes the first fragment's header and 8 bytes",
                Bytes.hex(Arrays.copyOfRange(out, icmp.dataOffset(), icmp.dataOffset() + icmp.dataLength())),
                is(Bytes.hex(Arrays.copyOfRange(firstBytes, 0, 28))));
        assertThat(counters.get("reassemblyTimeouts"), is(1L));
        assertThat(counters.get("reassembliesInFlight"), is(0L));
    }

    @ParameterizedTest
    @MethodSource("reassemblers")
    void aDatagramWhoseFirstFragmentNeverCameTimesOutSilently(String reassembler) {
        StackConfig config = config(reassembler);
        start(config.withReassembly(config.reassembly().withTimeout(java.time.Duration.ofMillis(50))));
        fromEth.out().write(Batch.of(datagram().identification(89).fragmentOffset(8).moreFragments().payload(pattern(8, 4))
                .buffer()));
        // Wait for the timeout to be reported: the next datagram that comes out after it proves the order.
        IpDatagram marker = null;
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (counters.get("reassemblyTimeouts") == 0 && System.nanoTime() < deadline) {
            fromEth.out().write(Batch.of(datagram().identification(0x1000).payload(pattern(8, 1)).buffer()));
            marker = kit.expectOne(udpUp);
        }
        assertThat(marker == null ? "no marker" : "marker", counters.get("reassemblyTimeouts"), is(1L));
        assertThat("no ICMP error without fragment 0", kit.pendingOne(toArp), is(false));
    }

    @ParameterizedTest
    @MethodSource("reassemblers")
    void evictsTheOldestDatagramBeyondTheLimit(String reassembler) {
        StackConfig config = config(reassembler);
        start(config.withReassembly(new StackConfig.ReassemblySettings(java.time.Duration.ofSeconds(30), 2,
                1 << 20, 16)));
        for (int id = 1; id <= 3; id++) {
            fromEth.out().write(Batch.of(datagram().identification(id).moreFragments().payload(pattern(8, id)).buffer()));
        }
        assertOnlyTheFollowingValidDatagramIsDelivered();
        assertThat(counters.get("reassembliesStarted"), is(3L));
        assertThat(counters.get("reassemblyEvictions"), is(1L));
        assertThat(counters.get("reassembliesInFlight"), is(2L));
        assertThat(counters.get("reassemblyBytesHeld"), is(16L));
        // Datagram 1 was evicted: its last fragment starts a new reassembly rather than completing it.
        fromEth.out().write(Batch.of(datagram().identification(1).fragmentOffset(8).payload(pattern(8, 9)).buffer()));
        assertOnlyTheFollowingValidDatagramIsDelivered();
        assertThat(counters.get("reassembliesStarted"), is(4L));
        assertThat(counters.get("reassemblyEvictions"), is(2L));
    }

    @ParameterizedTest
    @MethodSource("reassemblers")
    void refusesFragmentsThatAreBadOnTheirOwn(String reassembler) {
        start(config(reassembler));
        fromEth.out().write(Batch.of(datagram().identification(5).moreFragments().payload(pattern(7, 1)).buffer()));
        fromEth.out().write(Batch.of(datagram().identification(6).fragmentOffset(65528).payload(pattern(16, 1)).buffer()));
        assertOnlyTheFollowingValidDatagramIsDelivered();
        assertThat(counters.get("badFragments"), is(1L));
        assertThat(counters.get("reassemblyTooLong"), is(1L));
        assertThat(counters.get("reassembliesStarted"), is(0L));
    }

    static Stream<Arguments> tableCasesWithEachReassembler() {
        return reassemblers().stream().flatMap(r -> FragmentAssemblyTest.cases()
                .map(a -> Arguments.of(r, a.get()[0])));
    }

    /**
     * {@link FragmentAssemblyTest}'s table of cases (gVisor's list), sent through the layer to each reassembly
     * implementation: a case that completes delivers the original data once; any other delivers nothing.
     */
    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("tableCasesWithEachReassembler")
    void reassemblesTheTableOfCasesThroughTheLayer(String reassembler, FragmentAssemblyTest.Case c)
            throws MalformedPacketException, InterruptedException {
        StackConfig config = config(reassembler);
        start(config.withReassembly(config.reassembly().withTimeout(java.time.Duration.ofMillis(200))));
        for (FragmentAssemblyTest.Frag f : c.fragments()) {
            Ipv4Packet p = FragmentAssemblyTest.fragment(f, c, OUR_IP);
            fromEth.out().write(Batch.of(PacketBuffer.copyOf(p.buffer(), p.offset(), p.totalLength(), ETH_HEADROOM)));
        }
        if (c.datagramLength() >= 0) {
            IpDatagram d = kit.expectOne(udpUp);
            assertThat(Bytes.hex(d.payload().toByteArray()),
                    is(Bytes.hex(FragmentAssemblyTest.original(c.datagramLength()))));
            assertThat(d.headerLength(), is(Ipv4Packet.MIN_HEADER_LENGTH + c.firstOptions()));
            // A lone "fragment" with offset 0 and MF clear is a whole datagram and never reaches reassembly.
            assertThat(counters.get("reassembled"), is(c.fragments().size() == 1 ? 0L : 1L));
            return;
        }
        // Every fragment read and every datagram ended (dropped, evicted or timed out): nothing came whole.
        long deadline = System.nanoTime() + 5_000_000_000L;
        while ((counters.get("packetsReceived") < c.fragments().size() || counters.get("reassembliesInFlight") != 0)
                && System.nanoTime() < deadline) {
            Thread.sleep(1); // polls a state, bounded; assumes nothing about how long it takes
        }
        assertThat(counters.get("reassembliesInFlight"), is(0L));
        assertOnlyTheFollowingValidDatagramIsDelivered(false);
        assertThat(counters.get("reassembled"), is(0L));
    }

    @Test
    void deliversAnUnfragmentedDatagramWithDontFragmentSet() {
        start();
        fromEth.out().write(Batch.of(datagram().dontFragment().payload(pattern(8, 9)).buffer()));

        assertThat(Bytes.hex(kit.expectOne(udpUp).payload().toByteArray()), is(Bytes.hex(pattern(8, 9))));
        assertCounters(Map.of("packetsReceived", 1L, "delivered", 1L));
    }

    /** RFC 1122 3.2.1.7: a host MUST NOT discard a datagram because its TTL is below 2. */
    @ParameterizedTest(name = "TTL {0}")
    @ValueSource(ints = {0, 1})
    void deliversDatagramsWithTtlBelowTwo(int ttl) {
        start();
        fromEth.out().write(Batch.of(datagram().ttl(ttl).payload(pattern(8, 10)).buffer()));

        IpDatagram d = kit.expectOne(udpUp);
        assertThat(d.ttl(), is(ttl));
        assertCounters(Map.of("packetsReceived", 1L, "delivered", 1L));
    }

    @Test
    void answersAnUnknownProtocolUnicastToUsWithIcmpProtocolUnreachable() throws MalformedPacketException {
        start();
        byte[] original = datagram().protocol(UNKNOWN_PROTOCOL).identification(0xbeef).payload(pattern(12, 11))
                .build();

        fromEth.out().write(Batch.of(PacketBuffer.copyOf(original, 0, original.length, ETH_HEADROOM)));
        RoutedPacket error = kit.expectOne(toArp);

        assertThat(error.nextHop(), is(PEER_IP));
        byte[] bytes = error.datagram().toByteArray();
        Ipv4Packet ip = Ipv4Packet.wrapChecked(bytes, 0, bytes.length); // checks the header checksum
        assertThat(ip.version(), is(4));
        assertThat(ip.headerLength(), is(20));
        assertThat(ip.totalLength(), is(bytes.length));
        assertThat(ip.protocol(), is(IpProtocol.ICMP));
        assertThat(ip.source(), is(OUR_IP));
        assertThat(ip.destination(), is(PEER_IP));
        assertThat(ip.ttl(), greaterThan(0));
        assertThat(ip.isFragment(), is(false));
        IcmpPacket icmp = IcmpPacket.wrapChecked(bytes, ip.payloadOffset(), ip.payloadLength()); // checksum
        assertThat(icmp.type(), is(IcmpType.DESTINATION_UNREACHABLE));
        assertThat(icmp.code(), is(IcmpType.UNREACHABLE_PROTOCOL));
        assertThat(icmp.restOfHeader(), is(0L));
        // RFC 792: the original IP header and the first 8 bytes of its data.
        assertThat(Bytes.hex(bytes, icmp.dataOffset(), icmp.dataLength()), is(Bytes.hex(original, 0, 20 + 8)));

        assertNothingPending();
        assertCounters(Map.of("packetsReceived", 1L, "unknownProtocolDropped", 1L, "icmpErrorsSent", 1L,
                "packetsSent", 1L));
    }

    @Test
    void quotesTheWholeDatagramWhenItsDataIsShorterThanEightBytes() throws MalformedPacketException {
        start();
        byte[] original = datagram().protocol(UNKNOWN_PROTOCOL).payload(pattern(3, 12)).build();

        fromEth.out().write(Batch.of(PacketBuffer.copyOf(original, 0, original.length, ETH_HEADROOM)));
        byte[] bytes = kit.expectOne(toArp).datagram().toByteArray();

        Ipv4Packet ip = Ipv4Packet.wrapChecked(bytes, 0, bytes.length);
        IcmpPacket icmp = IcmpPacket.wrapChecked(bytes, ip.payloadOffset(), ip.payloadLength());
        assertThat(Bytes.hex(bytes, icmp.dataOffset(), icmp.dataLength()), is(Bytes.hex(original)));
    }

    @ParameterizedTest(name = "to {0}")
    @ValueSource(strings = {"255.255.255.255", "198.18.0.255"})
    void sendsNoIcmpErrorAboutAnUnknownProtocolSentToABroadcastAddress(String destination) {
        start();
        fromEth.out().write(Batch.of(datagram().protocol(UNKNOWN_PROTOCOL).destination(Ipv4Address.parse(destination))
                .payload(pattern(12, 13)).buffer()));

        assertOnlyTheFollowingValidDatagramIsDelivered(); // also checks that nothing went to ARP
        assertCounters(Map.of("packetsReceived", 2L, "delivered", 1L, "unknownProtocolDropped", 1L));
    }

    /**
     * RFC 1122 3.2.2: no ICMP error about a datagram whose source does not define a single host, such as
     * 0.0.0.0 (which a host must accept as a source, e.g. from a DHCP client). With a gateway configured the
     * error would otherwise be routed to it, addressed to 0.0.0.0.
     */
    @Test
    void sendsNoIcmpErrorAboutADatagramFromTheUnspecifiedAddress() {
        start(TestNet.configWithGateway());
        fromEth.out().write(Batch.of(datagram().protocol(UNKNOWN_PROTOCOL).source(Ipv4Address.ANY)
                .payload(pattern(12, 14)).buffer()));

        assertOnlyTheFollowingValidDatagramIsDelivered();
        assertThat(counters.get("unknownProtocolDropped"), is(1L));
        assertThat(counters.get("icmpErrorsSent"), is(0L));
        assertThat(counters.get("packetsSent"), is(0L));
    }

    @Test
    void rateLimitsIcmpErrors() {
        start();
        int n = 200;
        for (int i = 0; i < n; i++) {
            fromEth.out().write(Batch.of(datagram().protocol(UNKNOWN_PROTOCOL).identification(i).payload(pattern(8, i))
                    .buffer()));
        }
        assertOnlyTheFollowingValidDatagramIsDelivered(false);

        long sent = counters.get("icmpErrorsSent");
        long limited = counters.get("icmpErrorsRateLimited");
        assertThat(sent + limited, is((long) n));
        // The burst goes out at once; 200 datagrams take far less than the (200 - 20) / 100 s it would take
        // for the bucket to keep up.
        assertThat(sent, greaterThanOrEqualTo((long) Ipv4Layer.ICMP_ERROR_BURST));
        assertThat(limited, greaterThan(0L));
        for (long i = 0; i < sent; i++) {
            assertThat(kit.expectOne(toArp).nextHop(), is(PEER_IP));
        }
        assertThat(kit.pendingOne(toArp), is(false));
    }

    // ==== send ==============================================================================================

    @ParameterizedTest(name = "DF {0}, TTL {1}")
    @CsvSource({"false, 64", "true, 64", "false, 1", "true, 255"})
    void sendsADatagramWithAComplete20ByteHeader(boolean dontFragment, int ttl) throws MalformedPacketException {
        start();
        byte[] l4 = pattern(12, 20);

        udpDown.out().write(Batch.of(new IpSend(PEER_IP, IpProtocol.UDP, ttl, dontFragment, transportPayload(l4))));
        RoutedPacket out = kit.expectOne(toArp);

        assertThat(out.nextHop(), is(PEER_IP));
        byte[] bytes = out.datagram().toByteArray();
        Ipv4Packet ip = Ipv4Packet.wrapChecked(bytes, 0, bytes.length); // version, lengths and checksum
        assertThat(bytes.length, is(32));
        assertThat(ip.version(), is(4));
        assertThat(ip.headerLength(), is(20));
        assertThat(ip.dscpEcn(), is(0));
        assertThat(ip.totalLength(), is(32));
        assertThat(ip.dontFragment(), is(dontFragment));
        assertThat(ip.moreFragments(), is(false));
        assertThat(ip.fragmentOffset(), is(0));
        assertThat(ip.ttl(), is(ttl));
        assertThat(ip.protocol(), is(IpProtocol.UDP));
        assertThat(ip.source(), is(OUR_IP));
        assertThat(ip.destination(), is(PEER_IP));
        assertThat(ip.verifyChecksum(), is(true));
        // Byte for byte, except identification (4-5) and checksum (10-11), which were checked above.
        String hex = Bytes.hex(bytes);
        assertThat(hex.substring(0, 8), is("45000020"));
        assertThat(hex.substring(12, 20), is((dontFragment ? "4000" : "0000") + String.format("%02x11", ttl)));
        assertThat(hex.substring(24, 40), is("c6120002" + "c6120001"));
        assertThat(hex.substring(40), is(Bytes.hex(l4)));
        assertNothingPending();
        assertCounters(Map.of("packetsSent", 1L));
    }

    @Test
    void givesSuccessiveDatagramsDifferentIdentifications() {
        start();
        udpDown.out().write(Batch.of(IpSend.of(PEER_IP, IpProtocol.UDP, transportPayload(pattern(8, 21)))));
        udpDown.out().write(Batch.of(IpSend.of(PEER_IP, IpProtocol.UDP, transportPayload(pattern(8, 22)))));

        int first = identification(kit.expectOne(toArp));
        int second = identification(kit.expectOne(toArp));
        assertThat(second == first, is(false));
    }

    static Stream<Arguments> routes() {
        StackConfig noGateway = TestNet.config();
        StackConfig gateway = TestNet.configWithGateway();
        return Stream.of(
                Arguments.of("on-link peer, no gateway", noGateway, PEER_IP, PEER_IP),
                Arguments.of("on-link neighbour, with gateway", gateway, NEIGHBOUR_IP, NEIGHBOUR_IP),
                Arguments.of("off-link host, via gateway", gateway, OFF_LINK_IP, GATEWAY_IP),
                Arguments.of("limited broadcast", noGateway, Ipv4Address.BROADCAST, Ipv4Address.BROADCAST),
                Arguments.of("subnet broadcast", gateway, SUBNET_BROADCAST, SUBNET_BROADCAST));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routes")
    void choosesTheNextHop(String name, StackConfig config, Ipv4Address destination, Ipv4Address nextHop) {
        start(config);
        udpDown.out().write(Batch.of(IpSend.of(destination, IpProtocol.UDP, transportPayload(pattern(8, 23)))));

        RoutedPacket out = kit.expectOne(toArp);
        assertThat(out.nextHop(), is(nextHop));
        byte[] bytes = out.datagram().toByteArray();
        assertThat(Ipv4Packet.wrap(bytes, 0, bytes.length).destination(), is(destination));
        assertCounters(Map.of("packetsSent", 1L));
    }

    @Test
    void dropsADatagramOffLinkWhenThereIsNoGateway() {
        start();
        udpDown.out().write(Batch.of(IpSend.of(OFF_LINK_IP, IpProtocol.UDP, transportPayload(pattern(8, 24)))));

        assertOnlyTheFollowingSendReachesArp(udpDown);
        assertCounters(Map.of("packetsSent", 1L, "noRouteDropped", 1L));
    }

    @Test
    void fragmentsA4000ByteDatagramIntoThreeForAnMtuOf1500() throws MalformedPacketException {
        start();
        byte[] l4 = pattern(4000, 25);

        udpDown.out().write(Batch.of(IpSend.of(PEER_IP, IpProtocol.UDP, transportPayload(l4))));
        List<Ipv4Packet> fragments = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RoutedPacket out = kit.expectOne(toArp);
            assertThat(out.nextHop(), is(PEER_IP));
            byte[] bytes = out.datagram().toByteArray();
            fragments.add(Ipv4Packet.wrapChecked(bytes, 0, bytes.length));
        }

        assertThat(fragments.stream().map(Ipv4Packet::fragmentOffset).toList(), is(List.of(0, 1480, 2960)));
        assertThat(fragments.stream().map(Ipv4Packet::moreFragments).toList(), is(List.of(true, true, false)));
        assertThat(fragments.stream().map(Ipv4Packet::totalLength).toList(), is(List.of(1500, 1500, 1060)));
        int id = fragments.get(0).identification();
        for (Ipv4Packet f : fragments) {
            assertThat(f.identification(), is(id));
            assertThat(f.dontFragment(), is(false));
            assertThat(f.protocol(), is(IpProtocol.UDP));
            assertThat(f.source(), is(OUR_IP));
            assertThat(f.destination(), is(PEER_IP));
            assertThat(f.ttl(), is(IpSend.DEFAULT_TTL));
            assertThat(f.length(), is(f.totalLength()));
        }
        assertThat(Bytes.hex(concatenatePayloads(fragments)), is(Bytes.hex(l4)));
        assertNothingPending();
        assertCounters(Map.of("packetsSent", 1L, "fragmentsSent", 3L));
    }

    /** MTU, payload length, fragments: just fitting, just over, a small MTU, and the RFC 791 minimum 68. */
    @ParameterizedTest(name = "MTU {0}, {1} bytes -> {2}")
    @CsvSource({"1500, 1480, 1", "1500, 1481, 2", "576, 1500, 3", "68, 100, 3", "1500, 8000, 6"})
    void fragmentsIntoPiecesThatFitTheMtuAndReassembleToTheOriginal(int mtu, int length, int count)
            throws MalformedPacketException {
        start(TestNet.config().withMtu(mtu));
        byte[] l4 = pattern(length, 26);

        udpDown.out().write(Batch.of(IpSend.of(PEER_IP, IpProtocol.UDP, transportPayload(l4))));
        List<Ipv4Packet> fragments = new ArrayList<>();
        int expectedOffset = 0;
        for (int i = 0; i < count; i++) {
            byte[] bytes = kit.expectOne(toArp).datagram().toByteArray();
            Ipv4Packet f = Ipv4Packet.wrapChecked(bytes, 0, bytes.length);
            assertThat(f.totalLength(), lessThanOrEqualTo(mtu));
            assertThat(f.fragmentOffset(), is(expectedOffset));
            assertThat(f.moreFragments(), is(i < count - 1));
            if (f.moreFragments()) {
                assertThat(f.payloadLength() % 8, is(0));
            }
            expectedOffset += f.payloadLength();
            fragments.add(f);
        }
        assertThat(Bytes.hex(concatenatePayloads(fragments)), is(Bytes.hex(l4)));
        assertThat(kit.pendingOne(toArp), is(false));
    }

    @Test
    void dropsADatagramTooBigForTheMtuWhenDontFragmentIsSetAndTellsTheSender() throws MalformedPacketException {
        start();
        udpDown.out().write(Batch.of(new IpSend(PEER_IP, IpProtocol.UDP, 64, true, transportPayload(pattern(4000, 27)))));

        IpDatagram error = kit.expectOne(icmpUp);
        byte[] msg = error.payload().toByteArray();
        IcmpPacket icmp = IcmpPacket.wrapChecked(msg, 0, msg.length);
        assertThat(icmp.type(), is(IcmpType.DESTINATION_UNREACHABLE));
        assertThat(icmp.code(), is(IcmpType.UNREACHABLE_FRAGMENTATION_NEEDED));
        assertThat(icmp.nextHopMtu(), is(1500));
        Ipv4Packet quoted = Ipv4Packet.wrap(msg, icmp.dataOffset(), icmp.dataLength());
        assertThat(quoted.destination(), is(PEER_IP));
        assertThat(quoted.protocol(), is(IpProtocol.UDP));
        assertThat(quoted.totalLength(), is(4020));
        assertThat(quoted.dontFragment(), is(true));
        assertOnlyTheFollowingSendReachesArp(udpDown);
        assertCounters(Map.of("packetsSent", 1L, "fragmentationNeededDropped", 1L, "loopedBack", 1L,
                "delivered", 1L));
    }

    @Test
    void deliversADatagramToOurOwnAddressLocallyWithoutTouchingTheLink() throws MalformedPacketException {
        start();
        byte[] l4 = pattern(12, 28);

        udpDown.out().write(Batch.of(IpSend.of(OUR_IP, IpProtocol.UDP, transportPayload(l4))));
        IpDatagram d = kit.expectOne(udpUp);

        assertThat(d.source(), is(OUR_IP));
        assertThat(d.destination(), is(OUR_IP));
        assertThat(d.protocol(), is(IpProtocol.UDP));
        assertThat(d.ttl(), is(IpSend.DEFAULT_TTL));
        assertThat(Bytes.hex(d.payload().toByteArray()), is(Bytes.hex(l4)));
        assertThat(d.payload().start(), is(d.headerOffset() + d.headerLength()));
        // A real header is in front, as for a datagram from the wire (an ICMP error may quote it).
        Ipv4Packet header = Ipv4Packet.wrapChecked(d.payload().array(), d.headerOffset(),
                d.headerLength() + l4.length);
        assertThat(header.totalLength(), is(20 + l4.length));

        assertOnlyTheFollowingSendReachesArp(udpDown);
        assertThat(counters.get("loopedBack"), is(1L));
        assertThat(counters.get("delivered"), is(1L));
    }

    @Test
    void deliversALoopedBackDatagramToTheTransportOfItsProtocol() {
        start();
        // Sent down by the UDP transport's end, but with protocol ICMP: it goes up to ICMP.
        udpDown.out().write(Batch.of(IpSend.of(OUR_IP, IpProtocol.ICMP, transportPayload(pattern(8, 29)))));

        IpDatagram d = kit.expectOne(icmpUp);
        assertThat(d.protocol(), is(IpProtocol.ICMP));
        assertThat(Bytes.hex(d.payload().toByteArray()), is(Bytes.hex(pattern(8, 29))));
        assertOnlyTheFollowingSendReachesArp(udpDown);
        assertThat(counters.get("loopedBack"), is(1L));
        assertThat(kit.pendingOne(udpUp), is(false));
    }

    @Test
    void acceptsSendsFromEveryTransport() {
        start();
        icmpDown.out().write(Batch.of(IpSend.of(PEER_IP, IpProtocol.ICMP, transportPayload(pattern(8, 30)))));
        RoutedPacket fromIcmp = kit.expectOne(toArp);
        udpDown.out().write(Batch.of(IpSend.of(PEER_IP, IpProtocol.UDP, transportPayload(pattern(8, 31)))));
        RoutedPacket fromUdp = kit.expectOne(toArp);

        byte[] a = fromIcmp.datagram().toByteArray();
        byte[] b = fromUdp.datagram().toByteArray();
        assertThat(Ipv4Packet.wrap(a, 0, a.length).protocol(), is(IpProtocol.ICMP));
        assertThat(Ipv4Packet.wrap(b, 0, b.length).protocol(), is(IpProtocol.UDP));
        assertCounters(Map.of("packetsSent", 2L));
    }

    // ==== helpers ===========================================================================================

    /** A transport's header and data behind the default headroom, as a transport hands them down. */
    private static PacketBuffer transportPayload(byte[] l4) {
        return PacketBuffer.copyOf(l4, 0, l4.length, PacketBuffer.DEFAULT_HEADROOM);
    }

    private static int identification(RoutedPacket p) {
        byte[] b = p.datagram().toByteArray();
        return Ipv4Packet.wrap(b, 0, b.length).identification();
    }

    private static byte[] concatenatePayloads(List<Ipv4Packet> fragments) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (Ipv4Packet f : fragments) {
            all.write(f.buffer(), f.payloadOffset(), f.payloadLength());
        }
        return all.toByteArray();
    }

    private void assertOnlyTheFollowingValidDatagramIsDelivered() {
        assertOnlyTheFollowingValidDatagramIsDelivered(true);
    }

    /**
     * Sends a valid UDP datagram to us on fromEth, behind whatever the test wrote there, and asserts that it is
     * the next thing delivered: the layer handles fromEth in order, so everything before it was dropped.
     */
    private void assertOnlyTheFollowingValidDatagramIsDelivered(boolean nothingToArp) {
        byte[] marker = pattern(8, 99);
        fromEth.out().write(Batch.of(datagram().identification(0x9999).payload(marker).buffer()));
        IpDatagram d = kit.expectOne(udpUp);
        assertThat(Bytes.hex(d.payload().toByteArray()), is(Bytes.hex(marker)));
        assertThat("udpUp", kit.pendingOne(udpUp), is(false));
        assertThat("icmpUp", kit.pendingOne(icmpUp), is(false));
        if (nothingToArp) {
            assertThat("toArp", kit.pendingOne(toArp), is(false));
        }
    }

    /**
     * Sends a valid datagram to the peer on {@code down}, behind whatever the test wrote there, and asserts that
     * it is the next and only thing to reach ARP.
     */
    private void assertOnlyTheFollowingSendReachesArp(Chan<Batch<IpSend>> down) {
        byte[] marker = pattern(8, 98);
        down.out().write(Batch.of(IpSend.of(PEER_IP, IpProtocol.UDP, transportPayload(marker))));
        RoutedPacket out = kit.expectOne(toArp);
        assertThat(out.nextHop(), is(PEER_IP));
        byte[] bytes = out.datagram().toByteArray();
        assertThat(Bytes.hex(bytes, 20, bytes.length - 20), is(Bytes.hex(marker)));
        assertNothingPending();
    }

    private void assertNothingPending() {
        assertThat("toArp", kit.pendingOne(toArp), is(false));
        assertThat("udpUp", kit.pendingOne(udpUp), is(false));
        assertThat("icmpUp", kit.pendingOne(icmpUp), is(false));
    }

    /** The named counters have these values and every other counter is zero. */
    private void assertCounters(Map<String, Long> expected) {
        Map<String, Long> want = new TreeMap<>();
        counters.snapshot().keySet().forEach(name -> want.put(name, 0L));
        want.putAll(expected);
        assertThat(new TreeMap<>(counters.snapshot()), equalTo(want));
    }
}
