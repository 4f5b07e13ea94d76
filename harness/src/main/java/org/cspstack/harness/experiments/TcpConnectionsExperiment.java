package org.cspstack.harness.experiments;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import org.cspstack.core.csp.ProcessNetwork;
import org.cspstack.core.csp.ProcessRunner;
import org.cspstack.core.csp.Threading;
import org.cspstack.core.link.PcapConfig;
import org.cspstack.core.link.PcapLink;
import org.cspstack.core.wire.Ipv4Address;
import org.cspstack.core.wire.Ipv4Cidr;
import org.cspstack.protocols.stack.HostStack;
import org.cspstack.protocols.stack.StackConfig;
import org.cspstack.protocols.tcp.TcpSocket;

/**
 * The later GoNet paper's TCP method: N connections opened at once, each sending 4 KB, and the time until all
 * data is acknowledged (each client writes, shuts down its side and waits for the server's close, which comes
 * after the server has read everything). The same Java client code runs on the stack's sockets and, for the
 * reference, on the kernel's sockets in {@code csplabref} (its own JVM); the server is one Python program on
 * the kernel in {@code csplab} for both. Median of {@code repeats} rounds after one warm-up round.
 */
public final class TcpConnectionsExperiment {
    /** One (target, N) figure. */
    public record Row(String target, int n, double medianMs, double minMs, double maxMs) {
    }

    static final int PORT = 5050;
    static final int BYTES = 4096;
    private static final String SERVER = """
            import socketserver
            class H(socketserver.BaseRequestHandler):
                def handle(self):
                    while self.request.recv(65536):
                        pass
            class S(socketserver.ThreadingTCPServer):
                allow_reuse_address = True
                request_queue_size = 128
                daemon_threads = True
            S(('0.0.0.0', %d), H).serve_forever()
            """;

    private TcpConnectionsExperiment() {
    }

    public static List<Row> run(ExperimentOutput out, int[] ns, int repeats, Threading threading, PrintStream console)
            throws Exception {
        try (Progress progress = Progress.start("tcp connections", 2L * ns.length, "runs (target x N)", console)) {
            return run(out, ns, repeats, threading, progress);
        }
    }

    private static List<Row> run(ExperimentOutput out, int[] ns, int repeats, Threading threading, Progress progress)
            throws Exception {
        PrintStream console = progress.console();
        Process server = Shell.start("csplab", "exec /usr/bin/python3 -c \"" + SERVER.formatted(PORT)
                .replace("\"", "\\\"") + "\"", Duration.ofSeconds(300));
        List<Row> rows = new ArrayList<>();
        try {
            Shell.awaitListening("csplab", "tcp", PORT, Duration.ofSeconds(10));
            PcapLink link = PcapLink.open(PcapConfig.defaults("csplab0"));
            ProcessNetwork net = new ProcessNetwork("tcp-conns");
            HostStack stack = HostStack.build(net, "", StackConfig.of(Ipv4Cidr.parse("198.18.0.2/24"))
                    .withGateway(Ipv4Address.parse("198.18.0.1")), link);
            ProcessRunner runner = new ProcessRunner(net, threading);
            runner.start();
            try {
                for (int n : ns) {
                    double[] stackMs = new double[repeats];
                    round(n, stack);
                    for (int r = 0; r < repeats; r++) {
                        stackMs[r] = round(n, stack) / 1e6;
                    }
                    rows.add(row("stack", n, stackMs));
                    progress.advance();
                    double[] linuxMs = kernel(n, repeats);
                    rows.add(row("kernel", n, linuxMs));
                    progress.advance();
                    console.printf("  N=%3d  stack median %.3f ms   kernel median %.3f ms   ratio %.1f%n", n,
                            rows.get(rows.size() - 2).medianMs(), rows.get(rows.size() - 1).medianMs(),
                            rows.get(rows.size() - 2).medianMs() / rows.get(rows.size() - 1).medianMs());
                }
            } finally {
                runner.stop(Duration.ofSeconds(2));
                link.close();
            }
        } finally {
            server.destroy();
        }
        List<List<Object>> csv = new ArrayList<>();
        Plot plot = new Plot("N connections x 4 KB: time until all acknowledged", "N", "ms", true, true);
        for (String target : List.of("stack", "kernel")) {
            List<double[]> pts = new ArrayList<>();
            for (Row r : rows) {
                if (r.target().equals(target)) {
                    csv.add(List.of(r.target(), r.n(), r.medianMs(), r.minMs(), r.maxMs()));
                    pts.add(new double[] {r.n(), r.medianMs()});
                }
            }
            plot.add(target.equals("stack") ? "cspstack" : "Linux kernel", pts);
        }
        out.csv("tcp-conns.csv", List.of("target", "n", "median_ms", "min_ms", "max_ms"), csv);
        plot.write(out.dir().resolve("tcp-conns.png"));
        return rows;
    }

