package org.cspstack.core.wire;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.function.Consumer;
import org.cspstack.core.wire.MalformedPacketException.Reason;
import org.junit.jupiter.api.Test;

/** Ipv4Packet and Ipv4Repr against golden Scapy packets (see {@link Golden}), and every rejection reason. */
class Ipv4PacketTest {

    private static final int IP_OFFSET = EthernetFrame.HEADER_LENGTH;

    /** The IPv4 header of {@link Golden#echoRequestFrame()}. */
    private static final Ipv4Repr ECHO_HEADER = new Ipv4Repr(Golden.IP_A, Golden.IP_B, IpProtocol.ICMP, 64, 0x1234,
            true, false, 0, 24);
    /** The header of {@link Golden#ipv4Fragment()}. */
    private static final Ipv4Repr FRAGMENT_HEADER = new Ipv4Repr(Golden.IP_A, Golden.IP_B, IpProtocol.UDP, 64,
            0xabcd, false, true, 1480, 16);

    /** The golden echo request's IPv4 packet, alone in an array, with fields changed and the checksum refilled. */
    private static byte[] echoPacketWith(Consumer<Ipv4Packet> change) {
        byte[] b = Golden.slice(Golden.echoRequestFrame(), IP_OFFSET, 58);
        Ipv4Packet p = Ipv4Packet.wrap(b, 0, b.length);
        change.accept(p);
        Bytes.putU16(b, Ipv4Packet.HEADER_CHECKSUM, 0);
        int headerLength = Math.max(20, Math.min(p.headerLength(), b.length));
        Bytes.putU16(b, Ipv4Packet.HEADER_CHECKSUM, Checksum.compute(b, 0, headerLength));
        return b;
    }

    private static Reason rejection(byte[] b, int len) {
        return assertThrows(MalformedPacketException.class, () -> Ipv4Packet.wrapChecked(b, 0, len)).reason();
    }

    @Test
    void deconstructsGoldenHeader() throws MalformedPacketException {
        byte[] frame = Golden.echoRequestFrame();
        Ipv4Packet ip = Ipv4Packet.wrapChecked(frame, IP_OFFSET, frame.length - IP_OFFSET);
        assertThat(ip.version(), is(4));
        assertThat(ip.headerLength(), is(20));
        assertThat(ip.dscpEcn(), is(0));
        assertThat(ip.totalLength(), is(44));
        assertThat(ip.identification(), is(0x1234));
        assertThat(ip.dontFragment(), is(true));
        assertThat(ip.moreFragments(), is(false));
        assertThat(ip.fragmentOffset(), is(0));
        assertThat(ip.isFragment(), is(false));
        assertThat(ip.ttl(), is(64));
        assertThat(ip.protocol(), is(IpProtocol.ICMP));
        assertThat(ip.headerChecksum(), is(0x9c75));
        assertThat(ip.source(), is(Golden.IP_A));
        assertThat(ip.destination(), is(Golden.IP_B));
        assertThat(ip.sourceAsInt(), is(Golden.IP_A.toInt()));
        assertThat(ip.destinationAsInt(), is(Golden.IP_B.toInt()));
        assertThat(ip.optionsLength(), is(0));
        assertThat(ip.payloadOffset(), is(IP_OFFSET + 20));
        assertThat(ip.payloadLength(), is(24));
        assertThat(ip.verifyChecksum(), is(true));
    }

    @Test
    void deconstructsGoldenFragment() throws MalformedPacketException {
        byte[] b = Golden.ipv4Fragment();
        Ipv4Packet ip = Ipv4Packet.wrapChecked(b, 0, b.length);
        assertThat(ip.identification(), is(0xabcd));
        assertThat(ip.dontFragment(), is(false));
        assertThat(ip.moreFragments(), is(true));
        assertThat(ip.fragmentOffset(), is(185 * 8));
        assertThat(ip.isFragment(), is(true));
        assertThat(ip.protocol(), is(IpProtocol.UDP));
        assertThat(ip.payloadLength(), is(16));
    }

