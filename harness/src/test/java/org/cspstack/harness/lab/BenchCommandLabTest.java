package org.cspstack.harness.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.cspstack.harness.cli.Main;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cspstack bench --quick --only ping} as a user runs it: the ping figures, stack beside Linux. */
@Tag("lab")
class BenchCommandLabTest {

    @BeforeAll
    static void lab() {
        Lab.requireUp();
    }

    @Test
    void quickPingBenchPrintsBothFiguresBesideLinuxAndWritesItsFiles(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int code;
        try (PrintStream tee = new PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                buf.write(b);
                original.write(b);
            }
        }, true, StandardCharsets.UTF_8)) {
            System.setOut(tee);
            code = Main.execute("bench", "--quick", "--only", "ping", "--out", dir.toString());
        } finally {
            System.setOut(original);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, out);
        for (String figure : List.of("ping RTT p50, ms", "ping RTT p99, ms")) {
            String row = out.lines().filter(l -> l.startsWith(figure)).findFirst().orElseThrow(
                    () -> new AssertionError("no row '" + figure + "' in:\n" + out));
            String[] cells = row.split("\\|");
            assertEquals(6, cells.length, row);
            assertTrue(Double.parseDouble(cells[1].trim()) > 0, "the stack's figure: " + row);
            assertTrue(Double.parseDouble(cells[2].trim()) > 0, "Linux's figure: " + row);
            assertTrue(cells[3].trim().endsWith("x"), "a ratio: " + row);
        }
        assertTrue(out.contains("ping (stack answers)"), "the JVM's costs of the stack's part:\n" + out);
        for (String f : List.of("bench.md", "bench.csv", "bench-jvm.csv", "bench-ping.csv", "bench-ping.png",
                "environment.txt")) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
        assertTrue(Files.readString(dir.resolve("bench.md")).contains("| ping RTT p50, ms |"));
    }
}
