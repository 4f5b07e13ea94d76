package org.cspstack.harness.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.cspstack.core.csp.Threading;
import org.cspstack.harness.experiments.BoundedStep;
import org.cspstack.harness.experiments.CodeExperiment;
import org.cspstack.harness.experiments.CommsExperiment;
import org.cspstack.harness.experiments.ExperimentOutput;
import org.cspstack.harness.experiments.PingExperiment;
import org.cspstack.harness.experiments.Progress;
import org.cspstack.harness.experiments.SpawnExperiment;
import org.cspstack.harness.experiments.TcpConnectionsExperiment;
import org.cspstack.harness.experiments.TcpThroughput;
import org.cspstack.harness.experiments.TimeBudget;
import org.cspstack.harness.experiments.UdpExperiment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cspstack reproduce}: every experiment behind the GoNet claims, one after the other, each into its own
 * folder under {@code --out}, then {@code report.md} with the paper's figure, ours, Linux's and the ratio for
 * each claim. The short settings finish in a few minutes; {@code --full} uses the paper's.
 *
 * <p>Time: the whole run is bounded by {@code --time-limit} (10 minutes; 60 with {@code --full}). Each step has
 * an estimate ({@link #estimates}); {@link TimeBudget} gives it an allowance from what is left, and
 * {@link BoundedStep} stops it (its processes killed, its stack stopped, the lab left as it is) when the allowance
 * runs out. A step skipped or stopped is "not measured: time limit" in the report, and the command then exits
 * {@value #EXIT_CUT}. A progress line shows the step, the steps done and the time.
 */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = {"Runs the GoNet reproduction (code, spawn, comms, udp, ping, tcp) and writes report.md beside the raw "
                + "CSV, environment records and PNG plots. Needs root and the lab (scripts/lab.sh up).",
            "--lwip DIR and --gonet DIR point at checkouts for the code comparison (otherwise 'not measured')."})
final class ReproduceCommand implements Callable<Integer> {
    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out/reproduce",
            description = "output folder (default: out/reproduce)")
    Path out;

    @Option(names = "--full", description = "the paper's long settings (50,000 datagrams at 56/s to each target: "
            + "about 40 min in all; default time limit 60m)")
    boolean full;

    @Option(names = "--lwip", paramLabel = "DIR", description = "an lwIP checkout")
    Path lwip;

    @Option(names = "--gonet", paramLabel = "DIR", description = "a GoNet checkout (hsheth2/gonet)")
    Path gonet;

    @Option(names = "--time-limit", paramLabel = "DURATION",
            description = "bound on the whole run, e.g. 10m, 90s, 1.5h (default 10m; 60m with --full). A step that "
                    + "does not fit is skipped or stopped and reported 'not measured: time limit' (exit 3).")
    String timeLimit;

    /** Exit status when a step was skipped or stopped by the time limit. */
    static final int EXIT_CUT = 3;

    private TimeBudget budget;
    private Progress progress;
    private final List<String> timings = new ArrayList<>();

    /**
     * How long each step takes on the reference machine (2 shared vCPUs, busy with other work), in the order
     * they run: the short settings (measured 2026-11-29 at 100 % machine load: code 1 s, spawn 68, udp 99, ping 74,
     * tcp 11), or the paper's ({@code full}: udp sends 50,000 datagrams at 56/s to each target, ping 50 per flow,
     * tcp 500 MB). A new step needs an entry here.
     */
    static Map<String, Duration> estimates(boolean full) {
        Map<String, Duration> m = new LinkedHashMap<>();
        m.put("code", Duration.ofSeconds(5));
        m.put("spawn", Duration.ofSeconds(full ? 100 : 60));
        m.put("comms", Duration.ofSeconds(60));
        m.put("udp", Duration.ofSeconds(full ? 1_850 : 90));
        m.put("ping", Duration.ofSeconds(full ? 200 : 70));
        m.put("tcp", Duration.ofSeconds(full ? 90 : 20));
        return m;
    }

    @Override
    public Integer call() throws Exception {
        Duration limit;
        try {
            limit = timeLimit != null ? TimeBudget.parse(timeLimit) : Duration.ofMinutes(full ? 60 : 10);
        } catch (IllegalArgumentException e) {
            throw new Main.UserError("--time-limit: " + e.getMessage());
        }
        Map<String, Duration> estimates = estimates(full);
        budget = new TimeBudget(limit, estimates, System::nanoTime);
        try (Progress p = Progress.start("reproduce", estimates.size(), "steps", System.out)) {
            progress = p;
            return reproduce();
        }
    }

    private int reproduce() throws Exception {
        PrintStream console = progress.console();
        Threading threading = Threading.forLayers();
        long t0 = System.nanoTime();
        List<String> report = new ArrayList<>();
        report.add("# GoNet claims, reproduced");
        report.add("");
        ExperimentOutput env = new ExperimentOutput(out, threading);
        env.note("time limit", TimeBudget.text(budget.limit()) + (timeLimit == null ? " (default)" : ""));
        report.add("Run of " + env.environment().get("date") + ": " + env.writeEnvironment()
                + (full ? " (full settings)" : " (short settings)") + "; time limit " + TimeBudget.text(budget.limit())
                + ".");
        report.add("");

        List<CodeExperiment.Row> code = step("code", () -> CodeExperiment.run(
                new ExperimentOutput(out.resolve("code"), threading), ExperimentCommand.repositoryRoot(), lwip, gonet,
                progress.console()));
        report.add("## Code simplicity: reassembly (paper: GoNet's Go against lwIP's C)");
        report.add("");
        if (!notMeasured(report, "code", code)) {
            report.add("| implementation | lines | functions | cyclomatic | memory ops | casts | shared state |");
            report.add("|---|---|---|---|---|---|---|");
            for (CodeExperiment.Row r : code) {
                report.add(r.metrics() == null ? "| " + r.implementation() + " | " + r.note() + " | | | | | |"
                        : String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %d |", r.implementation(),
                        r.metrics().lines(), r.metrics().functions(), r.metrics().cyclomatic(), r.metrics().memory(),
                        r.metrics().casts(), r.metrics().shared()));
            }
            report.add("");
            report.add("Raw: `code/code.csv`, plot `code/code.png`.");
            report.add("");
        }

        List<SpawnExperiment.Row> spawn = step("spawn", () -> SpawnExperiment.run(
                new ExperimentOutput(out.resolve("spawn"), threading), new int[] {10, 100, 1000, 10_000},
                full ? 9 : 5, progress.console()));
        report.add("## Thread spawn (paper: Go 0.007 s of CPU, C pthreads 0.049 s)");
        report.add("");
        if (!notMeasured(report, "spawn", spawn)) {
            report.add("| kind | N | wall ms | CPU ms |");
            report.add("|---|---|---|---|");
            for (SpawnExperiment.Row r : spawn) {
                if (r.n() >= 1000) {
                    report.add(String.format(Locale.ROOT, "| %s | %d | %s | %s |", r.kind(), r.n(),
                            r.measured() ? num(r.wallMillis()) : r.note(), num(r.cpuMillis())));
                }
            }
            report.add("");
            report.add("Raw: `spawn/spawn.csv`, plots `spawn/spawn-wall.png`, `spawn/spawn-cpu.png`, notes "
                    + "`spawn/spawn.txt`.");
            report.add("");
        }

        List<CommsExperiment.Row> comms = step("comms", () -> CommsExperiment.run(
                new ExperimentOutput(out.resolve("comms"), threading), CommsExperiment.DEFAULT, progress.console()));
        report.add("## One channel hop (not in the paper: the CSP cost behind every layer; JMH CommsTime)");
        report.add("");
        if (!notMeasured(report, "comms", comms)) {
            report.add("ring: one token round four processes, every hop wakes its reader (a hop's latency); stream: "
                    + "the writer runs ahead into the buffer (a hop's throughput cost). ns per hop, +- 99.9% CI.");
            report.add("");
            report.add("| pattern | channel | platform threads ns | virtual threads ns |");
            report.add("|---|---|---|---|");
            for (String pattern : CommsExperiment.PATTERNS) {
                for (String channel : CommsExperiment.CHANNELS) {
                    String[] cells = new String[2];
                    for (CommsExperiment.Row r : comms) {
                        if (r.pattern().equals(pattern) && r.channel().equals(channel)) {
                            cells[r.threads().equals("platform") ? 0 : 1] = !r.measured() ? r.note()
                                    : Double.isNaN(r.errorNs()) ? num(r.nsPerHop())
                                    : num(r.nsPerHop()) + " +- " + num(r.errorNs());
                        }
                    }
                    report.add("| " + pattern + " | " + channel + " | " + cells[0] + " | " + cells[1] + " |");
                }
            }
            report.add("");
            report.add("Raw: `comms/comms.csv`, plot `comms/comms.png`, table `comms/comms.txt`, JMH log "
                    + "`comms/comms-jmh.log`.");
            report.add("");
        }

        List<UdpExperiment.Row> udp = step("udp", () -> full
                ? UdpExperiment.run(new ExperimentOutput(out.resolve("udp"), threading),
                        List.of(UdpExperiment.PAPER_RATE), java.time.Duration.ofSeconds(
                                UdpExperiment.PAPER_DATAGRAMS / UdpExperiment.PAPER_RATE + 1),
                        UdpExperiment.PAPER_DATAGRAMS, progress.console())
                : UdpExperiment.run(new ExperimentOutput(out.resolve("udp"), threading), UdpExperiment.DEFAULT_RATES,
                        UdpExperiment.DEFAULT_PER_RATE, UdpExperiment.DEFAULT_MAX_DATAGRAMS, progress.console()));
        report.add("## UDP drop rate and one-way latency (paper: 0.002% lost at ~56/s; mean 547 us, p50 341 us, "
                + "p99 2.2 ms; \"two times slower than Linux\")");
        report.add("");
        if (!notMeasured(report, "udp", udp)) {
            report.add("| target | rate/s | sent | lost | drop % | mean us | p50 us | p99 us |");
            report.add("|---|---|---|---|---|---|---|---|");
            for (UdpExperiment.Row r : udp) {
                report.add(String.format(Locale.ROOT, "| %s | %s | %d | %d | %.4f | %s | %s | %s |", r.target(),
                        r.rate() < 0 ? "max" : Integer.toString(r.rate()), r.sent(), r.lost(), r.dropPct(),
                        num(r.meanUs()), num(r.p50Us()), num(r.p99Us())));
            }
            report.add("");
            report.addAll(udpRatios(udp));
            report.add("");
            report.add("Raw: `udp/udp.csv`, `udp/udp-detail.csv`, plots `udp/udp-latency.png`, `udp/udp-drop.png`, "
                    + "ratios `udp/udp.txt`.");
            report.add("");
        }

        List<PingExperiment.Row> ping = step("ping", () -> PingExperiment.run(
                new ExperimentOutput(out.resolve("ping"), threading), PingExperiment.DEFAULT_KS,
                full ? PingExperiment.PAPER_COUNT : PingExperiment.SHORT_COUNT, PingExperiment.DEFAULT_INTERVAL,
                threading, progress.console()));
        report.add("## K concurrent `ping -s 1471` flows (later paper; Linux here: 0.074 ms at K=1)");
        report.add("");
        if (!notMeasured(report, "ping", ping)) {
            report.add("| target | K | count | loss % | mean ms | p50 ms | p99 ms |");
            report.add("|---|---|---|---|---|---|---|");
            for (PingExperiment.Row r : ping) {
                report.add(String.format(Locale.ROOT, "| %s | %d | %d | %.1f | %.3f | %.3f | %.3f |", r.target(),
                        r.k(), r.count(), r.lossPct(), r.meanMs(), r.p50Ms(), r.p99Ms()));
            }
            report.add("");
            report.addAll(pingRatios(ping));
            report.add("");
            report.add("Raw: `ping/ping.csv`, `ping/ping-raw.csv`, plot `ping/ping.png`, ratios `ping/ping.txt`.");
            report.add("");
        }

        Tcp tcpRun = step("tcp", () -> tcp(threading));
        report.add("## TCP bulk throughput (later paper: N connections of 4 KB; here: bulk both ways)");
        report.add("");
        if (!notMeasured(report, "tcp", tcpRun)) {
            TcpThroughput.Result tcp = tcpRun.bulk();
            report.add(String.format(Locale.ROOT, "| direction | Mbit/s | of Linux to Linux |%n|---|---|---|%n"
                            + "| Linux to Linux | %.0f | 1 |%n| Linux to stack | %.0f | %.3f |%n"
                            + "| stack to Linux | %.0f | %.3f |",
                    tcp.linuxToLinux() / 1e6, tcp.linuxToStack() / 1e6, tcp.linuxToStack() / tcp.linuxToLinux(),
                    tcp.stackToLinux() / 1e6, tcp.stackToLinux() / tcp.linuxToLinux()));
            report.add("");
            List<TcpConnectionsExperiment.Row> conns = tcpRun.connections();
            report.add("N connections opened at once, 4 KB each, time until all acknowledged (later paper; Linux "
                    + "with a C client on this machine: 0.69 / 0.97 / 1.97 ms for N = 1 / 10 / 50). Same Java client "
                    + "on both:");
            report.add("");
            report.add("| N | stack median ms | kernel median ms | ratio |");
            report.add("|---|---|---|---|");
            for (int i = 0; i + 1 < conns.size(); i += 2) {
                report.add(String.format(Locale.ROOT, "| %d | %.2f | %.2f | %.1f |", conns.get(i).n(),
                        conns.get(i).medianMs(), conns.get(i + 1).medianMs(),
                        conns.get(i).medianMs() / conns.get(i + 1).medianMs()));
            }
            report.add("");
            report.add("Raw: `tcp/tcp.csv`, `tcp/tcp-conns.csv`, plot `tcp/tcp-conns.png`, log `tcp/tcp.txt`.");
            report.add("");
        }
        finish(report, t0);
        return cutSummary(console);
    }

    /** The tcp step's two results. */
    private record Tcp(TcpThroughput.Result bulk, List<TcpConnectionsExperiment.Row> connections) {
    }

    private Tcp tcp(Threading threading) throws Exception {
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        PrintStream console = progress.console();
        PrintStream tee = progress.tee(buf);
        ExperimentOutput tcpOut = new ExperimentOutput(out.resolve("tcp"), threading);
        TcpThroughput.Result tcp = TcpThroughput.run(full ? 500_000_000L : 100_000_000L, threading, true, tee);
        tcpOut.csv("tcp.csv", List.of("direction", "mbit_s", "of_linux_to_linux"), List.of(
                List.of("linux->linux", tcp.linuxToLinux() / 1e6, 1.0),
                List.of("linux->stack", tcp.linuxToStack() / 1e6, tcp.linuxToStack() / tcp.linuxToLinux()),
                List.of("stack->linux", tcp.stackToLinux() / 1e6, tcp.stackToLinux() / tcp.linuxToLinux())));
        tcpOut.write("tcp.txt", buf.toString());
        tcpOut.writeEnvironment();
        List<TcpConnectionsExperiment.Row> conns = TcpConnectionsExperiment.run(tcpOut, new int[] {1, 10, 50},
                full ? 9 : 5, threading, console);
        return new Tcp(tcp, conns);
    }

    /**
     * Runs one step under the time limit: skipped when it does not fit, stopped when it overruns its allowance
     * (null in both cases), its value otherwise. Advances the progress line.
     */
    private <T> T step(String name, BoundedStep.Body<T> body) throws Exception {
        PrintStream console = progress.console();
        console.println();
        console.println("== reproduce " + (progress.done() + 1) + "/" + estimates(full).size() + " " + name);
        TimeBudget.Slot slot = budget.next(name);
        T value = null;
        if (!slot.run()) {
            console.println("reproduce: " + name + " skipped: " + slot.reason());
            timings.add(name + " skipped");
        } else {
            long t0 = System.nanoTime();
            BoundedStep.Outcome<T> o = BoundedStep.run("reproduce-" + name, slot.allowance(), body, console);
            if (o.stopped()) {
                console.println("reproduce: " + name + ": " + budget.stopped(name, slot.allowance()));
            }
            value = o.value();
            timings.add(String.format(Locale.ROOT, "%s %s of %s allowed%s", name,
                    TimeBudget.text(Duration.ofNanos(System.nanoTime() - t0)), TimeBudget.text(slot.allowance()),
                    o.stopped() ? ", stopped" : ""));
        }
        progress.advance();
        return value;
    }

    /** For a step cut by the time limit, adds its reason to the report and returns true. */
    private boolean notMeasured(List<String> report, String name, Object value) {
        if (value != null) {
            return false;
        }
        report.add("**" + budget.cut().getOrDefault(name, "not measured") + ".**");
        report.add("");
        return true;
    }

    private void finish(List<String> report, long t0) throws java.io.IOException {
        report.add(String.format(Locale.ROOT, "Whole run: %.0f s of the %s limit (%s).", (System.nanoTime() - t0) / 1e9,
                TimeBudget.text(budget.limit()), String.join("; ", timings)));
        Files.writeString(out.resolve("report.md"), String.join("\n", report) + "\n");
        progress.console().println("report: " + out.resolve("report.md"));
    }

    /** 0, or {@link #EXIT_CUT} with a line naming the steps the time limit cut. */
    private int cutSummary(PrintStream console) {
        if (!budget.anythingCut()) {
            return 0;
        }
        console.println("reproduce: the " + TimeBudget.text(budget.limit()) + " time limit cut "
                + String.join(", ", budget.cut().keySet()) + " (see report.md); raise it with --time-limit");
        return EXIT_CUT;
    }

    /** Stack beside kernel per rate: the ratios of p50 and p99 latency, and both drop rates. */
    static List<String> udpRatios(List<UdpExperiment.Row> rows) {
        List<String> lines = new java.util.ArrayList<>();
        lines.add("| rate/s | p50 stack / kernel | p99 stack / kernel | drop % stack | drop % kernel |");
        lines.add("|---|---|---|---|---|");
        for (UdpExperiment.Row s : rows) {
            if (!s.target().equals("stack")) {
                continue;
            }
            for (UdpExperiment.Row k : rows) {
                if (k.target().equals("kernel") && k.rate() == s.rate()) {
                    lines.add(String.format(Locale.ROOT, "| %s | %s | %s | %.4f | %.4f |",
                            s.rate() < 0 ? "max" : Integer.toString(s.rate()), ratio(s.p50Us(), k.p50Us()),
                            ratio(s.p99Us(), k.p99Us()), s.dropPct(), k.dropPct()));
                }
            }
        }
        return lines;
    }

    /** Stack beside kernel per K: the ratios of the p50 and p99 round-trip times. */
    static List<String> pingRatios(List<PingExperiment.Row> rows) {
        List<String> lines = new java.util.ArrayList<>();
        lines.add("| K | p50 stack / kernel | p99 stack / kernel |");
        lines.add("|---|---|---|");
        for (PingExperiment.Row s : rows) {
            if (!s.target().equals("stack")) {
                continue;
            }
            for (PingExperiment.Row k : rows) {
                if (k.target().equals("kernel") && k.k() == s.k()) {
                    lines.add(String.format(Locale.ROOT, "| %d | %s | %s |", s.k(), ratio(s.p50Ms(), k.p50Ms()),
                            ratio(s.p99Ms(), k.p99Ms())));
                }
            }
        }
        return lines;
    }

    /** {@code a / b} as "12.3x", or "-" when either is missing or b is 0. */
    static String ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) || b == 0 ? "-" : String.format(Locale.ROOT, "%.1fx", a / b);
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.2f", v);
    }
}