    @Test
    void deconstructsGoldenHeaderWithOptions() throws MalformedPacketException {
        byte[] b = Golden.ipv4WithOptions();
        Ipv4Packet ip = Ipv4Packet.wrapChecked(b, 0, b.length);
        assertThat(ip.headerLength(), is(24));
        assertThat(ip.optionsLength(), is(4));
        assertThat(Bytes.hex(b, ip.optionsOffset(), ip.optionsLength()), is("94040000")); // router alert
        assertThat(ip.payloadOffset(), is(24));
        assertThat(ip.payloadLength(), is(9));
        assertThat(ip.ttl(), is(1));
        assertThat(ip.protocol(), is(IpProtocol.UDP));
    }

    @Test
    void deconstructsGoldenDscp() throws MalformedPacketException {
        byte[] b = Golden.ipv4Dscp();
        Ipv4Packet ip = Ipv4Packet.wrapChecked(b, 0, b.length);
        assertThat(ip.dscpEcn(), is(0xb8));
        assertThat(ip.dscp(), is(46));
        assertThat(ip.ecn(), is(0));
        assertThat(ip.ttl(), is(255));
        assertThat(ip.protocol(), is(IpProtocol.TCP));
    }

    @Test
    void constructsGoldenHeaderWithSetters() {
        byte[] golden = Golden.ipv4Dscp();
        byte[] out = new byte[golden.length];
        Ipv4Packet ip = Ipv4Packet.wrap(out, 0, out.length);
        ip.setVersion(4);
        ip.setHeaderLength(20);
        ip.setDscpEcn(0xb8);
        ip.setTotalLength(24);
        ip.setIdentification(7);
        ip.setDontFragment(false);
        ip.setMoreFragments(false);
        ip.setFragmentOffset(0);
        ip.setTtl(255);
        ip.setProtocol(IpProtocol.TCP);
        ip.setSource(Golden.IP_A);
        ip.setDestination(Golden.IP_B);
        ip.fillChecksum();
        assertThat(Bytes.hex(out), is(Bytes.hex(golden)));
        assertThat(ip.headerChecksum(), is(0x2ef9));
    }

    @Test
    void constructsGoldenFragmentFlagsWithSetters() {
        byte[] golden = Golden.ipv4Fragment();
        byte[] out = golden.clone();
        Ipv4Packet ip = Ipv4Packet.wrap(out, 0, out.length);
        ip.setFragmentOffset(0);
        ip.setMoreFragments(false);
        ip.setDontFragment(true);
        ip.setHeaderChecksum(0);
        // now set them back in another order: offset and flags must not disturb each other
        ip.setMoreFragments(true);
        ip.setFragmentOffset(1480);
        ip.setDontFragment(false);
        ip.setHeaderChecksum(0x221b);
        assertThat(Bytes.hex(out), is(Bytes.hex(golden)));
    }

    @Test
    void parsesReprFromGoldenPackets() throws MalformedPacketException {
        byte[] frame = Golden.echoRequestFrame();
        assertThat(Ipv4Repr.parse(Ipv4Packet.wrapChecked(frame, IP_OFFSET, 44)), is(ECHO_HEADER));
        byte[] fragment = Golden.ipv4Fragment();
        assertThat(Ipv4Repr.parse(Ipv4Packet.wrapChecked(fragment, 0, fragment.length)), is(FRAGMENT_HEADER));
    }

    @Test
    void emitsReprToGoldenHeaders() {
        byte[] frame = Golden.echoRequestFrame();
        byte[] out = new byte[20];
        ECHO_HEADER.emit(Ipv4Packet.wrap(out, 0, ECHO_HEADER.headerLength()));
        assertThat(Bytes.hex(out), is(Bytes.hex(frame, IP_OFFSET, 20)));

        FRAGMENT_HEADER.emit(Ipv4Packet.wrap(out, 0, 20));
        assertThat(Bytes.hex(out), is(Bytes.hex(Golden.ipv4Fragment(), 0, 20)));
    }

