package org.cspstack.harness.experiments;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cspstack.core.csp.Threading;
import org.cspstack.core.link.PcapConfig;
import org.cspstack.core.wire.Ipv4Address;
import org.cspstack.protocols.services.Service;
import org.cspstack.protocols.stack.HostStack;
import org.cspstack.protocols.tcp.TcpSocket;

/**
 * Bulk TCP throughput in the lab, stack against Linux in one run, MTU 1500, offloads off on every veth:
 * <ol>
 *   <li>Linux to Linux: our sender ({@code experiments/tcp_bulk.c send}) in csplabref to our receiver
 *       ({@code tcp_bulk recv}) in csplab, over the cspref veth;</li>
 *   <li>Linux to stack: our sender in csplab to the stack's discard service on csplab0;</li>
 *   <li>stack to Linux: the stack's {@link TcpSocket} to our receiver in csplab.</li>
 * </ol>
 * A transfer sends blocks of 64 KiB until a byte count or a time is reached, whichever comes first, then FIN,
 * and waits for the receiver's close: its figure is bytes over the time from the connection's establishment to
 * that close (so the receiver has everything). Nothing is piped through another program.
 */
public final class TcpThroughput {
    /** The C program, on the classpath as {@code experiments/tcp_bulk.c}. */
    public static final String TOOL = "tcp_bulk";
    private static final int LINUX_PORT = 5003;
    private static final int STACK_TO_LINUX_PORT = 5004;
    private static final Pattern SENT = Pattern.compile("SENT (\\d+) NS (\\d+)");
    private static final Pattern RECEIVED = Pattern.compile("RECEIVED (\\d+) NS (\\d+)");

    private TcpThroughput() {
    }

    public record Result(double linuxToLinux, double linuxToStack, double stackToLinux) {
    }

    /** One transfer: the bytes moved and how long it took, in nanoseconds. */
    public record Transfer(long bytes, long nanos) {
        /** Bits per second; NaN for no time. */
        public double bitsPerSecond() {
            return nanos <= 0 ? Double.NaN : bytes * 8e9 / nanos;
        }

        public double seconds() {
            return nanos / 1e9;
        }
    }

    public static Result run(long bytes, Threading threading, boolean immediate, PrintStream console)
            throws Exception {
        try (Progress progress = Progress.start("tcp bulk", 3, "transfers", console)) {
            return run(bytes, threading, immediate, progress);
        }
    }

    private static Result run(long bytes, Threading threading, boolean immediate, Progress progress)
            throws Exception {
        PrintStream out = progress.console();
        double bound = 300;
        out.println("tcp throughput: " + bytes + " bytes each way, MTU 1500; JDK " + Runtime.version() + ", "
                + Runtime.getRuntime().availableProcessors() + " CPUs, layers on " + threading
                + " threads, pcap immediate " + immediate);
        LabStack.require();
        try (CTools tools = CTools.compile(TOOL)) {
            Path bulk = tools.binary(TOOL);
            out.println("  Linux's senders: congestion control " + congestionControl(LabStack.PEER_NS, null)
                    + "; cspstack bench pins cubic (papers/perf)");
            double ll = linuxToLinux(bulk, bytes, bound).bitsPerSecond();
            out.printf("  Linux -> Linux  %8.1f Mbit/s%n", ll / 1e6);
            progress.advance();
            try (LabStack lab = LabStack.start("bench", PcapConfig.defaults(LabStack.NIC).withImmediate(immediate),
                    threading, EnumSet.of(Service.DISCARD))) {
                double ls = linuxToStack(bulk, bytes, bound).bitsPerSecond();
                out.printf("  Linux -> stack  %8.1f Mbit/s  (%.3f of Linux -> Linux)%n", ls / 1e6, ls / ll);
                progress.advance();
                double sl = stackToLinux(lab.stack(), bulk, bytes, bound).bitsPerSecond();
                out.printf("  stack -> Linux  %8.1f Mbit/s  (%.3f of Linux -> Linux)%n", sl / 1e6, sl / ll);
                progress.advance();
                out.println("  stack counters: " + lab.stack().tcpCounters().summary());
                lab.requireHealthy();
                return new Result(ll, ls, sl);
            }
        }
    }

    /** csplabref to csplab ({@value LabStack#ROUTER_REF_IP}), both on the kernel's sockets. */
    public static Transfer linuxToLinux(Path bulk, long maxBytes, double maxSeconds) throws Exception {
        return linuxToLinux(bulk, maxBytes, maxSeconds, null);
    }

    /** As above, the sender with {@code congestionControl} (null: the namespace's default). */
    public static Transfer linuxToLinux(Path bulk, long maxBytes, double maxSeconds, String congestionControl)
            throws Exception {
        Process receiver = receiver(bulk, LabStack.PEER_NS, LabStack.ROUTER_REF_IP, LINUX_PORT, maxSeconds);
        Transfer sent;
        try {
            sent = send(bulk, LabStack.REF_NS, LabStack.ROUTER_REF_IP, LINUX_PORT, maxBytes, maxSeconds,
                    congestionControl);
        } catch (IOException | RuntimeException e) {
            receiver.destroyForcibly();
            throw e;
        }
        requireAllReceived(receiver, sent, maxSeconds);
        return sent;
    }

