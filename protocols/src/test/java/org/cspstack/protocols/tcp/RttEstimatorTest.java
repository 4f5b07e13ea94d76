package org.cspstack.protocols.tcp;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import org.junit.jupiter.api.Test;

/** RFC 6298 arithmetic, worked by hand. */
class RttEstimatorTest {
    private static final long MS = 1_000_000L;

    private static RttEstimator estimator() {
        return new RttEstimator(1_000 * MS, 200 * MS, 60_000 * MS);
    }

    @Test
    void startsAtTheInitialRto() {
        RttEstimator e = estimator();
        assertThat(e.rto(), is(1_000 * MS));
        assertThat(e.hasSample(), is(false));
    }

    @Test
    void firstSampleSetsSrttAndHalfOfItAsRttvar() {
        RttEstimator e = estimator();
        e.sample(100 * MS);
        assertThat(e.srtt(), is(100 * MS));
        assertThat(e.rttvar(), is(50 * MS));
        assertThat(e.rto(), is(300 * MS)); // 100 + 4 * 50
    }

    @Test
    void laterSamplesUseAlphaOneEighthAndBetaOneQuarter() {
        RttEstimator e = estimator();
        e.sample(100 * MS);
        e.sample(200 * MS);
        // RTTVAR = 3/4 * 50 + 1/4 * |100 - 200| = 62.5; SRTT = 7/8 * 100 + 1/8 * 200 = 112.5
        assertThat(e.rttvar(), is(62_500_000L));
        assertThat(e.srtt(), is(112_500_000L));
        assertThat(e.rto(), is(362_500_000L)); // 112.5 + 4 * 62.5
        e.sample(112_500_000L);
        // RTTVAR = 3/4 * 62.5 + 0 = 46.875; SRTT unchanged
        assertThat(e.rttvar(), is(46_875_000L));
        assertThat(e.srtt(), is(112_500_000L));
        assertThat(e.rto(), is(300_000_000L));
    }

    @Test
    void clampsToTheMinimum() {
        RttEstimator e = estimator();
        e.sample(10 * MS); // 10 + 4 * 5 = 30 ms
        assertThat(e.rto(), is(200 * MS));
        e.sample(0);
        assertThat(e.rto(), is(200 * MS));
    }

    @Test
    void usesTheClockGranularityWhenVarianceIsZero() {
        RttEstimator e = new RttEstimator(1_000 * MS, 1, 60_000 * MS);
        e.sample(0);
        assertThat(e.rto(), is(RttEstimator.GRANULARITY_NANOS));
    }

    @Test
    void clampsToTheMaximum() {
        RttEstimator e = estimator();
        e.sample(50_000 * MS);
        assertThat(e.rto(), is(60_000 * MS));
    }

    @Test
    void backOffDoublesUpToTheMaximumAndASampleEndsIt() {
        RttEstimator e = estimator();
        long[] expected = {2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000};
        for (long ms : expected) {
            e.backOff();
            assertThat(e.rto(), is(ms * MS));
        }
        e.sample(100 * MS);
        assertThat(e.rto(), is(300 * MS));
    }

    @Test
    void threeSecondsAfterALostSynWithoutSample() {
        RttEstimator e = estimator();
        e.backOff();
        e.backOff();
        e.reinitialise(3_000 * MS);
        assertThat(e.rto(), is(3_000 * MS)); // back-off of the SYN ends too
        RttEstimator sampled = estimator();
        sampled.sample(100 * MS);
        sampled.reinitialise(3_000 * MS);
        assertThat(sampled.rto(), is(300 * MS));
        RttEstimator slow = new RttEstimator(5_000 * MS, 200 * MS, 60_000 * MS);
        slow.backOff();
        slow.reinitialise(3_000 * MS);
        assertThat(slow.rto(), is(5_000 * MS));
    }
}
