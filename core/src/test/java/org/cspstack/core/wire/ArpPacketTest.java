package org.cspstack.core.wire;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.cspstack.core.wire.MalformedPacketException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ArpPacket and ArpRepr against golden Scapy frames (see {@link Golden}). */
class ArpPacketTest {

    private static final int ARP_OFFSET = EthernetFrame.HEADER_LENGTH;

    private static final ArpRepr REQUEST = new ArpRepr(ArpRepr.REQUEST, Golden.MAC_A, Golden.IP_A, MacAddress.ZERO,
            Golden.IP_B);
    private static final ArpRepr REPLY = new ArpRepr(ArpRepr.REPLY, Golden.MAC_B, Golden.IP_B, Golden.MAC_A,
            Golden.IP_A);

    @Test
    void deconstructsGoldenRequest() throws MalformedPacketException {
        byte[] frame = Golden.arpRequestFrame();
        ArpPacket arp = ArpPacket.wrapChecked(frame, ARP_OFFSET, ArpPacket.LENGTH);
        assertThat(arp.hardwareType(), is(1));
        assertThat(arp.protocolType(), is(EtherType.IPV4));
        assertThat(arp.hardwareLength(), is(6));
        assertThat(arp.protocolLength(), is(4));
        assertThat(arp.operation(), is(ArpRepr.REQUEST));
        assertThat(arp.senderHardwareAddress(), is(Golden.MAC_A));
        assertThat(arp.senderProtocolAddress(), is(Golden.IP_A));
        assertThat(arp.senderProtocolAddressAsInt(), is(Golden.IP_A.toInt()));
        assertThat(arp.targetHardwareAddress(), is(MacAddress.ZERO));
        assertThat(arp.targetProtocolAddress(), is(Golden.IP_B));
        assertThat(arp.targetProtocolAddressAsInt(), is(Golden.IP_B.toInt()));
    }

    @Test
    void deconstructsGoldenReply() throws MalformedPacketException {
        byte[] frame = Golden.arpReplyFrame();
        ArpPacket arp = ArpPacket.wrapChecked(frame, ARP_OFFSET, frame.length - ARP_OFFSET);
        assertThat(arp.operation(), is(ArpRepr.REPLY));
        assertThat(arp.senderHardwareAddress(), is(Golden.MAC_B));
        assertThat(arp.senderProtocolAddress(), is(Golden.IP_B));
        assertThat(arp.targetHardwareAddress(), is(Golden.MAC_A));
        assertThat(arp.targetProtocolAddress(), is(Golden.IP_A));
    }

    @Test
    void constructsGoldenRequestWithSetters() {
        byte[] golden = Golden.arpRequestFrame();
        byte[] out = new byte[ArpPacket.LENGTH];
        ArpPacket arp = ArpPacket.wrap(out, 0, out.length);
        arp.setHardwareType(1);
        arp.setProtocolType(EtherType.IPV4);
        arp.setHardwareLength(6);
        arp.setProtocolLength(4);
        arp.setOperation(ArpRepr.REQUEST);
        arp.setSenderHardwareAddress(Golden.MAC_A);
        arp.setSenderProtocolAddress(Golden.IP_A);
        arp.setTargetHardwareAddress(MacAddress.ZERO);
        arp.setTargetProtocolAddress(Golden.IP_B);
        assertThat(Bytes.hex(out), is(Bytes.hex(golden, ARP_OFFSET, ArpPacket.LENGTH)));
    }

    @Test
    void parsesRequestAndReplyReprs() throws MalformedPacketException {
        byte[] request = Golden.arpRequestFrame();
        byte[] reply = Golden.arpReplyFrame();
        assertThat(ArpRepr.parse(ArpPacket.wrapChecked(request, ARP_OFFSET, 28)), is(REQUEST));
        assertThat(ArpRepr.parse(ArpPacket.wrapChecked(reply, ARP_OFFSET, 28)), is(REPLY));
    }

