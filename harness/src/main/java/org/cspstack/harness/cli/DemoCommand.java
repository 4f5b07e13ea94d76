package org.cspstack.harness.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.csp.ChannelObserver;
import org.cspstack.core.csp.ChannelSpec;
import org.cspstack.core.csp.Counters;
import org.cspstack.core.csp.FaultSettings;
import org.cspstack.core.csp.ProcessNetwork;
import org.cspstack.core.csp.ProcessRunner;
import org.cspstack.core.csp.ProcessSpec;
import org.cspstack.core.link.FrameObserver;
import org.cspstack.core.link.MemoryLink;
import org.cspstack.core.wire.FrameSummary;
import org.cspstack.core.wire.Ipv4Cidr;
import org.cspstack.core.wire.MacAddress;
import org.cspstack.harness.trace.ChannelWatch;
import org.cspstack.harness.trace.StepNarrator;
import org.cspstack.protocols.icmp.PingResult;
import org.cspstack.protocols.icmp.Pinger;
import org.cspstack.protocols.stack.HostStack;
import org.cspstack.protocols.stack.StackConfig;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cspstack demo}: two stacks on a simulated link, narrated. No root, no NIC.
 *
 * <p>With {@code --step} (classroom mode) every communication on every channel is narrated, one at a time, by
 * a {@link StepNarrator}: a ping (and a fragmented one), a UDP exchange with b's echo service, and a small TCP
 * transfer over a link that loses a frame, so that a retransmission shows. The fault options apply to what b
 * receives, in every part.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Two stacks (a: 198.18.0.1, b: 198.18.0.2) on a simulated link in this JVM; a pings b, sends "
                + "b a UDP datagram and moves data over TCP while every frame is narrated. Needs no root and no NIC.",
            "--step narrates every communication between the processes, one at a time (classroom mode)."})
final class DemoCommand implements java.util.concurrent.Callable<Integer> {
    /**
     * The faults of the step-mode TCP part when none are given: b loses the 4th frame it receives there (the
     * first data segment, after ARP, SYN and ACK) and none of the next 37, so a retransmits it after its
     * retransmission timeout. Found by trying seeds against {@code FaultPlan} (DemoCommandTest checks it).
     */
    static final long STEP_SEED = 512;
    static final FaultSettings STEP_TCP_FAULTS = FaultSettings.parse("10%", null, null, null, null, STEP_SEED);
    /** The faults of the 256 KiB TCP part when none are given: 2% loss, 1% reordering, both sides. */
    static final FaultSettings LOSSY_TCP_FAULTS = FaultSettings.parse("2%", null, "1%", null, null, 42L);
    /** Bytes moved over TCP in step mode: three segments, each narrated layer by layer. */
    static final int STEP_TCP_BYTES = 4000;
    static final int TCP_BYTES = 256 * 1024;

    static final StackConfig A = StackConfig.of(Ipv4Cidr.parse("198.18.0.1/24"))
            .withMac(MacAddress.parse("02:c5:70:00:00:01"));
    static final StackConfig B = StackConfig.of(Ipv4Cidr.parse("198.18.0.2/24"))
            .withMac(MacAddress.parse("02:c5:70:00:00:02"));

    @Option(names = "-c", paramLabel = "N", defaultValue = "3", description = "echo requests (default 3)")
    int count;

    @Option(names = "-s", paramLabel = "SIZE", defaultValue = "3000",
            description = "data bytes of the last, fragmented echo request (default 3000; 0 skips it)")
    int bigSize;

    @Option(names = "--threads", paramLabel = "platform|virtual",
            description = "what the layer processes run on (default: platform, measured faster per packet)")
    String threads;

    @Option(names = "--quiet", description = "no per-frame narration")
    boolean quiet;

    @picocli.CommandLine.Mixin
    KnobOptions knobs = new KnobOptions();

    @Option(names = "--step", description = "classroom mode: narrate every communication between the processes and "
            + "pause after each (Enter; see --step-delay)")
    boolean step;

    @Option(names = "--step-delay", paramLabel = "MS", description = "with --step: go on by itself after MS "
            + "milliseconds instead of waiting for Enter (0: at once; the default when stdin is not a terminal)")
    Long stepDelay;

