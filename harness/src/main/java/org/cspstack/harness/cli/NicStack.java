package org.cspstack.harness.cli;

import java.io.PrintStream;
import java.time.Duration;

import org.cspstack.core.csp.Counters;
import org.cspstack.core.csp.ProcessNetwork;
import org.cspstack.core.csp.ProcessRunner;
import org.cspstack.core.link.LinkException;
import org.cspstack.core.link.PcapConfig;
import org.cspstack.core.link.PcapLink;
import org.cspstack.core.link.PcapTap;
import org.cspstack.protocols.stack.HostStack;
import org.cspstack.protocols.stack.StackConfig;

/** A stack running on a NIC through libpcap, for {@code run} and {@code ping}: open, start, stop, report. */
final class NicStack implements AutoCloseable {
    /** How long the network has to end after poison (the issue asks for 2 s). */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(2);

    final HostStack stack;
    final ProcessRunner runner;
    private final PcapLink link;
    private final PcapTap tap;

    private NicStack(HostStack stack, ProcessRunner runner, PcapLink link, PcapTap tap) {
        this.stack = stack;
        this.runner = runner;
        this.link = link;
        this.tap = tap;
    }

    static NicStack start(StackOptions options) {
        return start(options, java.util.Set.of());
    }

    static NicStack start(StackOptions options, java.util.Set<org.cspstack.protocols.services.Service> services) {
        return start(options, services, null);
    }

    /**
     * As above, with {@code watch} (may be null): its observer sees every channel of the network, and its pcap
     * taps are checked against the built network before it starts (a user error names the tappable channels).
     */
    static NicStack start(StackOptions options, java.util.Set<org.cspstack.protocols.services.Service> services,
                          org.cspstack.harness.trace.ChannelWatch watch) {
        StackConfig config = options.config();
        org.cspstack.core.csp.FaultSettings faults = options.faults();
        PcapLink link;
        try {
            link = PcapLink.open(PcapConfig.defaults(options.nic).withImmediate(options.immediate));
        } catch (LinkException e) {
            throw new Main.UserError(e.getMessage());
        }
        PcapTap tap = options.pcap == null ? null : new PcapTap(options.pcap);
        ProcessNetwork net = new ProcessNetwork("cspstack");
        if (watch != null) {
            watch.observe(net);
        }
        HostStack stack = HostStack.build(net, "", config, link, tap, faults);
        stack.addServices(services);
        if (watch != null) {
            try {
                watch.open(net.channels());
            } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
                link.close();
                if (tap != null) {
                    tap.close();
                }
                throw new Main.UserError(e.getMessage());
            }
        }
        ProcessRunner runner = new ProcessRunner(net, options.threading());
        runner.start();
        return new NicStack(stack, runner, link, tap);
    }

    /** Shuts the network down by poison and waits; true when every process ended in time. */
    boolean stop() throws InterruptedException {
        return runner.stop(STOP_TIMEOUT);
    }

    void printCounters(PrintStream out) {
        out.println("counters (non-zero):");
        for (Counters c : stack.counters()) {
            out.println("  " + c.summary());
        }
        if (tap != null) {
            out.println("  pcap: " + tap.frames() + " frames written to " + tap.path());
        }
    }

    /**
     * The process table (messages in and out, drops by reason), the channels that carried anything (written,
     * dropped when full, time writers spent blocked), the dynamic processes alive, then every layer's non-zero
     * counters.
     */
    void printStats(PrintStream out) {
        StringBuilder sb = new StringBuilder(org.cspstack.core.csp.NetworkStats.table(runner.network()));
        sb.append("\n  dynamic processes started: ").append(runner.dynamicStarted());
        for (Counters c : runner.network().counters()) {
            String line = c.summary();
            if (!line.endsWith(" -")) {
                sb.append("\n  ").append(line);
            }
        }
        out.println(sb);
    }

    @Override
    public void close() {
        link.close();
        if (tap != null) {
            tap.close();
        }
    }
}
