package org.cspstack.protocols.ipv4;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** {@link TokenBucket} with fake time: all times are nanoseconds on an arbitrary clock. */
class TokenBucketTest {
    private static final long MS = 1_000_000L;
    /** An arbitrary start, far from 0, as System.nanoTime() would be. */
    private static final long T0 = 7_000_000_000_123L;

    /** 100 per second (one token every 10 ms), burst 20: the ICMP error limiter's settings. */
    private static TokenBucket drained() {
        TokenBucket b = new TokenBucket(100, 20, T0);
        assertThat(takes(b, T0, 20), is(20));
        return b;
    }

    /** How many of {@code attempts} tries at time {@code now} succeed. */
    private static int takes(TokenBucket b, long now, int attempts) {
        int n = 0;
        for (int i = 0; i < attempts; i++) {
            if (b.tryTake(now)) {
                n++;
            }
        }
        return n;
    }

    @Test
    void allowsAFullBurstAtOnceThenRefuses() {
        TokenBucket b = new TokenBucket(100, 20, T0);
        assertThat(takes(b, T0, 20), is(20));
        assertThat(b.tryTake(T0), is(false));
    }

    @Test
    void refusesUntilATokenHasAccrued() {
        TokenBucket b = drained();
        assertThat(b.tryTake(T0 + 9 * MS), is(false));
    }

    @Test
    void refillsOneTokenPerIntervalOfTheRate() {
        TokenBucket b = drained();
        assertThat(b.tryTake(T0 + 10 * MS), is(true));
        assertThat(b.tryTake(T0 + 10 * MS), is(false));
    }

    @Test
    void refillsInProportionToTheElapsedTime() {
        TokenBucket b = drained();
        assertThat(takes(b, T0 + 55 * MS, 10), is(5));
        // The half token left over is kept: 5 ms later there is one more.
        assertThat(b.tryTake(T0 + 60 * MS), is(true));
        assertThat(b.tryTake(T0 + 60 * MS), is(false));
    }

    @Test
    void admitsExactlyTheRateWhenPolledOftenOverASecond() {
        TokenBucket b = drained();
        int admitted = 0;
        for (long t = T0 + MS; t <= T0 + 1000 * MS; t += MS) {
            if (b.tryTake(t)) {
                admitted++;
            }
        }
        assertThat(admitted, is(100));
    }

    @Test
    void neverHoldsMoreThanTheBurst() {
        TokenBucket b = drained();
        assertThat(takes(b, T0 + 3_600_000 * MS, 100), is(20));
    }

    @Test
    void aClockGoingBackwardsAddsNoTokens() {
        TokenBucket b = drained();
        assertThat(b.tryTake(T0 - 1000 * MS), is(false));
        assertThat(b.tryTake(T0 + 10 * MS), is(true));
    }

    @Test
    void keepsCountingAcrossTheWrapOfTheNanosecondClock() {
        long start = Long.MAX_VALUE - 5 * MS;
        TokenBucket b = new TokenBucket(100, 20, start);
        assertThat(takes(b, start, 20), is(20));
        assertThat(b.tryTake(start + 10 * MS), is(true)); // overflows to a negative long
        assertThat(b.tryTake(start + 10 * MS), is(false));
    }

    @Test
    void rejectsANonPositiveRateOrBurst() {
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(0, 20, T0));
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(-1, 20, T0));
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(100, 0, T0));
    }
}
