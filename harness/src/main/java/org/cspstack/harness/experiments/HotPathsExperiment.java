package org.cspstack.harness.experiments;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.cspstack.harness.bench.HotPaths;
import org.openjdk.jmh.runner.RunnerException;

/**
 * {@code cspstack experiment hotpaths [--gc]}: the JMH suite {@link HotPaths} (checksum, parse, one layer hop,
 * the whole UDP and TCP receive paths on a memory link), in ns per operation and, with {@code --gc} (JMH's gc
 * profiler), bytes allocated per operation on all threads: the evidence for or against "no garbage per packet
 * on the receive path".
 *
 * <p>Outputs: {@code hotpaths.csv} (benchmark, param, ns_per_op, error_ns, ops_per_s, bytes_per_op, samples,
 * note), {@code hotpaths.png} (ns/op, log scale), with {@code --gc} {@code hotpaths-alloc.png} (B/op),
 * {@code hotpaths.txt} (the table printed), {@code hotpaths-jmh.log} and {@code environment.txt}.
 */
public final class HotPathsExperiment {
    /** A benchmark of the suite and the parameter value it runs with ("" when it has none). */
    public record Case(String method, String param, String meaning) {
        public String label() {
            return param.isEmpty() ? method : method + "(" + param + ")";
        }
    }

    /** Every case, cheapest first; the BenchmarkList test checks that each exists in the jar. */
    public static final List<Case> CASES = List.of(
            new Case("checksum", "bytes=20", "RFC 1071 over an IPv4 header"),
            new Case("checksum", "bytes=1480", "RFC 1071 over a full UDP payload"),
            new Case("parseUdpFrameAsLayers", "", "Ethernet+IPv4+UDP, reused views, as the layers parse"),
            new Case("parseTcpFrameAsLayers", "", "Ethernet+IPv4+TCP, reused views + in-place header, as the layers"),
            new Case("parseUdpFrame", "", "Ethernet+IPv4+UDP, wrapChecked + Repr.parse at every level"),
            new Case("parseTcpFrame", "", "Ethernet+IPv4+TCP, wrapChecked + Repr.parse at every level"),
            new Case("layerHop", "", "one packet through an upward channel to a layer process"),
            new Case("receivePath", "", "one UDP frame from the wire to a bound endpoint (HostStack on MemoryLink)"),
            new Case("tcpReceivePath", "", "one full-size TCP segment from a connection to the peer's reader, ACKs "
                    + "included (two HostStacks on MemoryLink)"));

    /**
     * About a minute: 9 benchmarks, each a forked JVM plus 4 x 400 ms warm-up and 5 x 400 ms measured.
     */
    public static final JmhRun.Settings DEFAULT = new JmhRun.Settings(1, 4, Duration.ofMillis(400), 5,
            Duration.ofMillis(400), Duration.ofSeconds(60));

    private HotPathsExperiment() {
    }

    /** One case; NaN values when not measured ({@code note} says why); {@code bytesPerOp} NaN without --gc. */
    public record Row(Case benchmark, double nsPerOp, double errorNs, long samples, double bytesPerOp, String note) {
        public boolean measured() {
            return !Double.isNaN(nsPerOp);
        }

        public double opsPerSecond() {
            return 1e9 / nsPerOp;
        }
    }

    /** Runs the suite with {@code settings} (and the gc profiler when {@code gc}), writes the outputs. */
    public static List<Row> run(ExperimentOutput out, JmhRun.Settings settings, boolean gc, PrintStream console)
            throws RunnerException {
        out.note("experiment", "hotpaths: JMH suite of the receive path's hot spots, ns/op"
                + (gc ? " and B/op (gc profiler: gc.alloc.rate.norm, all threads)" : ""));
        out.note("hotpaths.frames", "UDP and TCP frames with " + HotPaths.PAYLOAD + " bytes of data; channel and "
                + "receive-path benchmarks in batches of " + HotPaths.BATCH + " with reused buffers");
        out.note("load-average", JmhRun.loadAverage());
        out.note("hotpaths.jmh", JmhRun.jmhVersion() + ", " + settings.describe() + (gc ? ", -prof gc" : ""));
        console.println("hotpaths: " + out.writeEnvironment());
        console.printf(Locale.ROOT, "hotpaths: %d benchmarks, %s%s (about %d s); JMH log: %s%n", CASES.size(),
                settings.describe(), gc ? ", gc profiler" : "", CommsExperiment.estimateSeconds(settings, CASES.size()),
                out.dir().resolve("hotpaths-jmh.log"));
        List<JmhRun.Measurement> ms = JmhRun.run(List.of(HotPaths.class.getName() + "\\.\\w+$"), Map.of(), settings,
                gc, out.dir().resolve("hotpaths-jmh.log"));
        List<Row> rows = new ArrayList<>();
        for (Case c : CASES) {
            JmhRun.Measurement m = find(ms, c);
            rows.add(m == null ? new Row(c, Double.NaN, Double.NaN, 0, Double.NaN, "failed: see hotpaths-jmh.log")
                    : new Row(c, m.nsPerOp(), m.errorNs(), m.samples(), gc ? m.bytesPerOp() : Double.NaN, ""));
        }
        write(out, rows, gc);
        String table = table(rows, gc);
        out.write("hotpaths.txt", "Hot paths (JMH average time; +- = 99.9% confidence half-width)\n"
                + settings.describe() + (gc ? ", gc profiler" : "") + "\n\n" + table);
        console.print(table);
        return rows;
    }

