package org.cspstack.core.wire;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.cspstack.core.wire.MalformedPacketException.Reason;
import org.junit.jupiter.api.Test;

/** IcmpPacket and IcmpRepr against golden Scapy messages (see {@link Golden}). */
class IcmpPacketTest {

    /** Where ICMP starts in the golden echo frames (Ethernet 14 + IPv4 20). */
    private static final int ICMP_IN_FRAME = 34;
    private static final byte[] PING_DATA = Golden.PING_DATA.getBytes(StandardCharsets.US_ASCII);

    private static IcmpPacket checked(byte[] b, int off) throws MalformedPacketException {
        return IcmpPacket.wrapChecked(b, off, b.length - off);
    }

    private static byte[] emitted(IcmpRepr repr) {
        byte[] out = new byte[repr.length()];
        repr.emit(IcmpPacket.wrap(out, 0, out.length));
        return out;
    }

    private static Reason rejection(byte[] b, int off, int len) {
        return assertThrows(MalformedPacketException.class, () -> IcmpPacket.wrapChecked(b, off, len)).reason();
    }

    @Test
    void deconstructsGoldenEchoRequest() throws MalformedPacketException {
        byte[] frame = Golden.echoRequestFrame();
        IcmpPacket icmp = checked(frame, ICMP_IN_FRAME);
        assertThat(icmp.type(), is(IcmpType.ECHO_REQUEST));
        assertThat(icmp.code(), is(0));
        assertThat(icmp.checksum(), is(0x3558));
        assertThat(icmp.identifier(), is(0x4d2));
        assertThat(icmp.sequenceNumber(), is(1));
        assertThat(icmp.restOfHeader(), is(0x04d2_0001L));
        assertThat(icmp.dataOffset(), is(ICMP_IN_FRAME + 8));
        assertThat(icmp.dataLength(), is(16));
        assertThat(new String(frame, icmp.dataOffset(), icmp.dataLength(), StandardCharsets.US_ASCII),
                is(Golden.PING_DATA));
        assertThat(icmp.verifyChecksum(), is(true));
    }

    @Test
    void deconstructsGoldenFragmentationNeeded() throws MalformedPacketException {
        IcmpPacket icmp = checked(Golden.fragmentationNeeded(), 0);
        assertThat(icmp.type(), is(IcmpType.DESTINATION_UNREACHABLE));
        assertThat(icmp.code(), is(IcmpType.UNREACHABLE_FRAGMENTATION_NEEDED));
        assertThat(icmp.nextHopMtu(), is(1400));
        assertThat(icmp.restOfHeader(), is(1400L));
        assertThat(icmp.dataLength(), is(28));
    }

    @Test
    void deconstructsGoldenParameterProblemPointer() throws MalformedPacketException {
        IcmpPacket icmp = checked(Golden.parameterProblem(), 0);
        assertThat(icmp.type(), is(IcmpType.PARAMETER_PROBLEM));
        assertThat(icmp.pointer(), is(1));
    }

    @Test
    void constructsGoldenEchoRequestWithSetters() {
        byte[] golden = Golden.slice(Golden.echoRequestFrame(), ICMP_IN_FRAME, 58);
        byte[] out = new byte[golden.length];
        IcmpPacket icmp = IcmpPacket.wrap(out, 0, out.length);
        icmp.setType(IcmpType.ECHO_REQUEST);
        icmp.setCode(0);
        icmp.setIdentifier(0x4d2);
        icmp.setSequenceNumber(1);
        System.arraycopy(PING_DATA, 0, out, icmp.dataOffset(), PING_DATA.length);
        icmp.fillChecksum();
        assertThat(Bytes.hex(out), is(Bytes.hex(golden)));
    }

    @Test
    void constructsGoldenTimeExceededWithSetters() {
        byte[] golden = Golden.timeExceeded();
        byte[] out = new byte[golden.length];
        IcmpPacket icmp = IcmpPacket.wrap(out, 0, out.length);
        icmp.setType(IcmpType.TIME_EXCEEDED);
        icmp.setCode(IcmpType.TIME_EXCEEDED_TTL);
        icmp.setRestOfHeader(0);
        System.arraycopy(Golden.quotedDatagram(), 0, out, icmp.dataOffset(), 28);
        icmp.fillChecksum();
        assertThat(Bytes.hex(out), is(Bytes.hex(golden)));
    }

    @Test
    void parsesEchoRequestFromCapture() throws MalformedPacketException {
        IcmpRepr repr = IcmpRepr.parse(checked(Golden.echoRequestFrame(), ICMP_IN_FRAME));
        assertThat(repr, is(new IcmpRepr.EchoRequest(0x4d2, 1, PING_DATA)));
        assertThat(repr.type(), is(IcmpType.ECHO_REQUEST));
        assertThat(repr.length(), is(24));
    }

    @Test
    void parsesEchoReplyFromCapture() throws MalformedPacketException {
        IcmpRepr repr = IcmpRepr.parse(checked(Golden.echoReplyFrame(), ICMP_IN_FRAME));
        assertThat(repr, is(new IcmpRepr.EchoReply(0x4d2, 1, PING_DATA)));
    }

