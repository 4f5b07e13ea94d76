package org.cspstack.harness.bench;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.cspstack.harness.experiments.HotPathsExperiment;
import org.junit.jupiter.api.Test;

/**
 * JMH's annotation processor ran: {@code META-INF/BenchmarkList} (which the jar plugin packs into
 * cspstack.jar) lists every hot-path benchmark the hotpaths experiment reports, and both CommsTime shapes.
 */
class BenchmarkListTest {
    @Test
    void benchmarkListHoldsTheHotPathAndCommsTimeBenchmarks() throws Exception {
        String list;
        try (InputStream in = BenchmarkListTest.class.getResourceAsStream("/META-INF/BenchmarkList")) {
            assertNotNull(in, "no META-INF/BenchmarkList on the class path: JMH's annotation processor did not run");
            list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (HotPathsExperiment.Case c : HotPathsExperiment.CASES) {
            assertTrue(list.contains(" " + HotPaths.class.getName() + " ") && list.contains(" " + c.method() + " "),
                    "BenchmarkList lacks HotPaths." + c.method() + ":\n" + list);
        }
        for (String m : List.of("checksum", "parseUdpFrame", "parseTcpFrame", "parseUdpFrameAsLayers",
                "parseTcpFrameAsLayers", "layerHop", "receivePath")) {
            assertTrue(list.contains("jmh_generated.HotPaths_" + m + "_jmhTest"), m + " missing:\n" + list);
        }
        for (String m : List.of("ring", "stream")) {
            assertTrue(list.contains("jmh_generated.CommsTime_" + m + "_jmhTest"), m + " missing:\n" + list);
        }
    }
}
