package org.cspstack.harness.experiments;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An overall time limit shared by steps that run one after the other, each with an estimate of how long it
 * takes (the functional core of {@code cspstack reproduce --time-limit}; time comes from a clock passed in).
 *
 * <p>Policy, for the next step when it is about to start, with {@code left} the time left of the limit and
 * {@code rest} the estimates of this step and every later one:
 * <ul>
 *   <li>it is <b>skipped</b> when its estimate does not fit in {@code left} ("would overrun");</li>
 *   <li>otherwise it gets an <b>allowance</b>: its estimate plus its share of the spare time
 *       ({@code left - rest}, shared in proportion to the estimates, so that time a fast step leaves flows to the
 *       later ones), but at least {@value #MIN_OVERRUN} times its estimate, and never more than {@code left}.
 *       A step still running at the end of its allowance is stopped. When not every later step fits, the steps
 *       run in order while they fit: the earlier ones are measured, the later ones skipped.</li>
 * </ul>
 * Every step skipped or stopped is recorded as cut.
 */
public final class TimeBudget {
    /** A step may overrun its estimate by this factor, time left permitting, before it is stopped. */
    static final double MIN_OVERRUN = 1.5;

    /** The decision for one step: run until {@code deadlineNanos} (the clock's time), or skip. */
    public record Slot(String step, boolean run, Duration allowance, long deadlineNanos, String reason) {
    }

    private final Duration limit;
    private final LongSupplier clock;
    private final long startNanos;
    private final LinkedHashMap<String, Duration> estimates;
    private final List<String> begun = new ArrayList<>();
    private final Map<String, String> cut = new LinkedHashMap<>();

    /**
     * @param estimates how long each step takes, in the order they run
     * @param clock     nanoseconds, like {@link System#nanoTime()}; read now as the start of the limit
     */
    public TimeBudget(Duration limit, Map<String, Duration> estimates, LongSupplier clock) {
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("time limit " + limit + " is not positive");
        }
        this.limit = limit;
        this.clock = clock;
        this.estimates = new LinkedHashMap<>(estimates);
        this.startNanos = clock.getAsLong();
    }

    public Duration limit() {
        return limit;
    }

    public Duration elapsed() {
        return Duration.ofNanos(clock.getAsLong() - startNanos);
    }

    /** Time left of the limit (negative once it has passed). */
    public Duration left() {
        return limit.minus(elapsed());
    }

    /** Decides whether {@code step}, the next in order, runs and until when; a skip is recorded as cut. */
    public Slot next(String step) {
        Duration estimate = estimates.get(step);
        if (estimate == null) {
            throw new IllegalArgumentException("no estimate for step '" + step + "'; known: " + estimates.keySet());
        }
        if (begun.contains(step)) {
            throw new IllegalStateException("step '" + step + "' has already begun");
        }
        begun.add(step);
        long now = clock.getAsLong();
        long left = limit.toNanos() - (now - startNanos);
        long est = estimate.toNanos();
        if (left < est) {
            String reason = String.format(Locale.ROOT, "not measured: time limit (needs about %s, %s left of %s)",
                    text(estimate), text(Duration.ofNanos(Math.max(0, left))), text(limit));
            cut.put(step, reason);
            return new Slot(step, false, Duration.ZERO, now, reason);
        }
        long rest = 0; // this step's estimate and those of the steps not begun yet
        for (Map.Entry<String, Duration> e : estimates.entrySet()) {
            if (e.getKey().equals(step) || !begun.contains(e.getKey())) {
                rest += e.getValue().toNanos();
            }
        }
        long share = est + (rest > 0 && left > rest ? (long) ((double) (left - rest) * est / rest) : 0);
        long allowance = Math.min(left, Math.max(share, (long) (est * MIN_OVERRUN)));
        return new Slot(step, true, Duration.ofNanos(allowance), now + allowance, "");
    }

    /** Records that {@code step} ran past its allowance and was stopped. */
    public String stopped(String step, Duration allowance) {
        String reason = "not measured: time limit (stopped after its allowance of " + text(allowance) + " of the "
                + text(limit) + " limit)";
        cut.put(step, reason);
        return reason;
    }

    /** Steps skipped or stopped, with why, in order. */
    public Map<String, String> cut() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(cut));
    }

    public boolean anythingCut() {
        return !cut.isEmpty();
    }

    private static final Pattern DURATION = Pattern.compile("(?i)\\s*(\\d+(?:\\.\\d+)?)\\s*(h|m|min|s|ms)?\\s*");

    /**
     * Parses {@code 10m}, {@code 90s}, {@code 1.5h}, {@code 500ms} or plain seconds ({@code 600}).
     *
     * @throws IllegalArgumentException naming the value and the accepted forms
     */
    public static Duration parse(String text) {
        Matcher m = DURATION.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration; use e.g. 10m, 90s, 1.5h or 600");
        }
        double v = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
        double seconds = switch (unit) {
            case "h" -> v * 3600;
            case "m", "min" -> v * 60;
            case "ms" -> v / 1000;
            default -> v;
        };
        Duration d = Duration.ofNanos((long) (seconds * 1e9));
        if (d.isZero()) {
            throw new IllegalArgumentException("time limit '" + text + "' is zero");
        }
        return d;
    }

    /** {@code 10 min}, {@code 95 s}, {@code 1 h 5 min}. */
    public static String text(Duration d) {
        long s = Math.round(d.toMillis() / 1000.0);
        if (s < 120) {
            return s + " s";
        }
        if (s < 3600) {
            return s % 60 == 0 ? s / 60 + " min" : s / 60 + " min " + s % 60 + " s";
        }
        return s / 3600 + " h" + (s % 3600 / 60 == 0 ? "" : " " + s % 3600 / 60 + " min");
    }
}
