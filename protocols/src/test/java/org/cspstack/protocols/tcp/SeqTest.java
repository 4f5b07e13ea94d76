package org.cspstack.protocols.tcp;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import org.junit.jupiter.api.Test;

class SeqTest {
    private static final long TOP = 0xffff_ffffL;

    @Test
    void addWrapsModulo2To32() {
        assertThat(Seq.add(TOP, 1), is(0L));
        assertThat(Seq.add(TOP - 9, 20), is(10L));
        assertThat(Seq.add(5, -10), is(TOP - 4));
    }

    @Test
    void diffIsSignedAcrossTheWrap() {
        assertThat(Seq.diff(10, TOP - 9), is(20));
        assertThat(Seq.diff(TOP - 9, 10), is(-20));
        assertThat(Seq.diff(7, 7), is(0));
    }

    @Test
    void comparesAcrossTheWrap() {
        long before = TOP - 100;
        long after = 100;
        assertThat(Seq.lt(before, after), is(true));
        assertThat(Seq.leq(before, after), is(true));
        assertThat(Seq.gt(after, before), is(true));
        assertThat(Seq.geq(after, before), is(true));
        assertThat(Seq.gt(before, after), is(false));
        assertThat(Seq.leq(after, after), is(true));
        assertThat(Seq.lt(after, after), is(false));
        assertThat(Seq.max(before, after), is(after));
        assertThat(Seq.min(before, after), is(before));
    }

    @Test
    void inWindowAcrossTheWrap() {
        long start = TOP - 4; // window of 10: TOP-4 .. 4
        assertThat(Seq.inWindow(TOP - 4, start, 10), is(true));
        assertThat(Seq.inWindow(TOP, start, 10), is(true));
        assertThat(Seq.inWindow(0, start, 10), is(true));
        assertThat(Seq.inWindow(4, start, 10), is(true));
        assertThat(Seq.inWindow(5, start, 10), is(false));
        assertThat(Seq.inWindow(TOP - 5, start, 10), is(false));
        assertThat(Seq.inWindow(start, start, 0), is(false));
    }

    @Test
    void betweenIsInclusive() {
        assertThat(Seq.between(TOP - 1, 0, 1), is(true));
        assertThat(Seq.between(TOP - 1, TOP - 1, 1), is(true));
        assertThat(Seq.between(TOP - 1, 1, 1), is(true));
        assertThat(Seq.between(TOP - 1, 2, 1), is(false));
        assertThat(Seq.between(TOP - 1, TOP - 2, 1), is(false));
    }
}
