package org.cspstack.harness.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.cspstack.core.csp.Threading;
import org.cspstack.harness.experiments.CodeExperiment;
import org.cspstack.harness.experiments.CommsExperiment;
import org.cspstack.harness.experiments.ExperimentOutput;
import org.cspstack.harness.experiments.PingExperiment;
import org.cspstack.harness.experiments.SpawnExperiment;
import org.cspstack.harness.experiments.TcpThroughput;
import org.cspstack.harness.experiments.UdpExperiment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cspstack reproduce}: every experiment behind the GoNet claims, one after the other, each into its own
 * folder under {@code --out}, then {@code report.md} with the paper's figure, ours, Linux's and the ratio for
 * each claim. The short settings finish in a few minutes; {@code --full} uses the paper's.
 */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = {"Runs the GoNet reproduction (code, spawn, comms, udp, ping, tcp) and writes report.md beside the raw "
                + "CSV, environment records and PNG plots. Needs root and the lab (scripts/lab.sh up).",
            "--lwip DIR and --gonet DIR point at checkouts for the code comparison (otherwise 'not measured')."})
final class ReproduceCommand implements Callable<Integer> {
    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out/reproduce",
            description = "output folder (default: out/reproduce)")
    Path out;

    @Option(names = "--full", description = "the paper's long settings (50,000 datagrams at 56/s: ~15 min more)")
    boolean full;

    @Option(names = "--lwip", paramLabel = "DIR", description = "an lwIP checkout")
    Path lwip;

    @Option(names = "--gonet", paramLabel = "DIR", description = "a GoNet checkout (hsheth2/gonet)")
    Path gonet;

    @Override
    public Integer call() throws Exception {
        Threading threading = Threading.forLayers();
        long t0 = System.nanoTime();
        List<String> report = new ArrayList<>();
        report.add("# GoNet claims, reproduced");
        report.add("");
        ExperimentOutput env = new ExperimentOutput(out, threading);
        report.add("Run of " + env.environment().get("date") + ": " + env.writeEnvironment()
                + (full ? " (full settings)" : " (short settings)") + ".");
        report.add("");

        step("1/6 code");
        List<CodeExperiment.Row> code = CodeExperiment.run(new ExperimentOutput(out.resolve("code"), threading),
                ExperimentCommand.repositoryRoot(), lwip, gonet, System.out);
        report.add("## Code simplicity: reassembly (paper: GoNet's Go against lwIP's C)");
        report.add("");
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

        step("2/6 spawn");
        List<SpawnExperiment.Row> spawn = SpawnExperiment.run(new ExperimentOutput(out.resolve("spawn"), threading),
                new int[] {10, 100, 1000, 10_000}, full ? 9 : 5, System.out);
        report.add("## Thread spawn (paper: Go 0.007 s of CPU, C pthreads 0.049 s)");
        report.add("");
        report.add("| kind | N | wall ms | CPU ms |");
        report.add("|---|---|---|---|");
        for (SpawnExperiment.Row r : spawn) {
            if (r.n() >= 1000) {
                report.add(String.format(Locale.ROOT, "| %s | %d | %s | %s |", r.kind(), r.n(), num(r.wallMillis()),
                        num(r.cpuMillis())));
            }
        }
        report.add("");
        report.add("Raw: `spawn/spawn.csv`, plots `spawn/spawn-wall.png`, `spawn/spawn-cpu.png`, notes `spawn/spawn.txt`.");
        report.add("");

        step("3/6 comms");
        List<CommsExperiment.Row> comms = CommsExperiment.run(new ExperimentOutput(out.resolve("comms"), threading),
                CommsExperiment.DEFAULT, System.out);
        report.add("## One channel hop (not in the paper: the CSP cost behind every layer; JMH CommsTime)");
        report.add("");
        report.add("ring: one token round four processes, every hop wakes its reader (a hop's latency); stream: the "
                + "writer runs ahead into the buffer (a hop's throughput cost). ns per hop, +- 99.9% CI.");
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

        step("4/6 udp");
        List<UdpExperiment.Row> udp = full
                ? UdpExperiment.run(new ExperimentOutput(out.resolve("udp"), threading),
                        List.of(UdpExperiment.PAPER_RATE), java.time.Duration.ofSeconds(
                                UdpExperiment.PAPER_DATAGRAMS / UdpExperiment.PAPER_RATE + 1),
                        UdpExperiment.PAPER_DATAGRAMS, System.out)
                : UdpExperiment.run(new ExperimentOutput(out.resolve("udp"), threading), UdpExperiment.DEFAULT_RATES,
                        UdpExperiment.DEFAULT_PER_RATE, UdpExperiment.DEFAULT_MAX_DATAGRAMS, System.out);
        report.add("## UDP drop rate and one-way latency (paper: 0.002% lost at ~56/s; mean 547 us, p50 341 us, "
                + "p99 2.2 ms; \"two times slower than Linux\")");
        report.add("");
        report.add("| target | rate/s | sent | lost | drop % | mean us | p50 us | p99 us |");
        report.add("|---|---|---|---|---|---|---|---|");
        for (UdpExperiment.Row r : udp) {
            report.add(String.format(Locale.ROOT, "| %s | %s | %d | %d | %.4f | %s | %s | %s |", r.target(),
                    r.rate() < 0 ? "max" : Integer.toString(r.rate()), r.sent(), r.lost(), r.dropPct(),
                    num(r.meanUs()), num(r.p50Us()), num(r.p99Us())));
        }
        report.add("");
        report.add("Raw: `udp/udp.csv`, `udp/udp-detail.csv`, plots `udp/udp-latency.png`, `udp/udp-drop.png`, "
                + "ratios `udp/udp.txt`.");
        report.add("");

        step("5/6 ping");
        List<PingExperiment.Row> ping = PingExperiment.run(new ExperimentOutput(out.resolve("ping"), threading),
                PingExperiment.DEFAULT_KS, full ? PingExperiment.PAPER_COUNT : PingExperiment.SHORT_COUNT,
                PingExperiment.DEFAULT_INTERVAL, threading, System.out);
        report.add("## K concurrent `ping -s 1471` flows (later paper; Linux here: 0.074 ms at K=1)");
        report.add("");
        report.add("| target | K | count | loss % | mean ms | p50 ms | p99 ms |");
        report.add("|---|---|---|---|---|---|---|");
        for (PingExperiment.Row r : ping) {
            report.add(String.format(Locale.ROOT, "| %s | %d | %d | %.1f | %.3f | %.3f | %.3f |", r.target(), r.k(),
                    r.count(), r.lossPct(), r.meanMs(), r.p50Ms(), r.p99Ms()));
        }
        report.add("");
        report.add("Raw: `ping/ping.csv`, `ping/ping-raw.csv`, plot `ping/ping.png`, ratios `ping/ping.txt`.");
        report.add("");

        step("6/6 tcp");
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        java.io.PrintStream tee = new java.io.PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                buf.write(b);
                System.out.write(b);
            }
        }, true);
        ExperimentOutput tcpOut = new ExperimentOutput(out.resolve("tcp"), threading);
        TcpThroughput.Result tcp = TcpThroughput.run(full ? 500_000_000L : 100_000_000L, threading, true, tee);
        tcpOut.csv("tcp.csv", List.of("direction", "mbit_s", "of_linux_to_linux"), List.of(
                List.of("linux->linux", tcp.linuxToLinux() / 1e6, 1.0),
                List.of("linux->stack", tcp.linuxToStack() / 1e6, tcp.linuxToStack() / tcp.linuxToLinux()),
                List.of("stack->linux", tcp.stackToLinux() / 1e6, tcp.stackToLinux() / tcp.linuxToLinux())));
        tcpOut.write("tcp.txt", buf.toString());
        tcpOut.writeEnvironment();
        report.add("## TCP bulk throughput (later paper: N connections of 4 KB; here: bulk both ways)");
        report.add("");
        report.add(String.format(Locale.ROOT, "| direction | Mbit/s | of Linux to Linux |%n|---|---|---|%n"
                        + "| Linux to Linux | %.0f | 1 |%n| Linux to stack | %.0f | %.3f |%n| stack to Linux | %.0f | %.3f |",
                tcp.linuxToLinux() / 1e6, tcp.linuxToStack() / 1e6, tcp.linuxToStack() / tcp.linuxToLinux(),
                tcp.stackToLinux() / 1e6, tcp.stackToLinux() / tcp.linuxToLinux()));
        report.add("");
        List<org.cspstack.harness.experiments.TcpConnectionsExperiment.Row> conns =
                org.cspstack.harness.experiments.TcpConnectionsExperiment.run(tcpOut, new int[] {1, 10, 50},
                        full ? 9 : 5, threading, System.out);
        report.add("N connections opened at once, 4 KB each, time until all acknowledged (later paper; Linux with a "
                + "C client on this machine: 0.69 / 0.97 / 1.97 ms for N = 1 / 10 / 50). Same Java client on both:");
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
        report.add(String.format(Locale.ROOT, "Whole run: %.0f s.", (System.nanoTime() - t0) / 1e9));
        Files.writeString(out.resolve("report.md"), String.join("\n", report) + "\n");
        System.out.println("report: " + out.resolve("report.md"));
        return 0;
    }

    private static void step(String s) {
        System.out.println();
        System.out.println("== reproduce " + s);
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.2f", v);
    }
}
