package org.cspstack.harness.experiments;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.cspstack.core.csp.Threading;
import org.cspstack.core.link.PcapConfig;
import org.cspstack.protocols.services.Service;
import org.cspstack.protocols.services.ServiceCounters;

/**
 * {@code cspstack bench}: every performance figure of the stack beside Linux's, in one run on the lab's veths,
 * with the JVM's costs of the stack's part (issue 8). One stack, in this JVM on csplab0 with the discard
 * service, serves every part; Linux's figures come from the kernels in csplab and csplabref in the same run.
 *
 * <ol>
 *   <li><b>tcp</b>: bulk TCP, MTU 1500 ({@link TcpThroughput}): Linux to Linux (csplabref to csplab), Linux to
 *       the stack's discard service, the stack to Linux; each transfer sends for {@link Settings#tcpSeconds()},
 *       the three directions interleaved, {@link Settings#tcpRepeats()} times; the median counts. One short
 *       uncounted transfer each way first (the JIT).</li>
 *   <li><b>ping</b>: one {@code ping -i 0.01} flow of {@link Settings#pings()} default-size echoes from csplab
 *       to the stack, then to the csplabref kernel (one veth hop from csplab either way), idle otherwise, after
 *       an uncounted flood ping to each ({@link PingExperiment}); p50 and p99 (nearest rank). Then the floor
 *       under the stack's figure on this machine: a lone message through the echo's
 *       {@value IdleHandoffs#PING_HANDOFFS} hand-offs between idle JCSP processes, and between plain threads,
 *       at the same pace with no stack ({@link IdleHandoffs}).</li>
 *   <li><b>udp</b>: our C sender in csplab offers {@link Settings#UDP_RATE} 64-byte datagrams per second for
 *       {@link Settings#udpSeconds()} to the stack's discard service, then to our C receiver in csplabref
 *       ({@link UdpExperiment}); lost = sent minus what the discard service (or the receiver) counted.</li>
 * </ol>
 * The stack's part of each (the transfers to and from the stack, the pings at it, the datagrams into it) is
 * a {@link JvmMeter} window: heap after GC and peak, allocation rate and bytes per packet (every thread),
 * garbage per packet (the stack's: allocated minus what the harness's own thread allocated minus what the
 * window kept, such as a pool grown to a burst), CPU time per packet. The targets' "no garbage per packet" is
 * judged on garbage.
 *
 * <p>Writes {@code bench.csv} (the figures), {@code bench-jvm.csv}, {@code bench-tcp.csv} (every transfer),
 * {@code bench-ping.csv} (every RTT), {@code bench-udp.csv}, {@code bench-tcp.png}, {@code bench-ping.png},
 * {@code bench.md} and {@code environment.txt}.
 */
public final class Bench {
    private static final long TCP_MAX_BYTES = 1L << 40; // transfers are bounded by time
    private static final int PING_BYTES = 56;
    private static final String TCP_IN = "tcp in (Linux -> stack)";
    private static final String UDP_IN = "udp in (into discard)";

    private Bench() {
    }