    @Test
    void reprSurvivesEmitAndParse() throws MalformedPacketException {
        Ipv4Repr repr = new Ipv4Repr(Golden.IP_B, Ipv4Address.parse("198.19.255.255"), 200, 0, 0xffff, true, true,
                Ipv4Packet.MAX_FRAGMENT_OFFSET, 3);
        byte[] out = new byte[1 + repr.totalLength()];
        repr.emit(Ipv4Packet.wrap(out, 1, repr.totalLength()));
        assertThat(Ipv4Repr.parse(Ipv4Packet.wrapChecked(out, 1, repr.totalLength())), is(repr));
    }

    @Test
    void parseIgnoresOptionsAndEmitWritesTwentyByteHeader() throws MalformedPacketException {
        byte[] b = Golden.ipv4WithOptions();
        Ipv4Repr repr = Ipv4Repr.parse(Ipv4Packet.wrapChecked(b, 0, b.length));
        assertThat(repr, is(new Ipv4Repr(Golden.IP_A, Golden.IP_B, IpProtocol.UDP, 1, 2, false, false, 0, 9)));
        byte[] out = new byte[20 + 9];
        repr.emit(Ipv4Packet.wrap(out, 0, out.length));
        Ipv4Packet emitted = Ipv4Packet.wrapChecked(out, 0, out.length);
        assertThat(emitted.headerLength(), is(20));
        assertThat(emitted.totalLength(), is(29));
    }

    @Test
    void acceptsEthernetPaddingBeyondTotalLength() throws MalformedPacketException {
        byte[] b = Golden.ipv4Dscp(); // 24 bytes; Ethernet would pad it to 46
        byte[] padded = new byte[46];
        System.arraycopy(b, 0, padded, 0, b.length);
        Ipv4Packet ip = Ipv4Packet.wrapChecked(padded, 0, padded.length);
        assertThat(ip.length(), is(46));
        assertThat(ip.totalLength(), is(24));
        assertThat(ip.payloadLength(), is(4));
    }

    @Test
    void rejectsEveryTruncatedLength() {
        byte[] b = Golden.ipv4Udp();
        for (int len = 0; len < Ipv4Packet.MIN_HEADER_LENGTH; len++) {
            assertThat("length " + len, rejection(b, len), is(Reason.TRUNCATED));
        }
    }

    @Test
    void rejectsOtherVersions() {
        assertThat(rejection(echoPacketWith(p -> p.setVersion(6)), 44), is(Reason.BAD_VERSION));
        assertThat(rejection(echoPacketWith(p -> p.setVersion(0)), 44), is(Reason.BAD_VERSION));
    }

    @Test
    void rejectsHeaderLengthBelowTwentyBytes() {
        for (int ihl = 0; ihl < 5; ihl++) {
            int bytes = ihl * 4;
            assertThat("IHL " + ihl, rejection(echoPacketWith(p -> p.setHeaderLength(bytes)), 44),
                    is(Reason.BAD_HEADER_LENGTH));
        }
    }

    @Test
    void rejectsHeaderLongerThanTheData() {
        byte[] b = echoPacketWith(p -> p.setHeaderLength(24));
        assertThat(rejection(b, 23), is(Reason.BAD_HEADER_LENGTH));
        assertThat(rejection(echoPacketWith(p -> p.setHeaderLength(60)), 44), is(Reason.BAD_HEADER_LENGTH));
    }

    @Test
    void rejectsTotalLengthSmallerThanHeader() {
        assertThat(rejection(echoPacketWith(p -> p.setTotalLength(19)), 44), is(Reason.BAD_TOTAL_LENGTH));
        assertThat(rejection(echoPacketWith(p -> p.setTotalLength(0)), 44), is(Reason.BAD_TOTAL_LENGTH));
    }

    @Test
    void rejectsTotalLengthLargerThanTheData() {
        assertThat(rejection(echoPacketWith(p -> p.setTotalLength(45)), 44), is(Reason.BAD_TOTAL_LENGTH));
        assertThat(rejection(Golden.ipv4Udp(), 32), is(Reason.BAD_TOTAL_LENGTH));
    }

