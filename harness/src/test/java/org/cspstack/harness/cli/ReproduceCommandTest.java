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
}