    /** csplab's kernel to the stack's discard service (which must be running). */
    public static Transfer linuxToStack(Path bulk, long maxBytes, double maxSeconds) throws Exception {
        return linuxToStack(bulk, maxBytes, maxSeconds, null);
    }

    /** As above, the sender with {@code congestionControl} (null: the namespace's default). */
    public static Transfer linuxToStack(Path bulk, long maxBytes, double maxSeconds, String congestionControl)
            throws Exception {
        return send(bulk, LabStack.PEER_NS, LabStack.STACK_IP, Service.DISCARD.port(), maxBytes, maxSeconds,
                congestionControl);
    }

    /**
     * Checks that this kernel has congestion control {@code name} loaded
     * ({@code /proc/sys/net/ipv4/tcp_available_congestion_control}); the message says which it has.
     */
    public static void requireCongestionControl(String name) throws IOException {
        Path available = Path.of("/proc/sys/net/ipv4/tcp_available_congestion_control");
        if (!Files.isReadable(available)) {
            return; // not Linux, or no procfs: the sender will say
        }
        List<String> names = List.of(Files.readString(available).trim().split("\\s+"));
        if (!names.contains(name)) {
            throw new IllegalArgumentException("congestion control '" + name + "' is not available in this kernel "
                    + "(available: " + String.join(", ", names) + "); load its module (modprobe tcp_" + name
                    + ") or pick one of those (--tcp-cc default: the namespace's own)");
        }
    }

    /**
     * The congestion control a sender in {@code ns} gets: {@code given}, or when null the namespace's default
     * ({@code net.ipv4.tcp_congestion_control}; BBR on this project's VMs, cubic on a stock Debian kernel).
     */
    public static String congestionControl(String ns, String given) throws IOException, InterruptedException {
        if (given != null) {
            return given;
        }
        return Shell.run(ns, "sysctl -n net.ipv4.tcp_congestion_control", Duration.ofSeconds(5)).trim()
                + " (the namespace's default)";
    }

    /** The stack's {@link TcpSocket} to our receiver in csplab ({@value LabStack#GATEWAY_IP}). */
    public static Transfer stackToLinux(HostStack stack, Path bulk, long maxBytes, double maxSeconds)
            throws Exception {
        Process receiver = receiver(bulk, LabStack.PEER_NS, LabStack.GATEWAY_IP, STACK_TO_LINUX_PORT, maxSeconds);
        long sent = 0;
        long t0;
        long t1;
        try (TcpSocket s = TcpSocket.connect(stack.tcp(), Ipv4Address.parse(LabStack.GATEWAY_IP),
                STACK_TO_LINUX_PORT, Duration.ofSeconds(5), true)) {
            t0 = System.nanoTime();
            long stop = t0 + (long) (maxSeconds * 1e9);
            OutputStream o = s.getOutputStream();
            byte[] block = new byte[64 * 1024];
            while (sent < maxBytes && System.nanoTime() - stop < 0) {
                int n = (int) Math.min(block.length, maxBytes - sent);
                o.write(block, 0, n);
                sent += n;
            }
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            while (in.read() >= 0) {
                // the receiver sends nothing; wait for its close
            }
            t1 = System.nanoTime();
        } catch (IOException | RuntimeException e) {
            receiver.destroyForcibly();
            throw e;
        }
        Transfer t = new Transfer(sent, t1 - t0);
        requireAllReceived(receiver, t, maxSeconds);
        return t;
    }

    /** Starts {@code tcp_bulk recv} in {@code ns} and waits until it listens. */
    private static Process receiver(Path bulk, String ns, String ip, int port, double maxSeconds)
            throws IOException, InterruptedException {
        Process p = Shell.start(ns, bulk + " recv " + ip + " " + port + " " + seconds(maxSeconds),
                Duration.ofSeconds((long) maxSeconds + 40));
        try {
            Shell.awaitListening(ns, "tcp", port, Duration.ofSeconds(10));
        } catch (IllegalStateException e) {
            p.destroyForcibly();
            throw e;
        }
        return p;
    }

    private static Transfer send(Path bulk, String ns, String ip, int port, long maxBytes, double maxSeconds,
                                 String congestionControl) throws IOException, InterruptedException {
        String output = Shell.run(ns, bulk + " send " + ip + " " + port + " " + maxBytes + " " + seconds(maxSeconds)
                + (congestionControl == null ? "" : " " + congestionControl), Duration.ofSeconds((long) maxSeconds + 40));
        Matcher m = SENT.matcher(output);
        if (!m.find()) {
            throw new IllegalStateException("the TCP sender in " + ns + " to " + ip + ":" + port + " failed: "
                    + output.trim());
        }
        return new Transfer(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
    }

    /** Waits for the receiver and checks that it got every byte that was sent. */
    private static void requireAllReceived(Process receiver, Transfer sent, double maxSeconds)
            throws InterruptedException, IOException {
        if (!receiver.waitFor((long) maxSeconds + 30, TimeUnit.SECONDS)) {
            receiver.destroyForcibly();
            throw new IllegalStateException("the TCP receiver did not end");
        }
        String output = new String(receiver.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Matcher m = RECEIVED.matcher(output);
        if (!m.find() || Long.parseLong(m.group(1)) != sent.bytes()) {
            throw new IllegalStateException("the TCP receiver did not get the " + sent.bytes() + " bytes sent: "
                    + output.trim());
        }
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.3f", s);
    }
}
