package org.cspstack.harness.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.cspstack.core.wire.Ipv4Address;
import org.cspstack.protocols.udp.UdpDatagram;
import org.cspstack.protocols.udp.UdpSocket;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sun.misc.Signal;

/**
 * {@code cspstack nc}: netcat on the stack, TCP by default, UDP with {@code -u}.
 *
 * <ul>
 *   <li>{@code nc -u HOST PORT}: each read of stdin (up to 16 KiB, netcat-openbsd's buffer) goes out as one
 *       datagram, as netcat-openbsd does; what comes back is written to stdout; after EOF it waits {@code -w} seconds for
 *       late answers, then exits.</li>
 *   <li>{@code nc -u -l PORT}: prints every datagram received on PORT; stdin goes to the last sender. Runs
 *       until SIGINT/SIGTERM, or until {@code -w} seconds pass without a datagram when {@code -w} is given.</li>
 * </ul>
 * Diagnostics and counters go to stderr (with {@code -v}), data only to stdout.
 */
@Command(name = "nc", mixinStandardHelpOptions = true,
        description = "Netcat over the stack. TCP: nc HOST PORT connects, nc -l PORT accepts one connection; stdin "
                + "goes out (then FIN), what arrives goes to stdout. UDP (-u): nc -u HOST PORT sends stdin as "
                + "datagrams and prints the answers; nc -u -l PORT prints what arrives.")
final class NcCommand implements Callable<Integer> {
    @Mixin
    StackOptions options;

    @Option(names = "-u", description = "UDP instead of TCP")
    boolean udp;

    @Option(names = "-l", description = "listen on PORT instead of sending to HOST PORT")
    boolean listen;

    @Option(names = "-w", paramLabel = "SECONDS", description = "idle timeout: after stdin EOF when sending "
            + "(default 1), or without datagrams when listening (default: none)")
    Double wait;

    @Option(names = "-p", paramLabel = "PORT", defaultValue = "0", description = "local port when sending "
            + "(default: ephemeral)")
    int localPort;

    @Option(names = "-v", description = "report the stack's counters on stderr at exit")
    boolean verbose;

    @Parameters(arity = "1..2", paramLabel = "HOST PORT | PORT")
    java.util.List<String> args;

    private volatile Ipv4Address peer;
    private volatile int peerPort;

    @Override
    public Integer call() throws Exception {
        if (!udp) {
            return tcp();
        }
        int port;
        if (listen) {
            if (args.size() != 1) {
                throw new Main.UserError("nc -u -l takes one argument, the port to listen on");
            }
            port = parsePort(args.get(0));
        } else {
            if (args.size() != 2) {
                throw new Main.UserError("nc -u takes HOST PORT");
            }
            peer = StackOptions.parse("HOST", args.get(0), Ipv4Address::parse);
            peerPort = parsePort(args.get(1));
            port = localPort;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("INT"), s -> stop.countDown());
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        try (NicStack s = NicStack.start(options)) {
            UdpSocket socket;
            try {
                socket = UdpSocket.bind(s.stack.udp(), port);
            } catch (BindException e) {
                throw new Main.UserError(e.getMessage());
            }
            Thread sender = new Thread(() -> pumpStdin(socket, stop), "nc-stdin");
            sender.setDaemon(true);
            sender.start();
            receive(socket, stop);
            socket.close();
            s.stop();
            if (verbose) {
                s.printCounters(System.err);
            }
            return s.runner.exitCode();
        }
    }

