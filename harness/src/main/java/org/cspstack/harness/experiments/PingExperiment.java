package org.cspstack.harness.experiments;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import org.cspstack.core.csp.ChannelKind;
import org.cspstack.core.csp.Threading;
import org.cspstack.core.link.PcapConfig;

/**
 * Round-trip times under K concurrent pings, the stack against the Linux kernel in one run (the method of
 * the GoNet paper): for each K, K {@code ping -n -s 1471 -i INTERVAL -c C} processes start together in the
 * lab namespace {@code csplab}, first at the stack (198.18.0.2, in this JVM on csplab0), then at the kernel
 * in {@code csplabref} (198.18.1.2) -- the order alternates from one K to the next so that neither target
 * always goes first. Both are one veth away from csplab, with offloads off on every veth; 1471 data bytes
 * make 1499-byte datagrams, the largest that fit MTU 1500 unfragmented.
 *
 * <p>Every first answer's RTT as ping reports it is kept; duplicates and errors are counted, not timed. Loss
 * comes from ping's summary. Before measuring, each target gets an unrecorded flood ping of 5,000, so that ARP,
 * first-packet costs and the JIT's warm-up stay out of both distributions.
 *
 * <p>Output: {@code ping.csv} (per target and K), {@code ping-raw.csv} (every RTT), {@code ping.png} (mean
 * and p99 against K), {@code ping.txt} (stack / kernel ratios, stack counters) and {@code environment.txt}.
 * Needs root and {@code scripts/lab.sh up}.
 */
public final class PingExperiment {
    /** The flow counts of the paper. */
    public static final int[] DEFAULT_KS = {1, 2, 4, 8, 16};
    /** Pings per flow in the paper-faithful run. */
    public static final int PAPER_COUNT = 50;
    /** Pings per flow in the short run (K=16: 20 x 0.3 s = 6 s per target). */
    public static final int SHORT_COUNT = 20;
    /** Seconds between one flow's pings. */
    public static final double DEFAULT_INTERVAL = 0.3;
    /** ICMP data bytes: 1471 + 8 + 20 = 1499-byte datagrams. */
    public static final int DATA_BYTES = 1471;

    static final String STACK = "stack";
    static final String KERNEL = "kernel";
    private static final String NS = LabStack.PEER_NS;
    static final Map<String, String> ADDRESS = Map.of(STACK, LabStack.STACK_IP, KERNEL, LabStack.REF_IP);
    /** How long ping waits for the last answers after sending its last probe (-W). */
    private static final int LINGER_SECONDS = 2;
    /** Unrecorded pings to each target before measuring. */
    private static final int WARM_UP_PINGS = 5000;
    private static final int MAX_K = 64;
    private static final double MAX_SECONDS_PER_TARGET = 300;

    private PingExperiment() {
    }

    /** One target at one K: RTTs in milliseconds over all K flows. */
    public record Row(String target, int k, int count, double lossPct, double meanMs, double p50Ms, double p99Ms,
                      double maxMs) {
    }

    /** {@link #run(ExperimentOutput, int[], int, double, Threading, PrintStream)} with the default threading. */
    public static List<Row> run(ExperimentOutput out, int[] ks, int countPerFlow, double interval,
                                PrintStream console) throws Exception {
        return run(out, ks, countPerFlow, interval, Threading.forLayers(), console);
    }

    /**
     * Runs the experiment and writes its files to {@code out}; returns, for each K in order, the stack's row
     * then the kernel's. {@code threading} is what the stack's layer processes run on.
     */
    public static List<Row> run(ExperimentOutput out, int[] ks, int countPerFlow, double interval,
                                Threading threading, PrintStream console) throws Exception {
        validate(ks, countPerFlow, interval);
        LabStack.require();
        try (Progress progress = Progress.start("ping", 2L * ks.length + 2, "runs (target x K)", console)) {
            return run(out, ks, countPerFlow, interval, threading, progress);
        }
    }