    @picocli.CommandLine.Mixin
    TraceOptions traceOptions = new TraceOptions();

    @ArgGroup(exclusive = false, heading = "Fault injection on what b receives (every part of the demo):%n")
    StackOptions.FaultOptions faultOptions;

    /**
     * Everything one demo run needs; {@code observer} watches every channel of every network (or is null), and
     * {@code watch}'s pcap taps are checked against the first network's channels.
     */
    record Demo(int count, int bigSize, org.cspstack.core.csp.Threading threading, boolean quiet, boolean tcp,
                StepNarrator narrator, boolean waitsForEnter, long stepDelayMillis, FaultSettings faults,
                ChannelObserver observer, ChannelWatch watch,
                java.util.function.UnaryOperator<StackConfig> knobs) {
        /** A demo with both stacks' configuration as it is (no knobs). */
        Demo(int count, int bigSize, org.cspstack.core.csp.Threading threading, boolean quiet, boolean tcp,
             StepNarrator narrator, boolean waitsForEnter, long stepDelayMillis, FaultSettings faults,
             ChannelObserver observer, ChannelWatch watch) {
            this(count, bigSize, threading, quiet, tcp, narrator, waitsForEnter, stepDelayMillis, faults, observer,
                    watch, c -> c);
        }

        boolean step() {
            return narrator != null;
        }

        /** How long to wait for an answer: stepping is slow, and a class may take its time. */
        Duration patience() {
            if (!step()) {
                return Duration.ofSeconds(2);
            }
            return waitsForEnter ? Duration.ofHours(1) : Duration.ofSeconds(5).plusMillis(300 * stepDelayMillis);
        }

        static Demo plain(int count, int bigSize, org.cspstack.core.csp.Threading threading, boolean quiet,
                          boolean tcp) {
            return new Demo(count, bigSize, threading, quiet, tcp, null, false, 0, null, null, null);
        }
    }

    @Override
    public Integer call() throws Exception {
        if (bigSize < 0 || bigSize > 65507) {
            throw new Main.UserError("-s " + bigSize + ": data size must be 0..65507");
        }
        knobs.apply(A); // refuses bad values before anything starts
        if (count < 0 || count > 65535) {
            throw new Main.UserError("-c " + count + ": echo requests must be 0..65535");
        }
        if (stepDelay != null && (stepDelay < 0 || !step)) {
            throw new Main.UserError("--step-delay " + stepDelay + ": " + (step ? "must not be negative"
                    : "only with --step"));
        }
        org.cspstack.core.csp.Threading threading = threads == null ? null
                : StackOptions.parse("--threads", threads, org.cspstack.core.csp.Threading::parse);
        FaultSettings faults = faultOptions == null ? null : faultOptions.settings();
        boolean interactive = stepDelay == null && stdinIsTerminal();
        StepNarrator narrator = step ? new StepNarrator(System.out,
                StepNarrator.Pause.of(stepDelay, System.in, interactive)) : null;
        try (ChannelWatch watch = traceOptions.watch()) {
            ChannelObserver observer = ChannelObserver.both(watch.observer(), narrator);
            Demo demo = new Demo(count, bigSize, threading, quiet, true, narrator, interactive,
                    stepDelay == null ? 0 : stepDelay, faults, observer, watch, knobs::apply);
            int code = run(System.out, demo);
            watch.close();
            for (String line : watch.report()) {
                System.out.println(line);
            }
            return code;
        }
    }

    /** True when stdin is a terminal (someone can press Enter), as far as the JDK and /proc can tell. */
    private static boolean stdinIsTerminal() {
        if (System.console() != null) {
            return true;
        }
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/0")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    static int run(PrintStream out, int count, int bigSize, org.cspstack.core.csp.Threading threading,
                   boolean quiet) throws InterruptedException {
        return run(out, Demo.plain(count, bigSize, threading, quiet, true));
    }

