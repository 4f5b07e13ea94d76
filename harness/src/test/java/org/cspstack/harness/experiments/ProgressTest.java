package org.cspstack.harness.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The progress line's format and its rate limits, on a fake clock. */
class ProgressTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream raw = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private void seconds(double s) {
        now.addAndGet((long) (s * 1e9));
    }

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void formatsBarCountElapsedAndEta() {
        assertEquals("udp [--------------------] 0/10 trials, 0:00 elapsed, ETA ?",
                Progress.format("udp", 0, 10, "trials", 0));
        assertEquals("udp [########------------] 4/10 trials, 0:42 elapsed, ETA 1:03",
                Progress.format("udp", 4, 10, "trials", TimeUnit.SECONDS.toNanos(42)));
        assertEquals("spawn [####################] 28/28 cells, 1:05:09 elapsed, ETA 0:00",
                Progress.format("spawn", 28, 28, "cells", TimeUnit.SECONDS.toNanos(3909)));
        assertEquals("x [--------------------] 1/100 runs, 0:01 elapsed, ETA 1:39",
                Progress.format("x", 1, 100, "runs", TimeUnit.SECONDS.toNanos(1)));
    }

    @Test
    void clockIsMinutesSecondsThenHours() {
        assertEquals("0:00", Progress.clock(-5));
        assertEquals("0:59", Progress.clock(TimeUnit.MILLISECONDS.toNanos(59_999)));
        assertEquals("10:00", Progress.clock(TimeUnit.MINUTES.toNanos(10)));
        assertEquals("1:00:01", Progress.clock(TimeUnit.SECONDS.toNanos(3601)));
    }

    @Test
    void plainOutputIsOccasionalLinesWithoutCarriageReturns() {
        Progress.Display d = new Progress.Display(raw, false, now::get);
        Progress p = d.start("udp", 10, "trials");
        for (int i = 0; i < 10; i++) {
            seconds(2);
            p.advance(); // every 2 s: only one line in 15 s may follow the first
            d.tick();
        }
        p.close();
        String out = printed();
        assertFalse(out.contains("\r"), out);
        List<String> lines = out.lines().toList();
        assertEquals(List.of(
                "udp [--------------------] 0/10 trials, 0:00 elapsed, ETA ?",
                "udp [################----] 8/10 trials, 0:16 elapsed, ETA 0:04",
                "udp: 10/10 trials in 0:20"), lines);
    }

    @Test
    void plainHeartbeatWhileNothingAdvances() {
        Progress.Display d = new Progress.Display(raw, false, now::get);
        Progress p = d.start("ping", 4, "runs");
        for (int i = 0; i < 40; i++) {
            seconds(1);
            d.tick();
        }
        p.close();
        // start, at 15 s and 30 s, end: never more than one line per tick, and far fewer.
        assertEquals(4, printed().lines().count(), printed());
        assertTrue(printed().contains("ping [--------------------] 0/4 runs, 0:30 elapsed, ETA ?"), printed());
    }

    @Test
    void terminalRedrawsInPlaceAtMostFourTimesASecond() {
        Progress.Display d = new Progress.Display(raw, true, now::get);
        Progress p = d.start("tcp", 3, "transfers");
        for (int i = 0; i < 100; i++) {
            seconds(0.01);
            d.tick(); // 100 ticks in one second
        }
        int redraws = printed().split("\r", -1).length - 1;
        assertTrue(redraws >= 2 && redraws <= 1 + Progress.TERMINAL_REDRAWS_PER_SECOND, printed());
        assertFalse(printed().contains("\n"), "a terminal bar never scrolls: " + printed());
        p.close();
        assertTrue(printed().endsWith("tcp: 0/3 transfers in 0:01" + System.lineSeparator()), printed());
    }

    @Test
    void stepLinesGoAboveTheBarAndTheBarComesBack() {
        Progress.Display d = new Progress.Display(raw, true, now::get);
        Progress p = d.start("udp", 2, "trials");
        p.console().println("  stack 56/s: sent 1120");
        String out = printed();
        String bar = "udp [--------------------] 0/2 trials, 0:00 elapsed, ETA ?";
        // bar, erased with spaces, the line, the bar again
        assertEquals("\r" + bar + "\r" + " ".repeat(bar.length()) + "\r" + "  stack 56/s: sent 1120"
                + System.lineSeparator() + "\r" + bar, out);
        p.close();
    }

    @Test
    void nestedStepShowsTheOuterCountAndReturnsToIt() {
        Progress.Display d = new Progress.Display(raw, false, now::get);
        Progress outer = d.start("reproduce", 5, "steps");
        outer.advance();
        seconds(70);
        Progress inner = Progress.start("ping", 10, "runs", outer.console());
        seconds(5);
        inner.advance(5);
        inner.close();
        outer.advance();
        outer.close();
        List<String> lines = printed().lines().toList();
        assertTrue(lines.contains("reproduce 1/5 1:10 | ping [--------------------] 0/10 runs, 0:00 elapsed, ETA ?"),
                printed());
        assertTrue(lines.contains("ping: 5/10 runs in 0:05"), printed());
        assertEquals("reproduce: 2/5 steps in 1:15", lines.get(lines.size() - 1));
    }

    @Test
    void anOuterAdvanceClosesAnInnerReportItsStepLeftOpen() {
        Progress.Display d = new Progress.Display(raw, false, now::get);
        Progress outer = d.start("reproduce", 2, "steps");
        Progress inner = Progress.start("udp", 10, "trials", outer.console());
        outer.advance(); // the udp step was stopped and never closed its report
        seconds(20);
        outer.advance();
        String last = printed().lines().reduce((a, b) -> b).orElseThrow();
        inner.close(); // a late close is harmless
        assertTrue(last.startsWith("reproduce [####################] 2/2 steps"), printed());
        assertEquals(last, printed().lines().reduce((a, b) -> b).orElseThrow());
    }

    @Test
    void aTeeCopiesTheLinesOfANestedStepButNotItsBar() {
        Progress.Display d = new Progress.Display(raw, true, now::get);
        Progress outer = d.start("reproduce", 5, "steps");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream tee = outer.tee(log);
        Progress inner = Progress.start("tcp bulk", 3, "transfers", tee);
        inner.console().println("  Linux -> Linux 1181.1 Mbit/s");
        inner.advance();
        inner.close();
        assertEquals("  Linux -> Linux 1181.1 Mbit/s\n", log.toString(StandardCharsets.UTF_8));
        assertTrue(printed().contains("\rreproduce 0/5 0:00 | tcp bulk [--------------------] 0/3 transfers"),
                "the inner bar nests in the outer one: " + printed());
        assertTrue(printed().contains("  Linux -> Linux 1181.1 Mbit/s"), printed());
        outer.close();
    }

    @Test
    void partialLineIsPrintedWhenTheReportCloses() {
        Progress.Display d = new Progress.Display(raw, false, now::get);
        Progress p = d.start("code", 1, "steps");
        p.console().print("no newline");
        assertFalse(printed().contains("no newline"));
        p.close();
        assertTrue(printed().contains("no newline" + System.lineSeparator() + "code: 0/1 steps in 0:00"), printed());
    }
}
