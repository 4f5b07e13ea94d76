package org.cspstack.harness.experiments;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the output of Linux's {@code ping -n} (iputils) and computes RTT statistics.
 *
 * <p>What is read:
 * <ul>
 *   <li>reply lines, {@code 1479 bytes from 198.18.0.2: icmp_seq=3 ttl=64 time=0.213 ms}, with or without
 *       {@code ident=} (verbose) and {@code (DUP!)};</li>
 *   <li>error lines, {@code From 198.18.1.1 icmp_seq=1 Destination Host Unreachable};</li>
 *   <li>{@code wrong data byte} reports (a reply whose payload differs from what was sent);</li>
 *   <li>the summary, {@code 3 packets transmitted, 3 received, +2 duplicates, +1 errors, 0% packet loss, ...}.</li>
 * </ul>
 * A reply is a duplicate when ping marks it {@code (DUP!)} or when its sequence number was already answered:
 * ping leaves the mark out for broadcast targets unless {@code -v}. Sequence numbers are 16 bits, so the
 * second rule assumes fewer than 65,536 probes per run.
 */
public final class PingParse {
    private PingParse() {
    }

    /** One reply line: the sequence number, the round trip in milliseconds, whether it repeats an answer. */
    public record Reply(int seq, double rttMs, boolean duplicate, String from) {
    }

    /** The summary line's counts. */
    public record Summary(int transmitted, int received, int duplicates, int corrupted, int errors) {
        /** Per cent of transmitted probes without an answer (ping's own figure, unrounded). */
        public double lossPct() {
            return transmitted == 0 ? 0.0 : 100.0 * (transmitted - received) / transmitted;
        }
    }

    /**
     * One ping run: its reply lines in order, its summary ({@code null} when ping did not get to print one,
     * for example because it was killed), the number of error lines and of {@code wrong data byte} reports.
     */
    public record Result(List<Reply> replies, Summary summary, int errorLines, int wrongData) {
        /** The round trips of the first answer to each probe, in arrival order (duplicates left out). */
        public double[] rtts() {
            return replies.stream().filter(r -> !r.duplicate()).mapToDouble(Reply::rttMs).toArray();
        }

        /** The first answers to each probe, in arrival order. */
        public List<Reply> unique() {
            return replies.stream().filter(r -> !r.duplicate()).toList();
        }

        /** Reply lines that repeated an answer already received. */
        public int duplicates() {
            return (int) replies.stream().filter(Reply::duplicate).count();
        }
    }

    /** Count, mean, median, 99th percentile and maximum of a set of round trips, in milliseconds. */
    public record Stats(int count, double meanMs, double p50Ms, double p99Ms, double maxMs) {
    }

    private static final Pattern REPLY = Pattern.compile(
            "\\d+ bytes from ([^\\s:]+):? .*?icmp_seq=(\\d+)\\b.*?time[=<]\\s*([0-9]+(?:\\.[0-9]+)?)\\s*ms(.*)");
    private static final Pattern ERROR = Pattern.compile("^From \\S+ .*icmp_seq=\\d+");
    private static final Pattern TRANSMITTED = Pattern.compile("(\\d+) packets transmitted, (\\d+) received");
    private static final Pattern DUPLICATES = Pattern.compile("\\+(\\d+) duplicates");
    private static final Pattern CORRUPTED = Pattern.compile("\\+(\\d+) corrupted");
    private static final Pattern ERRORS = Pattern.compile("\\+(\\d+) errors");

    /** Parses the whole output (stdout, with or without stderr mixed in) of one ping run. */
    public static Result parse(String output) {
        List<Reply> replies = new ArrayList<>();
        Set<Integer> answered = new HashSet<>();
        Summary summary = null;
        int errorLines = 0;
        int wrongData = 0;
        for (String line : output.split("\\R")) {
            Matcher m = REPLY.matcher(line);
            if (m.find()) {
                int seq = Integer.parseInt(m.group(2));
                boolean dup = m.group(4).contains("(DUP!)") || !answered.add(seq);
                replies.add(new Reply(seq, Double.parseDouble(m.group(3)), dup, m.group(1)));
                continue;
            }
            if (line.contains("wrong data byte")) {
                wrongData++;
                continue;
            }
            if (ERROR.matcher(line).find()) {
                errorLines++;
                continue;
            }
            Matcher t = TRANSMITTED.matcher(line);
            if (t.find()) {
                summary = new Summary(Integer.parseInt(t.group(1)), Integer.parseInt(t.group(2)),
                        count(DUPLICATES, line), count(CORRUPTED, line), count(ERRORS, line));
            }
        }
        return new Result(List.copyOf(replies), summary, errorLines, wrongData);
    }

    private static int count(Pattern p, String line) {
        Matcher m = p.matcher(line);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** Statistics of {@code rtts} (any order); with no values the count is 0 and the figures are NaN. */
    public static Stats stats(double[] rtts) {
        if (rtts.length == 0) {
            return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double[] sorted = rtts.clone();
        Arrays.sort(sorted);
        return new Stats(sorted.length, mean(sorted), percentile(sorted, 50), percentile(sorted, 99),
                sorted[sorted.length - 1]);
    }

    /** The arithmetic mean; NaN for no values. */
    public static double mean(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    /**
     * The nearest-rank percentile of ascending {@code sorted}: the value of rank {@code ceil(p / 100 * n)}
     * (at least 1), so always one of the values. With fewer than 100 values p99 is the maximum.
     */
    public static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile " + p + " is not in (0, 100]");
        }
        return sorted[LatencyStats.nearestRankIndex(sorted.length, p)];
    }
}
