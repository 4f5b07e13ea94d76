package org.cspstack.harness.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class LatencyStatsTest {

    @Test
    void nearestRankPercentilesAreValuesOfTheSampleNeverInterpolated() {
        long[] four = {10, 20, 30, 40};
        assertEquals(20, LatencyStats.nearestRank(four, 50)); // rank ceil(2.0) = 2
        assertEquals(40, LatencyStats.nearestRank(four, 99)); // rank ceil(3.96) = 4
        assertEquals(10, LatencyStats.nearestRank(four, 0));
        assertEquals(10, LatencyStats.nearestRank(four, 25)); // rank 1
        assertEquals(20, LatencyStats.nearestRank(four, 26)); // rank ceil(1.04) = 2
        assertEquals(40, LatencyStats.nearestRank(four, 100));

        long[] hundred = new long[100];
        for (int i = 0; i < 100; i++) {
            hundred[i] = i + 1; // 1..100
        }
        assertEquals(50, LatencyStats.nearestRank(hundred, 50));
        assertEquals(99, LatencyStats.nearestRank(hundred, 99)); // exactly rank 99, no rounding up to 100
        long[] thousand = new long[1000];
        for (int i = 0; i < 1000; i++) {
            thousand[i] = i + 1;
        }
        assertEquals(990, LatencyStats.nearestRank(thousand, 99));
        assertEquals(7, LatencyStats.nearestRank(new long[] {7}, 99));
    }

    @Test
    void percentileOfNothingOrOutOfRangeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> LatencyStats.nearestRank(new long[0], 50));
        assertThrows(IllegalArgumentException.class, () -> LatencyStats.nearestRank(new long[] {1}, 101));
        assertThrows(IllegalArgumentException.class, () -> LatencyStats.nearestRank(new long[] {1}, -1));
        assertThrows(IllegalArgumentException.class, () -> LatencyStats.nearestRank(new long[] {1}, Double.NaN));
    }

    @Test
    void meanAndDropRate() {
        assertEquals(25.0, LatencyStats.mean(new long[] {10, 20, 30, 40}), 1e-12);
        assertTrue(Double.isNaN(LatencyStats.mean(new long[0])));
        assertEquals(0.002, LatencyStats.dropPct(50_000, 1), 1e-12); // the paper's figure
        assertEquals(0.0, LatencyStats.dropPct(0, 0), 0);
        assertEquals(25.0, LatencyStats.dropPct(4, 1), 1e-12);
        assertEquals(2.0, LatencyStats.ratio(682, 341), 1e-12);
        assertTrue(Double.isNaN(LatencyStats.ratio(1, 0)));
    }

    @Test
    void everyDatagramArrivedOnceInOrder() {
        long[] seq = {0, 1, 2, 3};
        long[] sent = {1_000, 2_000, 3_000, 4_000};
        long[] arrived = {1_100, 2_300, 3_200, 4_400}; // latencies 100, 300, 200, 400
        LatencyStats.Summary s = LatencyStats.analyze(4, seq, sent, arrived, 4);
        assertEquals(4, s.sent());
        assertEquals(4, s.received());
        assertEquals(0, s.lost());
        assertEquals(0, s.duplicates());
        assertEquals(0, s.reordered());
        assertEquals(0.0, s.dropPct(), 0);
        assertEquals(250.0, s.meanNs(), 1e-9);
        assertEquals(200.0, s.p50Ns(), 0); // sorted 100 200 300 400: rank 2
        assertEquals(400.0, s.p99Ns(), 0); // rank 4
        assertEquals(400.0, s.maxNs(), 0);
        assertEquals(100.0, s.minNs(), 0);
    }

    @Test
    void missingDuplicateReorderedAndForeignSequenceNumbers() {
        // Sent 0..9; 3 and 7 never arrive, 5 arrives twice, 2 arrives after 4, 42 and -1 are not ours.
        long[] seq = {0, 1, 4, 2, 5, 5, 42, 6, 8, -1, 9};
        long[] sent = new long[seq.length];
        long[] arrived = new long[seq.length];
        long[] latency = {10, 20, 50, 30, 60, 999, 5, 70, 80, 5, 90};
        for (int i = 0; i < seq.length; i++) {
            sent[i] = 1_000_000L * i;
            arrived[i] = sent[i] + latency[i];
        }
        LatencyStats.Summary s = LatencyStats.analyze(10, seq, sent, arrived, seq.length);
        assertEquals(10, s.sent());
        assertEquals(8, s.received()); // 0 1 2 4 5 6 8 9
        assertEquals(2, s.lost()); // 3 and 7
        assertEquals(20.0, s.dropPct(), 1e-12);
        assertEquals(1, s.duplicates()); // the second 5, whose 999 ns is not a sample
        assertEquals(2, s.foreign()); // 42 and -1
        assertEquals(1, s.reordered()); // 2 after 4
        // Samples: 10 20 50 30 60 70 80 90 -> sorted 10 20 30 50 60 70 80 90.
        assertEquals(51.25, s.meanNs(), 1e-9);
        assertEquals(50.0, s.p50Ns(), 0); // rank 4
        assertEquals(90.0, s.p99Ns(), 0); // rank ceil(7.92) = 8
        assertEquals(90.0, s.maxNs(), 0);
        assertEquals(10.0, s.minNs(), 0);
    }

    @Test
    void onlyTheFirstNRecordsCount() {
        long[] seq = {0, 1, 2};
        long[] sent = {0, 0, 0};
        long[] arrived = {5, 7, 1_000_000};
        LatencyStats.Summary s = LatencyStats.analyze(3, seq, sent, arrived, 2);
        assertEquals(2, s.received());
        assertEquals(1, s.lost());
        assertEquals(7.0, s.maxNs(), 0);
    }

    @Test
    void nothingReceivedIsAllLostWithUndefinedLatency() {
        LatencyStats.Summary s = LatencyStats.analyze(5, new long[0], new long[0], new long[0], 0);
        assertEquals(5, s.lost());
        assertEquals(100.0, s.dropPct(), 0);
        assertTrue(Double.isNaN(s.p50Ns()));
        assertTrue(Double.isNaN(s.meanNs()));
        LatencyStats.Summary none = LatencyStats.analyze(0, new long[0], new long[0], new long[0], 0);
        assertEquals(0.0, none.dropPct(), 0);
    }

    @Test
    void badRecordCountsAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> LatencyStats.analyze(3, new long[2], new long[2], new long[2], 3));
        assertThrows(IllegalArgumentException.class,
                () -> LatencyStats.analyze(-1, new long[0], new long[0], new long[0], 0));
    }

    @Test
    void trialSizesFollowRateTimeAndBounds() {
        Duration five = Duration.ofSeconds(5);
        assertEquals(UdpExperiment.MIN_DATAGRAMS, UdpExperiment.datagramsFor(56, five, 500_000)); // 20 s at 56/s
        assertEquals(5_000, UdpExperiment.datagramsFor(1_000, five, 500_000));
        assertEquals(500_000, UdpExperiment.datagramsFor(100_000, five, 500_000));
        assertEquals(200_000, UdpExperiment.datagramsFor(100_000, five, 200_000));
        assertEquals(200_000, UdpExperiment.datagramsFor(-1, five, 200_000));
        assertEquals(50_000, UdpExperiment.datagramsFor(56, Duration.ofSeconds(893), 50_000)); // the paper's run
    }

    @Test
    void medianOfOddAndEvenCountsAndOfNothing() {
        assertEquals(410, LatencyStats.median(new double[] {541, 410, 122}));
        assertEquals(15, LatencyStats.median(new double[] {20, 10}));
        assertTrue(Double.isNaN(LatencyStats.median(new double[0])));
        double[] input = {3, 1, 2};
        LatencyStats.median(input);
        assertEquals(3, input[0], "the input is left as it was");
    }
}
