package org.cspstack.core.wire;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.sameInstance;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.cspstack.core.wire.MalformedPacketException.Reason;
import org.junit.jupiter.api.Test;

/**
 * TcpSegment and TcpRepr against golden Scapy segments. Made with Scapy 2.5.0 (Debian's {@code /usr/bin/python3})
 * as {@code bytes(IP(src=A, dst=B)/TCP(...)/data).hex()} with {@code A = "198.18.0.1"}, {@code B = "198.18.0.2"}
 * (the reverse where a constant says {@code B > A}); Scapy's IP defaults are id=1, ttl=64, and its TCP defaults
 * urgptr=0 and ack=0. Each constant is the whole IPv4 packet, TCP at byte 20. Options are listed to Scapy in the
 * order {@link TcpRepr#emit} writes them (MSS, NOP+WS, NOP NOP+SACKOK), so that emitted headers match.
 */
class TcpSegmentTest {

    private static final int TCP_IN_IP = 20;
    private static final Ipv4Address A = Golden.IP_A;
    private static final Ipv4Address B = Golden.IP_B;
    private static final Ipv4Address C = Ipv4Address.parse("198.18.0.3");

    /**
     * {@code TCP(sport=40000, dport=7, seq=0x1a2b3c4d, flags="S", window=64240, options=[("MSS",1460), ("NOP",None),
     * ("WScale",7), ("NOP",None), ("NOP",None), ("SAckOK",b"")])}: a 32-byte header, checksum 0xf538.
     */
    private static final String SYN = "4500 0034 0001 0000 4006 ee9b c6120001 c6120002"
            + " 9c40 0007 1a2b3c4d 00000000 8002 faf0 f538 0000 020405b4 01030307 01010402";
    /**
     * {@code B > A: TCP(sport=7, dport=40000, seq=0xcafe0000, ack=0x1a2b3c4e, flags="SA", window=65160,
     * options=[("MSS",1400), ("NOP",None), ("NOP",None), ("SAckOK",b"")])}: a 28-byte header.
     */
    private static final String SYN_ACK = "4500 0030 0001 0000 4006 ee9f c6120002 c6120001"
            + " 0007 9c40 cafe0000 1a2b3c4e 7012 fe88 3adb 0000 02040578 01010402";
    /**
     * {@code TCP(sport=40000, dport=7, seq=0x1a2b3c4e, ack=0xcafe0001, flags="PA", window=502)/b"hello tcp"}:
     * an odd 9-byte payload after a 20-byte header.
     */
    private static final String DATA = "4500 0031 0001 0000 4006 ee9e c6120001 c6120002"
            + " 9c40 0007 1a2b3c4e cafe0001 5018 01f6 3b8f 0000 68656c6c6f20746370";
    /** {@code TCP(sport=40000, dport=7, seq=0x1a2b3c57, ack=0xcafe0001, flags="FA", window=502)}. */
    private static final String FIN_ACK = "4500 0028 0001 0000 4006 eea7 c6120001 c6120002"
            + " 9c40 0007 1a2b3c57 cafe0001 5011 01f6 63ec 0000";
    /** {@code B > A: TCP(sport=7, dport=40001, seq=0, ack=0, flags="R", window=0)}. */
    private static final String RST = "4500 0028 0001 0000 4006 eea7 c6120002 c6120001"
            + " 0007 9c41 00000000 00000000 5004 0000 8770 0000";
    /**
     * {@code TCP(sport=40002, dport=80, seq=1, flags="S", window=64240, options=[("MSS",1460), ("SAckOK",b""),
     * ("Timestamp",(123456,0)), ("NOP",None), ("WScale",7)])}: Linux's SYN layout, with timestamps (kind 8,
     * length 10) in the middle; a 40-byte header.
     */
    private static final String TIMESTAMPS = "4500 003c 0001 0000 4006 ee93 c6120001 c6120002"
            + " 9c42 0050 00000001 00000000 a002 faf0 4212 0000"
            + " 020405b4 0402 080a 0001e240 00000000 01 030307";
    /**
     * {@code TCP(sport=40000, dport=7, seq=100, ack=200, flags="A", window=501, options=[("NOP",None), ("NOP",None),
     * ("Timestamp",(1,2)), ("NOP",None), ("NOP",None), ("SAck",(1000,2000))])}: timestamps and a SACK block
     * (kind 5, length 10); a 44-byte header.
     */
    private static final String SACK_BLOCK = "4500 0040 0001 0000 4006 ee8f c6120001 c6120002"
            + " 9c40 0007 00000064 000000c8 b010 01f5 095b 0000"
            + " 0101 080a 00000001 00000002 0101 050a 000003e8 000007d0";
    /**
     * {@code TCP(sport=40003, dport=80, seq=2, flags="S", window=1024, options=[("MSS",536), ("EOL",None),
     * ("NOP",None), ("WScale",3)])}: a window scale after the end-of-list, then Scapy's zero padding.
     */
    private static final String EOL = "4500 0034 0001 0000 4006 ee9b c6120001 c6120002"
            + " 9c43 0050 00000002 00000000 8002 0400 48f9 0000 02040218 00 01 030303 000000";
    /** {@code TCP(sport=40004, dport=80, seq=3, flags="S", window=1024, options=[("NOP",None), ("WScale",15)])}. */
    private static final String WS_15 = "4500 002c 0001 0000 4006 eea3 c6120001 c6120002"
            + " 9c44 0050 00000003 00000000 6002 0400 6f0d 0000 0103030f";
    /**
     * {@code TCP(sport=65535, dport=1, seq=4294967295, ack=4294967294, flags="A", window=65535)/b"x"}: every
     * unsigned field at or near its maximum.
     */
    private static final String MAX = "4500 0029 0001 0000 4006 eea6 c6120001 c6120002"
            + " ffff 0001 ffffffff fffffffe 5010 ffff abab 0000 78";

