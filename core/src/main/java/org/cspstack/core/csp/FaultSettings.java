package org.cspstack.core.csp;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a {@link FaultInjector} does to the frames that pass through it: the probabilities of loss,
 * duplication, reordering and corruption, a fixed one-way delay, and the seed that makes a run repeatable.
 *
 * <ul>
 *   <li>{@code loss}: a frame is dropped.</li>
 *   <li>{@code duplicate}: a kept frame is sent twice (the second is a copy taken before any corruption).</li>
 *   <li>{@code reorder}: a kept frame is held back for {@code reorderDelay} on top of {@code delay}, so that
 *       frames arriving during that time overtake it. Reordering is by time, not by a count of frames: when
 *       nothing arrives while a frame is held, the frame is only late.</li>
 *   <li>{@code corrupt}: one byte of a kept frame is XORed with a non-zero mask, past the Ethernet header when
 *       the frame is longer than one (so checksums, not MAC filtering, catch it).</li>
 *   <li>{@code delay}: added to every kept frame; zero for none.</li>
 * </ul>
 * The same settings with the same seed give the same decision for the n-th frame, whatever the timing.
 *
 * @param loss         probability 0..1 that a frame is dropped
 * @param duplicate    probability 0..1 that a kept frame is sent twice
 * @param reorder      probability 0..1 that a kept frame is held back for {@code reorderDelay}
 * @param corrupt      probability 0..1 that one byte of a kept frame is flipped
 * @param delay        fixed delay added to every kept frame; {@link Duration#ZERO} for none
 * @param reorderDelay how long a frame picked for reordering is held back (on top of {@code delay})
 * @param seed         seed of the decisions
 */
public record FaultSettings(double loss, double duplicate, double reorder, double corrupt, Duration delay,
                            Duration reorderDelay, long seed) {

    /** How long a frame picked for reordering is held when not told otherwise. */
    public static final Duration DEFAULT_REORDER_DELAY = Duration.ofMillis(10);
    /** The seed when none is given: runs are repeatable by default; pass another seed to vary them. */
    public static final long DEFAULT_SEED = 1;
    /** The longest delay accepted (a sanity bound: it keeps time arithmetic in nanoseconds far from overflow). */
    public static final Duration MAX_DELAY = Duration.ofHours(1);

    private static final Pattern PROBABILITY = Pattern.compile("(-?[0-9]*\\.?[0-9]+)\\s*(%?)");
    private static final Pattern DURATION = Pattern.compile("(-?[0-9]*\\.?[0-9]+)\\s*(ns|us|µs|ms|s)?");

    public FaultSettings {
        checkProbability("loss", loss);
        checkProbability("duplicate", duplicate);
        checkProbability("reorder", reorder);
        checkProbability("corrupt", corrupt);
        checkDuration("delay", delay);
        checkDuration("reorderDelay", reorderDelay);
    }

    /** No faults: frames pass unchanged, in order, at once. */
    public static FaultSettings none() {
        return new FaultSettings(0, 0, 0, 0, Duration.ZERO, DEFAULT_REORDER_DELAY, DEFAULT_SEED);
    }

    /** True when these settings change nothing: no loss, duplication, reordering, corruption or delay. */
    public boolean isNone() {
        return loss == 0 && duplicate == 0 && reorder == 0 && corrupt == 0 && delay.isZero();
    }

    /** The same settings with another seed (two injectors on one path should not make the same decisions). */
    public FaultSettings withSeed(long newSeed) {
        return new FaultSettings(loss, duplicate, reorder, corrupt, delay, reorderDelay, newSeed);
    }

    /** The same settings with another hold time for reordered frames. */
    public FaultSettings withReorderDelay(Duration newReorderDelay) {
        return new FaultSettings(loss, duplicate, reorder, corrupt, delay, newReorderDelay, seed);
    }

    /**
     * Parses the command line's fault options; a null or blank option means none of that fault, a null seed
     * means {@link #DEFAULT_SEED}, and the reorder hold is {@link #DEFAULT_REORDER_DELAY}.
     *
     * @param loss    {@code --loss}: a percentage ({@code 2%}, {@code 0.5%}) or a fraction ({@code 0.02})
     * @param dup     {@code --dup}, as {@code loss}
     * @param reorder {@code --reorder}, as {@code loss}
     * @param corrupt {@code --corrupt}, as {@code loss}
     * @param delay   {@code --delay}: a duration with a unit, {@code 250us}, {@code 5ms}, {@code 1.5s} ({@code ns},
     *                {@code us} or {@code µs}, {@code ms}, {@code s}); a bare {@code 0} is accepted
     * @param seed    {@code --seed}
     * @throws IllegalArgumentException naming the option, the value and what is expected
     */
    public static FaultSettings parse(String loss, String dup, String reorder, String corrupt, String delay,
                                      Long seed) {
        return parse(loss, dup, reorder, corrupt, delay, null, seed);
    }

    /** As {@link #parse(String, String, String, String, String, Long)}, with {@code --reorder-delay} too. */
    public static FaultSettings parse(String loss, String dup, String reorder, String corrupt, String delay,
                                      String reorderDelay, Long seed) {
        Duration hold = reorderDelay == null || reorderDelay.isBlank()
                ? DEFAULT_REORDER_DELAY : parseDuration("--reorder-delay", reorderDelay);
        return new FaultSettings(parseProbability("--loss", loss), parseProbability("--dup", dup),
                parseProbability("--reorder", reorder), parseProbability("--corrupt", corrupt),
                parseDuration("--delay", delay), hold, seed == null ? DEFAULT_SEED : seed);
    }

    /**
     * A probability written as a percentage ({@code 2%}, {@code 0.5%}) or a fraction ({@code 0.02}); null or
     * blank is 0. {@code option} names it in error messages.
     */
    public static double parseProbability(String option, String text) {
        if (text == null || text.isBlank()) {
            return 0;
        }
        String t = text.strip();
        Matcher m = PROBABILITY.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException(option + " " + t
                    + ": not a probability; write a percentage (2%, 0.5%) or a fraction (0.02)");
        }
        BigDecimal value = new BigDecimal(m.group(1));
        boolean percent = !m.group(2).isEmpty();
        BigDecimal fraction = percent ? value.movePointLeft(2) : value;
        if (fraction.signum() < 0 || fraction.compareTo(BigDecimal.ONE) > 0) {
            String hint = !percent && value.compareTo(new BigDecimal(100)) <= 0 && value.signum() > 0
                    ? " (a fraction is at most 1: did you mean " + value.toPlainString() + "%?)" : "";
            throw new IllegalArgumentException(option + " " + t
                    + ": a probability must be between 0% and 100%" + hint);
        }
        return fraction.doubleValue();
    }

    /**
     * A duration with a unit: {@code 250us}, {@code 5ms}, {@code 1s}, {@code 1.5ms}, {@code 100ns}; a bare
     * {@code 0} is zero; null or blank is zero. {@code option} names it in error messages.
     */
    public static Duration parseDuration(String option, String text) {
        if (text == null || text.isBlank()) {
            return Duration.ZERO;
        }
        String t = text.strip();
        Matcher m = DURATION.matcher(t.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(option + " " + t
                    + ": not a duration; write a number and a unit: 250us, 5ms or 1s");
        }
        BigDecimal value = new BigDecimal(m.group(1));
        String unit = m.group(2);
        if (unit == null) {
            if (value.signum() == 0) {
                return Duration.ZERO;
            }
            throw new IllegalArgumentException(option + " " + t + ": a duration needs a unit: 250us, 5ms or 1s");
        }
        if (value.signum() < 0) {
            throw new IllegalArgumentException(option + " " + t + ": a duration must not be negative");
        }
        long unitNanos = switch (unit) {
            case "ns" -> 1L;
            case "us", "µs" -> 1_000L;
            case "ms" -> 1_000_000L;
            default -> 1_000_000_000L;
        };
        BigDecimal nanos = value.multiply(BigDecimal.valueOf(unitNanos));
        if (nanos.compareTo(BigDecimal.valueOf(MAX_DELAY.toNanos())) > 0) {
            throw new IllegalArgumentException(option + " " + t + ": a duration must be at most "
                    + formatDuration(MAX_DELAY));
        }
        if (nanos.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException(option + " " + t
                    + ": finer than a nanosecond; use a whole number of ns, us, ms or s");
        }
        return Duration.ofNanos(nanos.longValueExact());
    }

    /** A probability as a percentage without trailing zeros: {@code 0.005} is {@code 0.5%}. */
    public static String formatProbability(double p) {
        return BigDecimal.valueOf(p).movePointRight(2).stripTrailingZeros().toPlainString() + "%";
    }

    /** A duration in the largest unit that shows it whole: {@code 5ms}, {@code 250us}, {@code 1s}, {@code 0ms}. */
    public static String formatDuration(Duration d) {
        if (d.isNegative()) {
            return d.toString();
        }
        if (d.getNano() == 0) {
            return d.getSeconds() == 0 ? "0ms" : d.getSeconds() + "s";
        }
        if (d.getSeconds() >= Long.MAX_VALUE / 1_000_000_000L) {
            return d.toString();
        }
        long nanos = d.toNanos();
        if (nanos % 1_000_000L == 0) {
            return nanos / 1_000_000L + "ms";
        }
        if (nanos % 1_000L == 0) {
            return nanos / 1_000L + "us";
        }
        return nanos + "ns";
    }

    /**
     * The faults that are on, in the command line's words, then the seed:
     * {@code loss 2% dup 0.5% reorder 1% corrupt 0.1% delay 5ms seed 42}. A reorder hold other than the
     * default shows as {@code reorder-delay 20ms}. Settings that change nothing print as {@code none}.
     */
    @Override
    public String toString() {
        if (isNone()) {
            return "none";
        }
        StringBuilder sb = new StringBuilder();
        appendProbability(sb, "loss", loss);
        appendProbability(sb, "dup", duplicate);
        appendProbability(sb, "reorder", reorder);
        if (reorder > 0 && !reorderDelay.equals(DEFAULT_REORDER_DELAY)) {
            sb.append("reorder-delay ").append(formatDuration(reorderDelay)).append(' ');
        }
        appendProbability(sb, "corrupt", corrupt);
        if (!delay.isZero()) {
            sb.append("delay ").append(formatDuration(delay)).append(' ');
        }
        return sb.append("seed ").append(seed).toString();
    }

    private static void appendProbability(StringBuilder sb, String name, double p) {
        if (p > 0) {
            sb.append(name).append(' ').append(formatProbability(p)).append(' ');
        }
    }

    private static void checkProbability(String name, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(name + " " + p + ": a probability must be between 0 and 1");
        }
    }

    private static void checkDuration(String name, Duration d) {
        if (d == null) {
            throw new IllegalArgumentException(name + " must not be null; use Duration.ZERO for none");
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " " + d + ": must not be negative");
        }
        if (d.compareTo(MAX_DELAY) > 0) {
            throw new IllegalArgumentException(name + " " + formatDuration(d) + ": must be at most "
                    + formatDuration(MAX_DELAY));
        }
    }
}
