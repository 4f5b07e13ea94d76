package org.cspstack.core.wire;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.cspstack.core.wire.MalformedPacketException.Reason;
import org.junit.jupiter.api.Test;

/**
 * UdpPacket and UdpRepr against golden Scapy datagrams. Made with Scapy 2.5.0 (Debian's
 * {@code /usr/bin/python3}) as {@code bytes(IP(src=A, dst=B, id=1, ttl=64)/UDP(...)/data).hex()} with
 * {@code A = "198.18.0.1"}, {@code B = "198.18.0.2"} (the reverse for {@link #SEND}); each constant is the whole
 * IPv4 packet, UDP at byte 20.
 */
class UdpPacketTest {

    private static final int UDP_IN_IP = 20;
    private static final Ipv4Address A = Golden.IP_A;
    private static final Ipv4Address B = Golden.IP_B;

    /** {@code UDP(sport=40000, dport=7)/b"cspstack"}: even payload, checksum 0x2bab. */
    private static final String EVEN = "4500 0024 0001 0000 4011 eea0 c6120001 c6120002"
            + " 9c40 0007 0010 2bab 637370737461636b";
    /** {@code UDP(sport=1234, dport=5678)/b"odd"}: odd payload, checksum 0x854b. */
    private static final String ODD = "4500 001f 0001 0000 4011 eea5 c6120001 c6120002"
            + " 04d2 162e 000b 854b 6f6464";
    /** {@code UDP(sport=68, dport=67)}: no payload, checksum 0x732f. */
    private static final String EMPTY = "4500 001c 0001 0000 4011 eea8 c6120001 c6120002"
            + " 0044 0043 0008 732f";
    /** {@code UDP(sport=40000, dport=7, chksum=0)/b"cspstack"}: the sender computed no checksum. */
    private static final String ZERO = "4500 0024 0001 0000 4011 eea0 c6120001 c6120002"
            + " 9c40 0007 0010 0000 637370737461636b";
    /** {@code UDP(sport=1000, dport=2000)/b"\x67\xfa"}: the computed checksum is 0, sent as 0xffff. */
    private static final String FFFF = "4500 001e 0001 0000 4011 eea6 c6120001 c6120002"
            + " 03e8 07d0 000a ffff 67fa";
    /** {@code IP(src=B, dst=A, id=1, ttl=64)/UDP(sport=49152, dport=9)/b"hello udp"}. */
    private static final String SEND = "4500 0025 0001 0000 4011 ee9f c6120002 c6120001"
            + " c000 0009 0011 8a43 68656c6c6f20756470";

    private static byte[] ip(String hex) {
        return Bytes.fromHex(hex);
    }

    /** The UDP part of a golden IPv4 packet. */
    private static byte[] udp(String hex) {
        byte[] p = ip(hex);
        return Arrays.copyOfRange(p, UDP_IN_IP, p.length);
    }

    private static UdpPacket checked(byte[] b) throws MalformedPacketException {
        return UdpPacket.wrapChecked(b, 0, b.length);
    }

    private static Reason rejection(byte[] b, int off, int len) {
        return assertThrows(MalformedPacketException.class, () -> UdpPacket.wrapChecked(b, off, len)).reason();
    }

