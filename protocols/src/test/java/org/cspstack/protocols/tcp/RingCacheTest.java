package org.cspstack.protocols.tcp;

import static org.cspstack.protocols.tcp.Wire.MS;
import static org.cspstack.protocols.tcp.Wire.SECOND;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.sameInstance;

import java.security.MessageDigest;
import java.util.List;

import org.junit.jupiter.api.Test;

class RingCacheTest {

    @Test
    void aGivenRingComesBackZeroedForTheSameLengthOnly() {
        RingCache cache = new RingCache(2);
        byte[] a = cache.take(1024);
        a[7] = 42;
        cache.give(a);
        assertThat(cache.kept(), is(1));

        byte[] other = cache.take(2048);
        assertThat(other, not(sameInstance(a)));
        byte[] again = cache.take(1024);
        assertThat(again, sameInstance(a));
        assertThat(again[7], is((byte) 0));
        assertThat(cache.reused(), is(1L));
        assertThat(cache.made(), is(2L));
    }

    @Test
    void keepsAtMostItsBoundOfEachLengthAndNoneKeepsNothing() {
        RingCache cache = new RingCache(2);
        for (int i = 0; i < 5; i++) {
            cache.give(new byte[64]);
            cache.give(new byte[128]);
        }
        cache.give(new byte[0]);
        assertThat(cache.kept(), is(4));

        byte[] x = new byte[64];
        RingCache.NONE.give(x);
        assertThat(RingCache.NONE.kept(), is(0));
        assertThat(RingCache.NONE.take(64), not(sameInstance(x)));
    }

    /**
     * Two connections one after the other on one cache, with loss, duplicates and reordering (out-of-order data
     * lands at its place in a reused ring): the second makes no ring, and every byte arrives intact.
     */
    @Test
    void aSecondConnectionGrowsIntoTheFirstsRingsAndDeliversIntactData() throws Exception {
        RingCache cache = new RingCache(RingCache.DEFAULT_KEEP);
        transfer(cache, 11);
        long made = cache.made();
        assertThat(made, greaterThan(0L));
        assertThat(cache.kept(), greaterThan(0));

        transfer(cache, 12);
        assertThat(cache.made(), is(made));
        assertThat(cache.reused(), greaterThan(0L));
    }

    private static void transfer(RingCache cache, int seed) throws Exception {
        Wire w = new Wire(TcpConfig.defaults()).established();
        w.a.useRings(cache);
        w.b.useRings(cache);
        w.fault = s -> s.len() > 0 && s.index() % 41 == 0 ? Wire.Action.DROP
                : s.index() % 59 == 0 ? Wire.Action.DUPLICATE : Wire.Action.DELIVER;
        w.extraDelay = s -> s.index() % 31 == 0 ? 5 * MS : 0;
        byte[] ab = Wire.data(600_000, seed);
        byte[] ba = Wire.data(300_000, seed + 100);
        Wire.Writer wa = new Wire.Writer(true, ab, true, 20_000);
        Wire.Writer wb = new Wire.Writer(false, ba, true, 7_000);
        Wire.Reader ra = new Wire.Reader(true);
        Wire.Reader rb = new Wire.Reader(false);
        w.apps.addAll(List.of(wa, wb, ra, rb));
        w.runUntil(() -> ra.eof && rb.eof, 120 * SECOND);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        assertThat(sha.digest(rb.bytes()), is(sha.digest(ab)));
        assertThat(sha.digest(ra.bytes()), is(sha.digest(ba)));
        assertThat(w.b.stats().outOfOrderQueued.get(), greaterThan(0L));
        w.a.releaseBuffers();
        w.b.releaseBuffers();
    }
}
