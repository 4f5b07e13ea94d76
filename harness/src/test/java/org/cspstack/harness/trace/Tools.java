package org.cspstack.harness.trace;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the standard tools the trace files are for (jq, tcpdump); a missing tool fails the test, never skips it. */
public final class Tools {
    private Tools() {
    }

    /** Runs {@code command}, returns its stdout; fails on a non-zero exit or after 20 s. */
    public static String run(String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(command));
        cmd.set(0, find(command[0]));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within 20 s");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            fail(String.join(" ", command) + " exited with " + p.exitValue() + ":\n" + text);
        }
        return text;
    }

    private static String find(String tool) {
        List<Path> candidates = new ArrayList<>();
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty()) {
                candidates.add(Path.of(d, tool));
            }
        }
        candidates.add(Path.of("/usr/bin", tool));
        candidates.add(Path.of("/usr/sbin", tool));
        for (Path c : candidates) {
            if (Files.isExecutable(c)) {
                return c.toString();
            }
        }
        fail(tool + " is not installed; scripts/test.sh installs it (Debian: apt-get install " + tool + ")");
        return null;
    }
}