    @Test
    void parsesPortUnreachableFromCapture() throws MalformedPacketException {
        byte[] packet = Golden.portUnreachablePacket();
        Ipv4Packet ip = Ipv4Packet.wrapChecked(packet, 0, packet.length);
        IcmpRepr repr = IcmpRepr.parse(IcmpPacket.wrapChecked(packet, ip.payloadOffset(), ip.payloadLength()));
        assertThat(repr, is(new IcmpRepr.DestinationUnreachable(IcmpType.UNREACHABLE_PORT, 0,
                Golden.quotedDatagram())));
    }

    @Test
    void parsesFragmentationNeededWithNextHopMtu() throws MalformedPacketException {
        IcmpRepr repr = IcmpRepr.parse(checked(Golden.fragmentationNeeded(), 0));
        assertThat(repr, is(new IcmpRepr.DestinationUnreachable(IcmpType.UNREACHABLE_FRAGMENTATION_NEEDED, 1400,
                Golden.quotedDatagram())));
    }

    @Test
    void parsesTimeExceededFromCapture() throws MalformedPacketException {
        IcmpRepr repr = IcmpRepr.parse(checked(Golden.timeExceeded(), 0));
        assertThat(repr, is(new IcmpRepr.TimeExceeded(IcmpType.TIME_EXCEEDED_TTL, Golden.quotedDatagram())));
        assertThat(repr.code(), is(0));
    }

    @Test
    void emitsGoldenMessagesFromReprs() {
        assertThat(Bytes.hex(emitted(new IcmpRepr.EchoRequest(0x4d2, 1, PING_DATA))),
                is(Bytes.hex(Golden.slice(Golden.echoRequestFrame(), ICMP_IN_FRAME, 58))));
        assertThat(Bytes.hex(emitted(new IcmpRepr.EchoReply(0x4d2, 1, PING_DATA))),
                is(Bytes.hex(Golden.slice(Golden.echoReplyFrame(), ICMP_IN_FRAME, 58))));
        assertThat(Bytes.hex(emitted(new IcmpRepr.DestinationUnreachable(3, 0, Golden.quotedDatagram()))),
                is(Bytes.hex(Golden.slice(Golden.portUnreachablePacket(), 20, 56))));
        assertThat(Bytes.hex(emitted(new IcmpRepr.DestinationUnreachable(4, 1400, Golden.quotedDatagram()))),
                is(Bytes.hex(Golden.fragmentationNeeded())));
        assertThat(Bytes.hex(emitted(new IcmpRepr.TimeExceeded(0, Golden.quotedDatagram()))),
                is(Bytes.hex(Golden.timeExceeded())));
    }

    @Test
    void emitsGoldenOddLengthEchoRequest() throws MalformedPacketException {
        byte[] golden = Golden.echoRequestOddLength();
        IcmpRepr repr = new IcmpRepr.EchoRequest(7, 9, "abc".getBytes(StandardCharsets.US_ASCII));
        assertThat(Bytes.hex(emitted(repr)), is(Bytes.hex(golden)));
        assertThat(IcmpRepr.parse(checked(golden, 0)), is(repr));
    }

    @Test
    void reprsSurviveEmitAndParse() throws MalformedPacketException {
        List<IcmpRepr> reprs = List.of(
                new IcmpRepr.EchoRequest(0, 0, new byte[0]),
                new IcmpRepr.EchoRequest(0xffff, 0xffff, new byte[] {1, 2, 3, 4, 5}),
                new IcmpRepr.EchoReply(1, 2, new byte[] {(byte) 0xff}),
                new IcmpRepr.DestinationUnreachable(IcmpType.UNREACHABLE_HOST, 0, Golden.quotedDatagram()),
                new IcmpRepr.DestinationUnreachable(IcmpType.UNREACHABLE_FRAGMENTATION_NEEDED, 576,
                        Golden.originalDatagram()),
                new IcmpRepr.TimeExceeded(IcmpType.TIME_EXCEEDED_REASSEMBLY, Golden.quotedDatagram()));
        for (IcmpRepr repr : reprs) {
            byte[] out = new byte[3 + repr.length()];
            repr.emit(IcmpPacket.wrap(out, 3, repr.length()));
            assertThat(repr.toString(), IcmpRepr.parse(IcmpPacket.wrapChecked(out, 3, repr.length())), is(repr));
        }
    }

    @Test
    void repliesToEchoRequestWithSameIdentifierSequenceAndData() {
        IcmpRepr.EchoReply reply = new IcmpRepr.EchoRequest(0x4d2, 1, PING_DATA).reply();
        assertThat(reply, is(new IcmpRepr.EchoReply(0x4d2, 1, PING_DATA)));
        assertThat(reply, is(not(instanceOf(IcmpRepr.EchoRequest.class))));
        assertThat(new IcmpRepr.EchoRequest(1, 1, PING_DATA).equals(new IcmpRepr.EchoReply(1, 1, PING_DATA)),
                is(false));
    }