    /**
     * TCP: {@code nc HOST PORT} connects, {@code nc -l PORT} accepts one connection; stdin goes to the
     * connection (its end sends FIN, as netcat-openbsd's -N), the connection's data to stdout, until the peer
     * closes its side.
     */
    private int tcp() throws Exception {
        org.cspstack.core.wire.Ipv4Address host = null;
        int port;
        if (listen) {
            if (args.size() != 1) {
                throw new Main.UserError("nc -l takes one argument, the port to listen on");
            }
            port = parsePort(args.get(0));
        } else {
            if (args.size() != 2) {
                throw new Main.UserError("nc takes HOST PORT");
            }
            host = StackOptions.parse("HOST", args.get(0), Ipv4Address::parse);
            port = parsePort(args.get(1));
        }
        try (NicStack s = NicStack.start(options)) {
            org.cspstack.protocols.tcp.TcpSocket socket;
            Duration timeout = Duration.ofMillis((long) ((wait == null ? 10 : wait) * 1000));
            try {
                if (listen) {
                    try (org.cspstack.protocols.tcp.TcpServerSocket server =
                                 org.cspstack.protocols.tcp.TcpServerSocket.bind(s.stack.tcp(), port, 1)) {
                        socket = wait == null ? server.accept() : server.accept(timeout);
                    }
                } else {
                    socket = org.cspstack.protocols.tcp.TcpSocket.connect(s.stack.tcp(), host, port, timeout);
                }
            } catch (java.io.IOException e) {
                throw new Main.UserError(e.getMessage());
            }
            final org.cspstack.protocols.tcp.TcpSocket conn = socket;
            Thread sender = new Thread(() -> {
                byte[] buf = new byte[65_536];
                try (InputStream in = System.in) {
                    OutputStream out = conn.getOutputStream();
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        out.write(buf, 0, n);
                    }
                    conn.shutdownOutput();
                } catch (IOException e) {
                    // the connection or stdin ended
                }
            }, "nc-stdin");
            sender.setDaemon(true);
            sender.start();
            long bytes = 0;
            try (InputStream in = conn.getInputStream()) {
                byte[] buf = new byte[65_536];
                int n;
                while ((n = in.read(buf)) > 0) {
                    System.out.write(buf, 0, n);
                    bytes += n;
                }
            } catch (IOException e) {
                System.err.println("cspstack nc: " + e.getMessage());
            }
            System.out.flush();
            sender.join(TimeUnitMillis.FIVE_SECONDS);
            conn.close();
            s.stop();
            if (verbose) {
                System.err.println("cspstack nc: " + bytes + " bytes received");
                s.printCounters(System.err);
            }
            return s.runner.exitCode();
        }
    }

    /** How long nc waits for its stdin pump after the connection's data has ended. */
    private static final class TimeUnitMillis {
        static final long FIVE_SECONDS = 5_000;
    }

    private static int parsePort(String s) {
        try {
            int p = Integer.parseInt(s);
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new Main.UserError("port '" + s + "' is not a number in 1..65535");
    }

    /** stdin to datagrams; on EOF, when sending, starts the idle wait. */
    private void pumpStdin(UdpSocket socket, CountDownLatch stop) {
        // netcat-openbsd reads (and so sends, and receives) at most 16 KiB at a time; so do we, so that a Linux
        // nc -u -l on the other side gets every datagram whole.
        byte[] buf = new byte[16_384];
        InputStream in = System.in;
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                Ipv4Address to = peer;
                if (to == null) {
                    continue; // listening, and nobody has spoken yet: netcat drops it too
                }
                socket.send(to, peerPort, buf, 0, n);
            }
        } catch (IOException | IllegalStateException e) {
            // stdin closed or the stack ended
        }
        if (!listen) {
            eof = true;
        }
    }

    private volatile boolean eof;

    /** Datagrams to stdout until a signal, or an idle timeout. */
    private void receive(UdpSocket socket, CountDownLatch stop) throws IOException {
        OutputStream out = System.out;
        double idle = wait != null ? wait : listen ? Double.POSITIVE_INFINITY : 1.0;
        long idleNanos = Double.isInfinite(idle) ? Long.MAX_VALUE : (long) (idle * 1e9);
        long lastActivity = System.nanoTime();
        while (stop.getCount() > 0) {
            UdpDatagram d = socket.receive(Duration.ofMillis(100));
            if (d != null) {
                out.write(d.data());
                out.flush();
                lastActivity = System.nanoTime();
                if (listen) {
                    peer = d.source();
                    peerPort = d.sourcePort();
                }
            } else if ((listen || eof) && idleNanos != Long.MAX_VALUE
                    && System.nanoTime() - lastActivity > idleNanos) {
                return;
            } else if (!listen && !eof) {
                lastActivity = System.nanoTime();
            }
        }
    }
}