    /** Emits {@code repr} around {@code payload} at {@code off} in a larger array, and returns the datagram. */
    private static byte[] emitted(UdpRepr repr, byte[] payload, Ipv4Address src, Ipv4Address dst, int off) {
        byte[] b = new byte[off + repr.length() + 5];
        System.arraycopy(payload, 0, b, off + UdpPacket.HEADER_LENGTH, payload.length);
        repr.emit(UdpPacket.wrap(b, off, repr.length()), src, dst);
        return Arrays.copyOfRange(b, off, off + repr.length());
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void deconstructsGoldenDatagramInsideIpPacket() throws MalformedPacketException {
        byte[] p = ip(EVEN);
        Ipv4Packet ipv4 = Ipv4Packet.wrapChecked(p, 0, p.length);
        UdpPacket u = UdpPacket.wrapChecked(p, ipv4.payloadOffset(), ipv4.payloadLength());
        assertThat(u.offset(), is(UDP_IN_IP));
        assertThat(u.viewLength(), is(16));
        assertThat(u.sourcePort(), is(40000));
        assertThat(u.destinationPort(), is(7));
        assertThat(u.length(), is(16));
        assertThat(u.checksum(), is(0x2bab));
        assertThat(u.payloadOffset(), is(UDP_IN_IP + 8));
        assertThat(u.payloadLength(), is(8));
        assertThat(new String(p, u.payloadOffset(), u.payloadLength(), StandardCharsets.US_ASCII), is("cspstack"));
        assertThat(u.verifyChecksum(ipv4.source(), ipv4.destination()), is(true));
        assertThat(u.toString(), is("UdpPacket[40000 > 7, 16 bytes]"));
    }

    @Test
    void verifiesChecksumsOfEveryGoldenDatagram() throws MalformedPacketException {
        for (String hex : new String[] {EVEN, ODD, EMPTY, FFFF}) {
            assertThat(hex, checked(udp(hex)).verifyChecksum(A, B), is(true));
        }
        assertThat(checked(udp(SEND)).verifyChecksum(B, A), is(true));
        byte[] shared = Golden.ipv4Udp();
        assertThat(UdpPacket.wrapChecked(shared, 20, shared.length - 20).verifyChecksum(A, B), is(true));
    }

    @Test
    void constructsGoldenDatagramWithSetters() {
        byte[] golden = udp(ODD);
        byte[] out = new byte[golden.length];
        UdpPacket u = UdpPacket.wrap(out, 0, out.length);
        u.setSourcePort(1234);
        u.setDestinationPort(5678);
        u.setLength(11);
        System.arraycopy(ascii("odd"), 0, out, u.payloadOffset(), 3);
        u.fillChecksum(A, B);
        assertThat(Bytes.hex(out), is(Bytes.hex(golden)));
    }

    @Test
    void parsesGoldenDatagrams() throws MalformedPacketException {
        assertThat(UdpRepr.parse(checked(udp(EVEN))), is(new UdpRepr(40000, 7, 8)));
        assertThat(UdpRepr.parse(checked(udp(ODD))), is(new UdpRepr(1234, 5678, 3)));
        assertThat(UdpRepr.parse(checked(udp(EMPTY))), is(new UdpRepr(68, 67, 0)));
        assertThat(UdpRepr.parse(checked(udp(SEND))), is(new UdpRepr(49152, 9, 9)));
        assertThat(new UdpRepr(1, 2, 3).headerLength(), is(8));
        assertThat(new UdpRepr(1, 2, 3).length(), is(11));
    }

    @Test
    void emitsGoldenDatagramsFromReprs() {
        assertThat(Bytes.hex(emitted(new UdpRepr(40000, 7, 8), ascii("cspstack"), A, B, 0)), is(Bytes.hex(udp(EVEN))));
        assertThat(Bytes.hex(emitted(new UdpRepr(1234, 5678, 3), ascii("odd"), A, B, 0)), is(Bytes.hex(udp(ODD))));
        assertThat(Bytes.hex(emitted(new UdpRepr(68, 67, 0), new byte[0], A, B, 0)), is(Bytes.hex(udp(EMPTY))));
        assertThat(Bytes.hex(emitted(new UdpRepr(49152, 9, 9), ascii("hello udp"), B, A, 0)),
                is(Bytes.hex(udp(SEND))));
    }

    @Test
    void emitsGoldenDatagramsAtOddArrayOffsets() {
        // The checksum depends on positions in the datagram, not in the array.
        assertThat(Bytes.hex(emitted(new UdpRepr(1234, 5678, 3), ascii("odd"), A, B, 3)), is(Bytes.hex(udp(ODD))));
        assertThat(Bytes.hex(emitted(new UdpRepr(40000, 7, 8), ascii("cspstack"), A, B, 1)), is(Bytes.hex(udp(EVEN))));
    }

    @Test
    void sendsAComputedZeroChecksumAsFfff() {
        byte[] golden = udp(FFFF);
        byte[] out = emitted(new UdpRepr(1000, 2000, 2), new byte[] {0x67, (byte) 0xfa}, A, B, 0);
        assertThat(Bytes.hex(out), is(Bytes.hex(golden)));
        assertThat(Bytes.u16(out, UdpPacket.CHECKSUM), is(0xffff));
    }

    @Test
    void acceptsZeroChecksumAsNoChecksum() throws MalformedPacketException {
        UdpPacket u = checked(udp(ZERO));
        assertThat(u.checksum(), is(0));
        assertThat(u.verifyChecksum(A, B), is(true));
        assertThat(u.verifyChecksum(B, Ipv4Address.parse("198.18.0.99")), is(true)); // nothing to check against
        assertThat(u.toString(), containsString("no checksum"));
    }

    @Test
    void reprsSurviveEmitAndParseForOddAndEvenPayloadLengths() throws MalformedPacketException {
        for (int n = 0; n <= 67; n++) {
            byte[] payload = new byte[n];
            for (int k = 0; k < n; k++) {
                payload[k] = (byte) (0xa5 ^ k * 31);
            }
            UdpRepr repr = new UdpRepr(n * 977 & 0xffff, 65535 - n, n);
            byte[] out = emitted(repr, payload, A, B, n % 4);
            UdpPacket u = checked(out);
            assertThat("payload " + n, UdpRepr.parse(u), is(repr));
            assertThat("payload " + n, u.verifyChecksum(A, B), is(true));
            assertThat("payload " + n, u.checksum() == 0, is(false));
            assertThat(Arrays.copyOfRange(out, 8, out.length), is(payload));
        }
    }

    @Test
    void rejectsEveryTruncatedLength() {
        byte[] b = udp(EVEN);
        for (int len = 0; len < UdpPacket.HEADER_LENGTH; len++) {
            assertThat("length " + len, rejection(b, 0, len), is(Reason.TRUNCATED));
        }
    }

    @Test
    void rejectsLengthFieldBelowHeaderOrBeyondTheBytes() {
        for (int field : new int[] {0, 1, 7}) {
            byte[] b = udp(EVEN);
            Bytes.putU16(b, UdpPacket.LENGTH, field);
            assertThat("field " + field, rejection(b, 0, b.length), is(Reason.BAD_LENGTH));
        }
        byte[] b = udp(EVEN);
        assertThat(rejection(b, 0, 15), is(Reason.BAD_LENGTH)); // the field says 16
        assertThat(rejection(b, 0, 8), is(Reason.BAD_LENGTH));
        Bytes.putU16(b, UdpPacket.LENGTH, 0xffff);
        MalformedPacketException e = assertThrows(MalformedPacketException.class,
                () -> UdpPacket.wrapChecked(b, 0, b.length));
        assertThat(e.getMessage(), containsString("UDP length 65535 with 16 bytes received"));
    }

    @Test
    void toleratesBytesBeyondTheLengthField() throws MalformedPacketException {
        byte[] golden = udp(ODD);
        byte[] padded = Arrays.copyOf(golden, golden.length + 6);
        Arrays.fill(padded, golden.length, padded.length, (byte) 0x55);
        UdpPacket u = checked(padded);
        assertThat(u.viewLength(), is(17));
        assertThat(u.length(), is(11));
        assertThat(u.payloadLength(), is(3));
        assertThat(u.verifyChecksum(A, B), is(true)); // the padding is not summed
    }

    @Test
    void rejectsBadChecksums() throws MalformedPacketException {
        byte[] payloadFlipped = udp(EVEN);
        payloadFlipped[payloadFlipped.length - 1] ^= 1;
        assertThat(checked(payloadFlipped).verifyChecksum(A, B), is(false));

        byte[] portFlipped = udp(ODD);
        portFlipped[UdpPacket.DESTINATION_PORT] ^= 0x40;
        assertThat(checked(portFlipped).verifyChecksum(A, B), is(false));

        byte[] oddLost = udp(ODD); // the last (odd) byte lost: length 10 instead of 11
        Bytes.putU16(oddLost, UdpPacket.LENGTH, 10);
        assertThat(checked(oddLost).verifyChecksum(A, B), is(false));

        // The pseudo-header counts: the same bytes between other addresses are wrong.
        assertThat(checked(udp(EVEN)).verifyChecksum(B, A), is(true)); // the sum is symmetric in src/dst
        assertThat(checked(udp(EVEN)).verifyChecksum(A, Ipv4Address.parse("198.18.0.3")), is(false));
    }

    @Test
    void failedCheckLeavesTheViewUnchanged() throws MalformedPacketException {
        byte[] good = udp(EVEN);
        UdpPacket u = checked(good);
        byte[] bad = udp(EVEN);
        Bytes.putU16(bad, UdpPacket.LENGTH, 4);
        assertThrows(MalformedPacketException.class, () -> u.rewrapChecked(bad, 0, bad.length));
        assertThat(u.buffer(), is(good));
        assertThat(u.length(), is(16));
        assertThrows(IndexOutOfBoundsException.class, () -> u.rewrapChecked(good, 10, 10));
    }

    @Test
    void reprsRejectValuesThatDoNotFit() {
        assertThrows(IllegalArgumentException.class, () -> new UdpRepr(-1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new UdpRepr(0, 0x10000, 0));
        assertThrows(IllegalArgumentException.class, () -> new UdpRepr(0, 0, -1));
        assertThrows(IllegalArgumentException.class, () -> new UdpRepr(0, 0, UdpRepr.MAX_PAYLOAD_LENGTH + 1));
        assertThat(new UdpRepr(0, 0, UdpRepr.MAX_PAYLOAD_LENGTH).length(), is(0xffff));
        assertThat(UdpRepr.MAX_IPV4_PAYLOAD_LENGTH, is(65507));
    }

    @Test
    void parseRejectsALengthBelowTheHeaderFromAnUncheckedView() {
        byte[] b = udp(EVEN);
        Bytes.putU16(b, UdpPacket.LENGTH, 7);
        MalformedPacketException e = assertThrows(MalformedPacketException.class,
                () -> UdpRepr.parse(UdpPacket.wrap(b, 0, b.length)));
        assertThat(e.reason(), is(Reason.BAD_LENGTH));
    }

    @Test
    void emitRejectsAViewTooShortForTheDatagram() {
        UdpRepr repr = new UdpRepr(1, 2, 8);
        assertThrows(IllegalArgumentException.class, () -> repr.emit(UdpPacket.wrap(new byte[64], 0, 15), A, B));
    }
}
