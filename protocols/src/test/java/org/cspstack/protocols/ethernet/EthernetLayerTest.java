package org.cspstack.protocols.ethernet;

import static org.cspstack.protocols.testing.TestNet.OTHER_MAC;
import static org.cspstack.protocols.testing.TestNet.OUR_MAC;
import static org.cspstack.protocols.testing.TestNet.PEER_MAC;
import static org.cspstack.protocols.testing.TestNet.pattern;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

import org.cspstack.core.csp.Batch;
import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.csp.Chan;
import org.cspstack.core.csp.ProcessTestKit;
import org.cspstack.core.wire.Bytes;
import org.cspstack.core.wire.EtherType;
import org.cspstack.core.wire.MacAddress;
import org.cspstack.protocols.testing.DatagramBuilder;
import org.cspstack.protocols.testing.Frames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Drives {@link EthernetLayer} through its channel ends: frames up from the link, to ARP and IP. */
class EthernetLayerTest {
    /** Free bytes in front of a received frame, so that offsets into the array are not trivially 0. */
    private static final int LINK_HEADROOM = 8;
    /** A made-up ARP body: the Ethernet layer does not look inside. */
    private static final byte[] ARP_BODY = pattern(28, 1);

    private ProcessTestKit kit;
    private Chan<Batch<PacketBuffer>> fromLink;
    private Chan<Batch<PacketBuffer>> toArp;
    private Chan<Batch<PacketBuffer>> toIp;
    private EthernetCounters counters;

    @BeforeEach
    void startLayer() {
        kit = new ProcessTestKit("eth");
        fromLink = kit.input("linkToEth");
        toArp = kit.output("ethToArp");
        toIp = kit.output("ethToIp");
        counters = new EthernetCounters("eth");
        kit.start("eth", new EthernetLayer(fromLink.in(), toArp.out(), toIp.out(), OUR_MAC, counters), counters);
    }

    @AfterEach
    void stopLayer() throws InterruptedException {
        kit.close();
    }

    // ---- up ------------------------------------------------------------------------------------------------

    @Test
    void deliversIpv4ToIpWithTheBufferStartingAtTheIpHeader() {
        byte[] datagram = DatagramBuilder.datagram().payload(pattern(12, 2)).build();
        byte[] frame = Frames.ethernet(OUR_MAC, PEER_MAC, EtherType.IPV4, datagram);

        fromLink.out().write(Batch.of(Frames.buffer(frame, LINK_HEADROOM)));
        PacketBuffer up = kit.expectOne(toIp);

        assertThat(up.start(), is(LINK_HEADROOM + 14));
        assertThat(Bytes.hex(up.toByteArray()), is(Bytes.hex(datagram)));
        // The Ethernet header stays in the headroom, in front of the IP header.
        assertThat(Bytes.hex(up.array(), up.start() - 14, 14), is(Bytes.hex(frame, 0, 14)));
        assertNothingElseCameOut();
        assertCounters(Map.of("framesReceived", 1L, "ipv4Delivered", 1L));
    }

    @Test
    void deliversArpToArpWithTheBufferStartingAtTheArpHeader() {
        byte[] frame = Frames.ethernet(OUR_MAC, PEER_MAC, EtherType.ARP, ARP_BODY);

        fromLink.out().write(Batch.of(Frames.buffer(frame, LINK_HEADROOM)));
        PacketBuffer up = kit.expectOne(toArp);

        assertThat(up.start(), is(LINK_HEADROOM + 14));
        assertThat(Bytes.hex(up.toByteArray()), is(Bytes.hex(ARP_BODY)));
        assertNothingElseCameOut();
        assertCounters(Map.of("framesReceived", 1L, "arpDelivered", 1L));
    }

    @Test
    void aBatchOfFramesGoesUpAsOneBatchPerLayerInOrderWithTheDroppedOnesLeftOut() {
        PacketBuffer ip1 = frame(OUR_MAC, PEER_MAC, EtherType.IPV4, pattern(20, 11));
        PacketBuffer arp = frame(OUR_MAC, PEER_MAC, EtherType.ARP, ARP_BODY);
        PacketBuffer notOurs = frame(OTHER_MAC, PEER_MAC, EtherType.IPV4, pattern(20, 12));
        PacketBuffer ip2 = frame(OUR_MAC, PEER_MAC, EtherType.IPV4, pattern(20, 13));

        fromLink.out().write(Batch.of(ip1, arp, notOurs, ip2));

        Batch<PacketBuffer> toIpBatch = ProcessTestKit.poll(toIp.in(), ProcessTestKit.EXPECT_TIMEOUT);
        assertThat(toIpBatch.size(), is(2));
        assertThat(Bytes.hex(toIpBatch.get(0).toByteArray()), is(Bytes.hex(pattern(20, 11))));
        assertThat(Bytes.hex(toIpBatch.get(1).toByteArray()), is(Bytes.hex(pattern(20, 13))));
        Batch<PacketBuffer> toArpBatch = ProcessTestKit.poll(toArp.in(), ProcessTestKit.EXPECT_TIMEOUT);
        assertThat(toArpBatch.size(), is(1));
        assertNothingElseCameOut();
        assertCounters(Map.of("framesReceived", 4L, "ipv4Delivered", 2L, "arpDelivered", 1L, "notForUsDropped", 1L));
    }

