package org.cspstack.harness.experiments;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.cspstack.core.csp.ProcessNetwork;
import org.cspstack.core.csp.ProcessRunner;
import org.cspstack.core.csp.Threading;
import org.jcsp.lang.CSProcess;
import org.jcsp.lang.Parallel;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * The GoNet study's thread-spawn claim, reproduced for the ways cspstack (and its baselines) can start work:
 * <em>"thread spawn: NUM_THREADS workers created and joined, Go .007 s of CPU time, C pthreads .049 s"</em>.
 *
 * <p>For each kind and each N, one trial creates N trivial workers, runs them and joins them all. Every
 * worker does the same tiny work: it adds 1 to a shared counter ({@link AtomicLong#incrementAndGet()} in the
 * JVM, {@code atomic_fetch_add} in C, {@code atomic.AddInt64} in Go); the trial checks that the counter ends
 * at N. A trial reports its wall time and the CPU time of the whole process over the same window (every
 * thread, including JIT and GC threads in the JVM, and threads that have already ended). Kinds:
 * <ul>
 *   <li>{@code jcsp-parallel}: N {@link CSProcess}es in one JCSP {@link Parallel} (platform threads; JCSP runs
 *       the last process in the calling thread). {@code run()} returns when all have ended; the trial then
 *       releases JCSP's parked threads and joins them. Capped at N &lt;= {@value #JCSP_PARALLEL_MAX}
 *       (MEASURED.md: 10,000 take ~6 s on the reference machine);</li>
 *   <li>{@code jcsp-runner-platform}, {@code jcsp-runner-virtual}: N dynamic processes started with
 *       {@link ProcessRunner#spawn} on platform or virtual threads, joined by {@link ProcessRunner#stop};</li>
 *   <li>{@code java-platform}, {@code java-virtual}: plain threads ({@link Threading#newThread}) started, then
 *       joined;</li>
 *   <li>{@code c-pthreads}: {@code spawn.c} (a resource of this module), compiled at run time with the system
 *       C compiler ({@code cc -O2 -pthread}), {@code pthread_create}/{@code pthread_join} with default
 *       attributes; it times itself with {@code CLOCK_MONOTONIC} and {@code CLOCK_PROCESS_CPUTIME_ID};</li>
 *   <li>{@code go-goroutines}: {@code spawn.go}, built with {@code go build} when {@code go} is on PATH,
 *       goroutines and a {@code sync.WaitGroup}; CPU from {@code getrusage(RUSAGE_SELF)}.</li>
 * </ul>
 *
 * <p>Method: each JVM kind first runs two unreported warm-up trials of 100 workers (JIT); each native
 * program runs one unreported warm-up round of min(N, 100) workers. Before every JVM trial the harness asks
 * for a GC outside the timed window. Each (kind, N) cell runs {@code repeats} trials, but stops early once
 * one more trial as long as the last would take the cell past {@link #CELL_BUDGET} of wall time (at least
 * one trial runs); the rows report the median and the min/max of the trials, and how many ran.
 *
 * <p>CPU time in the JVM: {@code OperatingSystemMXBean.getProcessCpuTime()} is computed from {@code times(2)}
 * on Linux and moves in 10 ms steps (checked on JDK 17 and 25 here), too coarse for workers that cost
 * microseconds; so the experiment reads {@code clock_gettime(CLOCK_PROCESS_CPUTIME_ID)} through JNA (a
 * dependency of core), the same clock as {@code spawn.c}, and falls back to the MXBean where that fails. The
 * environment record says which clock was used.
 *
 * <p>The paper's NUM_THREADS: the GoNet repository (hsheth2/gonet, all 750 commits of all branches as
 * stored) holds no thread-spawn benchmark; its test code was "moved to a different repository" (commit
 * 99a68d8, Oct 2015) and the paper was a submodule ({@code ./paper}, removed in 9754081), neither of which is
 * stored. So NUM_THREADS is unknown; {@code spawn.txt} compares the paper's two figures with ours at
 * N = 1000 and N = 10000.
 *
 * <p>Outputs: {@code spawn.csv} (kind, n, wall_ms, cpu_ms, note, then repeats and min/max),
 * {@code spawn-wall.png} and {@code spawn-cpu.png} (log-log, one series per measured kind),
 * {@code spawn.txt} (the comparison with the paper) and {@code environment.txt}.
 */
public final class SpawnExperiment {
    /** The paper's figures: CPU seconds to create and join NUM_THREADS workers. */
    static final double PAPER_GO_CPU_SECONDS = 0.007;
    static final double PAPER_C_CPU_SECONDS = 0.049;

    /** The largest N for {@code jcsp-parallel}. */
    static final int JCSP_PARALLEL_MAX = 10_000;

    /**
     * The wall time one (kind, N) cell may take: no further trial starts once the trials so far plus one
     * more as long as the last would exceed it. System property {@code cspstack.spawn.cellBudgetSeconds}.
     */
    static final Duration CELL_BUDGET = Duration.ofMillis((long) (1000
            * Double.parseDouble(System.getProperty("cspstack.spawn.cellBudgetSeconds", "5"))));

    /** Bound on one native program run (all its rounds). */
    private static final Duration NATIVE_TIMEOUT = Duration.ofMinutes(3);

    public static final String JCSP_PARALLEL = "jcsp-parallel";
    public static final String JCSP_RUNNER_PLATFORM = "jcsp-runner-platform";
    public static final String JCSP_RUNNER_VIRTUAL = "jcsp-runner-virtual";
    public static final String JAVA_PLATFORM = "java-platform";
    public static final String JAVA_VIRTUAL = "java-virtual";
    public static final String C_PTHREADS = "c-pthreads";
    public static final String GO_GOROUTINES = "go-goroutines";

    /** Every kind, in the order they run and appear in the CSV. */
    public static final List<String> KINDS = List.of(JCSP_PARALLEL, JCSP_RUNNER_PLATFORM, JCSP_RUNNER_VIRTUAL,
            JAVA_PLATFORM, JAVA_VIRTUAL, C_PTHREADS, GO_GOROUTINES);

    private SpawnExperiment() {
    }

    /**
     * One (kind, N) cell: medians over the trials that ran, their min and max, in milliseconds. A kind that
     * could not be measured has NaN times, 0 repeats and a note saying why.
     */
    public record Row(String kind, int n, double wallMillis, double cpuMillis, double wallMinMillis,
            double wallMaxMillis, double cpuMinMillis, double cpuMaxMillis, int repeats, String note) {
        public Row(String kind, int n, double wallMillis, double cpuMillis) {
            this(kind, n, wallMillis, cpuMillis, wallMillis, wallMillis, cpuMillis, cpuMillis, 1, "");
        }

        static Row notMeasured(String kind, int n, String note) {
            return new Row(kind, n, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0,
                    note);
        }

        static Row of(String kind, int n, List<long[]> trials, String note) {
            double[] wall = trials.stream().mapToDouble(t -> t[0] / 1e6).sorted().toArray();
            double[] cpu = trials.stream().mapToDouble(t -> t[1] / 1e6).sorted().toArray();
            return new Row(kind, n, LatencyStats.median(wall), LatencyStats.median(cpu), wall[0],
                    wall[wall.length - 1], cpu[0], cpu[cpu.length - 1], trials.size(), note);
        }

        public boolean measured() {
            return repeats > 0;
        }
    }

    /** Runs with the default counts {10, 100, 1000, 10000} and 5 repeats into {@code args[0]} (or ./spawn-out). */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "spawn-out");
        int[] counts = args.length > 1 ? Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[] {10, 100, 1000, 10_000};
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        run(new ExperimentOutput(dir, Threading.forLayers()), counts, repeats, System.out);
    }

    /**
     * Measures every kind at every N in {@code counts} ({@code repeats} trials per cell, fewer when a cell
     * would exceed {@link #CELL_BUDGET}), writes the CSV, plots, summary and environment record into
     * {@code out}, prints a progress line per cell and ends with one result line per kind at the largest N.
     */
    public static List<Row> run(ExperimentOutput out, int[] counts, int repeats, PrintStream console) {
        if (counts.length == 0 || repeats < 1) {
            throw new IllegalArgumentException("need at least one count and one repeat");
        }
        int[] ns = Arrays.stream(counts).sorted().distinct().toArray();
        if (ns[0] < 1) {
            throw new IllegalArgumentException("counts must be positive: " + Arrays.toString(counts));
        }
        try (Progress progress = Progress.start("spawn", (long) KINDS.size() * ns.length, "cells", console)) {
            return run(out, ns, repeats, progress);
        }
    }

    private static List<Row> run(ExperimentOutput out, int[] ns, int repeats, Progress progress) {
        PrintStream console = progress.console();
        CpuClock clock = CpuClock.best();
        out.note("experiment", "spawn: N workers created, run (each adds 1 to a shared counter) and joined");
        out.note("spawn.counts", Arrays.toString(ns));
        out.note("spawn.repeats", repeats + " per cell, fewer once a cell would exceed " + CELL_BUDGET.toMillis()
                + " ms of wall time");
        out.note("spawn.jvm-cpu-clock", clock.description());
        String cc = firstOnPath("cc", "gcc", "clang");
        String go = firstOnPath("go");
        out.note("spawn.c-compiler", cc == null ? "none" : cc + ": " + firstLine(exec(List.of(cc, "--version"),
                Path.of("."), Map.of())));
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        out.note("spawn.go", go == null ? "none (goroutines not measured)" : go + ": " + firstLine(
                exec(List.of(go, "version"), tmp, goEnvironment(tmp))));
        String env = out.writeEnvironment();
        console.println("spawn: " + env);
        console.println("spawn: N = " + Arrays.toString(ns) + ", " + repeats + " repeats per cell (budget "
                + CELL_BUDGET.toSeconds() + " s per cell); JVM CPU clock: " + clock.description());

        List<Row> rows = new ArrayList<>();
        for (String kind : List.of(JCSP_PARALLEL, JCSP_RUNNER_PLATFORM, JCSP_RUNNER_VIRTUAL, JAVA_PLATFORM,
                JAVA_VIRTUAL)) {
            rows.addAll(measureJvm(kind, ns, repeats, clock, progress));
        }
        Path work = null;
        try {
            work = Files.createTempDirectory("cspstack-spawn");
            rows.addAll(measureC(work, ns, repeats, progress));
            rows.addAll(measureGo(work, ns, repeats, progress));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the native programs", e);
        } finally {
            deleteTree(work);
        }

        writeCsv(out, rows);
        writePlots(out, rows);
        String summary = summary(rows, ns, clock);
        out.write("spawn.txt", summary);
        int largest = ns[ns.length - 1];
        console.println("spawn: results at N = " + largest + " (median; CPU = whole process):");
        for (String kind : KINDS) {
            console.println("  " + resultLine(rows, kind, largest));
        }
        return rows;
    }

    // ---------------------------------------------------------------------------------------------------
    // JVM kinds

    /** One trial of a JVM kind: creates, runs and joins n workers that each increment {@code counter}. */
    private interface JvmTrial {
        void run(int n, AtomicLong counter) throws Exception;
    }

    private static List<Row> measureJvm(String kind, int[] ns, int repeats, CpuClock clock, Progress progress) {
        List<Row> rows = new ArrayList<>();
        boolean virtual = kind.endsWith("-virtual");
        if (virtual && !Threading.virtualAvailable()) {
            String note = "not available on JDK " + Runtime.version().feature() + " (virtual threads need 21+)";
            for (int n : ns) {
                rows.add(progress(progress, Row.notMeasured(kind, n, note)));
            }
            return rows;
        }
        JvmTrial trial = switch (kind) {
            case JCSP_PARALLEL -> SpawnExperiment::jcspParallel;
            case JCSP_RUNNER_PLATFORM -> (n, c) -> runner(Threading.PLATFORM, n, c);
            case JCSP_RUNNER_VIRTUAL -> (n, c) -> runner(Threading.VIRTUAL, n, c);
            case JAVA_PLATFORM -> (n, c) -> plainThreads(Threading.PLATFORM, n, c);
            case JAVA_VIRTUAL -> (n, c) -> plainThreads(Threading.VIRTUAL, n, c);
            default -> throw new IllegalArgumentException(kind);
        };
        try {
            for (int w = 0; w < 2; w++) {
                timeJvm(trial, 100, clock);
            }
            for (int n : ns) {
                if (kind.equals(JCSP_PARALLEL) && n > JCSP_PARALLEL_MAX) {
                    rows.add(progress(progress, Row.notMeasured(kind, n, "not measured: capped at N <= "
                            + JCSP_PARALLEL_MAX + " (JCSP Parallel takes ~6 s for 10000 on the reference machine)")));
                    continue;
                }
                List<long[]> trials = new ArrayList<>();
                long spent = 0;
                for (int r = 0; r < repeats; r++) {
                    long[] t = timeJvm(trial, n, clock);
                    trials.add(t);
                    spent += t[0];
                    if (spent + t[0] > CELL_BUDGET.toNanos()) {
                        break;
                    }
                }
                rows.add(progress(progress, Row.of(kind, n, trials, "")));
            }
        } catch (Exception | OutOfMemoryError e) {
            if (e instanceof InterruptedException) {
                throw new IllegalStateException("spawn: interrupted while measuring " + kind, e);
            }
            // A JVM that cannot create the threads (ulimit, memory) is a result too: say so for the rest.
            String note = "failed: " + e;
            for (int n : ns) {
                if (rows.stream().noneMatch(r -> r.n() == n)) {
                    rows.add(progress(progress, Row.notMeasured(kind, n, note)));
                }
            }
        }
        return rows;
    }

    /** Runs one trial between a GC and the clocks; returns {wall ns, cpu ns}. */
    private static long[] timeJvm(JvmTrial trial, int n, CpuClock clock) throws Exception {
        AtomicLong counter = new AtomicLong();
        System.gc();
        long cpu0 = clock.nanos();
        long wall0 = System.nanoTime();
        trial.run(n, counter);
        long wall = System.nanoTime() - wall0;
        long cpu = clock.nanos() - cpu0;
        if (counter.get() != n) {
            throw new IllegalStateException(n + " workers ran " + counter.get() + " times");
        }
        return new long[] {wall, cpu};
    }

    private static void jcspParallel(int n, AtomicLong counter) throws InterruptedException {
        CSProcess[] workers = new CSProcess[n];
        Thread[] ranOn = new Thread[n];
        for (int i = 0; i < n; i++) {
            int k = i;
            workers[i] = () -> {
                counter.incrementAndGet();
                ranOn[k] = Thread.currentThread(); // so that the trial can join JCSP's threads
            };
        }
        Parallel par = new Parallel(workers);
        par.run(); // returns once every worker has ended (JCSP's barrier); the threads then park
        par.releaseAllThreads(); // ends the parked threads
        Thread self = Thread.currentThread();
        for (Thread t : ranOn) {
            if (t != self) {
                t.join();
            }
        }
    }

    private static void runner(Threading threading, int n, AtomicLong counter) throws InterruptedException {
        ProcessNetwork net = new ProcessNetwork("spawn");
        ProcessRunner runner = new ProcessRunner(net, Threading.PLATFORM, threading);
        runner.start(); // no static processes: only what spawn() starts
        CSProcess work = counter::incrementAndGet;
        for (int i = 0; i < n; i++) {
            if (!runner.spawn("w" + i, "spawn", work)) {
                throw new IllegalStateException("runner refused process " + i);
            }
        }
        if (!runner.stop(Duration.ofMinutes(2))) {
            throw new IllegalStateException("processes did not end: " + runner.alive().size() + " alive");
        }
    }

    private static void plainThreads(Threading threading, int n, AtomicLong counter) throws InterruptedException {
        Thread[] threads = new Thread[n];
        Runnable work = counter::incrementAndGet;
        for (int i = 0; i < n; i++) {
            threads[i] = threading.newThread("w" + i, work);
            threads[i].start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Native kinds

    private static List<Row> measureC(Path work, int[] ns, int repeats, Progress progress) {
        stopIfInterrupted();
        String cc = firstOnPath("cc", "gcc", "clang");
        if (cc == null) {
            return noteRows(C_PTHREADS, ns, "not measured: no C compiler", progress);
        }
        Path src = extract("spawn.c", work);
        Path bin = work.resolve("spawn-c");
        String built = exec(List.of(cc, "-O2", "-pthread", "-o", bin.toString(), src.toString()), work, Map.of());
        if (!Files.isExecutable(bin)) {
            return noteRows(C_PTHREADS, ns, "not measured: " + cc + " failed: " + oneLine(built), progress);
        }
        return measureNative(C_PTHREADS, List.of(bin.toString()), work, ns, repeats, progress);
    }

    private static List<Row> measureGo(Path work, int[] ns, int repeats, Progress progress) {
        stopIfInterrupted();
        String go = firstOnPath("go");
        if (go == null) {
            return noteRows(GO_GOROUTINES, ns, "not measured: no Go toolchain (apt-get install golang-go)",
                    progress);
        }
        Path src = extract("spawn.go", work);
        Path bin = work.resolve("spawn-go");
        String built = exec(List.of(go, "build", "-o", bin.toString(), src.toString()), work, goEnvironment(work));
        if (!Files.isExecutable(bin)) {
            return noteRows(GO_GOROUTINES, ns, "not measured: go build failed: " + oneLine(built), progress);
        }
        return measureNative(GO_GOROUTINES, List.of(bin.toString()), work, ns, repeats, progress);
    }

    /** Runs {@code command N repeats budget_ms} per N and parses its {@code round} lines. */
    private static List<Row> measureNative(String kind, List<String> command, Path work, int[] ns, int repeats,
            Progress progress) {
        List<Row> rows = new ArrayList<>();
        for (int n : ns) {
            stopIfInterrupted();
            List<String> cmd = new ArrayList<>(command);
            cmd.add(Integer.toString(n));
            cmd.add(Integer.toString(repeats));
            cmd.add(Long.toString(CELL_BUDGET.toMillis()));
            String output = exec(cmd, work, Map.of());
            List<long[]> trials = new ArrayList<>();
            String problem = null;
            for (String line : output.split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 4 && f[0].equals("round")) {
                    long count = Long.parseLong(f[3]);
                    if (count != n) {
                        problem = n + " workers ran " + count + " times";
                    }
                    trials.add(new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
                }
            }
            if (trials.isEmpty()) {
                problem = "no result: " + oneLine(output);
            }
            rows.add(progress(progress, problem == null ? Row.of(kind, n, trials, "")
                    : Row.notMeasured(kind, n, "failed: " + problem)));
        }
        return rows;
    }

    private static List<Row> noteRows(String kind, int[] ns, String note, Progress progress) {
        List<Row> rows = new ArrayList<>();
        for (int n : ns) {
            rows.add(progress(progress, Row.notMeasured(kind, n, note)));
        }
        return rows;
    }

    private static Path extract(String resource, Path dir) {
        try (InputStream in = SpawnExperiment.class.getResourceAsStream("/experiments/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("resource /experiments/" + resource + " is missing");
            }
            Path p = dir.resolve(resource);
            Files.write(p, in.readAllBytes());
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract " + resource, e);
        }
    }

    /**
     * The environment for {@code go}: no module downloads ({@code GOPROXY=off}: spawn.go needs only the standard
     * library), and a build cache under {@code work} when neither {@code HOME} nor {@code XDG_CACHE_HOME} gives
     * Go one (as under some service managers).
     */
    private static Map<String, String> goEnvironment(Path work) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("GOPROXY", "off");
        env.put("GOFLAGS", "");
        if (System.getenv("GOCACHE") == null && System.getenv("HOME") == null
                && System.getenv("XDG_CACHE_HOME") == null) {
            env.put("GOCACHE", work.resolve("go-cache").toString());
        }
        return env;
    }

    /** Ends the experiment when its thread was interrupted (its time is up: see {@link BoundedStep}). */
    private static void stopIfInterrupted() {
        if (Thread.currentThread().isInterrupted()) {
            throw new IllegalStateException("spawn: interrupted");
        }
    }

    private static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }

    /** Runs a command, bounded by {@link #NATIVE_TIMEOUT}; returns its stdout and stderr (never throws). */
    private static String exec(List<String> command, Path dir, Map<String, String> environment) {
        Process p = null;
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
            pb.environment().putAll(environment);
            p = pb.start();
            p.getOutputStream().close();
            Process child = p;
            byte[][] out = new byte[1][];
            Thread reader = new Thread(() -> {
                try {
                    out[0] = child.getInputStream().readAllBytes();
                } catch (IOException e) {
                    out[0] = new byte[0];
                }
            }, "spawn-output");
            reader.setDaemon(true);
            reader.start();
            if (!p.waitFor(NATIVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return String.join(" ", command) + " did not finish within " + NATIVE_TIMEOUT;
            }
            reader.join(5000);
            String text = out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8);
            return p.exitValue() == 0 ? text : text + "\n(exit status " + p.exitValue() + ")";
        } catch (IOException e) {
            return "cannot run " + command.get(0) + ": " + e.getMessage();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static String firstOnPath(String... names) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String name : names) {
            for (String d : path.split(File.pathSeparator)) {
                if (!d.isEmpty()) {
                    Path p = Path.of(d, name);
                    if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                        return p.toString();
                    }
                }
            }
        }
        return null;
    }

    private static String oneLine(String s) {
        String t = s.strip().replaceAll("\\s+", " ");
        return t.length() > 200 ? t.substring(0, 200) + "..." : t;
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind is harmless
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Outputs

    /** Prints the cell's line and counts it done. */
    private static Row progress(Progress progress, Row r) {
        PrintStream console = progress.console();
        if (r.measured()) {
            console.printf(Locale.ROOT, "  %-21s N=%6d  wall %10.3f ms [%.3f-%.3f]  cpu %10.3f ms [%.3f-%.3f]  (%d trial%s)%n",
                    r.kind(), r.n(), r.wallMillis(), r.wallMinMillis(), r.wallMaxMillis(), r.cpuMillis(),
                    r.cpuMinMillis(), r.cpuMaxMillis(), r.repeats(), r.repeats() == 1 ? "" : "s");
        } else {
            console.printf(Locale.ROOT, "  %-21s N=%6d  %s%n", r.kind(), r.n(), r.note());
        }
        progress.advance();
        return r;
    }

    private static void writeCsv(ExperimentOutput out, List<Row> rows) {
        List<List<Object>> cells = new ArrayList<>();
        for (Row r : rows) {
            List<Object> c = new ArrayList<>();
            c.add(r.kind());
            c.add(r.n());
            c.add(r.measured() ? (Object) r.wallMillis() : "");
            c.add(r.measured() ? (Object) r.cpuMillis() : "");
            c.add(r.note().replace(',', ';').replace('\n', ' '));
            c.add(r.repeats());
            for (double v : new double[] {r.wallMinMillis(), r.wallMaxMillis(), r.cpuMinMillis(), r.cpuMaxMillis()}) {
                c.add(r.measured() ? (Object) v : "");
            }
            cells.add(c);
        }
        out.csv("spawn.csv", List.of("kind", "n", "wall_ms", "cpu_ms", "note", "repeats", "wall_min_ms",
                "wall_max_ms", "cpu_min_ms", "cpu_max_ms"), cells);
    }

    private static void writePlots(ExperimentOutput out, List<Row> rows) {
        Plot wall = new Plot("Create, run and join N trivial workers: wall time (median)", "N workers",
                "wall ms", true, true);
        Plot cpu = new Plot("Create, run and join N trivial workers: process CPU time (median)", "N workers",
                "CPU ms", true, true);
        for (String kind : KINDS) {
            List<double[]> w = new ArrayList<>();
            List<double[]> c = new ArrayList<>();
            for (Row r : rows) {
                if (r.kind().equals(kind) && r.measured()) {
                    w.add(new double[] {r.n(), r.wallMillis()});
                    c.add(new double[] {r.n(), r.cpuMillis()});
                }
            }
            if (!w.isEmpty()) {
                wall.add(kind, w);
                cpu.add(kind, c);
            }
        }
        wall.write(out.dir().resolve("spawn-wall.png"));
        cpu.write(out.dir().resolve("spawn-cpu.png"));
    }

    private static String resultLine(List<Row> rows, String kind, int n) {
        Row r = find(rows, kind, n);
        if (r == null) {
            return String.format(Locale.ROOT, "%-21s N=%d: no row", kind, n);
        }
        if (!r.measured()) {
            return String.format(Locale.ROOT, "%-21s N=%d: %s", kind, n, r.note());
        }
        return String.format(Locale.ROOT, "%-21s N=%d: wall %.3f ms, cpu %.3f ms (%.2f us CPU per worker)", kind, n,
                r.wallMillis(), r.cpuMillis(), r.cpuMillis() * 1000 / n);
    }

    private static Row find(List<Row> rows, String kind, int n) {
        for (Row r : rows) {
            if (r.kind().equals(kind) && r.n() == n) {
                return r;
            }
        }
        return null;
    }

    static String summary(List<Row> rows, int[] ns, CpuClock clock) {
        StringBuilder sb = new StringBuilder();
        sb.append("Thread spawn: N trivial workers created, run (each adds 1 to a shared counter) and joined.\n");
        sb.append("CPU = CPU time of the whole process over the trial; JVM clock: ").append(clock.description())
                .append(".\n\n");
        sb.append("Paper (GoNet, Sheth & Welling 2016): \"thread spawn: NUM_THREADS workers created and joined,\n");
        sb.append("Go .007 s of CPU time, C pthreads .049 s\" (C/Go = ")
                .append(fmt(PAPER_C_CPU_SECONDS / PAPER_GO_CPU_SECONDS)).append("x).\n");
        sb.append("NUM_THREADS: not found. The GoNet repository (hsheth2/gonet, every stored commit of every branch)\n");
        sb.append("holds no thread-spawn benchmark: its test code was moved to another repository (commit 99a68d8)\n");
        sb.append("and the paper was a submodule (./paper, removed in 9754081); neither is available. So the\n");
        sb.append("paper's figures are set beside ours at N = 1000 and N = 10000 (or the largest N measured).\n\n");

        List<Integer> compareAt = new ArrayList<>();
        for (int n : new int[] {1000, 10_000}) {
            if (Arrays.stream(ns).anyMatch(x -> x == n)) {
                compareAt.add(n);
            }
        }
        if (compareAt.isEmpty()) {
            for (int i = Math.max(0, ns.length - 2); i < ns.length; i++) {
                compareAt.add(ns[i]);
            }
        }
        for (int n : compareAt) {
            sb.append(String.format(Locale.ROOT, "N = %d%n", n));
            sb.append(String.format(Locale.ROOT, "  %-21s %12s %12s %14s %10s %10s%n", "kind", "wall ms", "cpu ms",
                    "cpu us/worker", "/paper Go", "/paper C"));
            sb.append(String.format(Locale.ROOT, "  %-21s %12s %12.3f %14s %10s %10s%n", "paper: Go", "",
                    PAPER_GO_CPU_SECONDS * 1000, "", "1", fmt(PAPER_GO_CPU_SECONDS / PAPER_C_CPU_SECONDS)));
            sb.append(String.format(Locale.ROOT, "  %-21s %12s %12.3f %14s %10s %10s%n", "paper: C pthreads", "",
                    PAPER_C_CPU_SECONDS * 1000, "", fmt(PAPER_C_CPU_SECONDS / PAPER_GO_CPU_SECONDS), "1"));
            for (String kind : KINDS) {
                Row r = find(rows, kind, n);
                if (r == null || !r.measured()) {
                    sb.append(String.format(Locale.ROOT, "  %-21s %s%n", kind, r == null ? "no row" : r.note()));
                    continue;
                }
                double cpuSeconds = r.cpuMillis() / 1000;
                sb.append(String.format(Locale.ROOT, "  %-21s %12.3f %12.3f %14.2f %10s %10s%n", kind, r.wallMillis(),
                        r.cpuMillis(), r.cpuMillis() * 1000 / n, fmt(cpuSeconds / PAPER_GO_CPU_SECONDS),
                        fmt(cpuSeconds / PAPER_C_CPU_SECONDS)));
            }
            Row c = find(rows, C_PTHREADS, n);
            if (c != null && c.measured()) {
                Map<String, String> ratios = new LinkedHashMap<>();
                for (String kind : KINDS) {
                    Row r = find(rows, kind, n);
                    if (r != null && r.measured() && !kind.equals(C_PTHREADS)) {
                        ratios.put(kind, fmt(c.cpuMillis() / r.cpuMillis()));
                    }
                }
                sb.append("  c-pthreads CPU / kind CPU (the paper's C/Go is ")
                        .append(fmt(PAPER_C_CPU_SECONDS / PAPER_GO_CPU_SECONDS)).append("): ").append(ratios)
                        .append('\n');
            }
            sb.append('\n');
        }
        sb.append("Full table: spawn.csv; plots: spawn-wall.png, spawn-cpu.png; machine: environment.txt.\n");
        return sb.toString();
    }

    private static String fmt(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "-";
        }
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : v >= 10 ? String.format(Locale.ROOT, "%.1f", v)
                : String.format(Locale.ROOT, "%.2f", v);
    }

    // ---------------------------------------------------------------------------------------------------
    // Process CPU time

    /** CPU time of this JVM process, in nanoseconds. */
    abstract static class CpuClock {
        abstract long nanos();

        abstract String description();

        /** {@code clock_gettime(CLOCK_PROCESS_CPUTIME_ID)} through JNA where it works, else the MXBean. */
        static CpuClock best() {
            try {
                CpuClock c = new PosixClock();
                long a = c.nanos();
                long b = c.nanos();
                if (a > 0 && b >= a) {
                    return c;
                }
            } catch (RuntimeException | LinkageError e) {
                // not Linux/POSIX, or JNA cannot load: fall back
            }
            return new MxBeanClock();
        }
    }

    /** Nanosecond process CPU clock of the C library (Linux: CLOCK_PROCESS_CPUTIME_ID = 2; timespec of longs). */
    private static final class PosixClock extends CpuClock {
        private static final int CLOCK_PROCESS_CPUTIME_ID = 2;
        private final Function clockGettime = NativeLibrary.getInstance("c").getFunction("clock_gettime");
        private final Memory timespec = new Memory(16);

        @Override
        synchronized long nanos() {
            int rc = clockGettime.invokeInt(new Object[] {CLOCK_PROCESS_CPUTIME_ID, timespec});
            if (rc != 0) {
                throw new IllegalStateException("clock_gettime failed");
            }
            return Native.LONG_SIZE == 8 ? timespec.getLong(0) * 1_000_000_000L + timespec.getLong(8)
                    : timespec.getInt(0) * 1_000_000_000L + timespec.getInt(4);
        }

        @Override
        String description() {
            return "clock_gettime(CLOCK_PROCESS_CPUTIME_ID) via JNA (ns)";
        }
    }

    /** The MXBean's process CPU time: on Linux from times(2), in 10 ms steps. */
    private static final class MxBeanClock extends CpuClock {
        private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();

        @Override
        long nanos() {
            return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
        }

        @Override
        String description() {
            return "OperatingSystemMXBean.getProcessCpuTime (coarse: 10 ms steps on Linux)";
        }
    }
}
