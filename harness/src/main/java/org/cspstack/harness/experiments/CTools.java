package org.cspstack.harness.experiments;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The experiments' small C programs ({@code experiments/NAME.c} on the classpath: the UDP sender and receiver,
 * the TCP bulk sender and receiver), compiled with {@code cc -O2} into a temporary folder that {@link #close()}
 * deletes with everything else the experiment left there.
 */
public final class CTools implements AutoCloseable {
    private final Path work;

    private CTools(Path work) {
        this.work = work;
    }

    /** Compiles each named program into a new temporary folder. */
    public static CTools compile(String... names) throws IOException, InterruptedException {
        CTools tools = new CTools(Files.createTempDirectory("cspstack-tools-"));
        try {
            for (String name : names) {
                tools.build(name);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            tools.close();
            throw e;
        }
        return tools;
    }

    /** The compiled program {@code name}. */
    public Path binary(String name) {
        Path p = work.resolve(name);
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException(name + " was not compiled");
        }
        return p;
    }

    /** The temporary folder, for files the programs write. */
    public Path work() {
        return work;
    }

    private void build(String name) throws IOException, InterruptedException {
        Path source = work.resolve(name + ".c");
        try (InputStream in = CTools.class.getResourceAsStream("/experiments/" + name + ".c")) {
            if (in == null) {
                throw new IllegalStateException("resource experiments/" + name + ".c is missing from the classpath");
            }
            Files.copy(in, source);
        }
        Path binary = work.resolve(name);
        Process p = new ProcessBuilder("cc", "-O2", "-Wall", "-o", binary.toString(), source.toString())
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("cc could not compile " + name + ".c (install a C compiler: "
                    + "apt-get install gcc):\n" + output);
        }
    }

    @Override
    public void close() {
        try (Stream<Path> s = Files.walk(work)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + work, e);
        }
    }
}
