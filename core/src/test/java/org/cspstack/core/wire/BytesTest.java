package org.cspstack.core.wire;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Bytes: big-endian reads and writes, hex helpers. */
class BytesTest {

    private final byte[] sample = Bytes.fromHex("ff fe 80 00 00 01 7f ff ff ff");

    @Test
    void readsUnsignedBigEndianValues() {
        assertThat(Bytes.u8(sample, 0), is(0xff));
        assertThat(Bytes.u16(sample, 0), is(0xfffe));
        assertThat(Bytes.u16(sample, 1), is(0xfe80));
        assertThat(Bytes.u32(sample, 0), is(0xfffe_8000L));
        assertThat(Bytes.u32(sample, 6), is(0x7fff_ffffL));
    }

    @Test
    void readsSignedThirtyTwoBitValue() {
        assertThat(Bytes.i32(sample, 0), is(0xfffe_8000));
        assertThat(Bytes.i32(sample, 0) < 0, is(true));
        assertThat(Bytes.i32(sample, 6), is(Integer.MAX_VALUE));
    }

    @Test
    void writesLowBitsBigEndian() {
        byte[] b = new byte[11];
        Bytes.putU8(b, 0, 0x1ab);
        Bytes.putU16(b, 1, 0x1_2345);
        Bytes.putU32(b, 3, 0x1_8899_aabbL);
        Bytes.putI32(b, 7, 0xc612_0001);
        assertThat(Bytes.hex(b), is("ab234588 99aabb c6120001".replace(" ", "")));
    }

    @Test
    void writesWhatItReads() {
        byte[] b = new byte[8];
        Bytes.putU16(b, 1, 0xbeef);
        Bytes.putU32(b, 3, 0xdead_beefL);
        assertThat(Bytes.u16(b, 1), is(0xbeef));
        assertThat(Bytes.u32(b, 3), is(0xdead_beefL));
    }

    @Test
    void formatsHexOfARange() {
        assertThat(Bytes.hex(sample, 1, 3), is("fe8000"));
        assertThat(Bytes.hex(sample, 0, 0), is(""));
    }

    @Test
    void parsesHexIgnoringWhitespaceAndCase() {
        byte[] b = Bytes.fromHex(" 0A bc\n\tDE f0 ");
        assertThat(Bytes.hex(b), is("0abcdef0"));
        assertThat(Bytes.fromHex("").length, is(0));
    }

    @Test
    void rejectsOddNumberOfHexDigits() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Bytes.fromHex("abc"));
        assertThat(e.getMessage(), containsString("odd number"));
    }

    @Test
    void rejectsNonHexCharacters() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Bytes.fromHex("0x12"));
        assertThat(e.getMessage(), containsString("'x'"));
    }
}