    static int run(PrintStream out, Demo d) throws InterruptedException {
        int count = d.count();
        int bigSize = d.bigSize();
        boolean tcpOk = true;
        long t0 = System.nanoTime();
        FrameObserver narrator = d.quiet() || d.step() ? null : (from, to, frame) -> narrate(out, t0, from, to, frame);
        ProcessNetwork net = new ProcessNetwork("demo");
        if (d.observer() != null) {
            net.observe(d.observer());
        }
        MemoryLink wire = MemoryLink.create(net, "a.", "b.", 1500, MemoryLink.DEFAULT_CAPACITY, narrator);
        HostStack a = HostStack.build(net, "a.", d.knobs().apply(A), wire.endA());
        HostStack b = HostStack.build(net, "b.", d.knobs().apply(B), wire.endB(), null,
                d.faults() == null ? FaultSettings.none() : d.faults());
        b.addServices(java.util.EnumSet.of(org.cspstack.protocols.services.Service.ECHO));
        if (d.watch() != null) {
            try {
                d.watch().open(net.channels());
            } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
                throw new Main.UserError(e.getMessage());
            }
        }
        if (d.step()) {
            d.narrator().faults(d.faults() == null || d.faults().isNone() ? Map.of() : Map.of("b.", d.faults()));
        }
        ProcessRunner runner = new ProcessRunner(net,
                d.threading() == null ? org.cspstack.core.csp.Threading.forLayers() : d.threading());
        Duration patience = d.patience();

