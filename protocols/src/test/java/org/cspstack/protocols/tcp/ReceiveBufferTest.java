package org.cspstack.protocols.tcp;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** Table of out-of-order cases for {@link ReceiveBuffer}: in order, gaps, overlaps, wrap, range limit. */
class ReceiveBufferTest {
    private static final long NEAR_TOP = 0xffff_fff0L;

    private static byte[] bytes(int from, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (from + i);
        }
        return b;
    }

    private static byte[] readAll(ReceiveBuffer r) {
        byte[] out = new byte[r.available()];
        r.read(out, 0, out.length);
        return out;
    }

    @Test
    void inOrderDataIsAvailableAtOnce() {
        ReceiveBuffer r = new ReceiveBuffer(100, 4);
        assertThat(r.insert(NEAR_TOP, NEAR_TOP, bytes(0, 30), 0, 30), is(30));
        assertThat(r.available(), is(30));
        assertThat(r.free(), is(70));
        assertThat(readAll(r), is(bytes(0, 30)));
    }

    @Test
    void outOfOrderDataJoinsWhenTheHoleFills() {
        ReceiveBuffer r = new ReceiveBuffer(100, 4);
        long nxt = NEAR_TOP;
        assertThat(r.insert(nxt, Seq.add(nxt, 20), bytes(20, 10), 0, 10), is(0));
        assertThat(r.insert(nxt, Seq.add(nxt, 40), bytes(40, 10), 0, 10), is(0));
        assertThat(r.outOfOrderRanges(), is(2));
        assertThat(r.available(), is(0));
        assertThat(r.insert(nxt, Seq.add(nxt, 10), bytes(10, 10), 0, 10), is(0)); // touches 20..30: merged
        assertThat(r.outOfOrderRanges(), is(2));
        assertThat(r.insert(nxt, nxt, bytes(0, 10), 0, 10), is(30)); // fills 0..10, joins 10..30
        assertThat(r.outOfOrderRanges(), is(1));
        assertThat(readAll(r), is(bytes(0, 30)));
    }

    @Test
    void overlappingAndCoveringRangesMerge() {
        ReceiveBuffer r = new ReceiveBuffer(100, 4);
        long nxt = 1000;
        r.insert(nxt, nxt + 10, bytes(10, 5), 0, 5);
        r.insert(nxt, nxt + 20, bytes(20, 5), 0, 5);
        r.insert(nxt, nxt + 30, bytes(30, 5), 0, 5);
        assertThat(r.outOfOrderRanges(), is(3));
        r.insert(nxt, nxt + 8, bytes(8, 30), 0, 30); // covers all three
        assertThat(r.outOfOrderRanges(), is(1));
        assertThat(r.outOfOrderBytes(), is(30L));
        assertThat(r.insert(nxt, nxt, bytes(0, 8), 0, 8), is(38));
        assertThat(readAll(r), is(bytes(0, 38)));
    }

    @Test
    void aNewRangeBeyondTheLimitIsDroppedButMergingStillWorks() {
        ReceiveBuffer r = new ReceiveBuffer(100, 2);
        long nxt = 0;
        r.insert(nxt, 10, bytes(10, 5), 0, 5);
        r.insert(nxt, 30, bytes(30, 5), 0, 5);
        assertThat(r.insert(nxt, 50, bytes(50, 5), 0, 5), is(-1));
        assertThat(r.insert(nxt, 15, bytes(15, 5), 0, 5), is(0)); // adjacent to 10..15
        assertThat(r.outOfOrderRanges(), is(2));
        assertThat(r.insert(nxt, 0, bytes(0, 10), 0, 10), is(20));
    }

    @Test
    void wrapsAroundTheRing() {
        ReceiveBuffer r = new ReceiveBuffer(16, 4);
        long nxt = 0;
        assertThat(r.insert(nxt, 0, bytes(0, 12), 0, 12), is(12));
        r.read(new byte[10], 0, 10);
        nxt = 12;
        assertThat(r.insert(nxt, 16, bytes(16, 8), 0, 8), is(0)); // out of order, crossing the ring's end
        assertThat(r.insert(nxt, 12, bytes(12, 4), 0, 4), is(12));
        byte[] out = readAll(r);
        assertThat(out, is(bytes(10, 14)));
        assertThat(Arrays.equals(out, bytes(10, 14)), is(true));
    }

    @Test
    void growsPastItsFirstArrayKeepingWrappedAndOutOfOrderBytesInPlace() {
        int cap = 4 * RingArray.FIRST;
        ReceiveBuffer r = new ReceiveBuffer(cap, 4);
        long nxt = NEAR_TOP;
        byte[] all = bytes(7, 3 * RingArray.FIRST);
        // 60,000 in order, read 50,000: the head moves into the first array.
        assertThat(r.insert(nxt, nxt, all, 0, 60_000), is(60_000));
        byte[] got = new byte[all.length];
        assertThat(r.read(got, 0, 50_000), is(50_000));
        nxt = Seq.add(nxt, 60_000);
        // Out of order, far beyond the first array's end: the ring grows with data on both sides of the wrap.
        int gap = 40_000;
        int oooLen = 30_000;
        assertThat(r.insert(nxt, Seq.add(nxt, gap), all, 60_000 + gap, oooLen), is(0));
        // The hole fills: everything up to the end of the out-of-order bytes is in order.
        assertThat(r.insert(nxt, nxt, all, 60_000, gap), is(gap + oooLen));
        int held = 10_000 + gap + oooLen;
        assertThat(r.available(), is(held));
        assertThat(r.read(got, 50_000, held), is(held));
        assertThat(Arrays.equals(got, 0, 50_000 + held, all, 0, 50_000 + held), is(true));
        assertThat(r.free(), is(cap));
    }
}
