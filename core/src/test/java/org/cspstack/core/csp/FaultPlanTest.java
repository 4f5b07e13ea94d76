package org.cspstack.core.csp;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.sameInstance;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.csp.FaultPlan.Decision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The injector's logic with made-up time: decisions, corruption, delay, reordering, the hold bound. */
class FaultPlanTest {
    private static final long MS = 1_000_000L;
    private static final FaultSettings MIXED = FaultSettings.parse("2%", "0.5%", "1%", "0.1%", null, 42L);

    /** A frame of {@code length} bytes behind 8 bytes of headroom, its bytes depending on {@code tag}. */
    static PacketBuffer frame(int length, int tag) {
        byte[] data = new byte[8 + length];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (tag * 31 + i * 7);
        }
        return PacketBuffer.wrap(data, 8, 8 + length);
    }

    /** Frame lengths that vary over the Ethernet range, the same in every run. */
    private static int lengthOf(int n) {
        return 60 + (n * 37) % 1455;
    }

    private static List<Decision> decisions(FaultSettings settings, int frames) {
        FaultPlan plan = new FaultPlan(settings);
        List<Decision> all = new ArrayList<>(frames);
        for (int n = 0; n < frames; n++) {
            all.add(plan.decide(lengthOf(n)));
        }
        return all;
    }

    private static FaultSettings settings(double loss, double dup, double reorder, double corrupt, long seed) {
        return new FaultSettings(loss, dup, reorder, corrupt, Duration.ZERO, FaultSettings.DEFAULT_REORDER_DELAY,
                seed);
    }

    // ---- decisions -----------------------------------------------------------------------------------------

    @Test
    void theSameSeedGivesTheSameDecisionsOverTenThousandFrames() {
        FaultSettings busy = settings(0.1, 0.1, 0.1, 0.1, 42);
        List<Decision> first = decisions(busy, 10_000);
        assertThat(decisions(busy, 10_000), is(first));
        assertThat(decisions(MIXED, 10_000), is(decisions(MIXED, 10_000)));
    }

    @Test
    void differentSeedsGiveDifferentDecisions() {
        FaultSettings busy = settings(0.1, 0.1, 0.1, 0.1, 42);
        List<Decision> a = decisions(busy, 10_000);
        List<Decision> b = decisions(busy.withSeed(43), 10_000);
        int differ = 0;
        for (int n = 0; n < a.size(); n++) {
            if (!a.get(n).equals(b.get(n))) {
                differ++;
            }
        }
        // About a third of the frames get some fault under each seed; most of those differ.
        assertThat(differ, greaterThan(2_000));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 42, 20240601})
    void observedRatesAreWithinStatisticalBoundsOverAHundredThousandFrames(long seed) {
        int frames = 100_000;
        int dropped = 0;
        int duplicated = 0;
        int reordered = 0;
        int corrupted = 0;
        for (Decision d : decisions(MIXED.withSeed(seed), frames)) {
            dropped += d.drop() ? 1 : 0;
            duplicated += d.duplicate() ? 1 : 0;
            reordered += d.reorder() ? 1 : 0;
            corrupted += d.corrupts() ? 1 : 0;
        }
        int kept = frames - dropped;
        assertWithin("loss", dropped, 0.02 * frames);
        // Duplication, reordering and corruption apply to the frames that are kept.
        assertWithin("dup", duplicated, 0.005 * kept);
        assertWithin("reorder", reordered, 0.01 * kept);
        assertWithin("corrupt", corrupted, 0.001 * kept);
    }

    /** Within 30% of the expected count: more than 3 standard deviations even for the rarest fault here. */
    private static void assertWithin(String what, int observed, double expected) {
        assertThat(what + ": " + observed + " observed, " + expected + " expected", (double) observed,
                allOf(greaterThanOrEqualTo(expected * 0.7), lessThanOrEqualTo(expected * 1.3)));
    }

    @Test
    void runsWithTheSameSeedAreCoupledSoHigherLossLosesASuperset() {
        BitSet lowLoss = drops(settings(0.02, 0, 0, 0, 7));
        BitSet highLoss = drops(settings(0.05, 0, 0, 0, 7));
        BitSet highLossWithOtherFaults = drops(settings(0.05, 0.3, 0.3, 0.3, 7));
        BitSet lowOnly = (BitSet) lowLoss.clone();
        lowOnly.andNot(highLoss);
        assertThat(lowOnly.isEmpty(), is(true));
        assertThat(highLoss.cardinality(), greaterThan(lowLoss.cardinality()));
        // Other probabilities do not change which frames are lost.
        assertThat(highLossWithOtherFaults, is(highLoss));
    }

    private static BitSet drops(FaultSettings settings) {
        List<Decision> all = decisions(settings, 10_000);
        BitSet dropped = new BitSet();
        for (int n = 0; n < all.size(); n++) {
            if (all.get(n).drop()) {
                dropped.set(n);
            }
        }
        return dropped;
    }

    @Test
    void lossOfOneHundredPercentDropsEveryFrameAndZeroNone() {
        assertThat(decisions(settings(1, 0, 0, 0, 3), 1_000).stream().allMatch(Decision::drop), is(true));
        assertThat(decisions(settings(0, 0.5, 0.5, 0.5, 3), 1_000).stream().noneMatch(Decision::drop), is(true));
    }

    @Test
    void noSettingsPassEveryFrame() {
        assertThat(decisions(FaultSettings.none(), 1_000).stream().allMatch(d -> d == Decision.PASS), is(true));
    }

    // ---- corruption ----------------------------------------------------------------------------------------

    @Test
    void corruptionChangesExactlyOneBytePastTheEthernetHeaderWithANonZeroMask() {
        FaultPlan plan = new FaultPlan(settings(0, 0, 0, 1, 11));
        for (int n = 0; n < 2_000; n++) {
            int length = 15 + (n * 53) % 1500;
            PacketBuffer buf = frame(length, n);
            byte[] before = buf.array().clone();
            Decision d = plan.decide(length);
            List<PacketBuffer> sent = new ArrayList<>();
            plan.admit(buf, d, 0, sent::add);

            assertThat(sent, contains(sameInstance(buf)));
            assertThat(d.corruptMask(), allOf(greaterThanOrEqualTo(1), lessThanOrEqualTo(255)));
            assertThat(d.corruptOffset(), allOf(greaterThanOrEqualTo(FaultPlan.PROTECTED_PREFIX), lessThan(length)));
            int changed = 0;
            for (int i = 0; i < before.length; i++) {
                if (before[i] != buf.array()[i]) {
                    changed++;
                    assertThat("index " + i, i, is(buf.start() + d.corruptOffset()));
                    assertThat((before[i] ^ buf.array()[i]) & 0xFF, is(d.corruptMask()));
                }
            }
            assertThat(changed, is(1));
        }
    }

    @Test
    void corruptionReachesEveryAllowedOffsetAndEveryMask() {
        FaultPlan plan = new FaultPlan(settings(0, 0, 0, 1, 5));
        BitSet offsets = new BitSet();
        BitSet masks = new BitSet();
        for (int n = 0; n < 20_000; n++) {
            Decision d = plan.decide(20);
            offsets.set(d.corruptOffset());
            masks.set(d.corruptMask());
        }
        BitSet allowedOffsets = new BitSet();
        allowedOffsets.set(14, 20);
        BitSet allMasks = new BitSet();
        allMasks.set(1, 256);
        assertThat(offsets, is(allowedOffsets));
        assertThat(masks, is(allMasks));
    }

    @Test
    void runtsAreCorruptedAnywhereAndEmptyFramesNot() {
        FaultPlan plan = new FaultPlan(settings(0, 0, 0, 1, 5));
        BitSet offsets = new BitSet();
        for (int n = 0; n < 1_000; n++) {
            offsets.set(plan.decide(10).corruptOffset());
        }
        BitSet whole = new BitSet();
        whole.set(0, 10);
        assertThat(offsets, is(whole));
        assertThat(plan.decide(0).corrupts(), is(false));
    }

    @Test
    void aDuplicateIsADistinctCopyTakenBeforeTheCorruptionAndGoesSecond() {
        FaultPlan plan = new FaultPlan(FaultSettings.none());
        PacketBuffer buf = frame(64, 1);
        byte[] original = buf.toByteArray();
        List<PacketBuffer> sent = new ArrayList<>();
        plan.admit(buf, new Decision(false, true, false, 20, 0x80), 0, sent::add);

        assertThat(sent.size(), is(2));
        assertThat(sent.get(0), is(sameInstance(buf)));
        assertThat(sent.get(1), is(not(sameInstance(buf))));
        assertThat(sent.get(1).array(), is(not(sameInstance(buf.array()))));
        assertArrayEquals(original, sent.get(1).toByteArray());
        original[20] ^= (byte) 0x80;
        assertArrayEquals(original, sent.get(0).toByteArray());
    }

    @Test
    void aDroppedDecisionAdmitsNothing() {
        FaultPlan plan = new FaultPlan(settings(1, 0, 0, 0, 1));
        List<PacketBuffer> sent = new ArrayList<>();
        assertThat(plan.admit(frame(60, 1), Decision.DROP, 0, sent::add), is(0));
        assertThat(sent, is(empty()));
        assertThat(plan.isHolding(), is(false));
    }

    @Test
    void aDecisionCannotBeHalfACorruptionOrADropWithOtherFaults() {
        assertThrows(IllegalArgumentException.class, () -> new Decision(false, false, false, 20, 0));
        assertThrows(IllegalArgumentException.class, () -> new Decision(false, false, false, -1, 3));
        assertThrows(IllegalArgumentException.class, () -> new Decision(false, false, false, 20, 256));
        assertThrows(IllegalArgumentException.class, () -> new Decision(true, true, false, -1, 0));
    }

    // ---- time ----------------------------------------------------------------------------------------------

    @Test
    void delayedFramesAreReleasedAtArrivalPlusDelayInOrder() {
        FaultPlan plan = new FaultPlan(FaultSettings.parse(null, null, null, null, "5ms", 1L));
        PacketBuffer a = frame(60, 1);
        PacketBuffer b = frame(60, 2);
        List<PacketBuffer> sent = new ArrayList<>();
        long t0 = 1_000;
        Decision d = plan.decide(60);
        assertThat(plan.releaseTime(d, t0), is(t0 + 5 * MS));
        plan.admit(a, d, t0, sent::add);
        plan.admit(b, plan.decide(60), t0 + MS, sent::add);

        assertThat(sent, is(empty()));
        assertThat(plan.heldCount(), is(2));
        assertThat(plan.nextDeadline(), is(t0 + 5 * MS));
        assertThat(plan.release(t0 + 5 * MS - 1), is(empty()));
        assertThat(plan.release(t0 + 5 * MS), contains(sameInstance(a)));
        assertThat(plan.nextDeadline(), is(t0 + 6 * MS));
        assertThat(plan.release(t0 + 6 * MS - 1), is(empty()));
        assertThat(plan.release(t0 + 100 * MS), contains(sameInstance(b)));
        assertThat(plan.isHolding(), is(false));
        assertThat(plan.nextDeadline(), is(FaultPlan.NO_DEADLINE));
    }

    @Test
    void framesDueAtTheSameTimeLeaveInArrivalOrder() {
        FaultPlan plan = new FaultPlan(FaultSettings.parse(null, null, null, null, "1ms", 1L));
        List<PacketBuffer> in = new ArrayList<>();
        for (int n = 0; n < 100; n++) {
            PacketBuffer buf = frame(60, n);
            in.add(buf);
            plan.admit(buf, plan.decide(60), 0, x -> { });
        }
        assertThat(plan.release(MS), is(in));
    }

    @Test
    void aReorderedFrameIsHeldForTheReorderDelayAndLaterFramesOvertakeIt() {
        FaultSettings s = FaultSettings.none().withReorderDelay(Duration.ofMillis(10));
        FaultPlan plan = new FaultPlan(s);
        PacketBuffer held = frame(60, 1);
        PacketBuffer later = frame(60, 2);
        Decision reorder = new Decision(false, false, true, -1, 0);
        List<PacketBuffer> sent = new ArrayList<>();

        assertThat(plan.releaseTime(reorder, 0), is(10 * MS));
        plan.admit(held, reorder, 0, sent::add);
        plan.admit(later, Decision.PASS, MS, sent::add);
        assertThat(sent, contains(sameInstance(later)));
        assertThat(plan.release(10 * MS - 1), is(empty()));
        assertThat(plan.release(10 * MS), contains(sameInstance(held)));
    }

    @Test
    void reorderingAddsToTheFixedDelay() {
        FaultSettings s = FaultSettings.parse(null, null, "1%", null, "5ms", "10ms", 1L);
        FaultPlan plan = new FaultPlan(s);
        assertThat(plan.releaseTime(new Decision(false, false, true, -1, 0), 7), is(7 + 15 * MS));
        assertThat(plan.releaseTime(Decision.PASS, 7), is(7 + 5 * MS));
    }

    @Test
    void releaseTimesMayWrapAroundTheClock() {
        FaultPlan plan = new FaultPlan(FaultSettings.parse(null, null, null, null, "5us", 1L));
        long now = Long.MAX_VALUE - 1_000;
        PacketBuffer a = frame(60, 1);
        plan.admit(a, plan.decide(60), now, x -> { });
        assertThat(plan.release(Long.MAX_VALUE), is(empty()));
        assertThat(plan.release(now + 5_000), contains(sameInstance(a)));
    }

    // ---- the hold bound ------------------------------------------------------------------------------------

    @Test
    void theHoldIsBoundedAndCopiesBeyondItAreDroppedAndReported() {
        FaultPlan plan = new FaultPlan(FaultSettings.parse(null, null, null, null, "1ms", 1L), 8);
        int overflow = 0;
        for (int n = 0; n < 10; n++) {
            overflow += plan.admit(frame(60, n), Decision.PASS, n, x -> { });
        }
        assertThat(overflow, is(2));
        assertThat(plan.heldCount(), is(8));
        Decision dup = new Decision(false, true, false, -1, 0);
        assertThat(plan.admit(frame(60, 99), dup, 10, x -> { }), is(2));
        assertThat(plan.release(10 * MS).size(), is(8));
        assertThat(plan.admit(frame(60, 100), dup, 10 * MS, x -> { }), is(0));
        assertThat(plan.heldCount(), is(2));
    }

    @Test
    void theDefaultHoldIsFourThousandNinetySixFrames() {
        FaultPlan plan = new FaultPlan(FaultSettings.parse(null, null, null, null, "1s", 1L));
        assertThat(plan.maxHeld(), is(FaultPlan.DEFAULT_MAX_HELD));
        int overflow = 0;
        for (int n = 0; n < 5_000; n++) {
            overflow += plan.admit(frame(60, n), Decision.PASS, n, x -> { });
        }
        assertThat(plan.heldCount(), is(4096));
        assertThat(overflow, is(5_000 - 4096));
        assertThat(plan.clear(), is(4096));
        assertThat(plan.isHolding(), is(false));
        assertThat(plan.release(Long.MAX_VALUE), is(empty()));
    }

    @Test
    void framesWithNoDelayAreNeverHeld() {
        FaultPlan plan = new FaultPlan(FaultSettings.none(), 1);
        List<PacketBuffer> sent = new ArrayList<>();
        for (int n = 0; n < 10; n++) {
            assertThat(plan.admit(frame(60, n), plan.decide(60), n, sent::add), is(0));
        }
        assertThat(sent.size(), is(10));
        assertThat(plan.isHolding(), is(false));
    }
}