    @Test
    void emitsGoldenFramesFromFactories() {
        byte[] out = new byte[14 + 28];
        ArpRepr request = ArpRepr.request(Golden.MAC_A, Golden.IP_A, Golden.IP_B);
        new EthernetRepr(Golden.MAC_A, MacAddress.BROADCAST, EtherType.ARP).emit(EthernetFrame.wrap(out, 0, 14));
        request.emit(ArpPacket.wrap(out, 14, request.length()));
        assertThat(Bytes.hex(out), is(Bytes.hex(Golden.arpRequestFrame())));

        ArpRepr reply = ArpRepr.reply(Golden.MAC_B, Golden.IP_B, Golden.MAC_A, Golden.IP_A);
        new EthernetRepr(Golden.MAC_B, Golden.MAC_A, EtherType.ARP).emit(EthernetFrame.wrap(out, 0, 14));
        reply.emit(ArpPacket.wrap(out, 14, reply.length()));
        assertThat(Bytes.hex(out), is(Bytes.hex(Golden.arpReplyFrame())));
    }

    @Test
    void answersRequestWithMatchingReply() {
        assertThat(REQUEST.replyFrom(Golden.MAC_B), is(REPLY));
    }

    @Test
    void reprSurvivesEmitAndParse() throws MalformedPacketException {
        for (ArpRepr repr : new ArpRepr[] {REQUEST, REPLY}) {
            byte[] out = new byte[40];
            repr.emit(ArpPacket.wrap(out, 5, repr.length()));
            assertThat(ArpRepr.parse(ArpPacket.wrapChecked(out, 5, 28)), is(repr));
        }
    }

    @Test
    void acceptsRequestPaddedToMinimumFrame() throws MalformedPacketException {
        byte[] padded = Golden.arpRequestFramePadded();
        assertThat(padded.length, is(60));
        ArpPacket arp = ArpPacket.wrapChecked(padded, ARP_OFFSET, padded.length - ARP_OFFSET);
        assertThat(ArpRepr.parse(arp), is(REQUEST));
    }

    @Test
    void rejectsEveryTruncatedLength() {
        byte[] frame = Golden.arpRequestFrame();
        for (int len = 0; len < ArpPacket.LENGTH; len++) {
            int n = len;
            MalformedPacketException e = assertThrows(MalformedPacketException.class,
                    () -> ArpPacket.wrapChecked(frame, ARP_OFFSET, n));
            assertThat("length " + len, e.reason(), is(Reason.TRUNCATED));
        }
    }

    @ParameterizedTest(name = "byte {0} = {1}")
    @CsvSource({
        "1, 6",     // hardware type IEEE 802 (6)
        "0, 1",     // hardware type 0x0101
        "2, 0x86",  // protocol type 0x8600
        "3, 0x06",  // protocol type 0x0806
        "4, 8",     // hardware length 8
        "5, 16",    // protocol length 16 (IPv6)
    })
    void rejectsOtherHardwareOrProtocol(int index, String value) {
        byte[] frame = Golden.arpRequestFrame();
        frame[ARP_OFFSET + index] = (byte) (int) Integer.decode(value);
        MalformedPacketException e = assertThrows(MalformedPacketException.class,
                () -> ArpPacket.wrapChecked(frame, ARP_OFFSET, ArpPacket.LENGTH));
        assertThat(e.reason(), is(Reason.UNSUPPORTED));
    }

    @Test
    void parseRejectsOperationsOtherThanRequestAndReply() throws MalformedPacketException {
        byte[] frame = Golden.arpRequestFrame();
        Bytes.putU16(frame, ARP_OFFSET + ArpPacket.OPERATION, 3); // RARP request
        ArpPacket arp = ArpPacket.wrapChecked(frame, ARP_OFFSET, ArpPacket.LENGTH);
        assertThat(arp.operation(), is(3));
        MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> ArpRepr.parse(arp));
        assertThat(e.reason(), is(Reason.UNSUPPORTED));
    }

    @Test
    void reprRejectsOtherOperationsAndMissingAddresses() {
        assertThrows(IllegalArgumentException.class,
                () -> new ArpRepr(3, Golden.MAC_A, Golden.IP_A, MacAddress.ZERO, Golden.IP_B));
        assertThrows(NullPointerException.class,
                () -> new ArpRepr(ArpRepr.REQUEST, Golden.MAC_A, null, MacAddress.ZERO, Golden.IP_B));
        assertThat(REQUEST.length(), is(28));
    }
}
