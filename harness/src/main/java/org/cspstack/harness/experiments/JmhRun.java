package org.cspstack.harness.experiments;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs benchmarks of {@code org.cspstack.harness.bench} through JMH's {@link Runner} API from inside a
 * cspstack command, in average-time mode, nanoseconds per operation, and returns one {@link Measurement} per
 * benchmark and parameter combination. JMH's own report goes to a log file in the experiment's folder; a
 * benchmark that fails (its set-up throws, a process does not end, a packet is dropped) is left out of the
 * results and its error is in that log. Each iteration is bounded by {@link Settings#timeout()}.
 *
 * <p>The benchmarks are found through {@code META-INF/BenchmarkList}, which JMH's annotation processor writes
 * into {@code cspstack.jar}. With {@code forks >= 1} each benchmark runs in a fresh JVM started with the
 * same {@code java}, class path and JVM options as this one.
 */
public final class JmhRun {
    /**
     * Extra options of a forked JVM: a small heap, touched before the run. Without them the first pass
     * through a fresh multi-gigabyte eden pays a page fault per new page, which on the shared 2-core VM made
     * allocating benchmarks 10-20 times slower until the first collection (parseUdpFrame: ~2 us against ~0.1
     * us with a pre-touched heap, the same B/op).
     */
    public static final List<String> FORK_JVM_ARGS = List.of("-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch");

    /** The secondary result of JMH's gc profiler: bytes allocated per operation, all threads together. */
    public static final String ALLOC_NORM = "gc.alloc.rate.norm";

    private JmhRun() {
    }

    /**
     * How long JMH measures: {@code forks} JVMs per benchmark (0: in this JVM), warm-up and measurement
     * iterations and their length, and the bound on one iteration.
     */
    public record Settings(int forks, int warmupIterations, Duration warmup, int measurementIterations,
                           Duration measurement, Duration timeout) {
        /** For tests and a first look: in this JVM, one 100 ms warm-up, two 100 ms measurements. */
        public static final Settings QUICK = new Settings(0, 1, Duration.ofMillis(100), 2, Duration.ofMillis(100),
                Duration.ofSeconds(30));

        public Settings {
            if (forks < 0 || warmupIterations < 0 || measurementIterations < 1) {
                throw new IllegalArgumentException("forks >= 0, warm-up iterations >= 0, measurements >= 1");
            }
        }

        /** Wall time the iterations take per benchmark (not counting the JVM start of a fork). */
        public Duration perBenchmark() {
            return warmup.multipliedBy(warmupIterations).plus(measurement.multipliedBy(measurementIterations));
        }

        public String describe() {
            return String.format(Locale.ROOT, "%s, %d x %d ms warm-up, %d x %d ms measured, iteration timeout %d s",
                    forks == 0 ? "in this JVM (no fork)" : forks + " fork" + (forks == 1 ? "" : "s") + " ("
                            + String.join(" ", FORK_JVM_ARGS) + ")",
                    warmupIterations, warmup.toMillis(), measurementIterations, measurement.toMillis(),
                    timeout.toSeconds());
        }
    }

    /**
     * One benchmark's result: its method name ({@code ring}), parameters, mean score in ns/op, the half-width
     * of JMH's 99.9% confidence interval (NaN with fewer than three measurements), how many measurements, and
     * the bytes allocated per operation (NaN without the gc profiler).
     */
    public record Measurement(String method, Map<String, String> params, double nsPerOp, double errorNs,
                              long samples, double bytesPerOp) {
        public String param(String name) {
            return params.getOrDefault(name, "");
        }
    }

    /**
     * Runs every benchmark whose full name matches one of {@code includes} (JMH regular expressions), with
     * {@code params} overriding the benchmarks' {@code @Param} values, JMH's log written to {@code log}.
     */
    public static List<Measurement> run(List<String> includes, Map<String, List<String>> params, Settings s,
                                        boolean gc, Path log) throws RunnerException {
        ChainedOptionsBuilder b = new OptionsBuilder()
                .mode(Mode.AverageTime)
                .timeUnit(TimeUnit.NANOSECONDS)
                .forks(s.forks())
                .warmupIterations(s.warmupIterations())
                .warmupTime(TimeValue.milliseconds(s.warmup().toMillis()))
                .measurementIterations(s.measurementIterations())
                .measurementTime(TimeValue.milliseconds(s.measurement().toMillis()))
                .timeout(TimeValue.seconds(Math.max(1, s.timeout().toSeconds())))
                .threads(1)
                .shouldFailOnError(false)
                .verbosity(VerboseMode.NORMAL)
                .output(log.toString());
        if (s.forks() > 0) {
            b.jvmArgsAppend(FORK_JVM_ARGS.toArray(new String[0]));
        }
        for (String include : includes) {
            b.include(include);
        }
        params.forEach((name, values) -> b.param(name, values.toArray(new String[0])));
        if (gc) {
            b.addProfiler(GCProfiler.class);
        }
        Collection<RunResult> results = new Runner(b.build()).run();
        List<Measurement> out = new ArrayList<>();
        for (RunResult r : results) {
            String benchmark = r.getParams().getBenchmark();
            String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            Map<String, String> ps = new LinkedHashMap<>();
            for (String key : r.getParams().getParamsKeys()) {
                ps.put(key, r.getParams().getParam(key));
            }
            Result<?> primary = r.getPrimaryResult();
            double bytes = Double.NaN;
            for (String key : r.getSecondaryResults().keySet()) {
                if (key.endsWith(ALLOC_NORM)) {
                    bytes = r.getSecondaryResults().get(key).getScore();
                }
            }
            out.add(new Measurement(method, ps, primary.getScore(), primary.getScoreError(),
                    primary.getStatistics().getN(), bytes));
        }
        return out;
    }

    /** The 1, 5 and 15 minute load averages from /proc/loadavg ("unknown" elsewhere): the VM is shared. */
    public static String loadAverage() {
        try {
            String[] f = java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2] + " (1, 5, 15 min) at the start, on "
                    + Runtime.getRuntime().availableProcessors() + " CPUs";
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** The JMH version on the class path, for the environment record. */
    public static String jmhVersion() {
        return "org.openjdk.jmh:jmh-core:" + org.openjdk.jmh.util.Version.getPlainVersion();
    }
}
