package org.cspstack.harness.cli;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;

import org.cspstack.core.csp.Threading;
import org.cspstack.core.link.LinkException;
import org.cspstack.harness.experiments.Bench;
import org.cspstack.harness.experiments.ExperimentOutput;
import org.cspstack.harness.experiments.LabStack;
import org.cspstack.harness.experiments.TcpThroughput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cspstack bench}: every performance figure of the stack beside Linux's in one run on the lab's veths
 * (TCP bulk both ways, ping RTT, UDP into the discard service), with the JVM's heap, allocation and CPU per
 * packet, as a table with the targets of issue 8; see {@link Bench}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measures the stack beside Linux in one run (TCP bulk both ways, ping RTT p50/p99, UDP "
                + "100,000 datagrams/s into discard) with heap, allocation and CPU per packet, and prints "
                + "figure | stack | Linux | ratio | target | met?. Writes bench.md, CSV, PNG and environment.txt.",
            "Needs root and the lab (scripts/lab.sh up). About 2 minutes; --quick under one."})
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out/bench",
            description = "output folder (default: out/bench)")
    Path out;

    @Option(names = "--quick", description = "short transfers and trials (1 s TCP, 50 pings, 2 s UDP)")
    boolean quick;

    @Option(names = "--only", paramLabel = "PARTS", defaultValue = "tcp,ping,udp",
            description = "which parts, comma-separated: tcp, ping, udp (default: all)")
    String only;

    @Option(names = "--immediate", paramLabel = "true|false", defaultValue = "true", arity = "1",
            description = "libpcap immediate mode for the stack's capture: every frame at once (true, default: the "
                    + "latency setting) or ring blocks of up to 1 ms (false: bigger batches, less CPU per packet)")
    boolean immediate;

    @Option(names = "--threads", paramLabel = "platform|virtual", defaultValue = "platform",
            description = "what the layer processes run on (default: platform); with virtual, "
                    + "-Djdk.virtualThreadScheduler.parallelism=N in CSPSTACK_JAVA_OPTS sets the carriers")
    String threads;

    @Option(names = "--tcp-cc", paramLabel = "NAME", defaultValue = "cubic",
            description = "congestion control of Linux's TCP senders (Linux -> Linux and Linux -> stack alike): "
                    + "cubic (default: mainline Linux's and Debian's default, so that runs do not depend on the "
                    + "host's choice), reno, bbr, ..., or 'default' for the namespace's own (bbr on this "
                    + "project's VMs)")
    String tcpCc;

    @Override
    public Integer call() throws Exception {
        Set<Bench.Part> parts;
        try {
            parts = Bench.Part.parseList(only);
        } catch (IllegalArgumentException e) {
            throw new Main.UserError(e.getMessage());
        }
        Threading threading;
        try {
            threading = Threading.parse(threads);
        } catch (IllegalArgumentException e) {
            throw new Main.UserError(e.getMessage());
        }
        Bench.Settings settings;
        try {
            String cc = "default".equals(tcpCc) ? null : tcpCc;
            settings = new Bench.Settings(quick, parts, immediate, threading, cc);
            if (cc != null) {
                TcpThroughput.requireCongestionControl(cc);
            }
        } catch (IllegalArgumentException e) {
            throw new Main.UserError(e.getMessage());
        }
        try {
            Bench.run(new ExperimentOutput(out, threading), settings, System.out);
        } catch (LabStack.LabDown | LinkException e) {
            throw new Main.UserError(e.getMessage());
        }
        return 0;
    }
}
