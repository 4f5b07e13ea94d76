package org.cspstack.core.csp;

import static org.cspstack.core.csp.FaultPlanTest.frame;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.sameInstance;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.cspstack.core.buffer.PacketBuffer;
import org.jcsp.lang.PoisonException;
import org.junit.jupiter.api.Test;

/** Drives {@link FaultInjector} through its channel ends, checking what comes out against {@link FaultPlan}. */
class FaultInjectorTest {
    private static final int LENGTH = 60;
    private static final Duration QUIET = Duration.ofMillis(100);

    /** The injector between a test input and a recorded output. */
    private static final class Rig implements AutoCloseable {
        final ProcessTestKit kit = new ProcessTestKit("fault");
        final Chan<Batch<PacketBuffer>> in = kit.input("linkToFault");
        final Chan<Batch<PacketBuffer>> out = kit.output("faultToEth");
        final FaultCounters counters = new FaultCounters("fault");

        Rig(FaultSettings settings) {
            kit.start("fault", new FaultInjector(in.in(), out.out(), settings, counters), counters);
        }

        Rig(FaultPlan plan) {
            kit.start("fault", new FaultInjector(in.in(), out.out(), plan, counters), counters);
        }

        PacketBuffer expect() {
            return kit.expectOne(out);
        }

        /** Waits until the injector has read {@code n} frames, so that anything it would write is written. */
        void awaitFramesIn(long n) throws InterruptedException {
            long deadline = System.nanoTime() + ProcessTestKit.EXPECT_TIMEOUT.toNanos();
            while (counters.framesIn.get() < n) {
                if (System.nanoTime() - deadline > 0) {
                    fail("the injector read " + counters.framesIn.get() + " of " + n + " frames");
                }
                Thread.sleep(1);
            }
        }

        void assertNothingElseCameOut() {
            assertThat("nothing else on the output", kit.pollOne(out, QUIET), is((Object) null));
        }

        @Override
        public void close() throws InterruptedException {
            kit.close();
        }
    }

