package org.cspstack.harness.experiments;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.csp.ChannelSpec;
import org.cspstack.core.csp.ProcessNetwork;
import org.cspstack.core.csp.Threading;
import org.cspstack.core.link.PcapConfig;
import org.cspstack.protocols.services.Service;
import org.cspstack.protocols.services.ServiceCounters;
import org.cspstack.protocols.stack.HostStack;
import org.cspstack.protocols.udp.Udp;
import org.cspstack.protocols.udp.UdpDatagram;
import org.cspstack.protocols.udp.UdpSocket;

/**
 * UDP loss and one-way latency in the lab, the stack beside the Linux kernel in one run, across send rates. It
 * reproduces GoNet's "drop rate of approximately 0.002%" (50,000 datagrams at about 56/s over loopback, one lost;
 * one-way latency mean 547 us, median 341 us, p99 2.2 ms) and "only two times slower than Linux".
 *
 * <p><b>Method.</b> Our sender ({@code experiments/udp_sender.c}, compiled with {@code cc -O2} at run time) runs in
 * namespace {@code csplab} on the kernel's UDP sockets and sends numbered 64-byte datagrams, each carrying its
 * {@code CLOCK_MONOTONIC} send time in nanoseconds, paced to absolute deadlines (or as fast as {@code sendto}
 * goes). Two receivers take {@code CLOCK_MONOTONIC} at arrival in the application:
 * <ol>
 *   <li><b>stack</b>: a {@link UdpSocket} bound on {@value #STACK_PORT} of an in-process stack at
 *       {@value #STACK_IP} on {@code csplab0} (pcap immediate mode, layers on {@link Threading#forLayers()}
 *       threads, default receive queue of {@value Udp#DEFAULT_QUEUE} datagrams); arrival is
 *       {@link System#nanoTime()} (CLOCK_MONOTONIC on Linux) right after {@code receive} returns;</li>
 *   <li><b>kernel</b>: our receiver ({@code experiments/udp_receiver.c}) in namespace {@code csplabref} bound on
 *       {@value #KERNEL_IP}:{@value #KERNEL_PORT} (default receive buffer), one {@code recv} per datagram.</li>
 * </ol>
 * Both paths leave the csplab kernel over one veth of the same kind, offloads off. For every rate the two trials
 * run back to back (which goes first alternates from rate to rate), after one uncounted warm-up trial each. A
 * trial sends {@code min(maxDatagrams, max(rate * perRate, }{@value #MIN_DATAGRAMS}{@code ))} datagrams (at the
 * paper's 56/s that is 20 s), or, "as fast as it can" (rate -1), up to {@code maxDatagrams} for at most
 * {@code perRate}. Losses are sequence numbers that never arrived; {@link LatencyStats} does the arithmetic
 * (nearest-rank percentiles). Every trial is bounded in datagrams and time; only 198.18.0.0/15 and UDP ports
 * 5301-5302 are used.
 *
 * <p>Writes {@code udp.csv}, {@code udp-detail.csv} (duplicates, reordering, achieved send rate, where datagrams
 * were dropped), {@code udp-latency.png}, {@code udp-drop.png}, {@code udp.txt} (the paper's figures beside
 * ours) and {@code environment.txt}.
 */
public final class UdpExperiment {
    public static final String STACK_NIC = LabStack.NIC;
    public static final String SENDER_NS = LabStack.PEER_NS;
    public static final String KERNEL_NS = LabStack.REF_NS;
    public static final String STACK_IP = LabStack.STACK_IP;
    public static final String KERNEL_IP = LabStack.REF_IP;
    public static final int STACK_PORT = 5301;
    public static final int KERNEL_PORT = 5302;
    /** Datagram payload bytes, as in the paper's experiment. */
    public static final int PAYLOAD = 64;
    /** GoNet's rate, datagrams per second. */
    public static final int PAPER_RATE = 56;
    /** Fewest datagrams in a paced trial (20 s at 56/s): a p99 over at least 11 values above it. */
    public static final int MIN_DATAGRAMS = 1120;
    /** The default short run: the paper's rate, then 1,000 to 100,000/s and as fast as it can (-1). */
    public static final List<Integer> DEFAULT_RATES = List.of(PAPER_RATE, 1_000, 10_000, 100_000, -1);
    public static final Duration DEFAULT_PER_RATE = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_DATAGRAMS = 500_000;
    /** The paper's run: 50,000 datagrams at 56/s (about 15 minutes per target). */
    public static final int PAPER_DATAGRAMS = 50_000;

