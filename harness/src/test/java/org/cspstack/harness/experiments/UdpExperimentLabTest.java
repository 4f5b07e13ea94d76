package org.cspstack.harness.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.cspstack.core.csp.Threading;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small run of the UDP experiment in the lab (root, scripts/lab.sh up): 1,120 datagrams at 1,000/s to each. */
@Tag("lab")
class UdpExperimentLabTest {

    @Test
    void aShortRunMeasuresStackAndKernelAndWritesItsFiles(@TempDir Path dir) throws Exception {
        ExperimentOutput out = new ExperimentOutput(dir, Threading.forLayers());
        List<UdpExperiment.Row> rows = UdpExperiment.run(out, List.of(1_000), Duration.ofSeconds(1), 2_000,
                System.out);
        assertEquals(2, rows.size());
        assertEquals("stack", rows.get(0).target());
        assertEquals("kernel", rows.get(1).target());
        for (UdpExperiment.Row r : rows) {
            assertEquals(UdpExperiment.MIN_DATAGRAMS, r.sent(), r.toString());
            assertTrue(r.dropPct() < 5, "at 1,000/s nearly everything arrives: " + r);
            assertTrue(r.p50Us() > 0 && r.p50Us() <= r.p99Us() && r.p99Us() <= r.maxUs(), r.toString());
        }
        for (String f : List.of("udp.csv", "udp-detail.csv", "udp-latency.png", "udp-drop.png", "udp.txt",
                "environment.txt")) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
    }
}