    private static Row row(String target, int n, double[] ms) {
        double[] s = ms.clone();
        Arrays.sort(s);
        return new Row(target, n, s[s.length / 2], s[0], s[s.length - 1]);
    }

    /** One round on the stack: N sockets at once; nanoseconds until the last server close arrived. */
    private static long round(int n, HostStack stack) throws Exception {
        AtomicReference<Exception> failure = new AtomicReference<>();
        byte[] data = new byte[BYTES];
        long elapsed = concurrently(n, () -> {
            try (TcpSocket s = TcpSocket.connect(stack.tcp(), Ipv4Address.parse("198.18.0.1"), PORT,
                    Duration.ofSeconds(5), false)) {
                s.getOutputStream().write(data);
                s.shutdownOutput();
                s.getInputStream().read();
            }
        }, e -> failure.compareAndSet(null, e));
        if (failure.get() != null) {
            throw new IllegalStateException("a connection failed: " + failure.get().getMessage(), failure.get());
        }
        return elapsed;
    }

    /** One client connection of a round. */
    private interface Client {
        void run() throws Exception;
    }

    /**
     * Runs {@code client} on N threads released at once; nanoseconds from the release until every one has
     * ended. A client that throws is handed to {@code failed} (and counts as ended).
     */
    private static long concurrently(int n, Client client, java.util.function.Consumer<Exception> failed)
            throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    client.run();
                } catch (Exception e) {
                    failed.accept(e);
                } finally {
                    done.countDown();
                }
            });
            t.setDaemon(true);
            t.start();
        }
        long t0 = System.nanoTime();
        start.countDown();
        done.await();
        return System.nanoTime() - t0;
    }

    /** The reference: the same client on the kernel's sockets in csplabref, in a JVM of its own. */
    private static double[] kernel(int n, int repeats) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String out = Shell.run("csplabref", "'" + java + "' -cp '" + System.getProperty("java.class.path") + "' "
                + TcpConnectionsExperiment.class.getName() + " 198.18.1.1 " + PORT + " " + n + " " + repeats,
                Duration.ofSeconds(120));
        List<Double> ms = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("ROUND ")) {
                ms.add(Long.parseLong(line.substring(6).trim()) / 1e6);
            }
        }
        if (ms.size() != repeats) {
            throw new IllegalStateException("kernel client printed " + ms.size() + " rounds: " + out);
        }
        return ms.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The kernel-side client: {@code HOST PORT N REPEATS}; prints "ROUND nanos" per measured round. */
    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int n = Integer.parseInt(args[2]);
        int repeats = Integer.parseInt(args[3]);
        kernelRound(host, port, n);
        for (int r = 0; r < repeats; r++) {
            System.out.println("ROUND " + kernelRound(host, port, n));
        }
    }

    private static long kernelRound(String host, int port, int n) throws Exception {
        byte[] data = new byte[BYTES];
        return concurrently(n, () -> {
            try (Socket s = new Socket()) {
                s.setTcpNoDelay(true);
                s.connect(new InetSocketAddress(host, port), 5000);
                OutputStream o = s.getOutputStream();
                o.write(data);
                s.shutdownOutput();
                InputStream in = s.getInputStream();
                in.read();
            }
        }, e -> System.err.println("connection failed: " + e));
    }
}
