package org.cspstack.harness.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cspstack.harness.experiments.BenchReport.Line;
import org.cspstack.harness.experiments.BenchReport.Target;
import org.cspstack.harness.experiments.BenchReport.Verdict;
import org.junit.jupiter.api.Test;

class BenchReportTest {
    private static final Target TCP_IN = Target.atLeast(1500, "").and(Target.ratioAtLeast(0.25, 0.5, ""),
            ">= 1,500 and >= 0.25x (stretch 0.5x)");

    @Test
    void ratioIsStackOverLinuxAndMissingWhereLinuxHasNoFigure() {
        assertEquals(0.25, new Line("tcp", 500, 2000, Target.NONE).ratio(), 1e-12);
        assertTrue(Double.isNaN(new Line("heap", 70, Double.NaN, Target.NONE).ratio()));
        assertTrue(Double.isNaN(new Line("lost", 0.5, 0, Target.NONE).ratio()));
    }

    @Test
    void everyBoundMustHoldAndTheStretchCountsOnlyWhenAllStretchValuesHold() {
        assertEquals(Verdict.NOT_MET, new Line("in", 1400, 2000, TCP_IN).verdict()); // rate too low, ratio 0.7
        assertEquals(Verdict.NOT_MET, new Line("in", 1600, 8000, TCP_IN).verdict()); // ratio 0.2
        assertEquals(Verdict.MET, new Line("in", 1600, 4000, TCP_IN).verdict()); // ratio 0.4
        assertEquals(Verdict.STRETCH, new Line("in", 2000, 4000, TCP_IN).verdict()); // ratio exactly 0.5
        assertEquals(Verdict.MET, new Line("in", 1500, 6000, TCP_IN).verdict()); // both exactly at the bound
    }

    @Test
    void ratioAtMostTargetsCompareTheRatioFromBelow() {
        Target p50 = Target.ratioAtMost(3, 2, "<= 3x (stretch 2x)");
        assertEquals(Verdict.STRETCH, new Line("p50", 0.08, 0.04, p50).verdict());
        assertEquals(Verdict.MET, new Line("p50", 0.12, 0.04, p50).verdict());
        assertEquals(Verdict.NOT_MET, new Line("p50", 0.44, 0.04, p50).verdict());
        assertEquals(Verdict.UNKNOWN, new Line("p50", 0.44, Double.NaN, p50).verdict());
    }

    @Test
    void boundsOnTheStackAloneIgnoreLinuxAndNoTargetIsNone() {
        assertEquals(Verdict.MET, new Line("lost", 0.001, Double.NaN, Target.atMost(0.002, "")).verdict());
        assertEquals(Verdict.MET, new Line("lost", 0.002, 5, Target.atMost(0.002, "")).verdict());
        assertEquals(Verdict.NOT_MET, new Line("lost", 0.0021, 0, Target.atMost(0.002, "")).verdict());
        assertEquals(Verdict.UNKNOWN, new Line("B/packet", Double.NaN, Double.NaN, Target.atMost(1, "")).verdict());
        assertEquals(Verdict.NONE, new Line("p99", 3, 1, Target.NONE).verdict());
    }

    @Test
    void numbersForPeopleKeepThreeFiguresAndThousandsSeparators() {
        assertEquals("1,500", BenchReport.num(1500));
        assertEquals("410", BenchReport.num(410.4));
        assertEquals("20.3", BenchReport.num(20.31));
        assertEquals("2.41", BenchReport.num(2.409));
        assertEquals("0.658", BenchReport.num(0.6581));
        assertEquals("0.0020", BenchReport.num(0.002));
        assertEquals("0", BenchReport.num(0));
        assertEquals("-", BenchReport.num(Double.NaN));
        assertEquals("0.250x", BenchReport.ratio(0.25));
        assertEquals("-", BenchReport.ratio(Double.NaN));
    }

    @Test
    void tableHasAHeaderAndOneAlignedRowPerFigure() {
        String t = BenchReport.table(List.of(new Line("TCP Linux -> stack, Mbit/s", 410, 2577, TCP_IN),
                new Line("ping RTT p50, ms", 0.435, 0.04, Target.ratioAtMost(3, 2, "<= 3x (stretch 2x)"))));
        List<String> rows = t.lines().toList();
        assertEquals(4, rows.size(), t);
        assertTrue(rows.get(0).startsWith("figure"), t);
        assertTrue(rows.get(0).contains("| stack |") || rows.get(0).contains("stack"), t);
        assertTrue(rows.get(2).contains("410") && rows.get(2).contains("2,577") && rows.get(2).contains("0.159x")
                && rows.get(2).endsWith("| no"), t);
        assertTrue(rows.get(3).contains("0.435") && rows.get(3).contains("0.040") && rows.get(3).contains("10.9x"), t);
        assertEquals(rows.get(2).indexOf('|'), rows.get(3).indexOf('|'), "columns line up:\n" + t);
    }

