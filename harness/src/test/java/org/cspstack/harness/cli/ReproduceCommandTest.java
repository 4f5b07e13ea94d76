package org.cspstack.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** reproduce under a time limit too short for any step: nothing runs, the report says why, the exit is 3. */
class ReproduceCommandTest {
    @TempDir
    Path dir;

    @Test
    void aLimitTooShortForEveryStepSkipsThemAllAndExitsThree() throws Exception {
        int rc = Main.execute("reproduce", "--time-limit", "1s", "--out", dir.toString());
        assertEquals(ReproduceCommand.EXIT_CUT, rc);
        String report = Files.readString(dir.resolve("report.md"));
        int steps = ReproduceCommand.estimates(false).size();
        assertEquals(steps, report.split("not measured: time limit \\(needs about", -1).length - 1, report);
        assertTrue(report.contains("time limit 1 s"), report);
        assertFalse(report.contains("| kind | N |"), "no table for a step that did not run:\n" + report);
        assertFalse(Files.exists(dir.resolve("spawn")), "a skipped step writes nothing");
    }

    @Test
    void aBadTimeLimitIsAUserError() {
        assertEquals(2, Main.execute("reproduce", "--time-limit", "soon", "--out", dir.toString()));
    }

    @Test
    void fullSettingsStillFitTheirDefaultLimit() {
        Duration full = ReproduceCommand.estimates(true).values().stream().reduce(Duration.ZERO, Duration::plus);
        Duration shortRun = ReproduceCommand.estimates(false).values().stream().reduce(Duration.ZERO, Duration::plus);
        assertTrue(full.compareTo(Duration.ofMinutes(60)) < 0, full.toString());
        assertTrue(shortRun.compareTo(Duration.ofMinutes(10)) < 0, shortRun.toString());
    }

    @Test
    void reportPairsStackAndKernelRowsIntoRatios() {
        java.util.List<org.cspstack.harness.experiments.UdpExperiment.Row> udp = java.util.List.of(
                new org.cspstack.harness.experiments.UdpExperiment.Row("stack", 56, 100, 100, 0, 0.0, 500, 400, 3000, 4000),
                new org.cspstack.harness.experiments.UdpExperiment.Row("kernel", 56, 100, 100, 0, 0.0, 50, 40, 150, 200),
                new org.cspstack.harness.experiments.UdpExperiment.Row("kernel", -1, 100, 99, 1, 1.0, 50, 20, 100, 200),
                new org.cspstack.harness.experiments.UdpExperiment.Row("stack", -1, 100, 80, 20, 20.0, 900, 100, 800, 900));
        assertEquals(java.util.List.of(
                "| rate/s | p50 stack / kernel | p99 stack / kernel | drop % stack | drop % kernel |",
                "|---|---|---|---|---|",
                "| 56 | 10.0x | 20.0x | 0.0000 | 0.0000 |",
                "| max | 5.0x | 8.0x | 20.0000 | 1.0000 |"), ReproduceCommand.udpRatios(udp));
        java.util.List<org.cspstack.harness.experiments.PingExperiment.Row> ping = java.util.List.of(
                new org.cspstack.harness.experiments.PingExperiment.Row("kernel", 1, 20, 0, 0.07, 0.05, 0.1, 0.2),
                new org.cspstack.harness.experiments.PingExperiment.Row("stack", 1, 20, 0, 1.0, 0.75, 2.0, 3.0));
        assertEquals(java.util.List.of("| K | p50 stack / kernel | p99 stack / kernel |", "|---|---|---|",
                "| 1 | 15.0x | 20.0x |"), ReproduceCommand.pingRatios(ping));
        assertEquals("-", ReproduceCommand.ratio(1, 0));
        assertEquals("-", ReproduceCommand.ratio(Double.NaN, 1));
    }
}