    /** Largest trial this class accepts, so that records always fit in memory. */
    static final int MAX_DATAGRAMS_LIMIT = 10_000_000;
    static final String SENDER = "udp_sender";
    static final String RECEIVER = "udp_receiver";
    private static final int MAGIC = 0x55505343; // "CSPU", little-endian
    private static final long END_SEQ = -1L; // 2^64-1 as the sender writes it
    private static final Duration GRACE = Duration.ofSeconds(3);
    private static final VarHandle LE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    private UdpExperiment() {
    }

    /** One trial's figures, as in {@code udp.csv}; latencies in microseconds (NaN when nothing arrived). */
    public record Row(String target, int rate, long sent, long received, long lost, double dropPct, double meanUs,
                      double p50Us, double p99Us, double maxUs) {
    }

    /** A trial with what does not fit {@link Row}: for the detail file, the plots and the write-up. */
    record Trial(Row row, LatencyStats.Summary summary, double achievedRate, long sendErrors,
                         String drops, double loadAverage) {
    }

    /**
     * Runs the experiment in the lab (root; {@code scripts/lab.sh up}) and writes its files into {@code out}.
     *
     * @param rates        datagrams per second, in order; -1 is "as fast as it can"
     * @param perRate      how long a trial at one rate sends (at least {@value #MIN_DATAGRAMS} datagrams
     *                     when paced); for rate -1, the bound on its time
     * @param maxDatagrams most datagrams of one trial
     * @param console      one progress line per trial
     * @return one row per trial: for each rate, stack and kernel
     */
    public static List<Row> run(ExperimentOutput out, List<Integer> rates, Duration perRate, int maxDatagrams,
                                PrintStream console) throws Exception {
        if (rates.isEmpty()) {
            throw new IllegalArgumentException("no rates given; use e.g. " + DEFAULT_RATES);
        }
        for (int r : rates) {
            if (r == 0 || r < -1) {
                throw new IllegalArgumentException("rate " + r + " is neither positive nor -1 (as fast as it can)");
            }
        }
        if (perRate.isNegative() || perRate.isZero() || perRate.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("time per rate " + perRate + " is outside (0, 1 h]");
        }
        if (maxDatagrams < 1 || maxDatagrams > MAX_DATAGRAMS_LIMIT) {
            throw new IllegalArgumentException("max datagrams " + maxDatagrams + " is outside 1.."
                    + MAX_DATAGRAMS_LIMIT);
        }
        LabStack.require();
        try (Progress progress = Progress.start("udp", 2L * rates.size() + 2, "trials", console)) {
            return run(out, rates, perRate, maxDatagrams, progress);
        }
    }

    /** The run itself, on a validated configuration: the warm-up and every trial advance {@code progress}. */
    private static List<Row> run(ExperimentOutput out, List<Integer> rates, Duration perRate, int maxDatagrams,
                                 Progress progress) throws Exception {
        PrintStream console = progress.console();
        Threading threading = Threading.forLayers();
        PcapConfig pcap = PcapConfig.defaults(STACK_NIC); // immediate mode: the latency setting
        out.note("experiment", "udp: " + PAYLOAD + "-byte datagrams from the csplab kernel to the stack ("
                + STACK_IP + ":" + STACK_PORT + ") and to the csplabref kernel (" + KERNEL_IP + ":" + KERNEL_PORT
                + ")");
        out.note("rates", rates + " datagrams/s (-1: as fast as it can), " + perRate.toMillis() + " ms per rate, "
                + "at least " + MIN_DATAGRAMS + " and at most " + maxDatagrams + " datagrams per trial");
        out.note("stack", "layers on " + threading + " threads, pcap immediate " + pcap.immediate() + ", capture ring "
                + (pcap.bufferBytes() >> 20) + " MiB, socket queue " + Udp.DEFAULT_QUEUE + " datagrams");
        out.note("kernel-release", Shell.run(null, "uname -r", Duration.ofSeconds(5)).trim());
        console.println("udp: " + rates + " datagrams/s (-1 = as fast as it can), " + PAYLOAD
                + "-byte datagrams, csplab kernel -> stack and -> csplabref kernel; " + out.writeEnvironment());

        List<Trial> trials = new ArrayList<>();
        try (CTools tools = CTools.compile(SENDER, RECEIVER);
             LabStack lab = LabStack.start("udp-experiment", pcap, threading, Set.of());
             UdpSocket socket = UdpSocket.bind(lab.stack().udp(), STACK_PORT)) {
            Trials t = new Trials(tools, lab, socket);
            t.primeNeighbours();
            t.stackTrial(5_000, 5_000, Duration.ofSeconds(1)); // warm-up (the JIT, caches); not counted
            progress.advance();
            t.kernelTrial(5_000, 5_000, Duration.ofSeconds(1));
            progress.advance();
            console.println("  warm-up done (5,000 datagrams at 5,000/s to each, not counted)");
            for (int i = 0; i < rates.size(); i++) {
                int rate = rates.get(i);
                int count = datagramsFor(rate, perRate, maxDatagrams);
                Duration bound = boundFor(rate, count, perRate);
                boolean stackFirst = i % 2 == 0;
                for (int k = 0; k < 2; k++) {
                    boolean onStack = (k == 0) == stackFirst;
                    Trial trial = onStack ? t.stackTrial(rate, count, bound) : t.kernelTrial(rate, count, bound);
                    trials.add(trial);
                    console.println("  " + progress(trial));
                    progress.advance();
                }
            }
            console.println("  stack counters: " + lab.stack().udpCounters().summary());
            console.println("  link counters:  " + lab.stack().linkCounters().summary());
        }
        writeOutputs(out, trials);
        console.println("udp: wrote udp.csv, udp-detail.csv, udp-latency.png, udp-drop.png, udp.txt to " + out.dir());
        List<Row> rows = new ArrayList<>();
        trials.forEach(tr -> rows.add(tr.row()));
        return rows;
    }

