package org.cspstack.harness.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.cspstack.core.csp.Threading;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small run of the spawn experiment: every kind has its rows, the measured ones have times, the files exist. */
class SpawnExperimentTest {
    @TempDir
    Path dir;

    @Test
    void smallRunWritesEveryKindCsvPlotsAndSummary() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        List<SpawnExperiment.Row> rows;
        try (PrintStream ps = new PrintStream(console, true, StandardCharsets.UTF_8)) {
            rows = SpawnExperiment.run(new ExperimentOutput(dir, Threading.forLayers()), new int[] {10, 100}, 1, ps);
        }
        String printed = console.toString(StandardCharsets.UTF_8);

        assertEquals(SpawnExperiment.KINDS.size() * 2, rows.size(), printed);
        for (SpawnExperiment.Row r : rows) {
            if (r.measured()) {
                assertTrue(r.wallMillis() > 0, r.toString());
                assertTrue(r.cpuMillis() > 0, r.toString());
                assertEquals(1, r.repeats(), r.toString());
            } else {
                assertFalse(r.note().isBlank(), r.toString());
            }
        }
        // Kinds that run everywhere the build runs are measured, not noted.
        for (String kind : List.of(SpawnExperiment.JCSP_PARALLEL, SpawnExperiment.JCSP_RUNNER_PLATFORM,
                SpawnExperiment.JAVA_PLATFORM)) {
            assertTrue(rows.stream().filter(r -> r.kind().equals(kind)).allMatch(SpawnExperiment.Row::measured),
                    kind + " not measured:\n" + printed);
        }
        if (onPath("go")) {
            assertTrue(rows.stream().filter(r -> r.kind().equals(SpawnExperiment.GO_GOROUTINES))
                    .allMatch(SpawnExperiment.Row::measured), "go is on PATH but goroutines were not measured:\n"
                    + printed);
        }
        if (Threading.virtualAvailable()) {
            assertTrue(rows.stream().filter(r -> r.kind().endsWith("-virtual")).allMatch(SpawnExperiment.Row::measured),
                    printed);
        }

        // CSV: a header and one row per kind and N, with times for measured rows and a note otherwise.
        List<String> csv = Files.readAllLines(dir.resolve("spawn.csv"));
        List<String> header = List.of(csv.get(0).split(",", -1));
        assertEquals(List.of("kind", "n", "wall_ms", "cpu_ms", "note"), header.subList(0, 5));
        Map<String, Integer> perKind = new HashMap<>();
        for (String line : csv.subList(1, csv.size())) {
            String[] f = line.split(",", -1);
            assertEquals(header.size(), f.length, line);
            perKind.merge(f[0], 1, Integer::sum);
            assertTrue(f[1].equals("10") || f[1].equals("100"), line);
            if (f[4].isEmpty()) {
                assertTrue(Double.parseDouble(f[2]) > 0, line);
                assertTrue(Double.parseDouble(f[3]) > 0, line);
            } else {
                assertTrue(f[2].isEmpty() && f[3].isEmpty(), line);
            }
        }
        for (String kind : SpawnExperiment.KINDS) {
            assertEquals(2, perKind.getOrDefault(kind, 0), kind + " in\n" + String.join("\n", csv));
        }

        for (String png : List.of("spawn-wall.png", "spawn-cpu.png")) {
            BufferedImage img = ImageIO.read(dir.resolve(png).toFile());
            assertNotNull(img, png);
            assertEquals(800, img.getWidth(), png);
            assertEquals(500, img.getHeight(), png);
        }

        String summary = Files.readString(dir.resolve("spawn.txt"));
        assertTrue(summary.contains("NUM_THREADS"), summary);
        assertTrue(summary.contains("N = 100"), summary);
        assertTrue(Files.exists(dir.resolve("environment.txt")));

        // The console ends with one result line per kind at the largest N, then the progress report's last line.
        List<String> lines = printed.lines().toList();
        assertTrue(lines.get(lines.size() - 1).startsWith("spawn: 14/14 cells in "), printed);
        List<String> last = lines.subList(lines.size() - 1 - SpawnExperiment.KINDS.size(), lines.size() - 1);
        for (int i = 0; i < last.size(); i++) {
            String line = last.get(i).strip();
            assertTrue(line.startsWith(SpawnExperiment.KINDS.get(i)) && line.contains("N=100"), printed);
        }
    }

    private static boolean onPath(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, name))) {
                return true;
            }
        }
        return false;
    }
}
