package org.cspstack.harness.experiments;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.cspstack.core.csp.Threading;
import org.cspstack.harness.bench.CommsTime;
import org.openjdk.jmh.runner.RunnerException;

/**
 * {@code cspstack experiment comms}: what one channel hop costs (JMH {@link CommsTime}), for the two shapes
 * (ring: a hop's latency, every hop wakes its reader; stream: a hop's throughput cost, the writer runs ahead
 * into a buffer), the two channels (JCSP rendezvous and the stack's own buffered channel) and the two kinds
 * of thread (platform; virtual on JDK 21 or later, "not available" before). The paper compared goroutine and
 * pthread spawn; per-hop cost is the CSP cost a reader wants next, and what a packet pays at every layer.
 *
 * <p>Outputs: {@code comms.csv} (pattern, channel, threads, ns_per_hop, error_ns = half-width of JMH's 99.9%
 * confidence interval, samples, note), {@code comms.png} (one bar per case, log scale), {@code comms.txt}
 * (the table printed), {@code comms-jmh.log} (JMH's own report) and {@code environment.txt}.
 */
public final class CommsExperiment {
    public static final List<String> PATTERNS = List.of("ring", "stream");
    public static final List<String> CHANNELS = List.of("rendezvous", "buffered");
    public static final List<String> THREADS = List.of("platform", "virtual");

    /**
     * About 50 s on JDK 21+ (8 benchmarks, each a forked JVM of ~2-3 s plus 2 x 300 ms warm-up and
     * 5 x 500 ms measured), half that on JDK 17. Five short measurements rather than three long ones: JMH's
     * 99.9% interval from three samples is wider than the value itself on this noisy VM.
     */
    public static final JmhRun.Settings DEFAULT = new JmhRun.Settings(1, 2, Duration.ofMillis(300), 5,
            Duration.ofMillis(500), Duration.ofSeconds(60));

    private CommsExperiment() {
    }

    /** One case; {@code nsPerHop} is NaN (and {@code note} says why) when it was not measured. */
    public record Row(String pattern, String channel, String threads, double nsPerHop, double errorNs, long samples,
                      String note) {
        public boolean measured() {
            return !Double.isNaN(nsPerHop);
        }
    }

    /** Runs CommsTime with {@code settings}, writes the outputs into {@code out}, prints the table. */
    public static List<Row> run(ExperimentOutput out, JmhRun.Settings settings, PrintStream console)
            throws RunnerException {
        List<String> threads = Threading.virtualAvailable() ? THREADS : List.of("platform");
        String unavailable = "not available: virtual threads need JDK 21+, this is JDK " + Runtime.version().feature();
        int cases = PATTERNS.size() * CHANNELS.size() * threads.size();
        out.note("experiment", "comms: JMH CommsTime, ns per channel hop (ring: one token round a 4-process ring; "
                + "stream: source to sink, writer runs ahead)");
        out.note("comms.channels", "rendezvous = JCSP Channel.one2one(0); buffered = ProcessNetwork channel of "
                + CommsTime.BUFFER + " (upward in the ring, downward/blocking in the stream)");
        out.note("comms.hops-per-invocation", Integer.toString(CommsTime.HOPS));
        out.note("load-average", JmhRun.loadAverage());
        out.note("comms.jmh", JmhRun.jmhVersion() + ", " + settings.describe());
        if (!Threading.virtualAvailable()) {
            out.note("comms.virtual", unavailable);
        }
        console.println("comms: " + out.writeEnvironment());
        console.printf(Locale.ROOT, "comms: %d cases, %s (about %d s); JMH log: %s%n", cases, settings.describe(),
                estimateSeconds(settings, cases), out.dir().resolve("comms-jmh.log"));

        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("channel", CHANNELS);
        params.put("threads", threads);
        List<JmhRun.Measurement> ms = JmhRun.run(List.of(CommsTime.class.getName() + "\\.(ring|stream)$"), params,
                settings, false, out.dir().resolve("comms-jmh.log"));

        List<Row> rows = new ArrayList<>();
        for (String pattern : PATTERNS) {
            for (String channel : CHANNELS) {
                for (String t : THREADS) {
                    if (!threads.contains(t)) {
                        rows.add(new Row(pattern, channel, t, Double.NaN, Double.NaN, 0, unavailable));
                        continue;
                    }
                    JmhRun.Measurement m = find(ms, pattern, channel, t);
                    rows.add(m == null
                            ? new Row(pattern, channel, t, Double.NaN, Double.NaN, 0, "failed: see comms-jmh.log")
                            : new Row(pattern, channel, t, m.nsPerOp(), m.errorNs(), m.samples(), ""));
                }
            }
        }
        write(out, rows);
        String table = table(rows);
        out.write("comms.txt", "One channel hop, ns per message (JMH average time; +- = 99.9% confidence half-width)\n"
                + settings.describe() + "\n\n" + table);
        console.print(table);
        return rows;
    }