    /** How long a trial of {@code count} datagrams at {@code rate} may send (rate -1: {@code perRate}). */
    static Duration boundFor(int rate, int count, Duration perRate) {
        return rate < 0 ? perRate : Duration.ofMillis((long) Math.ceil(count * 1200.0 / rate) + 1000);
    }

    /** Datagrams of one trial at {@code rate}: see the class comment. */
    static int datagramsFor(int rate, Duration perRate, int maxDatagrams) {
        if (rate < 0) {
            return maxDatagrams;
        }
        long byTime = (long) Math.ceil(rate * (perRate.toNanos() / 1e9));
        return (int) Math.min(maxDatagrams, Math.max(byTime, MIN_DATAGRAMS));
    }

    // ---- the trials ----------------------------------------------------------------------------------------

    /** Runs trials against both targets; one instance per run, used from one thread. */
    static final class Trials {
        private final Path work;
        private final Path sender;
        private final Path receiver;
        private final HostStack stack;
        private final ProcessNetwork net;
        private final UdpSocket socket;
        private int nextTrial = ThreadLocalRandom.current().nextInt(1, 1 << 30);

        /** {@code socket}: the stack's receiving application for {@link #stackTrial}; null when not used. */
        Trials(CTools tools, LabStack lab, UdpSocket socket) {
            this.work = tools.work();
            this.sender = tools.binary(SENDER);
            this.receiver = tools.binary(RECEIVER);
            this.stack = lab.stack();
            this.net = lab.network();
            this.socket = socket;
        }

        /** One ping to each target, so that the csplab kernel has both neighbours before any datagram. */
        void primeNeighbours() throws Exception {
            for (String ip : List.of(STACK_IP, KERNEL_IP)) {
                String r = Shell.run(SENDER_NS, "ping -n -c 1 -W 2 " + ip, Duration.ofSeconds(10));
                if (!r.contains(" 0% packet loss")) {
                    throw new IllegalStateException("no answer to ping " + ip + " from " + SENDER_NS + ":\n" + r);
                }
            }
        }

