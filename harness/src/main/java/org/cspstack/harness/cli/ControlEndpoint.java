package org.cspstack.harness.cli;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.cspstack.core.csp.NetworkGraph;
import org.cspstack.core.csp.NetworkStats;
import org.cspstack.core.csp.ProcessNetwork;

/**
 * A running stack's control endpoint: a Unix domain socket, {@code cspstack-<pid>.sock} in
 * {@code $XDG_RUNTIME_DIR} (else {@code /tmp}), on which the network answers with a live description of itself
 * (what {@code cspstack graph --live} prints). It is one small daemon thread outside the process network, not a
 * layer process: it only reads the network's record of its wiring and its volatile counters.
 *
 * <p>Protocol: the client sends one line, {@code text} or {@code dot}; the server answers with the snapshot in
 * that format and closes the connection. The socket file is removed when the endpoint closes (and at JVM exit).
 */
final class ControlEndpoint implements AutoCloseable {
    /** The longest request line read; requests are one word. */
    private static final int MAX_REQUEST = 64;
    private static final Pattern SOCKET_NAME = Pattern.compile("cspstack-(\\d+)\\.sock");

    private final ProcessNetwork network;
    private final Path path;
    private final ServerSocketChannel server;
    private final Thread acceptor;
    private final Thread cleanup;
    private final Instant started = Instant.now();

    private ControlEndpoint(ProcessNetwork network, Path path, ServerSocketChannel server) {
        this.network = network;
        this.path = path;
        this.server = server;
        this.acceptor = new Thread(this::acceptLoop, "control-endpoint");
        this.acceptor.setDaemon(true);
        this.cleanup = new Thread(this::deleteSocket, "control-endpoint-cleanup");
    }

    /** The directory this process puts its socket in: {@code $XDG_RUNTIME_DIR} when usable, else /tmp. */
    static Path defaultDirectory() {
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        if (xdg != null && !xdg.isBlank()) {
            Path d = Path.of(xdg);
            if (Files.isDirectory(d) && Files.isWritable(d)) {
                return d;
            }
        }
        return Path.of(System.getProperty("java.io.tmpdir", "/tmp"));
    }

    /** Where a client looks: {@code $XDG_RUNTIME_DIR} (when set) and /tmp, without duplicates. */
    static List<Path> searchDirectories() {
        Set<Path> dirs = new LinkedHashSet<>();
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        if (xdg != null && !xdg.isBlank()) {
            dirs.add(Path.of(xdg));
        }
        dirs.add(Path.of(System.getProperty("java.io.tmpdir", "/tmp")));
        dirs.add(Path.of("/tmp"));
        return List.copyOf(dirs);
    }

    static Path socketPath(Path directory, long pid) {
        return directory.resolve("cspstack-" + pid + ".sock");
    }

    /** Serves {@code network} on {@code cspstack-<our pid>.sock} in {@link #defaultDirectory()}. */
    static ControlEndpoint start(ProcessNetwork network) throws IOException {
        return start(network, socketPath(defaultDirectory(), ProcessHandle.current().pid()));
    }