    // The remaining option combinations, all TCP(sport=1, dport=2, flags="S", window=1, seq=..., options=...).
    /** {@code seq=6, options=[("MSS",536)]}. */
    private static final String MSS_ONLY = "4500 002c 0001 0000 4006 eea3 c6120001 c6120002"
            + " 0001 0002 00000006 00000000 6002 0001 0f91 0000 02040218";
    /** {@code seq=5, options=[("NOP",None), ("WScale",0)]}. */
    private static final String WS_ONLY = "4500 002c 0001 0000 4006 eea3 c6120001 c6120002"
            + " 0001 0002 00000005 00000000 6002 0001 0fab 0000 01030300";
    /** {@code seq=9, options=[("NOP",None), ("NOP",None), ("SAckOK",b"")]}. */
    private static final String SACK_ONLY = "4500 002c 0001 0000 4006 eea3 c6120001 c6120002"
            + " 0001 0002 00000009 00000000 6002 0001 0ea7 0000 01010402";
    /** {@code seq=7, options=[("MSS",1220), ("NOP",None), ("WScale",14)]}. */
    private static final String MSS_WS = "4500 0030 0001 0000 4006 ee9f c6120001 c6120002"
            + " 0001 0002 00000007 00000000 7002 0001 f8ce 0000 020404c4 0103030e";
    /** {@code seq=8, options=[("NOP",None), ("WScale",2), ("NOP",None), ("NOP",None), ("SAckOK",b"")]}. */
    private static final String WS_SACK = "4500 0030 0001 0000 4006 ee9f c6120001 c6120002"
            + " 0001 0002 00000008 00000000 7002 0001 fa9e 0000 01030302 01010402";

    private static final TcpRepr SYN_REPR = new TcpRepr(40000, 7, 0x1a2b3c4dL, 0, TcpSegment.SYN, 64240, 1460, 7, true);
    private static final TcpRepr SYN_ACK_REPR = new TcpRepr(7, 40000, 0xcafe0000L, 0x1a2b3c4eL,
            TcpSegment.SYN | TcpSegment.ACK, 65160, 1400, -1, true);
    private static final TcpRepr DATA_REPR = TcpRepr.of(40000, 7, 0x1a2b3c4eL, 0xcafe0001L,
            TcpSegment.PSH | TcpSegment.ACK, 502);
    private static final TcpRepr FIN_ACK_REPR = TcpRepr.of(40000, 7, 0x1a2b3c57L, 0xcafe0001L,
            TcpSegment.FIN | TcpSegment.ACK, 502);
    private static final TcpRepr RST_REPR = TcpRepr.of(7, 40001, 0, 0, TcpSegment.RST, 0);
    private static final TcpRepr MAX_REPR = TcpRepr.of(65535, 1, 0xffff_ffffL, 0xffff_fffeL, TcpSegment.ACK, 65535);
    private static final TcpRepr MSS_ONLY_REPR = new TcpRepr(1, 2, 6, 0, TcpSegment.SYN, 1, 536, -1, false);
    private static final TcpRepr WS_ONLY_REPR = new TcpRepr(1, 2, 5, 0, TcpSegment.SYN, 1, 0, 0, false);
    private static final TcpRepr SACK_ONLY_REPR = new TcpRepr(1, 2, 9, 0, TcpSegment.SYN, 1, 0, -1, true);
    private static final TcpRepr MSS_WS_REPR = new TcpRepr(1, 2, 7, 0, TcpSegment.SYN, 1, 1220, 14, false);
    private static final TcpRepr WS_SACK_REPR = new TcpRepr(1, 2, 8, 0, TcpSegment.SYN, 1, 0, 2, true);

    /** The TCP part of a golden IPv4 packet. */
    private static byte[] tcp(String hex) {
        byte[] p = Bytes.fromHex(hex);
        return Arrays.copyOfRange(p, TCP_IN_IP, p.length);
    }

    private static TcpSegment checked(byte[] b) throws MalformedPacketException {
        return TcpSegment.wrapChecked(b, 0, b.length);
    }

    /** Parses with {@link TcpRepr#parse(TcpSegment)}, and checks that the in-place parse reads the same. */
    private static TcpRepr parsed(byte[] b) throws MalformedPacketException {
        TcpRepr r = TcpRepr.parse(checked(b));
        assertThat(TcpRepr.copyOf(new MutableTcpHeader().parse(checked(b))), is(r));
        return r;
    }

    private static Reason rejection(byte[] b, int off, int len) {
        return assertThrows(MalformedPacketException.class, () -> TcpSegment.wrapChecked(b, off, len)).reason();
    }