        Trial stackTrial(int rate, int count, Duration bound) throws Exception {
            int trial = nextTrial++;
            long[] before = stackDrops();
            StackReceiver rx = new StackReceiver(socket, trial, capacity(count));
            Thread thread = new Thread(rx, "udp-experiment-rx");
            thread.start();
            SenderResult sent;
            try {
                sent = send(STACK_IP, STACK_PORT, trial, rate, count, bound);
                rx.ended.await(GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } finally {
                rx.stop = true;
                thread.join(5_000);
            }
            if (thread.isAlive()) {
                throw new IllegalStateException("the stack's receiver did not stop");
            }
            long[] after = settledStackDrops();
            String drops = stackDropText(before, after, rx.sawEnd ? "" : ", no end marker");
            return trial("stack", rate, sent, rx.seq, rx.tx, rx.rx, rx.n, drops);
        }

        /**
         * {@code count} datagrams at {@code rate} into the stack's discard service ({@code discard}: its
         * counters), with no end markers: what arrived is the service's {@code received} count. {@code window}
         * starts just before the sender and stops when it has sent its last datagram (before the queues are
         * left a second to drain and the drop counters settle).
         */
        Trial discardTrial(int rate, int count, Duration bound, ServiceCounters discard, JvmMeter window)
                throws Exception {
            int trial = nextTrial++;
            long[] before = stackDrops();
            long received0 = discard.received.get();
            window.start();
            SenderResult sent = send(STACK_IP, Service.DISCARD.port(), trial, rate, count, bound, 0);
            window.stop();
            long[] after = settledStackDrops();
            long received = Math.min(sent.sent(), discard.received.get() - received0);
            String drops = stackDropText(before, after, "");
            LatencyStats.Summary s = new LatencyStats.Summary(sent.sent(), received, 0, 0, 0, Double.NaN, Double.NaN,
                    Double.NaN, Double.NaN, Double.NaN);
            Row row = new Row("stack", rate, s.sent(), s.received(), s.lost(), s.dropPct(), Double.NaN, Double.NaN,
                    Double.NaN, Double.NaN);
            return new Trial(row, s, sent.achievedRate(), sent.errors(), drops, loadAverage());
        }

        Trial kernelTrial(int rate, int count, Duration bound) throws Exception {
            int trial = nextTrial++;
            Path file = work.resolve("kernel-" + trial + ".bin");
            long[] before = kernelDrops();
            long receiverSeconds = bound.toSeconds() + GRACE.toSeconds() + 5;
            Process p = new ProcessBuilder("ip", "netns", "exec", KERNEL_NS, receiver.toString(), KERNEL_IP,
                    Integer.toString(KERNEL_PORT), Integer.toString(trial), Integer.toString(capacity(count)),
                    Long.toString(receiverSeconds), file.toString()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            Lines lines = new Lines(p.getInputStream());
            String summary;
            SenderResult sent;
            try {
                if (!lines.ready.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the kernel receiver did not start: " + lines.text());
                }
                sent = send(KERNEL_IP, KERNEL_PORT, trial, rate, count, bound);
                if (!p.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroy(); // SIGTERM: it writes what it has and ends
                    if (!p.waitFor(5, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the kernel receiver did not stop: " + lines.text());
                    }
                }
                lines.done.await(5, TimeUnit.SECONDS);
                summary = lines.text();
            } finally {
                p.destroyForcibly();
            }
            Matcher m = Pattern.compile("RECEIVED (\\d+) FOREIGN (\\d+) OVERFLOW (\\d+) END (\\d)").matcher(summary);
            if (p.exitValue() != 0 || !m.find()) {
                throw new IllegalStateException("the kernel receiver failed: " + summary);
            }
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
            Files.delete(file);
            int n = b.remaining() / 24;
            long[] seq = new long[n];
            long[] tx = new long[n];
            long[] rx = new long[n];
            for (int i = 0; i < n; i++) {
                seq[i] = b.getLong();
                tx[i] = b.getLong();
                rx[i] = b.getLong();
            }
            long[] after = kernelDrops();
            String drops = String.format(Locale.ROOT, "cspref1 tx_dropped +%d, cspref0 rx_dropped +%d, "
                    + "UDP RcvbufErrors +%d%s", after[0] - before[0], after[1] - before[1], after[2] - before[2],
                    m.group(4).equals("1") ? "" : ", no end marker");
            return trial("kernel", rate, sent, seq, tx, rx, n, drops);
        }

        private SenderResult send(String ip, int port, int trial, int rate, int count, Duration bound)
                throws Exception {
            return send(ip, port, trial, rate, count, bound, 3);
        }

        /** Runs the sender; {@code endMarkers} (0..3) end-of-trial datagrams follow the numbered ones. */
        private SenderResult send(String ip, int port, int trial, int rate, int count, Duration bound,
                                  int endMarkers) throws Exception {
            double seconds = Math.max(0.001, bound.toMillis() / 1000.0);
            String cmd = String.format(Locale.ROOT, "%s %s %d %d %d %d %.3f %d %d", sender, ip, port, trial,
                    Math.max(rate, 0), count, seconds, PAYLOAD, endMarkers);
            String r = Shell.run(SENDER_NS, cmd, bound.plusSeconds(30));
            Matcher m = Pattern.compile("SENT (\\d+) ERRORS (\\d+) FIRST_NS (\\d+) LAST_NS (\\d+)").matcher(r);
            if (!m.find()) {
                throw new IllegalStateException("the sender failed: " + r);
            }
            return new SenderResult(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                    Long.parseLong(m.group(3)), Long.parseLong(m.group(4)));
        }

        private static String stackDropText(long[] before, long[] after, String extra) {
            return String.format(Locale.ROOT, "csplab1 tx_dropped +%d, csplab0 rx_dropped +%d, pcap ring +%d, "
                    + "stack channels +%d, socket queue full +%d%s; stack link frames in +%d, out +%d",
                    after[0] - before[0], after[1] - before[1], after[2] - before[2], after[3] - before[3],
                    after[4] - before[4], extra, after[5] - before[5], after[6] - before[6]);
        }

        /**
         * csplab1 tx_dropped, csplab0 rx_dropped, pcap ring drops, static channel drops, socket queue drops, and
         * the frames the stack's link received and sent (beyond the trial's datagrams, a ping and its reply and
         * perhaps ARP, they are someone else's traffic on the lab: a sign of interference).
         */
        private long[] stackDrops() throws Exception {
            long channels = 0;
            for (ChannelSpec c : net.channels()) {
                channels += c.stats().queueFullDropped.get();
            }
            String peer = Shell.run(SENDER_NS, "cat /sys/class/net/csplab1/statistics/tx_dropped",
                    Duration.ofSeconds(5));
            return new long[] {parseLong(peer), parseLong(Files.readString(
                    Path.of("/sys/class/net", STACK_NIC, "statistics/rx_dropped"))),
                stack.linkCounters().captureDropped.get(), channels, stack.udpCounters().queueFullDropped.get(),
                stack.linkCounters().framesReceived.get(), stack.linkCounters().framesSent.get()};
        }

        /**
         * The link reads the pcap ring's drop count at most once a second, when a frame arrives: wait past that
         * second, make a frame arrive (a ping), then read.
         */
        private long[] settledStackDrops() throws Exception {
            Thread.sleep(1_100);
            Shell.run(SENDER_NS, "ping -n -c 1 -W 2 " + STACK_IP, Duration.ofSeconds(10));
            return stackDrops();
        }

        /** cspref1 tx_dropped, cspref0 rx_dropped, csplabref's UDP RcvbufErrors. */
        private long[] kernelDrops() throws Exception {
            String a = Shell.run(SENDER_NS, "cat /sys/class/net/cspref1/statistics/tx_dropped", Duration.ofSeconds(5));
            String b = Shell.run(KERNEL_NS, "cat /sys/class/net/cspref0/statistics/rx_dropped; grep '^Udp:' "
                    + "/proc/net/snmp", Duration.ofSeconds(5));
            String[] lines = b.trim().split("\n");
            return new long[] {parseLong(a), parseLong(lines[0]), snmp(lines, "RcvbufErrors")};
        }
    }

    private record SenderResult(long sent, long errors, long firstNs, long lastNs) {
        double achievedRate() {
            return sent > 1 && lastNs > firstNs ? (sent - 1) * 1e9 / (lastNs - firstNs) : Double.NaN;
        }
    }

    private static Trial trial(String target, int rate, SenderResult sent, long[] seq, long[] tx, long[] rx, int n,
                               String drops) {
        LatencyStats.Summary s = LatencyStats.analyze(sent.sent(), seq, tx, rx, n);
        Row row = new Row(target, rate, s.sent(), s.received(), s.lost(), s.dropPct(), s.meanNs() / 1e3,
                s.p50Ns() / 1e3, s.p99Ns() / 1e3, s.maxNs() / 1e3);
        return new Trial(row, s, sent.achievedRate(), sent.errors(), drops, loadAverage());
    }

    private static int capacity(int count) {
        return (int) Math.min(Integer.MAX_VALUE - 8, count + count / 4L + 1024);
    }

    /** The stack's receiving application: records sequence number, send time and arrival time. */
    private static final class StackReceiver implements Runnable {
        private static final Duration POLL = Duration.ofMillis(50);
        private final UdpSocket socket;
        private final int trial;
        final long[] seq;
        final long[] tx;
        final long[] rx;
        final CountDownLatch ended = new CountDownLatch(1);
        volatile boolean stop;
        int n;
        long foreign;
        long overflow;
        boolean sawEnd;

        StackReceiver(UdpSocket socket, int trial, int capacity) {
            this.socket = socket;
            this.trial = trial;
            this.seq = new long[capacity];
            this.tx = new long[capacity];
            this.rx = new long[capacity];
        }

        @Override
        public void run() {
            try {
                while (!stop) {
                    UdpDatagram d = socket.receive(POLL);
                    long arrived = System.nanoTime();
                    if (d == null) {
                        continue;
                    }
                    PacketBuffer p = d.payload();
                    byte[] a = p.array();
                    int o = p.start();
                    if (p.length() < 24 || (int) LE_INT.get(a, o) != MAGIC || (int) LE_INT.get(a, o + 4) != trial) {
                        foreign++;
                        continue;
                    }
                    long s = (long) LE_LONG.get(a, o + 8);
                    if (s == END_SEQ) {
                        sawEnd = true;
                        break;
                    }
                    if (n < seq.length) {
                        seq[n] = s;
                        tx[n] = (long) LE_LONG.get(a, o + 16);
                        rx[n] = arrived;
                        n++;
                    } else {
                        overflow++;
                    }
                }
            } finally {
                ended.countDown();
            }
        }
    }

    /** Collects a child's output lines; {@code ready} opens at READY, {@code done} at end of stream. */
    private static final class Lines {
        final CountDownLatch ready = new CountDownLatch(1);
        final CountDownLatch done = new CountDownLatch(1);
        private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

        Lines(InputStream in) {
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        lines.add(line);
                        if (line.equals("READY")) {
                            ready.countDown();
                        }
                    }
                } catch (IOException e) {
                    lines.add("(output lost: " + e + ")");
                } finally {
                    done.countDown();
                }
            }, "udp-experiment-receiver-output");
            t.setDaemon(true);
            t.start();
        }