    @Test
    void acceptsBroadcastFrames() {
        fromLink.out().write(Batch.of(frame(MacAddress.BROADCAST, PEER_MAC, EtherType.ARP, ARP_BODY)));
        fromLink.out().write(Batch.of(frame(MacAddress.BROADCAST, PEER_MAC, EtherType.IPV4, pattern(20, 3))));

        assertThat(Bytes.hex(kit.expectOne(toArp).toByteArray()), is(Bytes.hex(ARP_BODY)));
        assertThat(Bytes.hex(kit.expectOne(toIp).toByteArray()), is(Bytes.hex(pattern(20, 3))));
        assertCounters(Map.of("framesReceived", 2L, "arpDelivered", 1L, "ipv4Delivered", 1L));
    }

    @Test
    void dropsFramesUnicastToAnotherMac() {
        fromLink.out().write(Batch.of(frame(OTHER_MAC, PEER_MAC, EtherType.IPV4, pattern(20, 4))));

        assertOnlyTheFollowingValidFrameComesUp();
        assertCounters(Map.of("framesReceived", 2L, "ipv4Delivered", 1L, "notForUsDropped", 1L));
    }

    @Test
    void dropsFramesToAMulticastGroupWeHaveNotJoined() {
        fromLink.out().write(Batch.of(frame(MacAddress.parse("01:00:5e:00:00:01"), PEER_MAC, EtherType.IPV4,
                pattern(20, 4))));

        assertOnlyTheFollowingValidFrameComesUp();
        assertCounters(Map.of("framesReceived", 2L, "ipv4Delivered", 1L, "notForUsDropped", 1L));
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 12, 13})
    void dropsFramesShorterThanTheEthernetHeader(int length) {
        byte[] frame = Frames.ethernet(OUR_MAC, PEER_MAC, EtherType.IPV4, new byte[0]);
        fromLink.out().write(Batch.of(Frames.buffer(Arrays.copyOf(frame, length), LINK_HEADROOM)));

        assertOnlyTheFollowingValidFrameComesUp();
        assertCounters(Map.of("framesReceived", 2L, "ipv4Delivered", 1L, "truncatedDropped", 1L));
    }

    @Test
    void deliversAFrameOfExactlyTheHeaderWithAnEmptyPayload() {
        fromLink.out().write(Batch.of(frame(OUR_MAC, PEER_MAC, EtherType.IPV4, new byte[0])));

        PacketBuffer up = kit.expectOne(toIp);
        assertThat(up.length(), is(0));
        assertCounters(Map.of("framesReceived", 1L, "ipv4Delivered", 1L));
    }

    @ParameterizedTest(name = "to {0}")
    @ValueSource(strings = {"ff:ff:ff:ff:ff:ff", "02:c5:70:00:00:02"})
    void dropsFramesFromOurOwnMac(String destination) {
        fromLink.out().write(Batch.of(frame(MacAddress.parse(destination), OUR_MAC, EtherType.ARP, ARP_BODY)));

        assertOnlyTheFollowingValidFrameComesUp();
        assertCounters(Map.of("framesReceived", 2L, "ipv4Delivered", 1L, "ownFrameDropped", 1L));
    }

    /** IPv6, a VLAN tag, LLDP, and an 802.3 length field (46) in the EtherType position. */
    @ParameterizedTest(name = "EtherType 0x{0}")
    @ValueSource(strings = {"86dd", "8100", "88cc", "002e"})
    void dropsAndCountsEtherTypesItDoesNotSpeak(String etherTypeHex) {
        int etherType = Integer.parseInt(etherTypeHex, 16);
        fromLink.out().write(Batch.of(frame(OUR_MAC, PEER_MAC, etherType, pattern(40, 5))));

        assertOnlyTheFollowingValidFrameComesUp();
        assertCounters(Map.of("framesReceived", 2L, "ipv4Delivered", 1L, "unknownEtherTypeDropped", 1L));
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static PacketBuffer frame(MacAddress dst, MacAddress src, int etherType, byte[] payload) {
        return Frames.buffer(Frames.ethernet(dst, src, etherType, payload), LINK_HEADROOM);
    }

    /**
     * Sends a valid IPv4 frame to us on the same input and asserts that it is the next and only thing to come
     * up: whatever was written to fromLink before it was dropped.
     */
    private void assertOnlyTheFollowingValidFrameComesUp() {
        byte[] marker = pattern(20, 99);
        fromLink.out().write(Batch.of(frame(OUR_MAC, PEER_MAC, EtherType.IPV4, marker)));
        assertThat(Bytes.hex(kit.expectOne(toIp).toByteArray()), is(Bytes.hex(marker)));
        assertNothingElseCameOut();
    }

    private void assertNothingElseCameOut() {
        assertThat("toIp", kit.pendingOne(toIp), is(false));
        assertThat("toArp", kit.pendingOne(toArp), is(false));
    }

    /** The named counters have these values and every other counter is zero. */
    private void assertCounters(Map<String, Long> expected) {
        Map<String, Long> want = new TreeMap<>();
        counters.snapshot().keySet().forEach(name -> want.put(name, 0L));
        want.putAll(expected);
        assertThat(new TreeMap<>(counters.snapshot()), equalTo(want));
    }
}
