package org.cspstack.harness.lab;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.cspstack.harness.experiments.Shell;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code cspstack nc -u} as a user runs it, against Linux's netcat in the lab namespace. */
@Tag("lab")
class NcLabTest {

    @BeforeAll
    static void lab() {
        Lab.requireUp();
    }

    @Test
    void linuxNetcatReceivesExactlyWhatCspstackNcSends() throws Exception {
        Path dir = Files.createTempDirectory("cspstack-nc");
        Path sent = dir.resolve("sent.txt");
        Path received = dir.resolve("received.txt");
        byte[] data = new byte[40_000];
        Random random = new Random(42);
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) ('a' + random.nextInt(26));
        }
        Files.write(sent, data);
        Process listener = new ProcessBuilder("ip", "netns", "exec", Lab.NAMESPACE, "timeout", "30", "nc", "-u",
                "-l", "5000").redirectOutput(received.toFile()).redirectErrorStream(false).start();
        try {
            Shell.awaitListening(Lab.NAMESPACE, "udp", 5000, Duration.ofSeconds(10));
            Process nc = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), "org.cspstack.harness.cli.Main", "nc", "-u", "-w", "1",
                    Lab.PEER_IP, "5000")).redirectInput(sent.toFile()).redirectErrorStream(true).start();
            assertThat("cspstack nc ends by itself", nc.waitFor(60, TimeUnit.SECONDS), is(true));
            String out = new String(nc.getInputStream().readAllBytes());
            assertThat(out, nc.exitValue(), is(0));
            LabStack.await("everything sent has arrived", () -> size(received) >= data.length, Duration.ofSeconds(10));
            assertThat(sha256(Files.readAllBytes(received)), is(sha256(data)));
        } finally {
            listener.destroy();
            listener.waitFor(5, TimeUnit.SECONDS);
            Files.deleteIfExists(sent);
            Files.deleteIfExists(received);
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void linuxNetcatReceivesFiftyMegabytesThatCspstackNcSendsOverTcp() throws Exception {
        Path dir = Files.createTempDirectory("cspstack-nc-tcp");
        Path sent = dir.resolve("sent.bin");
        byte[] data = new byte[50_000_000];
        new Random(5).nextBytes(data);
        Files.write(sent, data);
        Process listener = new ProcessBuilder("ip", "netns", "exec", Lab.NAMESPACE, "timeout", "120", "sh", "-c",
                "nc -l 5002 | sha256sum").redirectErrorStream(true).start();
        try {
            Shell.awaitListening(Lab.NAMESPACE, "tcp", 5002, Duration.ofSeconds(10));
            Process nc = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), "org.cspstack.harness.cli.Main", "nc",
                    Lab.PEER_IP, "5002")).redirectInput(sent.toFile()).redirectErrorStream(true).start();
            assertThat("cspstack nc ends by itself", nc.waitFor(120, TimeUnit.SECONDS), is(true));
            String out = new String(nc.getInputStream().readAllBytes());
            assertThat(out, nc.exitValue(), is(0));
            assertThat(listener.waitFor(60, TimeUnit.SECONDS), is(true));
            String linux = new String(listener.getInputStream().readAllBytes()).trim().split("\\s+")[0];
            assertThat(linux, is(sha256(data)));
        } finally {
            listener.destroy();
            listener.waitFor(5, TimeUnit.SECONDS);
            Files.deleteIfExists(sent);
            Files.deleteIfExists(dir);
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
