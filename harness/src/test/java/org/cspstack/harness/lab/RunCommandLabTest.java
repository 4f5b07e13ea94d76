package org.cspstack.harness.lab;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code cspstack run} as a user runs it: answers pings, stops on SIGINT/SIGTERM within 2 s with exit 0. */
@Tag("lab")
class RunCommandLabTest {

    @BeforeAll
    static void lab() {
        Lab.requireUp();
    }

    @ParameterizedTest
    @ValueSource(strings = {"INT", "TERM"})
    void runAnswersPingsAndStopsCleanlyOnASignal(String signal) throws Exception {
        Path pcap = Path.of(System.getProperty("java.io.tmpdir"), "cspstack-run-" + signal + ".pcap");
        // A process started in the background by a non-interactive shell (as CI starts the suite) inherits
        // SIGINT as ignored, and a JVM keeps an ignored SIGINT ignored; reset it to the default as a terminal
        // would have it, so that the command is tested as a user runs it.
        List<String> cmd = new ArrayList<>(List.of("env", "--default-signal=INT,TERM",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.cspstack.harness.cli.Main", "run",
                "--pcap", pcap.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        StringBuilder all = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (all) {
                        all.append(line).append('\n');
                    }
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        reader.start();
        try {
            awaitLine(lines, "Ctrl-C stops", Duration.ofSeconds(60), all);
            Lab.Result ping = Lab.inNamespace(Duration.ofSeconds(20), "ping", "-c", "3", "-i", "0.2", "-W", "2",
                    Lab.STACK_IP);
            assertThat(ping.out(), Lab.received(ping.out()), is(3));

            long signalled = System.nanoTime();
            Lab.run(Duration.ofSeconds(5), "kill", "-" + signal, Long.toString(p.pid()));
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                fail("cspstack run did not exit within 10 s of SIG" + signal + ":\n" + all);
            }
            long millis = (System.nanoTime() - signalled) / 1_000_000;
            reader.join(5000);
            String out;
            synchronized (all) {
                out = all.toString();
            }
            assertThat(out, p.exitValue(), is(0));
            assertThat(out, millis, lessThan(2000L));
            assertThat(out, containsString("echoRepliesSent=3"));
            Lab.Result dump = Lab.run(Duration.ofSeconds(10), "tcpdump", "-nn", "-r", pcap.toString());
            assertThat(dump.out(), containsString("ICMP echo reply"));
        } finally {
            p.destroyForcibly();
            java.nio.file.Files.deleteIfExists(pcap);
        }
    }

    private static void awaitLine(BlockingQueue<String> lines, String text, Duration timeout, StringBuilder all)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) {
                synchronized (all) {
                    fail("no line containing '" + text + "' within " + timeout + ":\n" + all);
                }
            }
            if (line.contains(text)) {
                return;
            }
        }
    }
}
