package org.cspstack.harness.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** Budgeting of steps under an overall time limit, on a fake clock; and stopping a step that overruns. */
class TimeBudgetTest {
    private final AtomicLong now = new AtomicLong(5_000_000_000L);

    private void pass(Duration d) {
        now.addAndGet(d.toNanos());
    }

    private static Map<String, Duration> steps(long... seconds) {
        Map<String, Duration> m = new LinkedHashMap<>();
        for (int i = 0; i < seconds.length; i++) {
            m.put("s" + i, Duration.ofSeconds(seconds[i]));
        }
        return m;
    }

    @Test
    void spareTimeIsSharedInProportionToTheEstimates() {
        // 600 s for 60 + 120 s: 420 s spare, a third to the first step.
        TimeBudget b = new TimeBudget(Duration.ofSeconds(600), steps(60, 120), now::get);
        TimeBudget.Slot first = b.next("s0");
        assertTrue(first.run());
        assertEquals(Duration.ofSeconds(200), first.allowance());
        assertEquals(now.get() + Duration.ofSeconds(200).toNanos(), first.deadlineNanos());
        pass(Duration.ofSeconds(30)); // fast: the 170 s it left go to the second step
        TimeBudget.Slot second = b.next("s1");
        assertEquals(Duration.ofSeconds(570), second.allowance());
        assertFalse(b.anythingCut());
    }

    @Test
    void aStepMayOverrunItsEstimateByHalfWhenTheRestStillFits() {
        // 200 s for 100 + 90: 10 s spare, but the first may take 150 s.
        TimeBudget b = new TimeBudget(Duration.ofSeconds(200), steps(100, 90), now::get);
        assertEquals(Duration.ofSeconds(150), b.next("s0").allowance());
    }

    @Test
    void allowanceNeverPassesTheLimit() {
        TimeBudget b = new TimeBudget(Duration.ofSeconds(100), steps(80), now::get);
        assertEquals(Duration.ofSeconds(100), b.next("s0").allowance());
    }

    @Test
    void whenNotEverythingFitsStepsRunInOrderWhileTheyFit() {
        // 100 s for 30 + 50 + 40: the first two run, the third is skipped.
        TimeBudget b = new TimeBudget(Duration.ofSeconds(100), steps(30, 50, 40), now::get);
        TimeBudget.Slot a = b.next("s0");
        assertTrue(a.run());
        assertEquals(Duration.ofSeconds(45), a.allowance());
        pass(Duration.ofSeconds(30));
        TimeBudget.Slot c = b.next("s1");
        assertTrue(c.run());
        assertEquals(Duration.ofSeconds(70), c.allowance()); // 1.5 x 50 is more than the 70 s left
        pass(Duration.ofSeconds(50));
        TimeBudget.Slot d = b.next("s2");
        assertFalse(d.run());
        assertEquals("not measured: time limit (needs about 40 s, 20 s left of 100 s)", d.reason());
        assertEquals(List.of("s2"), List.copyOf(b.cut().keySet()));
    }

    @Test
    void aStoppedStepIsCutAndLaterStepsStillGetTheirTime() {
        TimeBudget b = new TimeBudget(Duration.ofMinutes(10), steps(60, 60), now::get);
        TimeBudget.Slot a = b.next("s0");
        pass(a.allowance()); // ran to its deadline
        assertEquals("not measured: time limit (stopped after its allowance of 5 min of the 10 min limit)",
                b.stopped("s0", a.allowance()));
        TimeBudget.Slot c = b.next("s1");
        assertTrue(c.run());
        assertEquals(Duration.ofMinutes(5), c.allowance());
        assertEquals(List.of("s0"), List.copyOf(b.cut().keySet()));
        assertTrue(b.anythingCut());
    }

    @Test
    void stepsMustBeKnownAndRunOnce() {
        TimeBudget b = new TimeBudget(Duration.ofSeconds(10), steps(1), now::get);
        assertThrows(IllegalArgumentException.class, () -> b.next("nope"));
        b.next("s0");
        assertThrows(IllegalStateException.class, () -> b.next("s0"));
    }

    @Test
    void parsesDurations() {
        assertEquals(Duration.ofMinutes(10), TimeBudget.parse("10m"));
        assertEquals(Duration.ofSeconds(90), TimeBudget.parse("90s"));
        assertEquals(Duration.ofSeconds(600), TimeBudget.parse("600"));
        assertEquals(Duration.ofMinutes(90), TimeBudget.parse("1.5h"));
        assertEquals(Duration.ofMillis(500), TimeBudget.parse("500ms"));
        assertEquals(Duration.ofMinutes(3), TimeBudget.parse("3 min"));
        for (String bad : new String[] {"", "ten minutes", "-5m", "0", "5d"}) {
            assertThrows(IllegalArgumentException.class, () -> TimeBudget.parse(bad), bad);
        }
    }

    @Test
    void durationsAsText() {
        assertEquals("45 s", TimeBudget.text(Duration.ofSeconds(45)));
        assertEquals("10 min", TimeBudget.text(Duration.ofMinutes(10)));
        assertEquals("3 min 20 s", TimeBudget.text(Duration.ofSeconds(200)));
        assertEquals("1 h 5 min", TimeBudget.text(Duration.ofMinutes(65)));
    }

    @Test
    void aStepThatOverrunsIsStoppedAndItsChildProcessesEnd() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream console = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Process[] child = new Process[1];
        BoundedStep.Outcome<String> o = BoundedStep.run("sleeper", Duration.ofMillis(300), () -> {
            child[0] = new ProcessBuilder("sleep", "60").start();
            child[0].waitFor(); // returns when the child is killed
            return "finished";
        }, console);
        assertTrue(o.stopped(), bytes.toString(StandardCharsets.UTF_8));
        assertEquals(null, o.value());
        assertFalse(child[0].isAlive());
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("sleeper: stopped (1 child process ended)"),
                bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aStepThatEndsInTimeGivesItsValueOrItsException() throws Exception {
        PrintStream console = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertEquals("v", BoundedStep.run("quick", Duration.ofMinutes(1), () -> "v", console).value());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> BoundedStep.run("bad",
                Duration.ofMinutes(1), () -> {
                    throw new IllegalStateException("boom");
                }, console));
        assertEquals("boom", e.getMessage());
    }
}