    static ControlEndpoint start(ProcessNetwork network, Path path) throws IOException {
        // A file left by a process that died with our pid number (or a crash of ours) is stale.
        Files.deleteIfExists(path);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(path));
        } catch (IOException e) {
            server.close();
            throw e;
        }
        ControlEndpoint endpoint = new ControlEndpoint(network, path, server);
        Runtime.getRuntime().addShutdownHook(endpoint.cleanup);
        endpoint.acceptor.start();
        return endpoint;
    }

    Path path() {
        return path;
    }

    private void acceptLoop() {
        while (true) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (ClosedChannelException closed) {
                return;
            } catch (IOException e) {
                System.getLogger(ControlEndpoint.class.getName()).log(System.Logger.Level.WARNING,
                        "control endpoint " + path + ": accept failed; endpoint stops", e);
                return;
            }
            // One short-lived thread per client, so that a client that never sends cannot stop the others.
            Thread t = new Thread(() -> answer(client), "control-client");
            t.setDaemon(true);
            t.start();
        }
    }

    private void answer(SocketChannel client) {
        try (client) {
            String request = readLine(client);
            String reply = switch (request) {
                case "text" -> header("") + NetworkGraph.text(network, true) + "statistics:\n"
                        + NetworkStats.table(network) + "\n";
                case "dot" -> header("// ") + NetworkGraph.dot(network, true);
                default -> "error: unknown request '" + request + "'; send text or dot\n";
            };
            ByteBuffer out = ByteBuffer.wrap(reply.getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                client.write(out);
            }
        } catch (IOException e) {
            // The client went away: nothing to answer.
        }
    }

    private String header(String comment) {
        return comment + "live snapshot of pid " + ProcessHandle.current().pid() + " at " + Instant.now()
                + ", up " + Duration.between(started, Instant.now()).toSeconds() + " s\n";
    }

    private static String readLine(SocketChannel c) throws IOException {
        ByteBuffer in = ByteBuffer.allocate(MAX_REQUEST);
        while (in.hasRemaining()) {
            int n = c.read(in);
            if (n < 0) {
                break;
            }
            if (indexOfNewline(in) >= 0) {
                break;
            }
        }
        int end = indexOfNewline(in);
        return new String(in.array(), 0, end >= 0 ? end : in.position(), StandardCharsets.US_ASCII).trim();
    }

    private static int indexOfNewline(ByteBuffer b) {
        for (int i = 0; i < b.position(); i++) {
            if (b.get(i) == '\n') {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        deleteSocket();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs (or ran) anyway
        }
    }

    private void deleteSocket() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // nothing more to do at exit
        }
    }

    // ---- client ------------------------------------------------------------------------------------------

    /** Asks the endpoint at {@code socket} for a snapshot in {@code format} (text or dot). */
    static String fetch(Path socket, String format) throws IOException {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(socket));
            c.write(ByteBuffer.wrap((format + "\n").getBytes(StandardCharsets.US_ASCII)));
            c.shutdownOutput();
            return new String(readAll(c), StandardCharsets.UTF_8);
        }
    }

    private static byte[] readAll(SocketChannel c) throws IOException {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        ByteBuffer b = ByteBuffer.allocate(8192);
        while (c.read(b) >= 0) {
            all.write(b.array(), 0, b.position());
            b.clear();
        }
        return all.toByteArray();
    }

    /**
     * The socket of the running stack {@code pid}, or of the only running one when {@code pid} is null, found
     * in {@code dirs}. Sockets whose process is gone are ignored. Throws {@link Main.UserError} saying what to
     * do when there is none, or several and no pid.
     */
    static Path find(List<Path> dirs, Long pid) {
        TreeMap<Long, Path> running = new TreeMap<>();
        for (Path d : dirs) {
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (Stream<Path> files = Files.list(d)) {
                files.forEach(f -> {
                    Matcher m = SOCKET_NAME.matcher(f.getFileName().toString());
                    if (m.matches()) {
                        long p = Long.parseLong(m.group(1));
                        if (ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false)) {
                            running.putIfAbsent(p, f);
                        }
                    }
                });
            } catch (IOException | SecurityException e) {
                // an unreadable directory holds nothing for us
            }
        }
        String looked = "looked for cspstack-<pid>.sock in " + String.join(", ", dirs.stream().map(Path::toString)
                .toList());
        if (pid != null) {
            Path p = running.get(pid);
            if (p == null) {
                throw new Main.UserError("no running cspstack with pid " + pid + " (" + looked + ")"
                        + (running.isEmpty() ? "" : "; running: " + running.keySet()));
            }
            return p;
        }
        if (running.isEmpty()) {
            throw new Main.UserError("no running cspstack found (" + looked + "); start one with "
                    + "'cspstack run', or pass its PID to --live");
        }
        if (running.size() > 1) {
            List<String> pids = new ArrayList<>();
            running.keySet().forEach(p -> pids.add(Long.toString(p)));
            throw new Main.UserError("several cspstacks are running (pids " + String.join(", ", pids)
                    + "); pass one: --live PID");
        }
        return running.firstEntry().getValue();
    }
}
