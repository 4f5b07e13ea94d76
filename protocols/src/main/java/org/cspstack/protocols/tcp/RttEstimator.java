package org.cspstack.protocols.tcp;

/**
 * The retransmission timeout of RFC 6298, in nanoseconds. Before the first sample the RTO is the initial RTO
 * (§2.1). The first sample R sets SRTT = R and RTTVAR = R/2 (§2.2); each later one sets
 * RTTVAR = 3/4·RTTVAR + 1/4·|SRTT − R| and then SRTT = 7/8·SRTT + 1/8·R (§2.3, α = 1/8, β = 1/4). Then
 * RTO = SRTT + max(G, 4·RTTVAR), clamped to [minRto, maxRto] (§2.4, §2.5), with a clock granularity G of
 * {@link #GRANULARITY_NANOS} (the shell's timer ticks in milliseconds). A timeout doubles the RTO up to maxRto
 * (§5.5); the backed-off value stands until the next sample (§5, note on Karn's algorithm).
 *
 * <p>Plain arithmetic on longs; which segments may be sampled (Karn's rule) is the caller's business.
 */
public final class RttEstimator {
    /** G, the clock granularity: 1 ms. */
    public static final long GRANULARITY_NANOS = 1_000_000L;

    private final long initialRto;
    private final long minRto;
    private final long maxRto;
    private long srtt;
    private long rttvar;
    private long rto;
    private boolean sampled;

    /** All arguments in nanoseconds. */
    public RttEstimator(long initialRto, long minRto, long maxRto) {
        if (minRto <= 0 || maxRto < minRto || initialRto <= 0) {
            throw new IllegalArgumentException("RTO bounds: initial " + initialRto + " min " + minRto + " max "
                    + maxRto);
        }
        this.initialRto = initialRto;
        this.minRto = minRto;
        this.maxRto = maxRto;
        this.rto = Math.min(initialRto, maxRto);
    }

    /** Takes one RTT measurement R (nanoseconds, ≥ 0) and recomputes the RTO, ending any back-off. */
    public void sample(long r) {
        if (r < 0) {
            r = 0;
        }
        if (!sampled) {
            srtt = r;
            rttvar = r / 2;
            sampled = true;
        } else {
            rttvar = (3 * rttvar + Math.abs(srtt - r)) / 4;
            srtt = (7 * srtt + r) / 8;
        }
        rto = clamp(srtt + Math.max(GRANULARITY_NANOS, 4 * rttvar));
    }

    /** Doubles the RTO (§5.5), at most to maxRto. */
    public void backOff() {
        rto = rto > maxRto / 2 ? maxRto : clamp(rto * 2);
    }

    /**
     * RFC 6298 §5.7: when the SYN (or SYN-ACK) was retransmitted and no sample was taken, the RTO is
     * re-initialised to {@code nanos} (3 s) when data transmission begins, if the initial RTO was below that
     * (otherwise to the initial RTO); any back-off ends.
     */
    public void reinitialise(long nanos) {
        if (!sampled) {
            rto = clamp(Math.max(initialRto, nanos));
        }
    }

    private long clamp(long v) {
        return Math.max(minRto, Math.min(maxRto, v));
    }

    public long rto() {
        return rto;
    }

    /** SRTT, 0 before the first sample. */
    public long srtt() {
        return srtt;
    }

    /** RTTVAR, 0 before the first sample. */
    public long rttvar() {
        return rttvar;
    }

    public boolean hasSample() {
        return sampled;
    }
}
