package org.cspstack.protocols.ipv4;

/**
 * A token bucket with explicit time, for rate-limiting ICMP errors (RFC 1122 3.2.2, RFC 1812 4.3.2.8):
 * {@code burst} tokens at most, refilled at {@code perSecond}. Plain logic, tested with fake time.
 *
 * <p>Kept in whole nanoseconds as the equivalent "virtual scheduling" form (the GCRA of ATM, ITU-T I.371):
 * {@code full} is the time at which the bucket will be full again; each token pushes it one interval
 * ({@code 1e9 / perSecond} ns) later, and a token is available while {@code full} lies at most
 * {@code (burst - 1)} intervals ahead of now. Integer arithmetic does not drift however often the bucket is
 * polled (a fractional token count summed in floating point does: at 100/s polled every millisecond it
 * admitted 99 tokens a second), a refusal changes nothing, and differences of {@code System.nanoTime()}
 * values survive its wrap-around.
 */
public final class TokenBucket {
    private final long interval;
    private final long tolerance;
    private long full;

    public TokenBucket(double perSecond, int burst, long nowNanos) {
        if (!(perSecond > 0) || burst < 1) {
            throw new IllegalArgumentException("rate and burst must be positive");
        }
        if (1e9 / perSecond * burst >= Long.MAX_VALUE / 2) {
            throw new IllegalArgumentException("rate " + perSecond + "/s is too low to count in nanoseconds");
        }
        this.interval = Math.max(1, Math.round(1e9 / perSecond));
        this.tolerance = (burst - 1) * interval;
        this.full = nowNanos;
    }

    /** Takes a token if one is there; false means the event must be suppressed. */
    public boolean tryTake(long nowNanos) {
        long ahead = full - nowNanos;
        if (ahead < 0) {
            ahead = 0; // full already: tokens beyond the burst are not kept
        }
        if (ahead > tolerance) {
            return false;
        }
        full = nowNanos + ahead + interval;
        return true;
    }
}
