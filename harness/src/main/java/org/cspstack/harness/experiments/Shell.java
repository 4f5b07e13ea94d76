package org.cspstack.harness.experiments;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Runs lab commands for experiments, bounded in time. */
public final class Shell {
    private Shell() {
    }

    /** A finished command: its exit code and its output (stdout and stderr together). */
    public record Result(int exitCode, String out) {
    }

    /** Runs {@code sh -c script} in network namespace {@code ns} (null: here); returns stdout+stderr. */
    public static String run(String ns, String script, Duration timeout) throws IOException, InterruptedException {
        return ns == null ? exec(timeout, "sh", "-c", script).out()
                : exec(timeout, "ip", "netns", "exec", ns, "sh", "-c", script).out();
    }

    /** Runs a command, bounded by {@code timeout}; kills it and throws when it overruns. */
    public static Result exec(Duration timeout, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[][] out = new byte[1][];
        Thread reader = new Thread(() -> {
            try {
                out[0] = p.getInputStream().readAllBytes();
            } catch (IOException e) {
                out[0] = new byte[0];
            }
        });
        reader.start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            reader.join(2000);
            throw new IOException(String.join(" ", command) + " did not finish within " + timeout);
        }
        reader.join(5000);
        return new Result(p.exitValue(), new String(out[0], StandardCharsets.UTF_8));
    }

    /**
     * Waits until something listens on {@code proto} ("tcp" or "udp") {@code port} in namespace {@code ns}, as
     * {@code ss} shows it; a bounded wait for a server just started in the background.
     *
     * @throws IllegalStateException when nothing listens within {@code timeout}
     */
    public static void awaitListening(String ns, String proto, int port, Duration timeout)
            throws IOException, InterruptedException {
        String flags = proto.equals("udp") ? "-uln" : "-tln";
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!exec(Duration.ofSeconds(5), "ip", "netns", "exec", ns, "ss", flags, "sport = :" + port).out()
                .contains(":" + port)) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("nothing listens on " + proto + "/" + port + " in " + ns
                        + " after " + timeout);
            }
            Thread.sleep(20);
        }
    }

    /** Starts {@code sh -c script} in {@code ns} in the background, bounded by {@code timeout(1)}. */
    public static Process start(String ns, String script, Duration timeout) throws IOException {
        return new ProcessBuilder("ip", "netns", "exec", ns, "timeout", Long.toString(timeout.toSeconds()), "sh", "-c",
                script).redirectErrorStream(true).start();
    }
}
