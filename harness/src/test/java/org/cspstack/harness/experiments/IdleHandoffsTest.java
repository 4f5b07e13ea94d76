package org.cspstack.harness.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.cspstack.core.csp.Threading;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdleHandoffsTest {
    private static final Duration GAP = Duration.ofMillis(1);

    @Test
    void everyMessageCrossesEveryProcessOfTheLineAndTheLineEnds() throws InterruptedException {
        IdleHandoffs.Result r = IdleHandoffs.processes(IdleHandoffs.PING_HANDOFFS, 20, GAP, Threading.PLATFORM);
        assertEquals(IdleHandoffs.PING_HANDOFFS - 1, r.stampsPerMessage(), "stamps per message");
        assertEquals(20, r.messages());
        assertTrue(r.p50Ms() > 0 && r.p50Ms() <= r.p90Ms(), r.toString());
        assertTrue(r.line().contains("platform threads"), r.line());
        // processes() throws when a process failed or outlived the runner's stop
    }

    @Test
    void plainThreadsCarryTheSameMessageAndEnd() throws InterruptedException {
        IdleHandoffs.Result r = IdleHandoffs.threads(4, 20, GAP, Threading.PLATFORM);
        assertEquals(3, r.stampsPerMessage(), "stamps per message");
        assertTrue(r.p50Ms() > 0 && r.p50Ms() <= r.p90Ms(), r.toString());
        assertFalse(Thread.getAllStackTraces().keySet().stream().anyMatch(
                t -> t.getName().startsWith("idle-handoff-")), "a thread outlived the line");
    }

    @Test
    void theExperimentWritesOneRowPerLineAndCountAndAPlot(@TempDir Path dir) throws Exception {
        ExperimentOutput out = new ExperimentOutput(dir, Threading.PLATFORM);
        List<IdleHandoffs.Result> results = IdleHandoffs.run(out, 5, new PrintStream(OutputStream.nullOutputStream()));
        int lines = Threading.virtualAvailable() ? 4 : 2;
        assertEquals(IdleHandoffs.COUNTS.length * lines, results.size());
        for (IdleHandoffs.Result r : results) {
            assertEquals(r.handoffs() - 1, r.stampsPerMessage(), r.toString());
        }
        List<String> csv = Files.readAllLines(dir.resolve("handoffs.csv"));
        assertEquals("line,handoffs,messages,p50_ms,p90_ms", csv.get(0));
        assertEquals(results.size() + 1, csv.size());
        assertTrue(Files.size(dir.resolve("handoffs.png")) > 0);
    }

    @Test
    void aLineNeedsTwoHandOffsAndOneMessage() {
        assertThrows(IllegalArgumentException.class, () -> IdleHandoffs.threads(1, 5, GAP, Threading.PLATFORM));
        assertThrows(IllegalArgumentException.class, () -> IdleHandoffs.processes(3, 0, GAP, Threading.PLATFORM));
    }
}