        String text() {
            synchronized (lines) {
                return String.join("\n", lines);
            }
        }
    }

    // ---- lab counters -------------------------------------------------------------------------------------

    /** The 1-minute load average after a trial: other work on the machine shows here. */
    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static long parseLong(String s) {
        return Long.parseLong(s.trim());
    }

    /** A field of the {@code Udp:} lines of /proc/net/snmp (a header line and a value line). */
    private static long snmp(String[] lines, String field) {
        List<String[]> udp = new ArrayList<>();
        for (String l : lines) {
            if (l.startsWith("Udp:")) {
                udp.add(l.trim().split("\\s+"));
            }
        }
        if (udp.size() < 2) {
            throw new IllegalStateException("no Udp: lines in /proc/net/snmp");
        }
        String[] names = udp.get(0);
        for (int i = 1; i < names.length; i++) {
            if (names[i].equals(field)) {
                return Long.parseLong(udp.get(1)[i]);
            }
        }
        throw new IllegalStateException("no " + field + " in /proc/net/snmp");
    }

    // ---- output --------------------------------------------------------------------------------------------

    private static String rateLabel(int rate) {
        return rate < 0 ? "max" : rate + "/s";
    }

    static String progress(Trial t) {
        Row r = t.row();
        LatencyStats.Summary s = t.summary();
        return String.format(Locale.ROOT, "%-6s %8s (sent at %9.0f/s): sent %7d recv %7d lost %6d dup %d reord %d "
                        + "drop %7.3f%%  latency mean %8.1f p50 %8.1f p99 %9.1f max %9.1f us  [%s%s; load %.2f]",
                r.target(), rateLabel(r.rate()), t.achievedRate(), r.sent(), r.received(), r.lost(), s.duplicates(),
                s.reordered(), r.dropPct(), r.meanUs(), r.p50Us(), r.p99Us(), r.maxUs(), t.drops(),
                t.sendErrors() > 0 ? ", send errors " + t.sendErrors() : "", t.loadAverage());
    }

    private static void writeOutputs(ExperimentOutput out, List<Trial> trials) {
        List<List<Object>> rows = new ArrayList<>();
        List<List<Object>> detail = new ArrayList<>();
        for (Trial t : trials) {
            Row r = t.row();
            LatencyStats.Summary s = t.summary();
            rows.add(List.of(r.target(), r.rate(), r.sent(), r.received(), r.lost(), r.dropPct(), r.meanUs(),
                    r.p50Us(), r.p99Us(), r.maxUs()));
            detail.add(List.of(r.target(), r.rate(), t.achievedRate(), r.sent(), t.sendErrors(), r.received(),
                    r.lost(), s.duplicates(), s.reordered(), s.foreign(), s.minNs() / 1e3, t.loadAverage(),
                    "\"" + t.drops() + "\""));
        }
        out.csv("udp.csv", List.of("target", "rate", "sent", "received", "lost", "drop_pct", "mean_us", "p50_us",
                "p99_us", "max_us"), rows);
        out.csv("udp-detail.csv", List.of("target", "rate", "achieved_rate", "sent", "send_errors", "received",
                "lost", "duplicates", "reordered", "foreign", "min_us", "loadavg1", "drops"), detail);

        Plot latency = new Plot("UDP one-way latency, " + PAYLOAD + "-byte datagrams (csplab kernel sender)",
                "send rate, datagrams/s", "latency, us", true, true);
        Plot drop = new Plot("UDP drop rate, " + PAYLOAD + "-byte datagrams", "send rate, datagrams/s",
                "drop rate, %", true, false);
        for (String target : List.of("stack", "kernel")) {
            List<double[]> p50 = new ArrayList<>();
            List<double[]> p99 = new ArrayList<>();
            List<double[]> dropPct = new ArrayList<>();
            for (Trial t : trials) {
                if (!t.row().target().equals(target)) {
                    continue;
                }
                double x = t.row().rate() > 0 ? t.row().rate() : t.achievedRate();
                if (Double.isNaN(x)) {
                    continue;
                }
                if (!Double.isNaN(t.row().p50Us())) {
                    p50.add(new double[] {x, t.row().p50Us()});
                    p99.add(new double[] {x, t.row().p99Us()});
                }
                dropPct.add(new double[] {x, t.row().dropPct()});
            }
            String name = target.equals("stack") ? "cspstack" : "Linux kernel";
            latency.add(name + " p50", p50).add(name + " p99", p99);
            drop.add(name, dropPct);
        }
        latency.write(out.dir().resolve("udp-latency.png"));
        drop.write(out.dir().resolve("udp-drop.png"));
        out.write("udp.txt", writeUp(out, trials));
    }

    private static String writeUp(ExperimentOutput out, List<Trial> trials) {
        StringBuilder sb = new StringBuilder();
        sb.append("UDP loss and one-way latency: cspstack beside the Linux kernel, one run\n");
        sb.append("=====================================================================\n\n");
        out.environment().forEach((k, v) -> sb.append(String.format(Locale.ROOT, "%-15s %s%n", k + ":", v)));
        sb.append("\nMethod: our C sender in netns csplab (kernel UDP sockets) sends numbered ").append(PAYLOAD)
                .append("-byte datagrams carrying their CLOCK_MONOTONIC send time, paced to absolute deadlines\n")
                .append("(\"max\": a tight sendto loop). Receivers stamp CLOCK_MONOTONIC in the application on arrival:\n")
                .append("  stack  - a UdpSocket on ").append(STACK_IP).append(':').append(STACK_PORT)
                .append(" of the in-process stack on csplab0 (pcap immediate, platform threads);\n")
                .append("  kernel - our C receiver in netns csplabref on ").append(KERNEL_IP).append(':')
                .append(KERNEL_PORT).append(" (one recv per datagram).\n")
                .append("Both datagram paths leave the csplab kernel over one veth, offloads off. The two trials of a rate\n")
                .append("run back to back (order alternating), after an uncounted warm-up. Lost = sequence numbers that\n")
                .append("never arrived; percentiles are nearest-rank over the first copy of each datagram.\n\n");

        sb.append(String.format(Locale.ROOT, "%-7s %8s %10s %8s %8s %6s %5s %9s %9s %9s %9s %10s%n", "target", "rate",
                "sent/s", "sent", "received", "lost", "dup", "drop%", "mean_us", "p50_us", "p99_us", "max_us"));
        for (Trial t : trials) {
            Row r = t.row();
            sb.append(String.format(Locale.ROOT, "%-7s %8s %10.0f %8d %8d %6d %5d %9.4f %9.1f %9.1f %9.1f %10.1f%n",
                    r.target(), rateLabel(r.rate()), t.achievedRate(), r.sent(), r.received(), r.lost(),
                    t.summary().duplicates(), r.dropPct(), r.meanUs(), r.p50Us(), r.p99Us(), r.maxUs()));
        }
        sb.append("\nWhere datagrams were dropped (counter deltas over each trial) and the 1-minute load average after it:\n");
        for (Trial t : trials) {
            sb.append(String.format(Locale.ROOT, "  %-6s %8s  %s; load %.2f%n", t.row().target(),
                    rateLabel(t.row().rate()), t.drops(), t.loadAverage()));
        }

        sb.append("\nStack / kernel ratios (p50, p99, drop rate):\n");
        List<Integer> seen = new ArrayList<>();
        for (Trial t : trials) {
            int rate = t.row().rate();
            if (seen.contains(rate)) {
                continue;
            }
            seen.add(rate);
            Row s = find(trials, "stack", rate);
            Row k = find(trials, "kernel", rate);
            if (s == null || k == null) {
                continue;
            }
            sb.append(String.format(Locale.ROOT, "  %8s  p50 %7s   p99 %7s   drop %s%n", rateLabel(rate),
                    times(LatencyStats.ratio(s.p50Us(), k.p50Us())), times(LatencyStats.ratio(s.p99Us(), k.p99Us())),
                    dropRatio(s, k)));
        }

        sb.append("\nAt the paper's rate (").append(PAPER_RATE).append(" datagrams/s), GoNet beside ours:\n");
        Row s = find(trials, "stack", PAPER_RATE);
        Row k = find(trials, "kernel", PAPER_RATE);
        if (s == null || k == null) {
            sb.append("  (this run had no trial at ").append(PAPER_RATE).append("/s)\n");
        } else {
            sb.append(String.format(Locale.ROOT, "  %-22s %16s %16s %16s%n", "", "GoNet (paper)", "cspstack",
                    "Linux kernel"));
            sb.append(String.format(Locale.ROOT, "  %-22s %16s %16d %16d%n", "datagrams sent", "50,000", s.sent(),
                    k.sent()));
            sb.append(String.format(Locale.ROOT, "  %-22s %16s %16d %16d%n", "lost", "1", s.lost(), k.lost()));
            sb.append(String.format(Locale.ROOT, "  %-22s %16s %15.4f%% %15.4f%%%n", "drop rate", "~0.002%",
                    s.dropPct(), k.dropPct()));
            sb.append(String.format(Locale.ROOT, "  %-22s %16s %16.1f %16.1f%n", "mean latency, us", "547",
                    s.meanUs(), k.meanUs()));
            sb.append(String.format(Locale.ROOT, "  %-22s %16s %16.1f %16.1f%n", "median latency, us", "341",
                    s.p50Us(), k.p50Us()));
            sb.append(String.format(Locale.ROOT, "  %-22s %16s %16.1f %16.1f%n", "p99 latency, us", "2,200",
                    s.p99Us(), k.p99Us()));
            sb.append(String.format(Locale.ROOT, "  %-22s %16s %16.1f %16.1f%n", "max latency, us", "-",
                    s.maxUs(), k.maxUs()));
            sb.append(String.format(Locale.ROOT, "%n  \"Only two times slower than Linux\": here, at %d/s, the stack's median is %s the"
                            + " kernel's,%n  its p99 %s, its mean %s.%n", PAPER_RATE,
                    times(LatencyStats.ratio(s.p50Us(), k.p50Us())), times(LatencyStats.ratio(s.p99Us(), k.p99Us())),
                    times(LatencyStats.ratio(s.meanUs(), k.meanUs()))));
            if (s.sent() < PAPER_DATAGRAMS) {
                sb.append(String.format(Locale.ROOT, "  Note: %d datagrams, not the paper's 50,000: one loss in 50,000 (0.002%%) "
                        + "cannot be resolved%n  below 1 in %d (%.4f%%); run the paper's size for that.%n", s.sent(),
                        s.sent(), 100.0 / s.sent()));
            }
            sb.append("  GoNet measured over loopback with no kernel beside it in the same run; ours crosses one veth.\n");
        }
        return sb.toString();
    }

    private static Row find(List<Trial> trials, String target, int rate) {
        for (Trial t : trials) {
            if (t.row().target().equals(target) && t.row().rate() == rate) {
                return t.row();
            }
        }
        return null;
    }

    private static String times(double ratio) {
        return Double.isNaN(ratio) ? "n/a" : String.format(Locale.ROOT, "%.2fx", ratio);
    }

    private static String dropRatio(Row s, Row k) {
        if (k.lost() == 0) {
            return s.lost() == 0 ? "n/a (no loss on either)" : "n/a (kernel lost none; stack " + String.format(
                    Locale.ROOT, "%.4f%%", s.dropPct()) + ")";
        }
        return times(LatencyStats.ratio(s.dropPct(), k.dropPct()));
    }

    /**
     * Runs the experiment from the command line: {@code UdpExperiment [OUT_DIR] [--paper]}; the default is the
     * short run ({@link #DEFAULT_RATES}, {@link #DEFAULT_PER_RATE}), {@code --paper} the paper's 50,000 datagrams
     * at 56/s.
     */
    public static void main(String[] args) throws Exception {
        boolean paper = List.of(args).contains("--paper");
        Path dir = Path.of(List.of(args).stream().filter(a -> !a.startsWith("--")).findFirst()
                .orElse("udp-" + System.currentTimeMillis()));
        ExperimentOutput out = new ExperimentOutput(dir, Threading.forLayers());
        if (paper) {
            run(out, List.of(PAPER_RATE), Duration.ofSeconds(PAPER_DATAGRAMS / PAPER_RATE + 1), PAPER_DATAGRAMS,
                    System.out);
        } else {
            run(out, DEFAULT_RATES, DEFAULT_PER_RATE, DEFAULT_MAX_DATAGRAMS, System.out);
        }
    }
}