    /** What a run measures. */
    public enum Part {
        TCP, PING, UDP;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses {@code tcp,ping,udp} (any subset, any order, any case). */
        public static Set<Part> parseList(String list) {
            Set<Part> parts = EnumSet.noneOf(Part.class);
            for (String s : list.split(",")) {
                String name = s.trim();
                if (name.isEmpty()) {
                    continue;
                }
                try {
                    parts.add(valueOf(name.toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown part '" + name + "'; known: tcp, ping, udp");
                }
            }
            if (parts.isEmpty()) {
                throw new IllegalArgumentException("no part given; known: tcp, ping, udp");
            }
            return parts;
        }
    }

    /**
     * The run's sizes: the full run (about 2 minutes), or {@code quick} (under a minute); and how the stack's
     * capture is driven: libpcap immediate mode (every frame at once: the latency setting, the default) or not
     * (the kernel fills ring blocks for up to 1 ms: bigger batches, less CPU, 1 ms more latency).
     */
    public record Settings(boolean quick, Set<Part> parts, boolean immediate, Threading threading,
                           String tcpCongestionControl) {
        public static final int UDP_RATE = 100_000;

        public Settings {
            if (tcpCongestionControl != null && !tcpCongestionControl.matches("[a-z0-9_]{1,15}")) {
                throw new IllegalArgumentException("congestion control '" + tcpCongestionControl
                        + "' is not a kernel algorithm's name (such as cubic, reno, bbr)");
            }
        }

        /** The Linux senders with the namespace's default congestion control. */
        public Settings(boolean quick, Set<Part> parts, boolean immediate, Threading threading) {
            this(quick, parts, immediate, threading, null);
        }

        /** In immediate mode, layers on the default threads. */
        public Settings(boolean quick, Set<Part> parts) {
            this(quick, parts, true);
        }

        /** Layers on the default threads ({@link Threading#forLayers()}). */
        public Settings(boolean quick, Set<Part> parts, boolean immediate) {
            this(quick, parts, immediate, Threading.forLayers());
        }

        public int tcpRepeats() {
            return quick ? 1 : 3;
        }

        public double tcpSeconds() {
            return quick ? 1 : 3;
        }

        public double tcpWarmUpSeconds() {
            return quick ? 0.5 : 1;
        }

        public int pings() {
            return quick ? 50 : 200;
        }

        public double pingInterval() {
            return 0.01;
        }

        public int pingWarmUp() {
            return quick ? 500 : 2000;
        }

        public double udpSeconds() {
            return quick ? 2 : 10;
        }

        public int udpDatagrams() {
            return (int) Math.round(UDP_RATE * udpSeconds());
        }

        /** Datagrams of the uncounted warm-up, sent at the measured rate: a second's worth (half in quick). */
        public int udpWarmUpDatagrams() {
            return (int) Math.round(UDP_RATE * (quick ? 0.5 : 1));
        }

        public String describe() {
            return String.format(Locale.ROOT, "%s run of %s: tcp %d x %s s per direction, ping %d at %s s, udp %,d/s "
                            + "for %s s, capture %s", quick ? "quick" : "full", parts, tcpRepeats(),
                    PingExperiment.seconds(tcpSeconds()), pings(), PingExperiment.seconds(pingInterval()), UDP_RATE,
                    PingExperiment.seconds(udpSeconds()), immediate ? "immediate" : "batched (not immediate, 1 ms)")
                    + (threading == Threading.forLayers() ? "" : ", layers on " + threading + " threads")
                    + (tcpCongestionControl == null ? "" : ", Linux's TCP senders with " + tcpCongestionControl);
        }
    }

    /** The figures and the JVM's costs per part. */
    public record Result(List<BenchReport.Line> lines, Map<String, JvmMeter.Usage> jvm) {
    }

    /** Runs the bench in the lab (root; {@code scripts/lab.sh up}) and writes its files into {@code out}. */
    public static Result run(ExperimentOutput out, Settings settings, PrintStream console) throws Exception {
        long t0 = System.nanoTime();
        LabStack.require();
        PingExperiment.requireNobodyAt(LabStack.STACK_IP);
        Threading threading = settings.threading();
        PcapConfig pcap = PcapConfig.defaults(LabStack.NIC).withImmediate(settings.immediate());
        out.note("bench", settings.describe());
        out.note("stack", "in this JVM on " + LabStack.NIC + " at " + LabStack.STACK_IP + ", layers on " + threading
                + " threads, pcap immediate " + pcap.immediate() + ", services: discard");
        out.note("max heap", BenchReport.num(JvmMeter.maxHeapMiB()) + " MiB");
        out.note("kernel-release", Shell.run(null, "uname -r", Duration.ofSeconds(5)).trim());
        out.note("load average at start", PingExperiment.loadAverage());
        console.println("bench: " + settings.describe());
        console.println("  " + out.writeEnvironment());

        List<BenchReport.Line> lines = new ArrayList<>();
        Map<String, JvmMeter.Usage> jvm = new LinkedHashMap<>();
        StringBuilder notes = new StringBuilder();
        try (CTools tools = CTools.compile(TcpThroughput.TOOL, UdpExperiment.SENDER, UdpExperiment.RECEIVER);
             LabStack lab = LabStack.start("bench", pcap, threading, EnumSet.of(Service.DISCARD))) {
            UdpExperiment.Trials trials = new UdpExperiment.Trials(tools, lab, null);
            trials.primeNeighbours();
            JvmMeter meter = new JvmMeter(lab::frames);
            if (settings.parts().contains(Part.TCP)) {
                tcp(out, settings, tools.binary(TcpThroughput.TOOL), lab, meter, lines, jvm, console);
                lab.requireHealthy();
            }
            if (settings.parts().contains(Part.PING)) {
                ping(out, settings, meter, lines, jvm, notes, console);
                lab.requireHealthy();
            }
            if (settings.parts().contains(Part.UDP)) {
                udp(out, settings, lab, trials, meter, lines, jvm, notes, console);
                lab.requireHealthy();
            }
            notes.append("Stack counters at the end:\n");
            lab.stack().counters().forEach(c -> notes.append("  ").append(c.summary()).append('\n'));
        }
        receivePathLines(jvm, lines);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        out.note("load average at end", PingExperiment.loadAverage());
        out.note("elapsed", String.format(Locale.ROOT, "%.0f s", elapsed));
        out.writeEnvironment();
        write(out, settings, lines, jvm, notes.toString(), elapsed, console);
        return new Result(lines, jvm);
    }

    // ---- the parts -----------------------------------------------------------------------------------------

    private static void tcp(ExperimentOutput out, Settings s, Path bulk, LabStack lab, JvmMeter meter,
                            List<BenchReport.Line> lines, Map<String, JvmMeter.Usage> jvm, PrintStream console)
            throws Exception {
        String cc = s.tcpCongestionControl();
        console.printf(Locale.ROOT, "tcp: %d x (Linux -> Linux, Linux -> stack, stack -> Linux), %s s each, MTU 1500; "
                        + "Linux's senders with congestion control %s%n", s.tcpRepeats(),
                PingExperiment.seconds(s.tcpSeconds()), TcpThroughput.congestionControl(LabStack.PEER_NS, cc));
        TcpThroughput.linuxToStack(bulk, TCP_MAX_BYTES, s.tcpWarmUpSeconds(), cc);
        TcpThroughput.stackToLinux(lab.stack(), bulk, TCP_MAX_BYTES, s.tcpWarmUpSeconds());
        console.println("  warm-up done (one uncounted transfer each way to and from the stack)");
        double[] ll = new double[s.tcpRepeats()];
        double[] ls = new double[s.tcpRepeats()];
        double[] sl = new double[s.tcpRepeats()];
        List<List<Object>> rows = new ArrayList<>();
        JvmMeter.Usage in = null;
        JvmMeter.Usage outUsage = null;
        for (int r = 0; r < s.tcpRepeats(); r++) {
            TcpThroughput.Transfer a = TcpThroughput.linuxToLinux(bulk, TCP_MAX_BYTES, s.tcpSeconds(), cc);
            meter.start();
            TcpThroughput.Transfer b = TcpThroughput.linuxToStack(bulk, TCP_MAX_BYTES, s.tcpSeconds(), cc);
            in = BenchReport.plus(in, meter.stop());
            meter.start();
            TcpThroughput.Transfer c = TcpThroughput.stackToLinux(lab.stack(), bulk, TCP_MAX_BYTES, s.tcpSeconds());
            outUsage = BenchReport.plus(outUsage, meter.stop());
            ll[r] = a.bitsPerSecond() / 1e6;
            ls[r] = b.bitsPerSecond() / 1e6;
            sl[r] = c.bitsPerSecond() / 1e6;
            for (Object[] t : new Object[][] {{"linux->linux", a}, {"linux->stack", b}, {"stack->linux", c}}) {
                TcpThroughput.Transfer x = (TcpThroughput.Transfer) t[1];
                rows.add(List.of(t[0], r + 1, x.bytes(), x.seconds(), x.bitsPerSecond() / 1e6));
            }
            console.printf(Locale.ROOT, "  %d/%d  Linux -> Linux %s, Linux -> stack %s, stack -> Linux %s Mbit/s%n",
                    r + 1, s.tcpRepeats(), BenchReport.num(ll[r]), BenchReport.num(ls[r]), BenchReport.num(sl[r]));
        }
        jvm.put(TCP_IN, in);
        jvm.put("tcp out (stack -> Linux)", outUsage);
        double linux = LatencyStats.median(ll);
        lines.add(new BenchReport.Line("TCP Linux -> stack, Mbit/s", LatencyStats.median(ls), linux,
                BenchReport.Target.atLeast(1500, "").and(BenchReport.Target.ratioAtLeast(0.25, 0.5, ""),
                        ">= 1,500 and >= 0.25x (stretch 0.5x)")));
        lines.add(new BenchReport.Line("TCP stack -> Linux, Mbit/s", LatencyStats.median(sl), linux,
                BenchReport.Target.atLeast(1000, ">= 1,000")));
        out.csv("bench-tcp.csv", List.of("direction", "repeat", "bytes", "seconds", "mbit_s"), rows);
        Plot plot = new Plot("TCP bulk, MTU 1500, " + PingExperiment.seconds(s.tcpSeconds()) + " s per transfer",
                "repeat", "Mbit/s", false, false);
        plot.add("Linux -> Linux", points(ll)).add("Linux -> stack", points(ls)).add("stack -> Linux", points(sl));
        plot.write(out.dir().resolve("bench-tcp.png"));
    }

    private static void ping(ExperimentOutput out, Settings s, JvmMeter meter, List<BenchReport.Line> lines,
                             Map<String, JvmMeter.Usage> jvm, StringBuilder notes, PrintStream console)
            throws Exception {
        console.printf(Locale.ROOT, "ping: %d echoes of %d bytes at %s s from csplab, to the stack then to Linux%n",
                s.pings(), PING_BYTES, PingExperiment.seconds(s.pingInterval()));
        PingExperiment.warmUp(PingExperiment.STACK, s.pingWarmUp(), PING_BYTES, console);
        PingExperiment.warmUp(PingExperiment.KERNEL, s.pingWarmUp(), PING_BYTES, console);
        List<List<Object>> raw = new ArrayList<>();
        List<String> anomalies = new ArrayList<>();
        Map<String, String> cpu = new LinkedHashMap<>();
        meter.start();
        PingExperiment.Row stack = PingExperiment.measure(PingExperiment.STACK, 1, s.pings(), s.pingInterval(),
                PING_BYTES, raw, anomalies, cpu, console);
        jvm.put("ping (stack answers)", meter.stop());
        PingExperiment.Row linux = PingExperiment.measure(PingExperiment.KERNEL, 1, s.pings(), s.pingInterval(),
                PING_BYTES, raw, anomalies, cpu, console);
        lines.add(new BenchReport.Line("ping RTT p50, ms", stack.p50Ms(), linux.p50Ms(),
                BenchReport.Target.ratioAtMost(3, 2, "<= 3x (stretch 2x)")));
        lines.add(new BenchReport.Line("ping RTT p99, ms", stack.p99Ms(), linux.p99Ms(), BenchReport.Target.NONE));
        lines.add(new BenchReport.Line("ping loss, %", stack.lossPct(), linux.lossPct(), BenchReport.Target.NONE));
        handoffFloor(s, lines, notes, linux.p50Ms(), console);
        if (!anomalies.isEmpty()) {
            notes.append("Ping anomalies: ").append(String.join("; ", anomalies)).append("\n\n");
        }
        out.csv("bench-ping.csv", List.of("target", "k", "flow", "seq", "rtt_ms"), raw);
        Plot plot = new Plot("ping RTT, " + PING_BYTES + " data bytes, -i " + PingExperiment.seconds(s.pingInterval())
                + " s: distribution", "RTT, ms", "percentile", true, false);
        plot.add("stack", cdf(raw, PingExperiment.STACK)).add("Linux", cdf(raw, PingExperiment.KERNEL));
        plot.write(out.dir().resolve("bench-ping.png"));
    }

    /**
     * What the ping's {@value IdleHandoffs#PING_HANDOFFS} hand-offs between idle threads cost here without a
     * stack ({@link IdleHandoffs}), at the pings' own pace: the floor under the stack's RTT on this machine.
     */
    private static void handoffFloor(Settings s, List<BenchReport.Line> lines, StringBuilder notes, double linuxP50,
                                     PrintStream console) throws InterruptedException {
        int h = IdleHandoffs.PING_HANDOFFS;
        Duration gap = Duration.ofNanos(Math.round(s.pingInterval() * 1e9));
        List<String> note = new ArrayList<>();
        for (IdleHandoffs.Result r : IdleHandoffs.everyLine(h, s.pings(), gap)) {
            BenchReport.Line line = new BenchReport.Line("floor: " + h + " idle hand-offs, " + r.line() + ", p50 ms",
                    r.p50Ms(), linuxP50, BenchReport.Target.NONE);
            console.printf(Locale.ROOT, "  floor: %d idle hand-offs, %s: p50 %.3f ms (%.1fx Linux's RTT), p90 %.3f%n",
                    h, r.line(), r.p50Ms(), line.ratio(), r.p90Ms());
            lines.add(line);
            note.add(String.format(Locale.ROOT, "%s %.3f ms", r.line(), r.p50Ms()));
        }
        notes.append(String.format(Locale.ROOT, "Ping floor: a lone message through %d idle hand-offs (the stack's "
                + "processes on an echo's way, every reader parked, one message every %s s, no stack, no NIC), p50: "
                + "%s. The floor rows' ratio is that time over Linux's whole RTT.%n%n", h,
                PingExperiment.seconds(s.pingInterval()), String.join("; ", note)));
    }

    private static void udp(ExperimentOutput out, Settings s, LabStack lab, UdpExperiment.Trials trials,
                            JvmMeter meter, List<BenchReport.Line> lines, Map<String, JvmMeter.Usage> jvm,
                            StringBuilder notes, PrintStream console) throws Exception {
        ServiceCounters discard = (ServiceCounters) lab.serviceCounters("udp-" + Service.DISCARD.label());
        int rate = Settings.UDP_RATE;
        int count = s.udpDatagrams();
        Duration bound = UdpExperiment.boundFor(rate, count, Duration.ofSeconds(1));
        console.printf(Locale.ROOT, "udp: %,d datagrams of %d bytes at %,d/s (%s s) into the stack's discard service, "
                        + "then into a C receiver in csplabref%n", count, UdpExperiment.PAYLOAD, rate,
                PingExperiment.seconds(s.udpSeconds()));
        // Warm-up at the measured rate, so that what grows to a burst's size (the buffer pool, the batch rings)
        // and what the JIT compiles for it are there before the clock starts, as for TCP's uncounted transfer.
        int warmUp = s.udpWarmUpDatagrams();
        Duration warmUpBound = UdpExperiment.boundFor(rate, warmUp, Duration.ofSeconds(1));
        trials.discardTrial(rate, warmUp, warmUpBound, discard, new JvmMeter(lab::frames));
        trials.kernelTrial(rate, warmUp, warmUpBound);
        console.printf(Locale.ROOT, "  warm-up done (%,d datagrams at %,d/s to each, not counted); now %s s into the "
                + "stack ...%n", warmUp, rate, PingExperiment.seconds(s.udpSeconds()));
        UdpExperiment.Trial stack = trials.discardTrial(rate, count, bound, discard, meter);
        jvm.put(UDP_IN, meter.usage());
        console.println("  " + UdpExperiment.progress(stack));
        console.println("  now " + PingExperiment.seconds(s.udpSeconds()) + " s into Linux ...");
        UdpExperiment.Trial linux = trials.kernelTrial(rate, count, bound);
        console.println("  " + UdpExperiment.progress(linux));
        lines.add(new BenchReport.Line(String.format(Locale.ROOT, "UDP delivered at %,d/s offered, datagrams/s", rate),
                delivered(stack), delivered(linux), BenchReport.Target.NONE));
        lines.add(new BenchReport.Line(String.format(Locale.ROOT, "UDP lost at %,d/s for %s s, %%", rate,
                PingExperiment.seconds(s.udpSeconds())), stack.row().dropPct(), linux.row().dropPct(),
                BenchReport.Target.atMost(0.002, "<= 0.002 (100,000/s, 10 s)")));
        List<List<Object>> rows = new ArrayList<>();
        for (UdpExperiment.Trial t : List.of(stack, linux)) {
            UdpExperiment.Row r = t.row();
            rows.add(List.of(r.target(), rate, t.achievedRate(), r.sent(), r.received(), r.lost(), r.dropPct(),
                    delivered(t), "\"" + t.drops() + "\""));
        }
        out.csv("bench-udp.csv", List.of("target", "rate", "achieved_rate", "sent", "received", "lost", "drop_pct",
                "delivered_per_s", "drops"), rows);
        notes.append("UDP, where datagrams were dropped (counter deltas over each trial):\n")
                .append("  stack: ").append(stack.drops()).append('\n')
                .append("  Linux: ").append(linux.drops()).append("\n\n");
    }

    /** Datagrams that arrived per second of sending: the achieved send rate times the share that arrived. */
    private static double delivered(UdpExperiment.Trial t) {
        UdpExperiment.Row r = t.row();
        return r.sent() == 0 ? Double.NaN : t.achievedRate() * r.received() / r.sent();
    }

    /**
     * The receive paths' garbage per packet (allocated and not kept), against "no garbage per packet", and the
     * heap's peak.
     */
    private static void receivePathLines(Map<String, JvmMeter.Usage> jvm, List<BenchReport.Line> lines) {
        for (String part : List.of(TCP_IN, UDP_IN)) {
            JvmMeter.Usage u = jvm.get(part);
            if (u != null) {
                lines.add(new BenchReport.Line(part.substring(0, part.indexOf(" (")) + ": garbage per packet, B",
                        u.garbagePerPacket(), Double.NaN, BenchReport.Target.atMost(1, "~0 (<= 1)")));
            }
        }
        double peak = jvm.values().stream().mapToDouble(JvmMeter.Usage::heapPeakMiB).max().orElse(Double.NaN);
        double afterGc = jvm.values().stream().mapToDouble(JvmMeter.Usage::heapAfterGcMiB).max().orElse(Double.NaN);
        lines.add(new BenchReport.Line("heap peak (all parts), MiB", peak, Double.NaN,
                BenchReport.Target.atMost(256, "< 256")));
        lines.add(new BenchReport.Line("heap after GC (all parts), MiB", afterGc, Double.NaN, BenchReport.Target.NONE));
    }

    // ---- output --------------------------------------------------------------------------------------------

    private static void write(ExperimentOutput out, Settings s, List<BenchReport.Line> lines,
                              Map<String, JvmMeter.Usage> jvm, String notes, double elapsed, PrintStream console) {
        out.csv("bench.csv", BenchReport.CSV_HEADER, BenchReport.csvRows(lines));
        out.csv("bench-jvm.csv", BenchReport.JVM_CSV_HEADER, BenchReport.jvmCsvRows(jvm));
        StringBuilder md = new StringBuilder("# cspstack bench\n\n");
        md.append("Run of ").append(out.environment().get("date")).append(", ").append(s.describe())
                .append(String.format(Locale.ROOT, ", %.0f s in all.%n%n", elapsed));
        md.append("Machine: ").append(out.environment().get("cpus")).append(" CPUs (")
                .append(out.environment().get("cpu")).append("), ").append(out.environment().get("kernel"))
                .append(", JDK ").append(out.environment().get("jdk")).append(", max heap ")
                .append(out.environment().get("max heap")).append(", load average at start ")
                .append(out.environment().get("load average at start")).append(" and at end ")
                .append(out.environment().get("load average at end")).append(".\n\n");
        md.append(BenchReport.markdown(lines)).append('\n');
        md.append("The stack's part of each, as the JVM counts it (CPU and allocation: every thread of the JVM; "
                + "garbage: allocated minus what the harness's thread allocated minus what the window kept; packets "
                + "are the stack's link frames in and out):\n\n");
        md.append(BenchReport.jvmMarkdown(jvm)).append('\n');
        md.append("Ratio is stack / Linux. Linux: TCP from csplabref to csplab, ping and UDP to the kernel in "
                + "csplabref, all over the same kind of veth, offloads off. Method: see papers/perf/README.md.\n\n");
        md.append("```\n").append(notes).append("```\n");
        out.write("bench.md", md.toString());
        console.println();
        console.print(BenchReport.table(lines));
        console.println();
        console.print(BenchReport.jvmTable(jvm));
        console.printf(Locale.ROOT, "%nbench: %.0f s; wrote bench.md, bench.csv, bench-jvm.csv and the raw CSV, PNG "
                + "and environment.txt to %s%n", elapsed, out.dir());
    }

    private static List<double[]> points(double[] values) {
        List<double[]> pts = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            pts.add(new double[] {i + 1, values[i]});
        }
        return pts;
    }

    /** The RTTs of one target as (RTT, percentile) points, ascending. */
    private static List<double[]> cdf(List<List<Object>> raw, String target) {
        double[] rtts = raw.stream().filter(r -> r.get(0).equals(target))
                .mapToDouble(r -> ((Number) r.get(4)).doubleValue()).sorted().toArray();
        List<double[]> pts = new ArrayList<>();
        for (int i = 0; i < rtts.length; i++) {
            pts.add(new double[] {rtts[i], 100.0 * (i + 1) / rtts.length});
        }
        return pts;
    }
}
