package org.cspstack.harness.experiments;

import java.util.Arrays;

/**
 * Loss and one-way latency of one UDP trial, from what a receiver recorded: plain computations, no clock, no I/O.
 *
 * <p>The sender numbers its datagrams {@code 0 .. sent-1}. For every datagram the receiver got it recorded the
 * sequence number, the sender's send timestamp and its own arrival timestamp (both {@code CLOCK_MONOTONIC}
 * nanoseconds). From that:
 * <ul>
 *   <li><b>received</b>: distinct sequence numbers in {@code 0 .. sent-1} that arrived at least once;</li>
 *   <li><b>duplicates</b>: further copies of a sequence number already received (not counted as received);</li>
 *   <li><b>foreign</b>: sequence numbers outside {@code 0 .. sent-1} (ignored);</li>
 *   <li><b>lost</b>: {@code sent - received}, the sequence numbers that never arrived;</li>
 *   <li><b>drop rate</b>: {@code 100 * lost / sent} percent (0 when nothing was sent);</li>
 *   <li><b>reordered</b>: first copies that arrived after a copy of a higher sequence number;</li>
 *   <li><b>latency</b>: {@code arrival - send} of the first copy of each received datagram; mean, nearest-rank
 *       percentiles ({@link #nearestRank}) and max over those.</li>
 * </ul>
 */
public final class LatencyStats {
    private LatencyStats() {
    }

    /**
     * What one trial came to. Latency figures are in nanoseconds and NaN when nothing was received.
     *
     * @param sent       datagrams the sender numbered (sequence numbers 0 .. sent-1)
     * @param received   distinct sequence numbers of that range that arrived
     * @param duplicates further copies of sequence numbers already received
     * @param foreign    sequence numbers outside 0 .. sent-1
     * @param reordered  first copies that arrived after a higher sequence number
     */
    public record Summary(long sent, long received, long duplicates, long foreign, long reordered, double meanNs,
                          double p50Ns, double p99Ns, double maxNs, double minNs) {
        /** Sequence numbers that never arrived. */
        public long lost() {
            return sent - received;
        }

        /** Lost over sent, in percent (0 when nothing was sent). */
        public double dropPct() {
            return LatencyStats.dropPct(sent, lost());
        }
    }

    /**
     * Analyses the first {@code n} records of a trial.
     *
     * @param sent      the sender's datagram count: sequence numbers 0 .. sent-1 (at most {@link Integer#MAX_VALUE})
     * @param seq       sequence number of each record, in arrival order
     * @param sentNs    the send timestamp carried in each datagram
     * @param arrivedNs the receiver's arrival timestamp of each record
     * @param n         how many records there are
     */
    public static Summary analyze(long sent, long[] seq, long[] sentNs, long[] arrivedNs, int n) {
        if (sent < 0 || sent > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("sent " + sent + " is outside 0.." + Integer.MAX_VALUE);
        }
        if (n < 0 || n > seq.length || n > sentNs.length || n > arrivedNs.length) {
            throw new IllegalArgumentException(n + " records, but the arrays hold " + seq.length + ", "
                    + sentNs.length + " and " + arrivedNs.length);
        }
        java.util.BitSet seen = new java.util.BitSet((int) sent);
        long[] latencies = new long[n];
        int samples = 0;
        long duplicates = 0;
        long foreign = 0;
        long reordered = 0;
        long highest = -1;
        for (int i = 0; i < n; i++) {
            long s = seq[i];
            if (s < 0 || s >= sent) {
                foreign++;
                continue;
            }
            if (seen.get((int) s)) {
                duplicates++;
                continue;
            }
            seen.set((int) s);
            if (s < highest) {
                reordered++;
            }
            highest = Math.max(highest, s);
            latencies[samples++] = arrivedNs[i] - sentNs[i];
        }
        long[] sorted = Arrays.copyOf(latencies, samples);
        Arrays.sort(sorted);
        if (samples == 0) {
            return new Summary(sent, 0, duplicates, foreign, reordered, Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN, Double.NaN);
        }
        return new Summary(sent, samples, duplicates, foreign, reordered, mean(sorted), nearestRank(sorted, 50),
                nearestRank(sorted, 99), sorted[samples - 1], sorted[0]);
    }

    /** The arithmetic mean; NaN for no values. */
    public static double mean(long[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (long v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    /**
     * The nearest-rank percentile of ascending {@code sorted} values: the value at 1-based rank
     * {@code ceil(p / 100 * n)}, and the smallest value for {@code p = 0}. It is always one of the values (no
     * interpolation): for n = 4, p50 is the 2nd value; for n = 100, p99 is the 99th; for n = 1000, the 990th.
     *
     * @param p percentile, 0..100
     * @throws IllegalArgumentException for no values or p outside 0..100
     */
    public static long nearestRank(long[] sorted, double p) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no values: a percentile of nothing is undefined");
        }
        if (!(p >= 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile " + p + " is outside 0..100");
        }
        return sorted[nearestRankIndex(sorted.length, p)];
    }

    /**
     * The 0-based index of the nearest-rank percentile {@code p} among {@code n > 0} ascending values: rank
     * {@code ceil(p / 100 * n)}, at least 1 and at most n.
     */
    static int nearestRankIndex(int n, double p) {
        long rank = (long) Math.ceil(p * n / 100.0); // p * n first: exact for whole p (50 * 20 / 100 = 10)
        return (int) Math.max(1, Math.min(n, rank)) - 1;
    }

    /** The median of the values (the mean of the middle two for an even count); NaN for none. */
    public static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }

    /** {@code 100 * lost / sent} percent; 0 when nothing was sent. */
    public static double dropPct(long sent, long lost) {
        return sent == 0 ? 0 : 100.0 * lost / sent;
    }

    /** {@code a / b}, NaN when either is NaN or b is 0. */
    public static double ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) || b == 0 ? Double.NaN : a / b;
    }
}