        out.println("cspstack demo: two host stacks joined by a simulated Ethernet link (no root, no NIC)");
        out.println("  implementations: " + net.implementations() + "; channel capacities: up "
                + b.config().upwardCapacity() + ", down " + b.config().downwardCapacity());
        out.println("  a = " + A.address() + " " + A.mac() + "    b = " + B.address() + " " + B.mac());
        out.println("  each stack is a network of processes (" + runner.threading() + " threads):");
        out.println("    " + String.join(" ", net.processes().stream().filter(p -> p.name().startsWith("a."))
                .map(ProcessSpec::name).toList()) + "   (and the same for b.)");
        out.println("  joined by channels; going up they buffer and drop when full, going down they block:");
        for (ChannelSpec c : net.channels()) {
            if (c.name().startsWith("a.")) {
                out.println("    " + c);
            }
        }
        if (d.faults() != null) {
            out.println("  b receives through a fault injector: " + d.faults());
        }
        if (d.step()) {
            out.println();
            out.println("Step by step: every line below is one message on one channel, [writer -> reader], with the "
                    + "channel's kind and, for the interesting ones, why it happens. "
                    + (d.waitsForEnter() ? "Press Enter for the next one." : "")
                    + " Stepping slows every process; timers still run.");
        }
        runner.start();
        try {
            out.println();
            out.println("a pings b. a knows b's address but not its MAC, so a.arp holds the echo request and "
                    + "asks first:");
            Pinger pinger = a.pinger();
            int replies = 0;
            for (int seq = 1; seq <= count; seq++) {
                PingResult r = pinger.ping(B.ip(), 0x7e57, seq, 56, patience);
                if (r.status() == PingResult.Status.REPLY) {
                    replies++;
                    out.printf("  => reply from %s: icmp_seq=%d ttl=%d time=%.3f ms%n", r.from(), seq, r.ttl(),
                            r.rttNanos() / 1e6);
                } else {
                    out.println("  => icmp_seq=" + seq + ": " + r.status() + " " + r.detail());
                }
                if (seq == 1 && count > 1) {
                    out.println("b's MAC is now in a's ARP cache, so the next requests go straight out:");
                }
            }
            if (bigSize > 0) {
                out.println();
                boolean single = "single".equals(b.config().process(
                        org.cspstack.protocols.stack.ProcessRegistry.REASSEMBLY));
                out.println("a pings b with " + bigSize + " bytes of data: more than the 1500-byte MTU, so a.ip sends "
                        + "fragments; " + (single
                                ? "b.ip hands them to b.reasm, the one process that holds every datagram in "
                                        + "reassembly in a table (--process reassembly=single), which puts it"
                                : "b.ip starts a process of its own for the datagram (b.reasm-N), which puts it")
                        + " back together, or gives up after the reassembly timeout. The reply comes back the same "
                        + "way:");
                PingResult r = pinger.ping(B.ip(), 0x7e57, count + 1, bigSize, patience);
                if (r.status() == PingResult.Status.REPLY) {
                    replies++;
                    out.printf("  => reply from %s: %d bytes, time=%.3f ms%n", r.from(), r.dataLength(),
                            r.rttNanos() / 1e6);
                } else {
                    out.println("  => " + r.status() + " " + r.detail());
                }
                count++;
                out.println("  reassemblies started: a " + a.ipv4Counters().get("reassembliesStarted")
                        + ", b " + b.ipv4Counters().get("reassembliesStarted")
                        + (single ? " (entries in each stack's reasm table, removed once whole)"
                                : " (each a process that ends as soon as its datagram is whole)"));
            }
            out.println();
            out.println(replies + " of " + count + " echo requests answered.");
            udpExchange(out, a, patience);
        } finally {
            boolean ended = runner.stop(Duration.ofSeconds(2));
            out.println();
            out.println("counters (non-zero), after shutting both stacks down by poison"
                    + (ended ? "" : " (some processes did not end: " + runner.alive() + ")") + ":");
            for (HostStack s : new HostStack[] {a, b}) {
                for (Counters c : s.counters()) {
                    out.println("  " + c.summary());
                }
            }
        }
        if (d.tcp()) {
            tcpOk = tcpOverALossyLink(out, d);
        }
        return runner.exitCode() != 0 || !tcpOk ? 1 : 0;
    }


    /**
     * A second pair of stacks whose link loses frames (seeded): a sends data to b's TCP echo service and checks
     * what comes back; the retransmissions are counted. Without fault options: 256 KiB over a link that loses
     * 2% and reorders 1% of what each side receives, or, in step mode, 4,000 bytes over a link that loses one
     * data segment on its way to b ({@link #STEP_TCP_FAULTS}). With fault options: those, on what b receives.
     */
    static boolean tcpOverALossyLink(PrintStream out, Demo d) throws InterruptedException {
        FaultSettings bFaults;
        FaultSettings aFaults;
        if (d.faults() != null && !d.faults().isNone()) {
            bFaults = d.faults();
            aFaults = FaultSettings.none();
        } else if (d.step()) {
            bFaults = d.faults() == null ? STEP_TCP_FAULTS : STEP_TCP_FAULTS.withSeed(d.faults().seed());
            aFaults = FaultSettings.none();
        } else {
            bFaults = d.faults() == null ? LOSSY_TCP_FAULTS : LOSSY_TCP_FAULTS.withSeed(d.faults().seed());
            aFaults = bFaults;
        }
        int size = d.step() ? STEP_TCP_BYTES : TCP_BYTES;
        out.println();
        out.println("TCP over a lossy link: a second pair of stacks; " + (aFaults.isNone() ? "b" : "each side")
                + " receives through a fault injector (" + bFaults + "). a connects to b's TCP echo service, sends "
                + size + " bytes and reads them back; every lost segment is retransmitted (fast retransmit on three "
                + "duplicate ACKs, or after the retransmission timeout):");
        ProcessNetwork net = new ProcessNetwork("demo-lossy");
        if (d.observer() != null) {
            net.observe(d.observer());
        }
        MemoryLink wire = MemoryLink.create(net, "a.", "b.");
        HostStack a = HostStack.build(net, "a.", d.knobs().apply(A), wire.endA(), null, aFaults);
        HostStack b = HostStack.build(net, "b.", d.knobs().apply(B), wire.endB(), null, bFaults);
        b.addServices(java.util.EnumSet.of(org.cspstack.protocols.services.Service.ECHO));
        if (d.step()) {
            d.narrator().faults(aFaults.isNone() ? Map.of("b.", bFaults) : Map.of("a.", aFaults, "b.", bFaults));
        }
        ProcessRunner runner = new ProcessRunner(net,
                d.threading() == null ? org.cspstack.core.csp.Threading.forLayers() : d.threading());
        runner.start();
        boolean intact = false;
        long t0 = System.nanoTime();
        Duration connectTimeout = d.patience().compareTo(Duration.ofSeconds(10)) > 0 ? d.patience()
                : Duration.ofSeconds(10);
        try (org.cspstack.protocols.tcp.TcpSocket s = org.cspstack.protocols.tcp.TcpSocket.connect(a.tcp(), B.ip(), 7,
                connectTimeout)) {
            byte[] data = new byte[size];
            new java.util.Random(1).nextBytes(data);
            Thread writer = new Thread(() -> {
                try {
                    s.getOutputStream().write(data);
                    s.shutdownOutput();
                } catch (java.io.IOException e) {
                    out.println("  => write failed: " + e.getMessage());
                }
            }, "demo-writer");
            writer.start();
            byte[] back = s.getInputStream().readAllBytes();
            writer.join();
            intact = java.util.Arrays.equals(data, back);
            out.printf("  => %d bytes sent, %d came back %s, in %.0f ms%n", data.length, back.length,
                    intact ? "intact" : "DIFFERENT", (System.nanoTime() - t0) / 1e6);
        } catch (java.io.IOException e) {
            out.println("  => " + e.getMessage());
        } finally {
            // b's side ends after its LAST-ACK; its counts join b.tcp's then (a's waits in TIME-WAIT).
            long deadline = System.nanoTime() + 2_000_000_000L;
            while (b.tcpCounters().connectionsEnded.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            runner.stop(Duration.ofSeconds(2));
        }
        for (HostStack h : new HostStack[] {a, b}) {
            h.counters().stream().filter(c -> c.owner().endsWith("faults")).forEach(c -> out.println("  " + c.summary()));
            out.println("  " + h.tcpCounters().summary());
        }
        if (d.step()) {
            out.println("  TCP retransmissions narrated above: " + d.narrator().retransmissions()
                    + " (a's connection still waits in TIME-WAIT, so its counts have not joined a.tcp's)");
        }
        return intact;
    }

    /** a sends a datagram to b's UDP echo service and reads the answer through the blocking socket face. */
    private static void udpExchange(PrintStream out, HostStack a, Duration patience) {
        out.println();
        out.println("a sends a UDP datagram to b's echo service (port 7) from an ephemeral port; b.udp hands it to "
                + "the b.udp-echo process through that port's receive channel, and the echo comes back:");
        try (org.cspstack.protocols.udp.UdpSocket socket =
                     org.cspstack.protocols.udp.UdpSocket.bind(a.udp(), 0)) {
            byte[] hello = "hello from a, over UDP".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            socket.send(B.ip(), 7, hello);
            org.cspstack.protocols.udp.UdpDatagram reply = socket.receive(patience);
            if (reply == null) {
                out.println("  => no answer within " + patience.toSeconds() + " s");
            } else {
                out.println("  => " + reply.data().length + " bytes back from " + reply.source() + ":"
                        + reply.sourcePort() + " to port " + reply.destinationPort() + ": \""
                        + new String(reply.data(), java.nio.charset.StandardCharsets.US_ASCII) + "\"");
            }
        } catch (java.net.BindException e) {
            out.println("  => cannot bind a port: " + e.getMessage());
        }
    }

    private static void narrate(PrintStream out, long t0, String from, String to, PacketBuffer frame) {
        String summary = FrameSummary.describe(frame.array(), frame.start(), frame.length());
        out.printf("  [%8.3f ms] %s -> %s  %s%n", (System.nanoTime() - t0) / 1e6, from, to, summary);
        String why = explain(summary, from);
        if (why != null) {
            out.println("                  " + why);
        }
    }

    private static String explain(String summary, String from) {
        if (summary.startsWith("ARP who-has")) {
            return "(" + from + ".arp broadcasts a request: only the owner of that address will answer)";
        }
        if (summary.startsWith("ARP reply")) {
            return "(" + from + ".arp answers with its MAC; the asker caches it and sends what it held back)";
        }
        if (summary.contains("IP fragment") && !summary.contains("offset 0")) {
            return null;
        }
        if (summary.contains("IP fragment")) {
            return "(" + from + ".ip split the datagram: fragments share an id, carry their offset, MF on all but the last)";
        }
        if (summary.contains("UDP") && summary.contains("> 7,")) {
            return "(" + from + ".udp put an 8-byte header with ports and a checksum over the pseudo-header in front)";
        }
        if (summary.contains("echo request")) {
            return "(" + from + ".icmp -> ip -> arp -> link-tx: each hop a channel, each layer a process)";
        }
        if (summary.contains("echo reply")) {
            return "(" + from + ".icmp turned the request into a reply in place and sent it back down)";
        }
        return null;
    }
}