    /** The run itself, on a validated configuration: each warm-up and each (target, K) advances {@code progress}. */
    private static List<Row> run(ExperimentOutput out, int[] ks, int countPerFlow, double interval,
                                 Threading threading, Progress progress) throws Exception {
        PrintStream console = progress.console();
        String settings = String.format(Locale.ROOT, "K = %s flows x %d pings each, -s %d (%d-byte datagrams), "
                + "-i %s s, -W %d; from %s to the stack %s (in-process on csplab0, layers on %s threads) and the "
                + "kernel %s (csplabref); order alternates per K; first an unrecorded flood ping of %d to each "
                + "target (ARP, JIT warm-up)",
                Arrays.toString(ks), countPerFlow, DATA_BYTES, DATA_BYTES + 28, seconds(interval), LINGER_SECONDS,
                NS, ADDRESS.get(STACK), threading, ADDRESS.get(KERNEL), WARM_UP_PINGS);
        out.note("experiment", "ping RTT under K concurrent flows, stack against Linux");
        out.note("ping", settings);
        out.note("ping version", firstLine(Shell.run(null, "ping -V", Duration.ofSeconds(5))));
        console.println("ping: " + settings);
        console.println("  " + out.writeEnvironment());

        List<List<Object>> raw = new ArrayList<>();
        Map<String, Row> rows = new LinkedHashMap<>();
        List<String> anomalies = new ArrayList<>();
        Map<String, String> cpu = new LinkedHashMap<>();
        String stackCounters;

        requireNobodyAt(ADDRESS.get(STACK));
        out.note("load average at start", loadAverage());
        try (LabStack lab = LabStack.start("ping", PcapConfig.defaults(LabStack.NIC), threading, Set.of())) {
            for (String target : List.of(STACK, KERNEL)) {
                warmUp(target, WARM_UP_PINGS, DATA_BYTES, console);
                progress.advance();
            }
            for (int i = 0; i < ks.length; i++) {
                List<String> order = i % 2 == 0 ? List.of(STACK, KERNEL) : List.of(KERNEL, STACK);
                for (String target : order) {
                    Row row = measure(target, ks[i], countPerFlow, interval, DATA_BYTES, raw, anomalies, cpu,
                            console);
                    rows.put(target + "/" + ks[i], row);
                    progress.advance();
                }
                lab.requireHealthy();
            }
            long upwardDrops = lab.network().channels().stream()
                    .filter(c -> c.kind() == ChannelKind.UPWARD_DROPPING)
                    .mapToLong(c -> c.stats().queueFullDropped.get()).sum();
            stackCounters = lab.stack().linkCounters().summary() + "\n" + lab.stack().icmpCounters().summary()
                    + "\nupward channel drops: " + upwardDrops;
        }

        out.note("load average at end", loadAverage());
        out.writeEnvironment();
        List<Row> result = new ArrayList<>();
        for (int k : ks) {
            result.add(rows.get(STACK + "/" + k));
            result.add(rows.get(KERNEL + "/" + k));
        }
        write(out, result, raw, settings, anomalies, cpu, stackCounters, console);
        return result;
    }

