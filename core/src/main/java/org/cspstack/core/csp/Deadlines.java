package org.cspstack.core.csp;

import org.jcsp.lang.CSTimer;

/**
 * Deadlines in {@link System#nanoTime()} nanoseconds (what the plain-logic classes keep) against JCSP's
 * {@link CSTimer}, which counts wall-clock milliseconds and cannot be faked (MEASURED.md). Every process that
 * arms a timer at a logic class's next deadline converts the same way: the delay rounded up to whole
 * milliseconds, so that the alarm never rings before the deadline.
 */
public final class Deadlines {
    private static final long NANOS_PER_MILLI = 1_000_000L;

    private Deadlines() {
    }

    /** Whole milliseconds covering {@code nanos}, rounded up; 0 for a time already past. Never overflows. */
    public static long ceilMillis(long nanos) {
        return nanos <= 0 ? 0 : (nanos - 1) / NANOS_PER_MILLI + 1;
    }

    /** Sets {@code timer}'s alarm to ring at, or just after, {@code deadlineNanos} (a {@code nanoTime} value). */
    public static void arm(CSTimer timer, long deadlineNanos) {
        timer.setAlarm(timer.read() + ceilMillis(deadlineNanos - System.nanoTime()));
    }
}