    private static JmhRun.Measurement find(List<JmhRun.Measurement> ms, Case c) {
        for (JmhRun.Measurement m : ms) {
            if (!m.method().equals(c.method())) {
                continue;
            }
            if (c.param().isEmpty()) {
                return m;
            }
            String[] kv = c.param().split("=", 2);
            if (m.param(kv[0]).equals(kv[1])) {
                return m;
            }
        }
        return null;
    }

    private static void write(ExperimentOutput out, List<Row> rows, boolean gc) {
        List<List<Object>> cells = new ArrayList<>();
        BarChart time = new BarChart("Receive-path hot spots: ns per operation (JMH)", "ns per operation", true);
        BarChart alloc = new BarChart("Receive-path hot spots: bytes allocated per operation (JMH gc profiler)",
                "B per operation (all threads)", false);
        for (Row r : rows) {
            List<Object> c = new ArrayList<>();
            c.add(r.benchmark().method());
            c.add(r.benchmark().param());
            c.add(r.measured() ? (Object) r.nsPerOp() : "");
            c.add(r.measured() && !Double.isNaN(r.errorNs()) ? (Object) r.errorNs() : "");
            c.add(r.measured() ? (Object) r.opsPerSecond() : "");
            c.add(r.measured() && !Double.isNaN(r.bytesPerOp()) ? (Object) r.bytesPerOp() : "");
            c.add(r.samples());
            c.add(r.note().replace(',', ';'));
            cells.add(c);
            int group = r.benchmark().method().startsWith("parse") ? 1 : r.benchmark().method().equals("checksum") ? 0
                    : 2;
            if (r.measured()) {
                time.add(r.benchmark().label(), r.nsPerOp(), r.errorNs(), group);
                if (gc && !Double.isNaN(r.bytesPerOp())) {
                    alloc.add(r.benchmark().label(), Math.max(0, r.bytesPerOp()), Double.NaN, group);
                }
            } else {
                time.missing(r.benchmark().label(), r.note(), group);
            }
        }
        out.csv("hotpaths.csv", List.of("benchmark", "param", "ns_per_op", "error_ns", "ops_per_s", "bytes_per_op",
                "samples", "note"), cells);
        time.write(out.dir().resolve("hotpaths.png"));
        if (gc) {
            alloc.write(out.dir().resolve("hotpaths-alloc.png"));
        }
    }

    static String table(List<Row> rows, boolean gc) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "  %-28s %20s %14s%s  %s%n", "benchmark", "ns/op", "ops/s",
                gc ? String.format(Locale.ROOT, " %10s", "B/op") : "", "what"));
        for (Row r : rows) {
            if (!r.measured()) {
                sb.append(String.format(Locale.ROOT, "  %-28s %s%n", r.benchmark().label(), r.note()));
                continue;
            }
            String ns = Double.isNaN(r.errorNs()) ? String.format(Locale.ROOT, "%,.1f", r.nsPerOp())
                    : String.format(Locale.ROOT, "%,.1f +- %,.1f", r.nsPerOp(), r.errorNs());
            sb.append(String.format(Locale.ROOT, "  %-28s %20s %,14.0f%s  %s%n", r.benchmark().label(), ns,
                    r.opsPerSecond(), gc ? String.format(Locale.ROOT, " %10.1f", r.bytesPerOp()) : "",
                    r.benchmark().meaning()));
        }
        return sb.toString();
    }
}
