package org.cspstack.core.wire;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Checksum: the RFC 1071 example, odd lengths, partial sums, and golden IPv4, ICMP and UDP checksums. */
class ChecksumTest {

    /** RFC 1071 section 3, "Numerical Examples": these bytes sum to ddf2 (one's complement, not inverted). */
    private static final byte[] RFC1071_EXAMPLE = Bytes.fromHex("00 01 f2 03 f4 f5 f6 f7");

    /** The textbook algorithm: 16-bit words with an end-around carry after every addition. */
    private static int referenceSum(byte[] b, int off, int len) {
        int sum = 0;
        for (int i = 0; i < len; i += 2) {
            int word = (b[off + i] & 0xff) << 8 | (i + 1 < len ? b[off + i + 1] & 0xff : 0);
            sum += word;
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return sum;
    }

    @Test
    void sumsRfc1071Example() {
        assertThat(Integer.toHexString(Checksum.fold(Checksum.add(0, RFC1071_EXAMPLE, 0, 8))), is("ddf2"));
        assertThat(Checksum.finish(Checksum.add(0, RFC1071_EXAMPLE, 0, 8)), is(0x220d));
        assertThat(Checksum.compute(RFC1071_EXAMPLE, 0, 8), is(0x220d));
    }

    @Test
    void sumsRfc1071ExampleAtAnOddArrayIndex() {
        byte[] b = new byte[11];
        System.arraycopy(RFC1071_EXAMPLE, 0, b, 3, 8);
        assertThat(Checksum.fold(Checksum.add(0, b, 3, 8)), is(0xddf2));
    }

    @Test
    void sumsRfc1071ExampleInEvenSizedPieces() {
        long sum = Checksum.add(0, RFC1071_EXAMPLE, 0, 2);
        sum = Checksum.add(sum, RFC1071_EXAMPLE, 2, 4);
        sum = Checksum.add(sum, RFC1071_EXAMPLE, 6, 2);
        assertThat(Checksum.fold(sum), is(0xddf2));
    }

    @Test
    void padsAnOddLastByteWithZero() {
        byte[] b = Bytes.fromHex("ab 01 02 03");
        assertThat(Checksum.fold(Checksum.add(0, b, 0, 1)), is(0xab00));
        assertThat(Checksum.fold(Checksum.add(0, b, 1, 3)), is(0x0102 + 0x0300));
        // 7 bytes: one 4-byte step, one 2-byte step and a padded byte.
        byte[] seven = Bytes.fromHex("ff ff ff ff ff ff ff");
        assertThat(Checksum.fold(Checksum.add(0, seven, 0, 7)), is(referenceSum(seven, 0, 7)));
    }

    @Test
    void addsNothingForAnEmptyRange() {
        assertThat(Checksum.add(12345, RFC1071_EXAMPLE, 3, 0), is(12345L));
        assertThat(Checksum.finish(0), is(0xffff));
    }

    @Test
    void matchesWordByWordReferenceForEveryLengthAndArrayOffset() {
        Random random = new Random(1071);
        byte[] b = new byte[200];
        for (int round = 0; round < 20; round++) {
            random.nextBytes(b);
            for (int off = 0; off < 4; off++) {
                for (int len = 0; len <= 130; len++) {
                    assertThat("off " + off + " len " + len, Checksum.fold(Checksum.add(0, b, off, len)),
                            is(referenceSum(b, off, len)));
                }
            }
        }
    }

    @Test
    void splitSumEqualsWholeSumWhenPiecesStartAtEvenPositions() {
        Random random = new Random(7);
        byte[] b = new byte[101];
        random.nextBytes(b);
        long whole = Checksum.add(0, b, 0, b.length);
        long split = Checksum.add(0, b, 0, 6);
        split = Checksum.add(split, b, 6, 30);
        split = Checksum.add(split, b, 36, 65); // only the last piece is odd
        assertThat(Checksum.fold(split), is(Checksum.fold(whole)));
    }

    @Test
    void foldsRepeatedCarries() {
        assertThat(Checksum.fold(0x1_ffffL), is(0x0001));
        assertThat(Checksum.fold(0x2_fffdL), is(0xffff));
        assertThat(Checksum.fold(0xffff_ffff_ffffL), is(0xffff));
    }

    @Test
    void verifiesWhatItComputesAndDetectsAFlippedBit() {
        byte[] msg = Bytes.fromHex("4500 0073 0000 4000 4011 0000 c612 0001 c612 0002 01"); // odd length
        Bytes.putU16(msg, 10, Checksum.compute(msg, 0, msg.length));
        assertThat(Checksum.verify(msg, 0, msg.length), is(true));
        msg[5] ^= 0x10;
        assertThat(Checksum.verify(msg, 0, msg.length), is(false));
    }

    @Test
    void computesAndVerifiesGoldenIpv4HeaderChecksum() {
        byte[] frame = Golden.echoRequestFrame();
        assertThat(Checksum.verify(frame, 14, 20), is(true));
        Bytes.putU16(frame, 14 + 10, 0);
        assertThat(Checksum.compute(frame, 14, 20), is(0x9c75));
    }

    @Test
    void computesGoldenOddLengthIcmpChecksum() {
        byte[] icmp = Golden.echoRequestOddLength();
        assertThat(Checksum.verify(icmp, 0, icmp.length), is(true));
        Bytes.putU16(icmp, 2, 0);
        assertThat(Checksum.compute(icmp, 0, icmp.length), is(0x338d));
    }

    @Test
    void pseudoHeaderSumVerifiesGoldenUdpChecksum() {
        byte[] packet = Golden.ipv4Udp();
        int udpLength = packet.length - 20;
        long sum = Checksum.pseudoHeaderIpv4(Golden.IP_A, Golden.IP_B, IpProtocol.UDP, udpLength);
        assertThat(Checksum.fold(Checksum.add(sum, packet, 20, udpLength)), is(0xffff));

        Bytes.putU16(packet, 20 + 6, 0);
        long again = Checksum.pseudoHeaderIpv4(Golden.IP_A, Golden.IP_B, IpProtocol.UDP, udpLength);
        assertThat(Checksum.finish(Checksum.add(again, packet, 20, udpLength)), is(0x9364));
    }

    @Test
    void addWordMatchesAddingTheTwoBytes() {
        byte[] word = Bytes.fromHex("9c40");
        assertThat(Checksum.addWord(5, 0x9c40), is(Checksum.add(5, word, 0, 2)));
    }
}