    /** The command's rough duration: the iterations, plus about 3 s per forked JVM (1.5 s in this JVM). */
    static long estimateSeconds(JmhRun.Settings s, int cases) {
        double perCase = s.perBenchmark().toMillis() / 1000.0 + (s.forks() > 0 ? 3.0 * s.forks() : 1.5);
        return Math.round(perCase * cases);
    }

    private static JmhRun.Measurement find(List<JmhRun.Measurement> ms, String pattern, String channel, String t) {
        for (JmhRun.Measurement m : ms) {
            if (m.method().equals(pattern) && m.param("channel").equals(channel) && m.param("threads").equals(t)) {
                return m;
            }
        }
        return null;
    }

    private static void write(ExperimentOutput out, List<Row> rows) {
        List<List<Object>> cells = new ArrayList<>();
        BarChart chart = new BarChart("One channel hop: ns per message (JMH CommsTime)", "ns per hop", true);
        for (Row r : rows) {
            List<Object> c = new ArrayList<>();
            c.add(r.pattern());
            c.add(r.channel());
            c.add(r.threads());
            c.add(r.measured() ? (Object) r.nsPerHop() : "");
            c.add(r.measured() && !Double.isNaN(r.errorNs()) ? (Object) r.errorNs() : "");
            c.add(r.samples());
            c.add(r.note().replace(',', ';'));
            cells.add(c);
            String label = r.pattern() + " " + r.channel() + " " + r.threads();
            int g = (r.pattern().equals("ring") ? 0 : 2) + (r.channel().equals("rendezvous") ? 0 : 1);
            if (r.measured()) {
                chart.add(label, r.nsPerHop(), r.errorNs(), g);
            } else {
                chart.missing(label, r.note(), g);
            }
        }
        out.csv("comms.csv", List.of("pattern", "channel", "threads", "ns_per_hop", "error_ns", "samples", "note"),
                cells);
        chart.write(out.dir().resolve("comms.png"));
    }

    /** The compact table: a line per pattern and channel, a column per kind of thread. */
    static String table(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "  %-7s %-11s %22s %22s%n", "pattern", "channel", "platform ns/hop",
                "virtual ns/hop"));
        for (String pattern : PATTERNS) {
            for (String channel : CHANNELS) {
                sb.append(String.format(Locale.ROOT, "  %-7s %-11s", pattern, channel));
                for (String t : THREADS) {
                    Row r = null;
                    for (Row x : rows) {
                        if (x.pattern().equals(pattern) && x.channel().equals(channel) && x.threads().equals(t)) {
                            r = x;
                        }
                    }
                    sb.append(String.format(Locale.ROOT, " %22s", cell(r)));
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    private static String cell(Row r) {
        if (r == null) {
            return "-";
        }
        if (!r.measured()) {
            return r.note().startsWith("not available") ? "not available" : "failed";
        }
        return Double.isNaN(r.errorNs()) ? String.format(Locale.ROOT, "%,.0f", r.nsPerHop())
                : String.format(Locale.ROOT, "%,.0f +- %,.0f", r.nsPerHop(), r.errorNs());
    }
}