    /** Why {@link TcpRepr#parse(TcpSegment)} rejects the options, checking that the in-place parse says the same. */
    private static Reason optionRejection(byte[] b) throws MalformedPacketException {
        TcpSegment s = checked(b);
        MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> TcpRepr.parse(s));
        MalformedPacketException inPlace = assertThrows(MalformedPacketException.class,
                () -> new MutableTcpHeader().parse(s));
        assertThat(inPlace.reason(), is(e.reason()));
        assertThat(inPlace.getMessage(), is(e.getMessage()));
        return e.reason();
    }

    /**
     * Emits {@code repr} before {@code payload} at {@code off} in a larger array that is full of 0xff (so that a
     * field emit forgets to write shows), and returns the segment.
     */
    private static byte[] emitted(TcpRepr repr, byte[] payload, Ipv4Address src, Ipv4Address dst, int off) {
        int len = repr.headerLength() + payload.length;
        byte[] b = new byte[off + len + 5];
        Arrays.fill(b, (byte) 0xff);
        System.arraycopy(payload, 0, b, off + repr.headerLength(), payload.length);
        repr.emit(TcpSegment.wrap(b, off, len), src, dst);
        return Arrays.copyOfRange(b, off, off + len);
    }

    private static byte[] emitted(TcpRepr repr, Ipv4Address src, Ipv4Address dst) {
        return emitted(repr, new byte[0], src, dst, 0);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void deconstructsGoldenSynInsideIpPacket() throws MalformedPacketException {
        byte[] p = Bytes.fromHex(SYN);
        Ipv4Packet ipv4 = Ipv4Packet.wrapChecked(p, 0, p.length);
        assertThat(ipv4.protocol(), is(IpProtocol.TCP));
        TcpSegment s = TcpSegment.wrapChecked(p, ipv4.payloadOffset(), ipv4.payloadLength());
        assertThat(s.offset(), is(TCP_IN_IP));
        assertThat(s.length(), is(32));
        assertThat(s.sourcePort(), is(40000));
        assertThat(s.destinationPort(), is(7));
        assertThat(s.sequence(), is(0x1a2b3c4dL));
        assertThat(s.acknowledgment(), is(0L));
        assertThat(s.headerLength(), is(32));
        assertThat(s.flags(), is(TcpSegment.SYN));
        assertThat(s.has(TcpSegment.SYN), is(true));
        assertThat(s.has(TcpSegment.ACK), is(false));
        assertThat(s.window(), is(64240));
        assertThat(s.checksum(), is(0xf538));
        assertThat(s.urgentPointer(), is(0));
        assertThat(s.optionsOffset(), is(TCP_IN_IP + 20));
        assertThat(s.optionsLength(), is(12));
        assertThat(s.payloadOffset(), is(TCP_IN_IP + 32));
        assertThat(s.payloadLength(), is(0));
        assertThat(s.verifyChecksum(ipv4.source(), ipv4.destination()), is(true));
        assertThat(s.toString(), is("TcpSegment[40000 > 7 flags 0x2 seq 439041101 ack 0 win 64240, 0 bytes]"));

        TcpRepr r = TcpRepr.parse(s);
        assertThat(r, is(SYN_REPR));
        assertThat(r.sourcePort(), is(40000));
        assertThat(r.destinationPort(), is(7));
        assertThat(r.seq(), is(0x1a2b3c4dL));
        assertThat(r.ack(), is(0L));
        assertThat(r.flags(), is(TcpSegment.SYN));
        assertThat(r.window(), is(64240));
        assertThat(r.mss(), is(1460));
        assertThat(r.windowScale(), is(7));
        assertThat(r.sackPermitted(), is(true));
        assertThat(r.optionsLength(), is(12));
        assertThat(r.headerLength(), is(32));
        assertThat(r.toString(), is("TCP 40000 > 7 [S] seq 439041101 ack 0 win 64240 mss 1460 ws 7 sackOK"));
    }

    @Test
    void emitsGoldenSynByteForByte() {
        assertThat(Bytes.hex(emitted(SYN_REPR, A, B)), is(Bytes.hex(tcp(SYN))));
    }

    @Test
    void parsesAndEmitsGoldenSynAck() throws MalformedPacketException {
        byte[] b = tcp(SYN_ACK);
        TcpSegment s = checked(b);
        assertThat(s.flags(), is(TcpSegment.SYN | TcpSegment.ACK));
        assertThat(s.headerLength(), is(28));
        assertThat(s.optionsLength(), is(8));
        assertThat(s.sequence(), is(0xcafe0000L));
        assertThat(s.acknowledgment(), is(0x1a2b3c4eL));
        assertThat(s.verifyChecksum(B, A), is(true));
        TcpRepr r = TcpRepr.parse(s);
        assertThat(r, is(SYN_ACK_REPR));
        assertThat(r.toString(), is("TCP 7 > 40000 [SA] seq 3405643776 ack 439041102 win 65160 mss 1400 sackOK"));
        assertThat(Bytes.hex(emitted(SYN_ACK_REPR, B, A)), is(Bytes.hex(b)));
    }

    @Test
    void parsesAndEmitsGoldenDataSegment() throws MalformedPacketException {
        byte[] b = tcp(DATA);
        TcpSegment s = checked(b);
        assertThat(s.flags(), is(TcpSegment.PSH | TcpSegment.ACK));
        assertThat(s.has(TcpSegment.PSH), is(true));
        assertThat(s.has(TcpSegment.ACK), is(true));
        assertThat(s.has(TcpSegment.FIN), is(false));
        assertThat(s.headerLength(), is(20));
        assertThat(s.optionsLength(), is(0));
        assertThat(s.payloadOffset(), is(20));
        assertThat(s.payloadLength(), is(9));
        assertThat(new String(b, s.payloadOffset(), s.payloadLength(), StandardCharsets.US_ASCII), is("hello tcp"));
        assertThat(s.checksum(), is(0x3b8f));
        assertThat(s.verifyChecksum(A, B), is(true));
        assertThat(s.toString(), is("TcpSegment[40000 > 7 flags 0x18 seq 439041102 ack 3405643777 win 502, 9 bytes]"));
        assertThat(TcpRepr.parse(s), is(DATA_REPR));
        assertThat(TcpRepr.parse(s).toString(), is("TCP 40000 > 7 [PA] seq 439041102 ack 3405643777 win 502"));
        assertThat(Bytes.hex(emitted(DATA_REPR, ascii("hello tcp"), A, B, 0)), is(Bytes.hex(b)));
    }

    @Test
    void rejectsBadChecksums() throws MalformedPacketException {
        byte[] lastPayloadByte = tcp(DATA);
        lastPayloadByte[lastPayloadByte.length - 1] ^= 1; // the odd byte, padded on the right
        assertThat(checked(lastPayloadByte).verifyChecksum(A, B), is(false));

        byte[] firstPayloadByte = tcp(DATA);
        firstPayloadByte[TcpSegment.MIN_HEADER_LENGTH] ^= (byte) 0x80;
        assertThat(checked(firstPayloadByte).verifyChecksum(A, B), is(false));

        byte[] option = tcp(SYN);
        option[TcpSegment.OPTIONS + 3] ^= 1; // MSS 1460 -> 1461
        assertThat(checked(option).verifyChecksum(A, B), is(false));

        byte[] lost = tcp(DATA); // the last (odd) byte lost
        assertThat(TcpSegment.wrapChecked(lost, 0, lost.length - 1).verifyChecksum(A, B), is(false));

        // The pseudo-header counts.
        assertThat(checked(tcp(DATA)).verifyChecksum(B, A), is(true)); // the sum is symmetric in src/dst
        assertThat(checked(tcp(DATA)).verifyChecksum(A, C), is(false));
    }

    @Test
    void verifiesChecksumsOfEveryGoldenSegment() throws MalformedPacketException {
        for (String hex : new String[] {SYN, DATA, FIN_ACK, TIMESTAMPS, SACK_BLOCK, EOL, WS_15, MAX, MSS_ONLY,
                WS_ONLY, SACK_ONLY, MSS_WS, WS_SACK}) {
            assertThat(hex, checked(tcp(hex)).verifyChecksum(A, B), is(true));
        }
        for (String hex : new String[] {SYN_ACK, RST}) {
            assertThat(hex, checked(tcp(hex)).verifyChecksum(B, A), is(true));
        }
    }

    @Test
    void parsesAndEmitsGoldenFinAck() throws MalformedPacketException {
        byte[] b = tcp(FIN_ACK);
        TcpSegment s = checked(b);
        assertThat(s.flags(), is(TcpSegment.FIN | TcpSegment.ACK));
        assertThat(s.payloadLength(), is(0));
        TcpRepr r = TcpRepr.parse(s);
        assertThat(r, is(FIN_ACK_REPR));
        assertThat(r.has(TcpSegment.FIN), is(true));
        assertThat(r.has(TcpSegment.SYN), is(false));
        assertThat(r.toString(), is("TCP 40000 > 7 [FA] seq 439041111 ack 3405643777 win 502"));
        assertThat(Bytes.hex(emitted(FIN_ACK_REPR, A, B)), is(Bytes.hex(b)));
    }

    @Test
    void parsesAndEmitsGoldenRst() throws MalformedPacketException {
        byte[] b = tcp(RST);
        TcpSegment s = checked(b);
        assertThat(s.flags(), is(TcpSegment.RST));
        assertThat(s.window(), is(0));
        assertThat(s.sequence(), is(0L));
        TcpRepr r = TcpRepr.parse(s);
        assertThat(r, is(RST_REPR));
        assertThat(r.mss(), is(0));
        assertThat(r.windowScale(), is(-1));
        assertThat(r.sackPermitted(), is(false));
        assertThat(r.toString(), is("TCP 7 > 40001 [R] seq 0 ack 0 win 0"));
        assertThat(Bytes.hex(emitted(RST_REPR, B, A)), is(Bytes.hex(b)));
    }

    @Test
    void emitsGoldenSegmentsAtOddArrayOffsets() {
        // The checksum depends on positions in the segment, not in the array.
        assertThat(Bytes.hex(emitted(DATA_REPR, ascii("hello tcp"), A, B, 3)), is(Bytes.hex(tcp(DATA))));
        assertThat(Bytes.hex(emitted(SYN_REPR, new byte[0], A, B, 1)), is(Bytes.hex(tcp(SYN))));
    }

    @Test
    void constructsGoldenDataSegmentWithSetters() {
        byte[] golden = tcp(DATA);
        byte[] out = new byte[golden.length];
        TcpSegment s = TcpSegment.wrap(out, 0, out.length);
        s.setSourcePort(40000);
        s.setDestinationPort(7);
        s.setSequence(0x1a2b3c4eL);
        s.setAcknowledgment(0xcafe0001L);
        s.setHeaderLength(20);
        s.setFlags(TcpSegment.PSH | TcpSegment.ACK);
        s.setWindow(502);
        s.setUrgentPointer(0);
        System.arraycopy(ascii("hello tcp"), 0, out, s.payloadOffset(), 9);
        s.fillChecksum(A, B);
        assertThat(Bytes.hex(out), is(Bytes.hex(golden)));
    }

    @Test
    void setHeaderLengthTakesMultiplesOfFourFrom20To60() {
        TcpSegment s = TcpSegment.wrap(new byte[60], 0, 60);
        for (int bad : new int[] {-4, 0, 16, 19, 21, 22, 23, 62, 64}) {
            assertThrows(IllegalArgumentException.class, () -> s.setHeaderLength(bad), "length " + bad);
        }
        Bytes.putU8(s.buffer(), TcpSegment.DATA_OFFSET, 0x0f); // reserved bits set
        s.setHeaderLength(60);
        assertThat(s.headerLength(), is(60));
        assertThat(Bytes.u8(s.buffer(), TcpSegment.DATA_OFFSET), is(0xf0));
    }

    @Test
    void skipsOptionsOfUnknownKinds() throws MalformedPacketException {
        TcpSegment ts = checked(tcp(TIMESTAMPS));
        assertThat(ts.headerLength(), is(40));
        assertThat(ts.optionsLength(), is(20));
        assertThat(TcpRepr.parse(ts), is(new TcpRepr(40002, 80, 1, 0, TcpSegment.SYN, 64240, 1460, 7, true)));

        TcpSegment sack = checked(tcp(SACK_BLOCK));
        assertThat(sack.headerLength(), is(44));
        assertThat(TcpRepr.parse(sack), is(TcpRepr.of(40000, 7, 100, 200, TcpSegment.ACK, 501)));
        assertThat(TcpRepr.parse(sack).headerLength(), is(20)); // unknown options are not emitted
    }

    @Test
    void ignoresKnownOptionsOfTheWrongLength() throws MalformedPacketException {
        byte[] wholeArea = tcp(SYN); // "MSS" of length 12 covering all 12 option bytes
        wholeArea[TcpSegment.OPTIONS + 1] = 12;
        assertThat(parsed(wholeArea), is(new TcpRepr(40000, 7, 0x1a2b3c4dL, 0, TcpSegment.SYN, 64240, 0, -1, false)));

        byte[] b = tcp(SYN); // MSS of length 2, WS of length 4, SACK-permitted of length 2 read as kind 4 length 2
        // 02 02 | 01 01 | 03 04 03 07 | 01 01 04 02
        System.arraycopy(Bytes.fromHex("0202 0101 03040307"), 0, b, TcpSegment.OPTIONS, 8);
        assertThat(parsed(b), is(new TcpRepr(40000, 7, 0x1a2b3c4dL, 0, TcpSegment.SYN, 64240, 0, -1, true)));
    }

    @Test
    void endOfListEndsParsing() throws MalformedPacketException {
        TcpSegment s = checked(tcp(EOL));
        assertThat(s.headerLength(), is(32));
        assertThat(TcpRepr.parse(s), is(new TcpRepr(40003, 80, 2, 0, TcpSegment.SYN, 1024, 536, -1, false)));

        byte[] garbage = tcp(EOL); // a malformed option after the end-of-list is never read
        System.arraycopy(Bytes.fromHex("0200 0100 0000 00"), 0, garbage, TcpSegment.OPTIONS + 5, 7);
        assertThat(parsed(garbage).mss(), is(536));

        byte[] first = tcp(SYN); // EOL first: no options at all
        first[TcpSegment.OPTIONS] = TcpRepr.OPTION_END;
        assertThat(parsed(first), is(TcpRepr.of(40000, 7, 0x1a2b3c4dL, 0, TcpSegment.SYN, 64240)));
    }

    @Test
    void rejectsOptionLengthsBelowTwo() throws MalformedPacketException {
        for (int len : new int[] {0, 1}) {
            byte[] mss = tcp(SYN);
            mss[TcpSegment.OPTIONS + 1] = (byte) len;
            assertThat("MSS length " + len, optionRejection(mss), is(Reason.UNSUPPORTED));

            byte[] unknown = tcp(TIMESTAMPS); // the timestamp option at 26
            unknown[TcpSegment.OPTIONS + 7] = (byte) len;
            assertThat("timestamps length " + len, optionRejection(unknown), is(Reason.UNSUPPORTED));
        }
        byte[] b = tcp(SYN);
        b[TcpSegment.OPTIONS + 1] = 0;
        MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> parsed(b));
        assertThat(e.getMessage(), containsString("TCP option 2 has length 0 with 12 bytes left"));
    }

    @Test
    void rejectsOptionsRunningPastTheHeader() throws MalformedPacketException {
        byte[] mss = tcp(SYN);
        mss[TcpSegment.OPTIONS + 1] = 13; // 12 bytes of options
        assertThat(optionRejection(mss), is(Reason.UNSUPPORTED));

        byte[] sackOk = tcp(SYN); // the last option, SACK-permitted, claims 3 bytes of the 2 left
        sackOk[TcpSegment.OPTIONS + 11] = 3;
        assertThat(optionRejection(sackOk), is(Reason.UNSUPPORTED));

        byte[] noLength = tcp(SYN); // the last byte is a kind with no room for its length
        System.arraycopy(Bytes.fromHex("01010108"), 0, noLength, TcpSegment.OPTIONS + 8, 4);
        MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> parsed(noLength));
        assertThat(e.reason(), is(Reason.UNSUPPORTED));
        assertThat(e.getMessage(), containsString("TCP option 8 has no length byte"));

        // The option would fit in the segment, but not in the header: the payload is not options.
        byte[] withData = Arrays.copyOf(tcp(SYN), 40);
        withData[TcpSegment.OPTIONS + 1] = 16;
        assertThat(optionRejection(withData), is(Reason.UNSUPPORTED));
        withData[TcpSegment.OPTIONS + 1] = 12;
        assertThat(parsed(withData).mss(), is(0));
    }

    @Test
    void inPlaceParseReadsEveryGoldenSegmentAsTcpReprParseDoes() throws MalformedPacketException {
        MutableTcpHeader h = new MutableTcpHeader(); // one header for all: each parse replaces every field
        for (String hex : new String[] {SYN, SYN_ACK, DATA, FIN_ACK, RST, TIMESTAMPS, SACK_BLOCK, EOL, WS_15, MAX,
                MSS_ONLY, WS_ONLY, SACK_ONLY, MSS_WS, WS_SACK}) {
            TcpSegment s = checked(tcp(hex));
            TcpRepr r = TcpRepr.parse(s);
            assertThat(hex, h.parse(s), is(sameInstance(h)));
            assertThat(hex, TcpRepr.copyOf(h), is(r));
            assertThat(hex, h.toString(), is(r.toString()));
        }
        assertThat(h.windowScale(), is(2)); // WS_SACK's, after MSS_WS's 14 and WS_ONLY's 0
        assertThat(TcpRepr.copyOf(new MutableTcpHeader().parse(checked(tcp(WS_15)))).windowScale(),
                is(TcpRepr.MAX_WINDOW_SCALE));
        assertThat(TcpRepr.copyOf(new MutableTcpHeader()), is(TcpRepr.of(0, 0, 0, 0, 0, 0))); // before any parse
    }

    @Test
    void rejectedInPlaceParseLeavesTheHeaderAsItWas() throws MalformedPacketException {
        MutableTcpHeader h = new MutableTcpHeader().parse(checked(tcp(SYN)));
        byte[] bad = tcp(SYN_ACK);
        bad[TcpSegment.OPTIONS + 1] = 0; // MSS of length 0
        TcpSegment s = checked(bad);
        assertThrows(MalformedPacketException.class, () -> h.parse(s));
        assertThat(TcpRepr.copyOf(h), is(SYN_REPR));
    }

    @Test
    void copyOfKeepsAValueAndCopiesAHolder() throws MalformedPacketException {
        assertThat(TcpRepr.copyOf(SYN_REPR), is(sameInstance(SYN_REPR)));
        MutableTcpHeader h = new MutableTcpHeader().parse(checked(tcp(SYN)));
        TcpRepr copy = TcpRepr.copyOf(h);
        h.parse(checked(tcp(DATA)));
        assertThat(copy, is(SYN_REPR));
        assertThat(TcpRepr.copyOf(h), is(DATA_REPR));
    }

    @Test
    void fieldEmitWritesWhatAnOptionlessReprEmits() {
        for (TcpRepr r : new TcpRepr[] {DATA_REPR, FIN_ACK_REPR, RST_REPR, MAX_REPR}) {
            byte[] payload = r == DATA_REPR ? ascii("hello tcp") : new byte[0];
            int len = TcpSegment.MIN_HEADER_LENGTH + payload.length;
            byte[] b = new byte[len + 4];
            Arrays.fill(b, (byte) 0xff);
            System.arraycopy(payload, 0, b, 2 + TcpSegment.MIN_HEADER_LENGTH, payload.length);
            TcpRepr.emit(TcpSegment.wrap(b, 2, len), A, B, r.sourcePort(), r.destinationPort(), r.seq(), r.ack(),
                    r.flags(), r.window());
            assertThat(r.toString(), Bytes.hex(Arrays.copyOfRange(b, 2, 2 + len)),
                    is(Bytes.hex(emitted(r, payload, A, B, 0))));
        }
        TcpSegment s = TcpSegment.wrap(new byte[20], 0, 20);
        assertThrows(IllegalArgumentException.class, () -> TcpRepr.emit(s, A, B, 65_536, 1, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> TcpRepr.emit(s, A, B, 1, 1, 1L << 32, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> TcpRepr.emit(s, A, B, 1, 1, 0, 0, 0, 65_536));
        TcpSegment small = TcpSegment.wrap(new byte[19], 0, 19);
        assertThrows(IllegalArgumentException.class, () -> TcpRepr.emit(small, A, B, 1, 1, 0, 0, 0, 0));
    }

    @Test
    void rejectsEveryTruncatedLength() {
        byte[] b = tcp(SYN);
        for (int len = 0; len < TcpSegment.MIN_HEADER_LENGTH; len++) {
            assertThat("length " + len, rejection(b, 0, len), is(Reason.TRUNCATED));
        }
        assertThat(rejection(new byte[0], 0, 0), is(Reason.TRUNCATED));
    }

    @Test
    void rejectsDataOffsetBelowFiveWords() {
        for (int words = 0; words < 5; words++) {
            byte[] b = tcp(FIN_ACK);
            Bytes.putU8(b, TcpSegment.DATA_OFFSET, words << 4);
            assertThat("data offset " + words, rejection(b, 0, b.length), is(Reason.BAD_HEADER_LENGTH));
        }
        byte[] b = tcp(FIN_ACK);
        Bytes.putU8(b, TcpSegment.DATA_OFFSET, 4 << 4);
        MalformedPacketException e = assertThrows(MalformedPacketException.class,
                () -> TcpSegment.wrapChecked(b, 0, b.length));
        assertThat(e.getMessage(), containsString("TCP data offset 16 bytes in a segment of 20"));
    }

    @Test
    void rejectsDataOffsetBeyondTheSegment() throws MalformedPacketException {
        byte[] syn = tcp(SYN); // a 32-byte header
        for (int len = 20; len < 32; len++) {
            assertThat("length " + len, rejection(syn, 0, len), is(Reason.BAD_HEADER_LENGTH));
        }
        assertThat(TcpSegment.wrapChecked(syn, 0, 32).payloadLength(), is(0));

        for (int words = 6; words <= 15; words++) {
            byte[] fin = tcp(FIN_ACK); // 20 bytes
            Bytes.putU8(fin, TcpSegment.DATA_OFFSET, words << 4);
            assertThat("data offset " + words, rejection(fin, 0, fin.length), is(Reason.BAD_HEADER_LENGTH));
        }
        byte[] sixty = Arrays.copyOf(tcp(FIN_ACK), 60); // 15 words of header in 60 bytes: fine
        Bytes.putU8(sixty, TcpSegment.DATA_OFFSET, 15 << 4);
        TcpSegment s = checked(sixty);
        assertThat(s.headerLength(), is(60));
        assertThat(s.optionsLength(), is(40));
        assertThat(s.payloadLength(), is(0));
        assertThat(TcpRepr.parse(s).mss(), is(0)); // 40 bytes of EOL
    }

    @Test
    void ignoresReservedBitsInTheDataOffsetByte() throws MalformedPacketException {
        byte[] b = tcp(SYN);
        b[TcpSegment.DATA_OFFSET] |= 0x0f;
        assertThat(checked(b).headerLength(), is(32));
        assertThat(parsed(b), is(SYN_REPR));
    }

    @Test
    void failedCheckLeavesTheViewUnchanged() throws MalformedPacketException {
        byte[] good = tcp(DATA);
        TcpSegment s = checked(good);
        byte[] bad = tcp(DATA);
        Bytes.putU8(bad, TcpSegment.DATA_OFFSET, 0x40);
        assertThrows(MalformedPacketException.class, () -> s.rewrapChecked(bad, 0, bad.length));
        assertThrows(MalformedPacketException.class, () -> s.rewrapChecked(bad, 0, 19));
        assertThat(s.buffer(), is(good));
        assertThat(s.length(), is(29));
        assertThrows(IndexOutOfBoundsException.class, () -> s.rewrapChecked(good, 10, 20)); // past the array
        assertThrows(IndexOutOfBoundsException.class, () -> s.rewrapChecked(good, -1, 20));
        assertThat(s.buffer(), is(good));
        assertThat(s.offset(), is(0));
    }

    @Test
    void windowScaleAbove14IsParsedAs14() throws MalformedPacketException {
        byte[] b = tcp(WS_15);
        assertThat(parsed(b), is(new TcpRepr(40004, 80, 3, 0, TcpSegment.SYN, 1024, 0, 14, false)));
        for (int shift : new int[] {0, 1, 13, 14, 15, 16, 127, 128, 255}) {
            b[TcpSegment.OPTIONS + 3] = (byte) shift;
            assertThat("shift " + shift, parsed(b).windowScale(), is(Math.min(shift, 14)));
        }
    }

    @Test
    void emitsEveryOptionCombinationAsScapyDoes() throws MalformedPacketException {
        // {MSS, WS, SACK-permitted} subsets: the golden segment, its repr, and the options' length.
        Object[][] cases = {
                {RST, RST_REPR, 0, B, A},
                {MSS_ONLY, MSS_ONLY_REPR, 4, A, B},
                {WS_ONLY, WS_ONLY_REPR, 4, A, B},
                {SACK_ONLY, SACK_ONLY_REPR, 4, A, B},
                {MSS_WS, MSS_WS_REPR, 8, A, B},
                {SYN_ACK, SYN_ACK_REPR, 8, B, A},
                {WS_SACK, WS_SACK_REPR, 8, A, B},
                {SYN, SYN_REPR, 12, A, B},
        };
        for (Object[] c : cases) {
            byte[] golden = tcp((String) c[0]);
            TcpRepr repr = (TcpRepr) c[1];
            int options = (Integer) c[2];
            String what = repr.toString();
            assertThat(what, repr.optionsLength(), is(options));
            assertThat(what, repr.headerLength(), is(20 + options));
            TcpSegment s = checked(golden);
            assertThat(what, s.optionsLength(), is(options));
            assertThat(what, s.headerLength(), is(20 + options));
            assertThat(what, TcpRepr.parse(s), is(repr));
            assertThat(what, Bytes.hex(emitted(repr, (Ipv4Address) c[3], (Ipv4Address) c[4])), is(Bytes.hex(golden)));
        }
    }

    @Test
    void optionsLengthOfEveryCombination() {
        for (int mask = 0; mask < 8; mask++) {
            int mss = (mask & 1) != 0 ? 1460 : 0;
            int ws = (mask & 2) != 0 ? 0 : -1; // a shift of 0 is present
            boolean sack = (mask & 4) != 0;
            TcpRepr r = new TcpRepr(1, 2, 3, 4, TcpSegment.SYN, 5, mss, ws, sack);
            int expected = 4 * Integer.bitCount(mask);
            assertThat("mask " + mask, r.optionsLength(), is(expected));
            assertThat("mask " + mask, r.headerLength(), is(20 + expected));
        }
        assertThat(TcpRepr.of(1, 2, 3, 4, TcpSegment.ACK, 5).headerLength(), is(20));
    }

    @Test
    void sequenceNumbersNearTheTopRoundTrip() throws MalformedPacketException {
        byte[] golden = tcp(MAX);
        TcpSegment s = checked(golden);
        assertThat(s.sourcePort(), is(65535));
        assertThat(s.sequence(), is(4294967295L));
        assertThat(s.acknowledgment(), is(4294967294L));
        assertThat(s.window(), is(65535));
        assertThat(s.verifyChecksum(A, B), is(true));
        assertThat(TcpRepr.parse(s), is(MAX_REPR));
        assertThat(Bytes.hex(emitted(MAX_REPR, ascii("x"), A, B, 0)), is(Bytes.hex(golden)));

        long[] values = {0xffff_ffffL, 0xffff_fffeL, 0xffff_ff00L, 0x8000_0000L, 0x7fff_ffffL, 1, 0};
        for (long seq : values) {
            for (long ack : values) {
                TcpRepr repr = new TcpRepr(65535, 0, seq, ack, TcpSegment.ACK, 0xffff, 0xffff, 14, true);
                byte[] out = emitted(repr, ascii("wrap"), A, B, 1);
                TcpSegment t = checked(out);
                assertThat(repr.toString(), t.sequence(), is(seq));
                assertThat(repr.toString(), t.acknowledgment(), is(ack));
                assertThat(repr.toString(), t.verifyChecksum(A, B), is(true));
                assertThat(repr.toString(), TcpRepr.parse(t), is(repr));
            }
        }

        TcpSegment set = TcpSegment.wrap(new byte[20], 0, 20);
        set.setSequence(0xffff_ffffL);
        set.setAcknowledgment(0x1_0000_0001L); // only the low 32 bits are written
        assertThat(set.sequence(), is(0xffff_ffffL));
        assertThat(set.acknowledgment(), is(1L));
    }

    @Test
    void reprsRejectValuesThatDoNotFit() {
        assertThrows(IllegalArgumentException.class, () -> TcpRepr.of(0, 0, 0x1_0000_0000L, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> TcpRepr.of(0, 0, 0, 0x1_0000_0000L, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> TcpRepr.of(0, 0, -1, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> TcpRepr.of(0, 0, 0, -1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> TcpRepr.of(65536, 0, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> TcpRepr.of(0, 65536, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> TcpRepr.of(-1, 0, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> TcpRepr.of(0, -1, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> TcpRepr.of(0, 0, 0, 0, 256, 0));
        assertThrows(IllegalArgumentException.class, () -> TcpRepr.of(0, 0, 0, 0, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> TcpRepr.of(0, 0, 0, 0, 0, 65536));
        assertThrows(IllegalArgumentException.class, () -> TcpRepr.of(0, 0, 0, 0, 0, -1));
        assertThrows(IllegalArgumentException.class, () -> new TcpRepr(0, 0, 0, 0, 0, 0, 65536, -1, false));
        assertThrows(IllegalArgumentException.class, () -> new TcpRepr(0, 0, 0, 0, 0, 0, -1, -1, false));
        assertThrows(IllegalArgumentException.class, () -> new TcpRepr(0, 0, 0, 0, 0, 0, 0, 15, false));
        assertThrows(IllegalArgumentException.class, () -> new TcpRepr(0, 0, 0, 0, 0, 0, 0, -2, false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TcpRepr.of(0, 65536, 0, 0, 0, 0));
        assertThat(e.getMessage(), containsString("destination port 65536 is outside 0..65535"));

        TcpRepr max = new TcpRepr(65535, 65535, 0xffff_ffffL, 0xffff_ffffL, 0xff, 0xffff, 0xffff, 14, true);
        assertThat(max.toString(), is("TCP 65535 > 65535 [FSRPAUEC] seq 4294967295 ack 4294967295 win 65535"
                + " mss 65535 ws 14 sackOK"));
    }
}
