package org.cspstack.protocols.tcp;

import static org.cspstack.protocols.tcp.Wire.MS;
import static org.cspstack.protocols.tcp.Wire.SECOND;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both directions at once through a wire that drops, duplicates and reorders at random (seeded, so each case
 * is reproducible): every byte arrives, in order, and both ends close normally.
 */
class TcpRandomFaultTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void everyByteArrivesDespiteLossDuplicationAndReordering(int seed) {
        Random rnd = new Random(seed);
        TcpConfig cfg = TcpConfig.defaults()
                .withReceiveBuffer(4_000 + rnd.nextInt(60_000))
                .withSendBuffer(2_000 + rnd.nextInt(60_000))
                .withMss(200 + rnd.nextInt(1_300))
                .withNagle(rnd.nextBoolean())
                .withMaxRetries(30);
        TcpConfig cfgB = rnd.nextBoolean() ? cfg : cfg.withReceiveBuffer(3_000 + rnd.nextInt(200_000))
                .withWindowScale(rnd.nextBoolean() ? -1 : rnd.nextInt(6));
        Wire w = new Wire(cfg, cfgB, (1 + rnd.nextInt(20)) * MS);
        if (rnd.nextBoolean()) {
            w.issA = 0xffff_ffffL - rnd.nextInt(100_000);
        }
        w.issB = rnd.nextInt() & 0xffff_ffffL;
        double loss = rnd.nextDouble() * 0.08;
        double dup = rnd.nextDouble() * 0.05;
        double reorder = rnd.nextDouble() * 0.1;
        Random faults = new Random(seed * 31L);
        w.fault = s -> {
            double x = faults.nextDouble();
            return x < loss ? Wire.Action.DROP : x < loss + dup ? Wire.Action.DUPLICATE : Wire.Action.DELIVER;
        };
        w.extraDelay = s -> faults.nextDouble() < reorder ? faults.nextInt(30) * MS : 0;
        w.open();
        byte[] ab = Wire.data(50_000 + rnd.nextInt(150_000), seed);
        byte[] ba = Wire.data(rnd.nextInt(100_000), -seed);
        Wire.Writer wa = new Wire.Writer(true, ab, true, 1 + rnd.nextInt(20_000));
        Wire.Writer wb = new Wire.Writer(false, ba, true, 1 + rnd.nextInt(20_000));
        Wire.Reader ra = new Wire.Reader(true);
        Wire.Reader rb = new Wire.Reader(false);
        w.apps.addAll(List.of(wa, wb, ra, rb));
        w.runUntil(() -> w.a.isClosed() && w.b != null && w.b.isClosed(), 2_000 * SECOND);
        String where = "seed " + seed + ": " + w.a + " / " + w.b;
        assertThat(where, rb.bytes(), is(ab));
        assertThat(where, ra.bytes(), is(ba));
        assertThat(where, w.a.termination(), is(TcpConnection.Termination.NORMAL));
        assertThat(where, w.b.termination(), is(TcpConnection.Termination.NORMAL));
    }
}