    @Test
    void comparesReprsByDataContents() {
        IcmpRepr a = new IcmpRepr.TimeExceeded(0, Golden.quotedDatagram());
        IcmpRepr b = new IcmpRepr.TimeExceeded(0, Golden.quotedDatagram());
        assertThat(a, is(b));
        assertThat(a.hashCode(), is(b.hashCode()));
        assertThat(a, is(not(new IcmpRepr.TimeExceeded(1, Golden.quotedDatagram()))));
    }

    @Test
    void quotesHeaderAndFirstEightBytesOfTheOriginal() throws MalformedPacketException {
        byte[] original = Golden.originalDatagram();
        Ipv4Packet ip = Ipv4Packet.wrapChecked(original, 0, original.length);
        assertThat(Bytes.hex(IcmpRepr.quote(ip)), is(Bytes.hex(Golden.quotedDatagram())));
        assertThat(Bytes.hex(IcmpRepr.quote(ip, 548)), is(Bytes.hex(original)));
        assertThat(IcmpRepr.quote(ip, 30).length, is(30));

        byte[] small = Golden.ipv4Dscp(); // only 4 bytes of payload
        assertThat(IcmpRepr.quote(Ipv4Packet.wrapChecked(small, 0, small.length)).length, is(24));
    }

    @Test
    void rejectsEveryTruncatedLength() {
        byte[] frame = Golden.echoRequestFrame();
        for (int len = 0; len < IcmpPacket.HEADER_LENGTH; len++) {
            assertThat("length " + len, rejection(frame, ICMP_IN_FRAME, len), is(Reason.TRUNCATED));
        }
    }

    @Test
    void rejectsBadChecksum() {
        byte[] frame = Golden.echoRequestFrame();
        frame[frame.length - 1] ^= 1; // last data byte
        assertThat(rejection(frame, ICMP_IN_FRAME, 24), is(Reason.BAD_CHECKSUM));
        byte[] odd = Golden.echoRequestOddLength();
        assertThat(rejection(odd, 0, odd.length - 1), is(Reason.BAD_CHECKSUM)); // a byte lost
        byte[] error = Golden.timeExceeded();
        Bytes.putU16(error, IcmpPacket.CHECKSUM, 0);
        assertThat(rejection(error, 0, error.length), is(Reason.BAD_CHECKSUM));
    }

    @Test
    void parseRejectsUnhandledTypesAndCodes() throws MalformedPacketException {
        IcmpPacket parameterProblem = checked(Golden.parameterProblem(), 0);
        assertThat(assertThrows(MalformedPacketException.class, () -> IcmpRepr.parse(parameterProblem)).reason(),
                is(Reason.UNSUPPORTED));

        for (int[] typeAndCode : new int[][] {{8, 1}, {0, 5}, {11, 2}, {3, 16}, {13, 0}}) {
            byte[] b = Golden.timeExceeded();
            IcmpPacket icmp = IcmpPacket.wrap(b, 0, b.length);
            icmp.setType(typeAndCode[0]);
            icmp.setCode(typeAndCode[1]);
            icmp.fillChecksum();
            MalformedPacketException e = assertThrows(MalformedPacketException.class,
                    () -> IcmpRepr.parse(IcmpPacket.wrapChecked(b, 0, b.length)));
            assertThat("type " + typeAndCode[0] + " code " + typeAndCode[1], e.reason(), is(Reason.UNSUPPORTED));
        }
    }

    @Test
    void reprsRejectValuesThatDoNotFit() {
        byte[] q = Golden.quotedDatagram();
        assertThrows(IllegalArgumentException.class, () -> new IcmpRepr.EchoRequest(0x10000, 0, q));
        assertThrows(IllegalArgumentException.class, () -> new IcmpRepr.EchoReply(0, -1, q));
        assertThrows(NullPointerException.class, () -> new IcmpRepr.EchoRequest(0, 0, null));
        assertThrows(IllegalArgumentException.class,
                () -> new IcmpRepr.EchoRequest(0, 0, new byte[IcmpRepr.MAX_DATA_LENGTH + 1]));
        assertThrows(IllegalArgumentException.class, () -> new IcmpRepr.DestinationUnreachable(16, 0, q));
        assertThrows(IllegalArgumentException.class, () -> new IcmpRepr.DestinationUnreachable(3, 1400, q));
        assertThrows(IllegalArgumentException.class, () -> new IcmpRepr.DestinationUnreachable(4, 0x10000, q));
        assertThrows(IllegalArgumentException.class, () -> new IcmpRepr.TimeExceeded(2, q));
    }

    @Test
    void emitRejectsAViewTooShortForTheMessage() {
        IcmpRepr repr = new IcmpRepr.EchoRequest(1, 1, PING_DATA);
        assertThrows(IllegalArgumentException.class, () -> repr.emit(IcmpPacket.wrap(new byte[64], 0, 23)));
    }
}