    private static void validate(int[] ks, int countPerFlow, double interval) {
        if (ks.length == 0) {
            throw new IllegalArgumentException("no flow counts given");
        }
        for (int k : ks) {
            if (k < 1 || k > MAX_K) {
                throw new IllegalArgumentException("K = " + k + " is not in 1.." + MAX_K);
            }
        }
        if (Arrays.stream(ks).distinct().count() != ks.length) {
            throw new IllegalArgumentException("flow counts " + Arrays.toString(ks) + " repeat a value");
        }
        if (countPerFlow < 1) {
            throw new IllegalArgumentException("pings per flow must be at least 1, not " + countPerFlow);
        }
        if (!(interval >= 0.01 && interval <= 10)) {
            throw new IllegalArgumentException("interval " + interval + " s is not in 0.01..10 s");
        }
        if (countPerFlow * interval > MAX_SECONDS_PER_TARGET) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%d pings x %s s would take %.0f s per target; the bound is %.0f s", countPerFlow,
                    seconds(interval), countPerFlow * interval, MAX_SECONDS_PER_TARGET));
        }
    }

    /**
     * Refuses to start while something already answers at the stack's address: another stack on csplab0 (a
     * second experiment in the lab) would answer every probe too, and its replies would mix into ours.
     */
    static void requireNobodyAt(String address) throws IOException, InterruptedException {
        String output = Shell.run(NS, "ping -n -c 2 -i 0.2 -W 1 " + address, Duration.ofSeconds(10));
        if (PingParse.parse(output).rtts().length > 0) {
            throw new IllegalStateException(address + " answers ping before our stack has started: another "
                    + "stack is on csplab0 (is another experiment or 'cspstack run' using the lab?); stop it first");
        }
        // The unanswered probe left a FAILED neighbour entry in csplab: for a while the kernel would answer the
        // next ping at once with "Destination Host Unreachable" without asking again. Forget it.
        Shell.run(NS, "ip neigh flush to " + address, Duration.ofSeconds(5));
    }

    /** The 1, 5 and 15 minute load averages: other work on the machine is the main source of noise. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /**
     * An unrecorded flood ping ({@code -f -c COUNT -s DATA_BYTES}) at the target: resolves ARP, and lets the JIT
     * compile the stack's paths before the first measured probe. Without it the first K's few dozen packets
     * ran interpreted and the stack's RTT fell with K for that reason alone.
     */
    static void warmUp(String target, int count, int dataBytes, PrintStream console)
            throws IOException, InterruptedException {
        String cmd = "ping -n -q -f -c " + count + " -W 1 -s " + dataBytes + " " + ADDRESS.get(target);
        long t0 = System.nanoTime();
        String output = Shell.run(NS, cmd, Duration.ofSeconds(120));
        PingParse.Summary s = PingParse.parse(output).summary();
        if (s == null || s.received() == 0) {
            throw new IllegalStateException("the " + target + " at " + ADDRESS.get(target)
                    + " does not answer ping:\n" + output);
        }
        console.printf(Locale.ROOT, "  warm-up %-6s %s: flood ping, %d of %d answered in %.1f s%n", target,
                ADDRESS.get(target), s.received(), s.transmitted(), (System.nanoTime() - t0) / 1e9);
    }

    /**
     * K flows of {@code count} pings with {@code dataBytes} of data at one target, all started before any is
     * waited for; every RTT goes into {@code raw} (target, k, flow, seq, rtt_ms).
     */
    static Row measure(String target, int k, int count, double interval, int dataBytes, List<List<Object>> raw,
                       List<String> anomalies, Map<String, String> cpu, PrintStream console) throws Exception {
        String cmd = "exec ping -n -s " + dataBytes + " -i " + seconds(interval) + " -c " + count + " -W "
                + LINGER_SECONDS + " " + ADDRESS.get(target);
        Duration bound = Duration.ofSeconds((long) Math.ceil(count * interval) + LINGER_SECONDS + 10);
        List<Process> flows = new ArrayList<>();
        List<Thread> readers = new ArrayList<>();
        String[] outputs = new String[k];
        CpuSample before = CpuSample.now();
        try {
            for (int f = 0; f < k; f++) {
                flows.add(Shell.start(NS, cmd, bound));
            }
            // One reader per flow, so that no ping ever waits on a full pipe.
            for (int f = 0; f < k; f++) {
                int flow = f;
                InputStream in = flows.get(f).getInputStream();
                Thread t = new Thread(() -> outputs[flow] = readAll(in), "ping-" + target + "-" + k + "-" + f);
                t.setDaemon(true);
                t.start();
                readers.add(t);
            }
            long deadline = System.nanoTime() + bound.plusSeconds(5).toNanos();
            for (Process p : flows) {
                long left = deadline - System.nanoTime();
                if (!p.waitFor(Math.max(left, 0), TimeUnit.NANOSECONDS)) {
                    throw new IllegalStateException("ping to " + ADDRESS.get(target) + " did not end within "
                            + bound);
                }
            }
            for (Thread t : readers) {
                t.join(5000);
            }
            cpu.put(target + "/" + k, before.until(CpuSample.now()));
        } finally {
            for (Process p : flows) {
                if (p.isAlive()) {
                    p.destroyForcibly();
                }
            }
        }

        List<Double> rtts = new ArrayList<>();
        long transmitted = 0;
        long received = 0;
        int duplicates = 0;
        int errors = 0;
        int wrongData = 0;
        int noSummary = 0;
        for (int f = 0; f < k; f++) {
            String output = outputs[f] == null ? "" : outputs[f];
            PingParse.Result r = PingParse.parse(output);
            if (r.summary() == null && r.replies().isEmpty()) {
                throw new IllegalStateException("ping to " + ADDRESS.get(target) + " (flow " + (f + 1)
                        + " of K=" + k + ") printed neither a reply nor a summary:\n" + output);
            }
            for (PingParse.Reply reply : r.unique()) {
                raw.add(List.of(target, k, f + 1, reply.seq(), reply.rttMs()));
                rtts.add(reply.rttMs());
            }
            if (r.summary() != null) {
                transmitted += r.summary().transmitted();
                received += r.summary().received();
                errors += r.summary().errors();
            } else {
                // Cut short: count every probe it was asked for as sent.
                noSummary++;
                transmitted += count;
                received += r.unique().size();
                errors += r.errorLines();
            }
            duplicates += r.duplicates();
            wrongData += r.wrongData();
        }
        PingParse.Stats s = PingParse.stats(rtts.stream().mapToDouble(Double::doubleValue).toArray());
        double loss = transmitted == 0 ? 0 : 100.0 * (transmitted - received) / transmitted;
        Row row = new Row(target, k, s.count(), loss, s.meanMs(), s.p50Ms(), s.p99Ms(), s.maxMs());

        StringBuilder extra = new StringBuilder();
        if (duplicates > 0) {
            extra.append(", ").append(duplicates).append(" duplicates (a second answerer at the address?)");
        }
        if (errors > 0) {
            extra.append(", ").append(errors).append(" errors");
        }
        if (wrongData > 0) {
            extra.append(", ").append(wrongData).append(" replies with wrong data");
        }
        if (noSummary > 0) {
            extra.append(", ").append(noSummary).append(" flows cut short");
        }
        if (extra.length() > 0) {
            anomalies.add(target + " K=" + k + ": " + extra.substring(2));
        }
        console.printf(Locale.ROOT, "  K=%2d %-6s %-10s %4d/%-4d replies, loss %5.1f %%, mean %.3f ms, p50 %.3f, "
                        + "p99 %.3f, max %.3f ms; cpu %s%s%n", k, target, ADDRESS.get(target), received, transmitted,
                loss, s.meanMs(), s.p50Ms(), s.p99Ms(), s.maxMs(), cpu.get(target + "/" + k), extra);
        return row;
    }

    private static void write(ExperimentOutput out, List<Row> rows, List<List<Object>> raw, String settings,
                              List<String> anomalies, Map<String, String> cpu, String stackCounters,
                              PrintStream console) {
        List<List<Object>> table = new ArrayList<>();
        for (Row r : rows) {
            table.add(List.of(r.target(), r.k(), r.count(), r.lossPct(), r.meanMs(), r.p50Ms(), r.p99Ms(),
                    r.maxMs()));
        }
        out.csv("ping.csv", List.of("target", "k", "count", "loss_pct", "mean_ms", "p50_ms", "p99_ms", "max_ms"),
                table);
        out.csv("ping-raw.csv", List.of("target", "k", "flow", "seq", "rtt_ms"), raw);

        Plot plot = new Plot("ping -s " + DATA_BYTES + " RTT, K concurrent flows: stack vs Linux",
                "K (concurrent flows)", "RTT, ms", true, true);
        plot.add("stack mean", points(rows, STACK, Row::meanMs));
        plot.add("stack p99", points(rows, STACK, Row::p99Ms));
        plot.add("kernel mean", points(rows, KERNEL, Row::meanMs));
        plot.add("kernel p99", points(rows, KERNEL, Row::p99Ms));
        plot.write(out.dir().resolve("ping.png"));

        StringBuilder sb = new StringBuilder();
        sb.append("ping RTT under K concurrent flows, stack against the Linux kernel, one run\n");
        sb.append(settings).append("\n");
        sb.append("p99 is nearest-rank; with fewer than 100 RTTs at a K it is the maximum.\n\n");
        sb.append(String.format(Locale.ROOT, "%3s  %-28s  %-28s  %-28s  %s%n", "K", "mean ms stack/kernel = ratio",
                "p50 ms stack/kernel = ratio", "p99 ms stack/kernel = ratio", "loss % stack/kernel"));
        for (int i = 0; i < rows.size(); i += 2) {
            Row s = rows.get(i);
            Row k = rows.get(i + 1);
            sb.append(String.format(Locale.ROOT, "%3d  %-28s  %-28s  %-28s  %.1f/%.1f%n", s.k(),
                    ratio(s.meanMs(), k.meanMs()), ratio(s.p50Ms(), k.p50Ms()), ratio(s.p99Ms(), k.p99Ms()),
                    s.lossPct(), k.lossPct()));
        }
        sb.append("\nCPU while each target was pinged (machine: 100 % = every CPU busy; JVM: this process, the "
                + "stack):\n");
        cpu.forEach((key, v) -> sb.append(String.format(Locale.ROOT, "  %-10s %s%n", key, v)));
        sb.append("\n").append(anomalies.isEmpty() ? "no duplicates, errors, wrong data or cut-short flows\n"
                : "anomalies:\n  " + String.join("\n  ", anomalies) + "\n");
        sb.append("\nstack counters at the end:\n").append(stackCounters).append("\n");
        out.write("ping.txt", sb.toString());
        console.print(sb.substring(sb.indexOf("\n\n") + 2, sb.indexOf("\nstack counters")));
        console.println("  wrote ping.csv, ping-raw.csv, ping.png, ping.txt, environment.txt to " + out.dir());
    }

    /**
     * CPU time from {@code /proc}: the machine's busy and total ticks over all CPUs, and this JVM's. Other work
     * on the machine delays the stack's threads (the kernel answers in softirq context and hardly notices), so
     * each measurement says how busy the machine was.
     */
    private record CpuSample(long busy, long total, long self) {
        static CpuSample now() {
            try {
                String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
                long total = 0;
                for (int i = 1; i <= 8 && i < f.length; i++) {
                    total += Long.parseLong(f[i]); // user nice system idle iowait irq softirq steal
                }
                String st = Files.readString(Path.of("/proc/self/stat"));
                String[] g = st.substring(st.lastIndexOf(')') + 2).trim().split("\\s+");
                long self = Long.parseLong(g[11]) + Long.parseLong(g[12]); // utime, stime (fields 14, 15)
                return new CpuSample(total - idle, total, self);
            } catch (IOException | RuntimeException e) {
                return new CpuSample(-1, -1, -1);
            }
        }

        String until(CpuSample end) {
            long dt = end.total - total;
            if (total < 0 || end.total < 0 || dt <= 0) {
                return "unknown";
            }
            int cpus = Runtime.getRuntime().availableProcessors();
            return String.format(Locale.ROOT, "machine %.0f %%, JVM %.0f %% of %d CPUs",
                    100.0 * (end.busy - busy) / dt, 100.0 * (end.self - self) / dt, cpus);
        }
    }

    private static List<double[]> points(List<Row> rows, String target, ToDoubleFunction<Row> y) {
        List<double[]> pts = new ArrayList<>();
        for (Row r : rows) {
            if (r.target().equals(target) && !Double.isNaN(y.applyAsDouble(r))) {
                pts.add(new double[] {r.k(), y.applyAsDouble(r)});
            }
        }
        return pts;
    }

    private static String ratio(double stack, double kernel) {
        return String.format(Locale.ROOT, "%.3f/%.3f = %.2f", stack, kernel, stack / kernel);
    }

    static String seconds(double s) {
        return BigDecimal.valueOf(s).stripTrailingZeros().toPlainString();
    }

    private static String firstLine(String s) {
        return s.lines().findFirst().orElse("").trim();
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