    @Test
    void markdownAndCsvCarryTheSameFigures() {
        List<Line> lines = List.of(new Line("UDP lost, %", 0.5, 0, Target.atMost(0.002, "<= 0.002 (100,000/s, 10 s)")));
        String md = BenchReport.markdown(lines);
        assertTrue(md.startsWith("| figure | stack | Linux | ratio | target | met? |\n|---|"), md);
        assertTrue(md.contains("| UDP lost, % | 0.500 | 0 | - | <= 0.002 (100,000/s, 10 s) | no |"), md);
        List<Object> row = BenchReport.csvRows(lines).get(0);
        assertEquals("\"UDP lost, %\"", row.get(0));
        assertEquals(0.5, row.get(1));
        assertEquals("\"<= 0.002 (100,000/s, 10 s)\"", row.get(4));
        assertEquals("no", row.get(5));
    }

    @Test
    void windowsOfOnePartAddUpAndKeepTheLargerHeap() {
        JvmMeter.Usage a = new JvmMeter.Usage(1_000_000_000L, 500_000_000L, 1_000_000, 10_000, 5 << 20, 40 << 20);
        JvmMeter.Usage b = new JvmMeter.Usage(3_000_000_000L, 1_500_000_000L, 3_000_000, 30_000, 6 << 20, 30 << 20);
        JvmMeter.Usage sum = BenchReport.plus(a, b);
        assertEquals(new JvmMeter.Usage(4_000_000_000L, 2_000_000_000L, 4_000_000, 40_000, 6 << 20, 40 << 20), sum);
        assertEquals(a, BenchReport.plus(null, a));
        assertEquals(-1, BenchReport.plus(a, new JvmMeter.Usage(1, -1, -1, 1, 0, 0)).allocatedBytes());
    }

    @Test
    void jvmTableHasOneRowPerPart() {
        Map<String, JvmMeter.Usage> parts = new LinkedHashMap<>();
        parts.put("udp in (into discard)", new JvmMeter.Usage(2_000_000_000L, 1_000_000_000L, 64_000_000, 200_000,
                6 << 20, 18 << 20, 3_000_000, 1_000_000));
        String t = BenchReport.jvmTable(parts);
        assertEquals(3, t.lines().count(), t);
        List<String> cells = List.of(t.lines().toList().get(2).split("\\s*\\|\\s*"));
        // 64 MB allocated, 3 MB of it kept and 1 MB by the caller: 60 MB garbage over 200,000 packets
        assertEquals(List.of("udp in (into discard)", "200,000", "100,000", "50.0", "5.00", "32.0", "320", "300",
                "6.00", "18.0"), cells, t);
        assertEquals(1, BenchReport.jvmCsvRows(parts).size());
    }

    @Test
    void aSenderCongestionControlIsAKernelNameAndShowsInTheDescription() {
        Bench.Settings cubic = new Bench.Settings(false, EnumSet.of(Bench.Part.TCP), true,
                org.cspstack.core.csp.Threading.forLayers(), "cubic");
        assertTrue(cubic.describe().endsWith(", Linux's TCP senders with cubic"), cubic.describe());
        assertTrue(!new Bench.Settings(false, EnumSet.of(Bench.Part.TCP)).describe().contains("senders"));
        assertThrows(IllegalArgumentException.class, () -> new Bench.Settings(false, EnumSet.of(Bench.Part.TCP),
                true, org.cspstack.core.csp.Threading.forLayers(), "cubic; rm -rf /"));
    }

    @Test
    void partsParseInAnyOrderAndCaseAndUnknownNamesAreRefused() {
        assertEquals(EnumSet.of(Bench.Part.TCP, Bench.Part.PING), Bench.Part.parseList("PING, tcp"));
        assertEquals(EnumSet.allOf(Bench.Part.class), Bench.Part.parseList("tcp,ping,udp"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Bench.Part.parseList("tcp,iperf"));
        assertTrue(e.getMessage().contains("'iperf'") && e.getMessage().contains("tcp, ping, udp"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Bench.Part.parseList(" , "));
    }

    @Test
    void quickSettingsAreShorterThanTheFullRunWhichMatchesTheTargets() {
        Bench.Settings full = new Bench.Settings(false, EnumSet.allOf(Bench.Part.class));
        Bench.Settings quick = new Bench.Settings(true, EnumSet.allOf(Bench.Part.class));
        assertEquals(1_000_000, full.udpDatagrams(), "100,000/s for 10 s");
        assertEquals(3, full.tcpRepeats());
        assertTrue(full.tcpSeconds() >= 3);
        assertEquals(200, full.pings());
        assertTrue(quick.udpDatagrams() < full.udpDatagrams() && quick.tcpRepeats() < full.tcpRepeats()
                && quick.pings() < full.pings());
    }

    @Test
    void theCaptureModeIsImmediateUnlessAskedAndTheRunSaysWhich() {
        Bench.Settings latency = new Bench.Settings(false, EnumSet.of(Bench.Part.UDP));
        Bench.Settings batched = new Bench.Settings(false, EnumSet.of(Bench.Part.UDP), false);
        assertTrue(latency.immediate());
        assertTrue(latency.describe().endsWith("capture immediate"), latency.describe());
        assertTrue(batched.describe().contains("capture batched"), batched.describe());
    }
}