    private static List<PacketBuffer> frames(int n) {
        List<PacketBuffer> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(frame(LENGTH, i));
        }
        return all;
    }

    private static FaultSettings settings(double loss, double dup, double reorder, double corrupt, long seed) {
        return new FaultSettings(loss, dup, reorder, corrupt, Duration.ZERO, FaultSettings.DEFAULT_REORDER_DELAY,
                seed);
    }

    @Test
    void withNoFaultsEveryFrameComesOutUnchangedAndInOrder() throws Exception {
        try (Rig rig = new Rig(FaultSettings.none())) {
            List<PacketBuffer> sent = frames(1_000);
            List<byte[]> bytes = new ArrayList<>();
            for (PacketBuffer f : sent) {
                bytes.add(f.toByteArray());
                rig.in.out().write(Batch.of(f));
            }
            for (int i = 0; i < sent.size(); i++) {
                PacketBuffer got = rig.expect();
                assertThat("frame " + i, got, is(sameInstance(sent.get(i))));
                assertArrayEquals(bytes.get(i), got.toByteArray());
            }
            rig.assertNothingElseCameOut();
            assertThat(rig.counters.framesIn.get(), is(1_000L));
            assertThat(rig.counters.framesOut.get(), is(1_000L));
            assertThat(rig.counters.summary(), is("fault: framesIn=1000 framesOut=1000"));
        }
    }

    @Test
    void lossKeepsExactlyTheFramesThePlanWithTheSameSeedKeepsInOrder() throws Exception {
        FaultSettings halfLost = settings(0.5, 0, 0, 0, 1234);
        FaultPlan replay = new FaultPlan(halfLost);
        List<PacketBuffer> sent = frames(200);
        List<PacketBuffer> kept = new ArrayList<>();
        for (PacketBuffer f : sent) {
            if (!replay.decide(f.length()).drop()) {
                kept.add(f);
            }
        }
        assertThat(kept.size(), allOf(greaterThan(60), lessThan(140)));

        try (Rig rig = new Rig(halfLost)) {
            for (PacketBuffer f : sent) {
                rig.in.out().write(Batch.of(f));
            }
            for (PacketBuffer f : kept) {
                assertThat(rig.expect(), is(sameInstance(f)));
            }
            rig.awaitFramesIn(sent.size());
            rig.assertNothingElseCameOut();
            assertThat(rig.counters.dropped.get(), is((long) (sent.size() - kept.size())));
        }
    }

    @Test
    void lossOfOneHundredPercentLetsNothingThrough() throws Exception {
        try (Rig rig = new Rig(FaultSettings.parse("100%", null, null, null, null, 9L))) {
            for (PacketBuffer f : frames(50)) {
                rig.in.out().write(Batch.of(f));
            }
            rig.awaitFramesIn(50);
            rig.assertNothingElseCameOut();
            assertThat(rig.counters.dropped.get(), is(50L));
            assertThat(rig.counters.framesOut.get(), is(0L));
        }
    }

    @Test
    void duplicationSendsEveryFrameTwiceAsDistinctBuffersWithEqualBytes() throws Exception {
        try (Rig rig = new Rig(FaultSettings.parse(null, "100%", null, null, null, 9L))) {
            List<PacketBuffer> sent = frames(100);
            List<byte[]> bytes = new ArrayList<>();
            for (PacketBuffer f : sent) {
                bytes.add(f.toByteArray());
                rig.in.out().write(Batch.of(f));
            }
            for (int i = 0; i < sent.size(); i++) {
                PacketBuffer first = rig.expect();
                PacketBuffer second = rig.expect();
                assertThat(first, is(sameInstance(sent.get(i))));
                assertThat(second, is(not(sameInstance(first))));
                assertThat(second.array(), is(not(sameInstance(first.array()))));
                assertArrayEquals(bytes.get(i), first.toByteArray());
                assertArrayEquals(bytes.get(i), second.toByteArray());
            }
            rig.assertNothingElseCameOut();
            assertThat(rig.counters.duplicated.get(), is(100L));
            assertThat(rig.counters.framesOut.get(), is(200L));
        }
    }

    @Test
    void delayedFramesComeOutInOrderAndNotBeforeTheDelay() throws Exception {
        long delay = Duration.ofMillis(50).toNanos();
        try (Rig rig = new Rig(FaultSettings.parse(null, null, null, null, "50ms", 9L))) {
            List<PacketBuffer> sent = frames(5);
            long[] wentIn = new long[sent.size()];
            for (int i = 0; i < sent.size(); i++) {
                wentIn[i] = System.nanoTime();
                rig.in.out().write(Batch.of(sent.get(i)));
                Thread.sleep(7);
            }
            for (int i = 0; i < sent.size(); i++) {
                PacketBuffer got = rig.expect();
                long cameOut = System.nanoTime();
                assertThat(got, is(sameInstance(sent.get(i))));
                assertThat("frame " + i + " came out after (ns)", cameOut - wentIn[i], greaterThanOrEqualTo(delay));
            }
            rig.assertNothingElseCameOut();
            assertThat(rig.counters.delayed.get(), is(5L));
        }
    }

    @Test
    void aReorderedFrameComesOutAfterLaterOnes() throws Exception {
        FaultSettings s = settings(0, 0, 0.3, 0, 77).withReorderDelay(Duration.ofMillis(300));
        FaultPlan replay = new FaultPlan(s);
        List<PacketBuffer> sent = frames(20);
        List<PacketBuffer> passed = new ArrayList<>();
        List<PacketBuffer> held = new ArrayList<>();
        for (PacketBuffer f : sent) {
            (replay.decide(f.length()).reorder() ? held : passed).add(f);
        }
        assertThat("this seed holds some frame", held.isEmpty(), is(false));
        int firstHeld = sent.indexOf(held.get(0));
        PacketBuffer overtaker = null;
        for (PacketBuffer f : sent.subList(firstHeld + 1, sent.size())) {
            if (passed.contains(f)) {
                overtaker = f;
                break;
            }
        }
        assertThat("this seed holds a frame that a later one can overtake", overtaker, is(not((Object) null)));

        try (Rig rig = new Rig(s)) {
            for (PacketBuffer f : sent) {
                rig.in.out().write(Batch.of(f));
            }
            // Written back to back, every frame not held is out long before the first held one is due.
            List<PacketBuffer> expected = new ArrayList<>(passed);
            expected.addAll(held);
            List<PacketBuffer> got = new ArrayList<>();
            for (int i = 0; i < sent.size(); i++) {
                got.add(rig.expect());
            }
            for (int i = 0; i < expected.size(); i++) {
                assertThat("position " + i, got.get(i), is(sameInstance(expected.get(i))));
            }
            assertThat(got.indexOf(sent.get(firstHeld)), greaterThan(got.indexOf(overtaker)));
            rig.assertNothingElseCameOut();
            assertThat(rig.counters.reordered.get(), is((long) held.size()));
        }
    }

    @Test
    void corruptionFlipsOneBytePastTheEthernetHeader() throws Exception {
        try (Rig rig = new Rig(FaultSettings.parse(null, null, null, "100%", null, 9L))) {
            List<PacketBuffer> sent = frames(50);
            List<byte[]> bytes = new ArrayList<>();
            for (PacketBuffer f : sent) {
                bytes.add(f.toByteArray());
                rig.in.out().write(Batch.of(f));
            }
            for (byte[] before : bytes) {
                byte[] after = rig.expect().toByteArray();
                int changed = 0;
                for (int i = 0; i < before.length; i++) {
                    if (before[i] != after[i]) {
                        changed++;
                        assertThat(i, greaterThanOrEqualTo(14));
                    }
                }
                assertThat(changed, is(1));
            }
            assertThat(rig.counters.corrupted.get(), is(50L));
        }
    }

    @Test
    void countsMatchThePlanAndEveryBufferIsAccountedFor() throws Exception {
        FaultSettings s = new FaultSettings(0.1, 0.1, 0.1, 0.1, Duration.ofMillis(1), Duration.ofMillis(5), 31);
        FaultPlan replay = new FaultPlan(s);
        long dropped = 0;
        long duplicated = 0;
        long reordered = 0;
        long corrupted = 0;
        List<PacketBuffer> sent = frames(400);
        for (PacketBuffer f : sent) {
            FaultPlan.Decision d = replay.decide(f.length());
            dropped += d.drop() ? 1 : 0;
            duplicated += d.duplicate() ? 1 : 0;
            reordered += d.reorder() ? 1 : 0;
            corrupted += d.corrupts() ? 1 : 0;
        }
        FaultCounters c;
        long received = 0;
        try (Rig rig = new Rig(s)) {
            c = rig.counters;
            for (PacketBuffer f : sent) {
                rig.in.out().write(Batch.of(f));
            }
            rig.awaitFramesIn(sent.size());
            while (rig.kit.pollOne(rig.out, QUIET) != null) {
                received++;
            }
        }
        assertThat(c.dropped.get(), is(dropped));
        assertThat(c.duplicated.get(), is(duplicated));
        assertThat(c.reordered.get(), is(reordered));
        assertThat(c.corrupted.get(), is(corrupted));
        assertThat(c.delayed.get(), is(sent.size() - dropped));
        assertThat(c.framesOut.get(), is(received));
        assertThat(c.framesOut.get() + c.overflowDropped.get() + c.shutdownDropped.get(),
                is(c.framesIn.get() - c.dropped.get() + c.duplicated.get()));
        assertThat(c.framesOut.get(), is(sent.size() - dropped + duplicated));
    }

    @Test
    void framesBeyondTheHoldBoundAreDroppedAndCounted() throws Exception {
        FaultPlan plan = new FaultPlan(FaultSettings.parse(null, null, null, null, "200ms", 9L), 4);
        try (Rig rig = new Rig(plan)) {
            List<PacketBuffer> sent = frames(10);
            for (PacketBuffer f : sent) {
                rig.in.out().write(Batch.of(f));
            }
            rig.awaitFramesIn(10);
            assertThat(rig.counters.overflowDropped.get(), is(6L));
            for (int i = 0; i < 4; i++) {
                assertThat(rig.expect(), is(sameInstance(sent.get(i))));
            }
            rig.assertNothingElseCameOut();
        }
    }

    @Test
    void heldFramesAreDroppedAndCountedWhenTheInjectorIsPoisoned() throws Exception {
        FaultCounters c;
        try (Rig rig = new Rig(FaultSettings.parse(null, null, null, null, "10s", 9L))) {
            c = rig.counters;
            for (PacketBuffer f : frames(3)) {
                rig.in.out().write(Batch.of(f));
            }
            rig.awaitFramesIn(3);
        } // close() poisons the network and fails unless the injector ends
        assertThat(c.shutdownDropped.get(), is(3L));
        assertThat(c.framesOut.get(), is(0L));
    }

    @Test
    void poisonOnTheInputEndsTheInjectorAndPoisonsTheOutput() throws Exception {
        try (Rig rig = new Rig(FaultSettings.parse("1%", null, null, null, "1ms", 9L))) {
            rig.in.out().poison(Poison.STRENGTH);
            assertThrows(PoisonException.class, () -> rig.kit.pollOne(rig.out, Duration.ofSeconds(5)));
            assertThat(rig.kit.runner().awaitTermination(Duration.ofSeconds(5)), is(true));
        }
    }

    @Test
    void poisonOnTheOutputEndsTheInjectorAtItsNextWriteAndPoisonsTheInput() throws Exception {
        FaultCounters c;
        try (Rig rig = new Rig(FaultSettings.parse(null, "100%", null, null, null, 9L))) {
            c = rig.counters;
            rig.out.in().poison(Poison.STRENGTH);
            rig.in.out().write(Batch.of(frame(LENGTH, 1)));
            assertThat(rig.kit.runner().awaitTermination(Duration.ofSeconds(5)), is(true));
            assertThrows(PoisonException.class, () -> rig.in.out().write(Batch.of(frame(LENGTH, 2))));
        }
        // The frame and its duplicate were never written.
        assertThat(c.framesOut.get(), is(0L));
        assertThat(c.shutdownDropped.get(), is(2L));
    }

    @Test
    void waitsWholeMillisecondsRoundedUpUntilADeadline() {
        assertThat(Deadlines.ceilMillis(1_000_000), is(1L));
        assertThat(Deadlines.ceilMillis(1_000_001), is(2L));
        assertThat(Deadlines.ceilMillis(250_000), is(1L));
        assertThat(Deadlines.ceilMillis(5 - 5), is(0L));
        assertThat(Deadlines.ceilMillis(Long.MIN_VALUE + 10 - (Long.MAX_VALUE - 1_999_989)), is(2L));
    }
}
