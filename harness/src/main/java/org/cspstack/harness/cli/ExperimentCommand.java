package org.cspstack.harness.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.cspstack.harness.experiments.CodeExperiment;
import org.cspstack.harness.experiments.CommsExperiment;
import org.cspstack.harness.experiments.ExperimentOutput;
import org.cspstack.harness.experiments.HotPathsExperiment;
import org.cspstack.harness.experiments.IdleHandoffs;
import org.cspstack.harness.experiments.JmhRun;
import org.cspstack.harness.experiments.TcpThroughput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cspstack experiment NAME}: the measurements behind the GoNet reproduction, each writing raw CSV, an
 * environment record and PNG plots into {@code --out} (default {@code out/experiments/NAME}).
 */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = {"Measures the stack beside Linux (or beside lwIP's and GoNet's code) and writes CSV, "
                + "environment.txt and PNG plots.",
            "NAME: code (reassembly code metrics; --lwip DIR --gonet DIR), spawn (create, run and join N workers: "
                + "JCSP, threads, virtual threads, C pthreads, goroutines), udp (drop rate and one-way latency across rates, stack and kernel; --full: the paper's 50,000 at 56/s), ping (RTT with K = 1..16 concurrent ping -s 1471 flows), tcp (bulk throughput both ways; lab and "
                + "root needed), comms (JMH CommsTime: ns per channel hop, rendezvous and buffered, platform and "
                + "virtual threads; about a minute; --quick), hotpaths (JMH suite: checksum, parse, layer hop, "
                + "receive path; --gc adds bytes allocated per operation), handoffs (a lone message through 2, 4, "
                + "6 and 7 idle hand-offs: JCSP processes and plain threads, platform and virtual; the floor under the "
                + "ping figure; no lab, no root; --quick)."})
final class ExperimentCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "code, spawn, udp, ping, tcp, comms, hotpaths or handoffs")
    String name;

    @Option(names = "--out", paramLabel = "DIR", description = "output folder (default: out/experiments/NAME)")
    Path out;

    @Option(names = "--bytes", defaultValue = "100000000", description = "tcp: bytes per transfer (default 100 MB)")
    long bytes;

    @Option(names = "--full", description = "the long, paper-faithful settings")
    boolean full;

    @Option(names = "--quick", description = "comms, hotpaths: a first look in this JVM (no fork, 100 ms iterations); handoffs: 50 "
                    + "messages per case instead of 200")
    boolean quick;

    @Option(names = "--gc", description = "hotpaths: JMH's gc profiler, bytes allocated per operation")
    boolean gc;

    @Option(names = "--rates", paramLabel = "R,R...", split = ",",
            description = "udp: datagrams per second to try, -1 for as fast as it can (default 56,1000,10000,100000,-1)")
    java.util.List<Integer> rates;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "5",
            description = "udp: seconds each paced trial sends (default: ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--lwip", paramLabel = "DIR", description = "code: an lwIP checkout")
    Path lwip;

    @Option(names = "--gonet", paramLabel = "DIR", description = "code: a GoNet checkout (hsheth2/gonet)")
    Path gonet;

    @Mixin
    StackOptions options;

    @Override
    public Integer call() throws Exception {
        ExperimentOutput output = new ExperimentOutput(out != null ? out : Path.of("out", "experiments", name),
                options.threading());
        System.out.println("experiment " + name + " -> " + output.dir());
        switch (name) {
            case "code" -> CodeExperiment.run(output, repositoryRoot(), lwip, gonet, System.out);
            case "spawn" -> org.cspstack.harness.experiments.SpawnExperiment.run(output,
                    full ? new int[] {10, 100, 1000, 10_000} : new int[] {10, 100, 1000, 10_000}, full ? 9 : 5,
                    System.out);
            case "udp" -> {
                if (full) {
                    org.cspstack.harness.experiments.UdpExperiment.run(output,
                            java.util.List.of(org.cspstack.harness.experiments.UdpExperiment.PAPER_RATE),
                            java.time.Duration.ofSeconds(org.cspstack.harness.experiments.UdpExperiment.PAPER_DATAGRAMS
                                    / org.cspstack.harness.experiments.UdpExperiment.PAPER_RATE + 1),
                            org.cspstack.harness.experiments.UdpExperiment.PAPER_DATAGRAMS, System.out);
                } else {
                    org.cspstack.harness.experiments.UdpExperiment.run(output,
                            rates != null ? rates : org.cspstack.harness.experiments.UdpExperiment.DEFAULT_RATES,
                            java.time.Duration.ofSeconds(seconds),
                            Math.max(org.cspstack.harness.experiments.UdpExperiment.DEFAULT_MAX_DATAGRAMS,
                                    rates == null ? 0 : rates.stream().mapToInt(r -> r * seconds).max().orElse(0)),
                            System.out);
                }
            }
            case "ping" -> org.cspstack.harness.experiments.PingExperiment.run(output,
                    org.cspstack.harness.experiments.PingExperiment.DEFAULT_KS,
                    full ? org.cspstack.harness.experiments.PingExperiment.PAPER_COUNT
                            : org.cspstack.harness.experiments.PingExperiment.SHORT_COUNT,
                    org.cspstack.harness.experiments.PingExperiment.DEFAULT_INTERVAL, options.threading(), System.out);
            case "tcp" -> {
                output.note("bytes", Long.toString(bytes)).note("pcap immediate", Boolean.toString(options.immediate));
                TcpThroughput.run(bytes, options.threading(), options.immediate, System.out);
                org.cspstack.harness.experiments.TcpConnectionsExperiment.run(output, new int[] {1, 10, 50},
                        full ? 9 : 5, options.threading(), System.out);
            }
            case "comms" -> CommsExperiment.run(output, quick ? JmhRun.Settings.QUICK : CommsExperiment.DEFAULT,
                    System.out);
            case "hotpaths" -> HotPathsExperiment.run(output, quick ? JmhRun.Settings.QUICK
                    : HotPathsExperiment.DEFAULT, gc, System.out);
            case "handoffs" -> IdleHandoffs.run(output, quick ? 50 : 200, System.out);
            default -> throw new Main.UserError("unknown experiment '" + name
                    + "'; known: code, spawn, udp, ping, tcp, comms, hotpaths, handoffs");
        }
        System.out.println(output.writeEnvironment());
        return 0;
    }

    /** The checkout this cspstack runs from (for the code experiment): where the launcher lives. */
    static Path repositoryRoot() {
        try {
            // harness/target/cspstack.jar (or harness/target/classes) -> the checkout
            Path code = Path.of(ExperimentCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path q = code; q != null; q = q.getParent()) {
                if (q.resolve("protocols").toFile().isDirectory() && q.resolve("pom.xml").toFile().isFile()) {
                    return q;
                }
            }
        } catch (java.net.URISyntaxException | SecurityException e) {
            // fall back to the working directory
        }
        Path p = Path.of("").toAbsolutePath();
        for (Path q = p; q != null; q = q.getParent()) {
            if (q.resolve("protocols").toFile().isDirectory() && q.resolve("pom.xml").toFile().isFile()) {
                return q;
            }
        }
        throw new Main.UserError("run from the cspstack checkout (no protocols/ and pom.xml above " + p + ")");
    }
}