    @Test
    void acceptsTotalLengthEqualToHeaderLength() throws MalformedPacketException {
        byte[] b = echoPacketWith(p -> p.setTotalLength(20));
        assertThat(Ipv4Packet.wrapChecked(b, 0, 44).payloadLength(), is(0));
    }

    @Test
    void rejectsBadHeaderChecksum() {
        byte[] b = Golden.ipv4Udp();
        b[8] = 63; // TTL changed in transit without updating the checksum
        assertThat(rejection(b, b.length), is(Reason.BAD_CHECKSUM));
        byte[] c = Golden.ipv4Udp();
        Bytes.putU16(c, Ipv4Packet.HEADER_CHECKSUM, 0);
        assertThat(rejection(c, c.length), is(Reason.BAD_CHECKSUM));
    }

    @Test
    void checksInTheDocumentedOrder() {
        // Wrong in every way at once: the first check in the list wins.
        byte[] all = Golden.ipv4Udp();
        all[0] = 0x63; // version 6, IHL 3
        Bytes.putU16(all, 2, 10);
        all[8] = 1; // TTL: the checksum no longer matches
        assertThat(rejection(all, 19), is(Reason.TRUNCATED));
        assertThat(rejection(all, all.length), is(Reason.BAD_VERSION));
        all[0] = 0x43; // IHL 3
        assertThat(rejection(all, all.length), is(Reason.BAD_HEADER_LENGTH));
        all[0] = 0x45;
        assertThat(rejection(all, all.length), is(Reason.BAD_TOTAL_LENGTH)); // checksum is wrong too
        Bytes.putU16(all, 2, 33);
        assertThat(rejection(all, all.length), is(Reason.BAD_CHECKSUM));
    }

    @Test
    void setFragmentOffsetTakesMultiplesOfEightBytes() {
        Ipv4Packet ip = Ipv4Packet.wrap(new byte[20], 0, 20);
        ip.setFragmentOffset(Ipv4Packet.MAX_FRAGMENT_OFFSET);
        assertThat(ip.fragmentOffset(), is(65528));
        assertThrows(IllegalArgumentException.class, () -> ip.setFragmentOffset(1481));
        assertThrows(IllegalArgumentException.class, () -> ip.setFragmentOffset(-8));
        assertThrows(IllegalArgumentException.class, () -> ip.setFragmentOffset(65536));
        assertThrows(IllegalArgumentException.class, () -> ip.setHeaderLength(22));
        assertThrows(IllegalArgumentException.class, () -> ip.setVersion(16));
    }

    @Test
    void reprRejectsValuesThatDoNotFitTheHeader() {
        assertThrows(IllegalArgumentException.class,
                () -> new Ipv4Repr(Golden.IP_A, Golden.IP_B, 256, 64, 0, false, false, 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new Ipv4Repr(Golden.IP_A, Golden.IP_B, 1, -1, 0, false, false, 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new Ipv4Repr(Golden.IP_A, Golden.IP_B, 1, 64, 0x10000, false, false, 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new Ipv4Repr(Golden.IP_A, Golden.IP_B, 1, 64, 0, false, false, 12, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new Ipv4Repr(Golden.IP_A, Golden.IP_B, 1, 64, 0, false, false, 65536, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new Ipv4Repr(Golden.IP_A, Golden.IP_B, 1, 64, 0, false, false, 0, 65516));
        assertThrows(NullPointerException.class,
                () -> new Ipv4Repr(null, Golden.IP_B, 1, 64, 0, false, false, 0, 0));
        assertThat(new Ipv4Repr(Golden.IP_A, Golden.IP_B, 1, 64, 0, false, false, 0, 65515).totalLength(),
                is(65535));
    }

    @Test
    void parseRejectsImpossibleLengthsInAnUncheckedView() {
        byte[] b = Golden.ipv4Udp();
        Bytes.putU16(b, Ipv4Packet.TOTAL_LENGTH, 10);
        MalformedPacketException e = assertThrows(MalformedPacketException.class,
                () -> Ipv4Repr.parse(Ipv4Packet.wrap(b, 0, b.length)));
        assertThat(e.reason(), is(Reason.BAD_TOTAL_LENGTH));
    }
}
