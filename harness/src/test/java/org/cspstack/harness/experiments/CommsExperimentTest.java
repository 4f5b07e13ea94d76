package org.cspstack.harness.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.imageio.ImageIO;

import org.cspstack.core.csp.Threading;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code experiment comms --quick}: CommsTime through JMH's Runner in this JVM. Every pattern, channel and
 * kind of thread has a CSV row; the ones this JDK can run have a finite, positive ns/hop, virtual threads on
 * JDK 17 say "not available"; the plot, table and JMH log exist. Asserts values, never timing.
 */
class CommsExperimentTest {
    @TempDir
    Path dir;

    @Test
    void quickRunWritesARowPerCaseWithFinitePositiveNanosPerHop() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        List<CommsExperiment.Row> rows;
        try (PrintStream ps = new PrintStream(console, true, StandardCharsets.UTF_8)) {
            rows = CommsExperiment.run(new ExperimentOutput(dir, Threading.forLayers()), JmhRun.Settings.QUICK, ps);
        }
        String printed = console.toString(StandardCharsets.UTF_8);
        assertEquals(8, rows.size(), printed);

        List<String> csv = Files.readAllLines(dir.resolve("comms.csv"));
        assertEquals("pattern,channel,threads,ns_per_hop,error_ns,samples,note", csv.get(0));
        assertEquals(9, csv.size(), String.join("\n", csv));
        Set<String> seen = new HashSet<>();
        for (String line : csv.subList(1, csv.size())) {
            String[] f = line.split(",", -1);
            assertEquals(7, f.length, line);
            assertTrue(CommsExperiment.PATTERNS.contains(f[0]), line);
            assertTrue(CommsExperiment.CHANNELS.contains(f[1]), line);
            assertTrue(CommsExperiment.THREADS.contains(f[2]), line);
            assertTrue(seen.add(f[0] + "/" + f[1] + "/" + f[2]), "duplicate row " + line);
            boolean runnable = f[2].equals("platform") || Threading.virtualAvailable();
            if (runnable) {
                double ns = Double.parseDouble(f[3]);
                assertTrue(Double.isFinite(ns) && ns > 0, "ns/hop must be finite and positive: " + line
                        + "\n" + printed);
                assertTrue(Long.parseLong(f[5]) >= 1, line);
            } else {
                assertEquals("", f[3], line);
                assertTrue(f[6].startsWith("not available"), line);
            }
        }
        assertEquals(8, seen.size());

        BufferedImage png = ImageIO.read(dir.resolve("comms.png").toFile());
        assertNotNull(png);
        assertTrue(png.getWidth() > 0 && png.getHeight() > 0);
        assertTrue(Files.readString(dir.resolve("comms.txt")).contains("stream  buffered"));
        assertTrue(Files.readString(dir.resolve("environment.txt")).contains("comms.jmh: org.openjdk.jmh:jmh-core:1.37"));
        assertTrue(Files.size(dir.resolve("comms-jmh.log")) > 0);
        assertTrue(printed.contains("ring    rendezvous"), printed);
    }
}
