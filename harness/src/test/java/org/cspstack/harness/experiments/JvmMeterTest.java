package org.cspstack.harness.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class JvmMeterTest {

    @Test
    void perPacketFiguresDivideTheWindowsDeltas() {
        JvmMeter.Snapshot a = new JvmMeter.Snapshot(1_000_000_000L, 200_000_000L, 10_000_000, 1_000);
        JvmMeter.Snapshot b = new JvmMeter.Snapshot(3_000_000_000L, 1_200_000_000L, 74_000_000, 201_000);
        JvmMeter.Usage u = JvmMeter.Usage.between(a, b, 6L << 20, 18L << 20);
        assertEquals(2_000_000_000L, u.wallNs());
        assertEquals(1_000_000_000L, u.cpuNs());
        assertEquals(64_000_000, u.allocatedBytes());
        assertEquals(200_000, u.packets());
        assertEquals(32.0, u.allocMBps(), 1e-9); // 64 MB in 2 s
        assertEquals(320.0, u.bytesPerPacket(), 1e-9);
        assertEquals(5.0, u.cpuUsPerPacket(), 1e-9); // 1 s of CPU over 200,000 packets
        assertEquals(50.0, u.cpuPct(), 1e-9);
        assertEquals(100_000.0, u.packetsPerSecond(), 1e-9);
        assertEquals(6.0, u.heapAfterGcMiB(), 1e-9);
        assertEquals(18.0, u.heapPeakMiB(), 1e-9);
    }

    @Test
    void whatTheJvmCannotTellAndNoPacketsGiveNaNNotZero() {
        JvmMeter.Snapshot a = new JvmMeter.Snapshot(0, -1, -1, 5);
        JvmMeter.Snapshot b = new JvmMeter.Snapshot(1_000_000_000L, 7, 9, 5);
        JvmMeter.Usage u = JvmMeter.Usage.between(a, b, -1, -1);
        assertEquals(-1, u.cpuNs());
        assertEquals(-1, u.allocatedBytes());
        assertTrue(Double.isNaN(u.allocMBps()));
        assertTrue(Double.isNaN(u.bytesPerPacket()));
        assertTrue(Double.isNaN(u.cpuUsPerPacket()));
        assertTrue(Double.isNaN(u.heapPeakMiB()));
        JvmMeter.Usage idle = JvmMeter.Usage.between(new JvmMeter.Snapshot(0, 0, 0, 5),
                new JvmMeter.Snapshot(1, 1, 1, 5), 0, 0);
        assertTrue(Double.isNaN(idle.bytesPerPacket()) && Double.isNaN(idle.cpuUsPerPacket()));
    }

    @Test
    void aWindowInThisJvmCountsItsPacketsAndItsAllocation() {
        AtomicLong packets = new AtomicLong(100);
        JvmMeter meter = new JvmMeter(packets::get);
        assertThrows(IllegalStateException.class, meter::stop);
        meter.start();
        byte[][] garbage = new byte[64][];
        for (int i = 0; i < garbage.length; i++) {
            garbage[i] = new byte[16 * 1024];
        }
        packets.addAndGet(64);
        JvmMeter.Usage u = meter.stop();
        assertEquals(64, u.packets());
        assertEquals(u, meter.usage());
        assertTrue(garbage[63].length > 0);
        if (u.allocatedBytes() >= 0) { // HotSpot counts allocation; another JVM may not
            assertTrue(u.allocatedBytes() >= 64 * 16 * 1024, u.toString());
        }
        assertTrue(u.heapAfterGcBytes() > 0 && u.heapPeakBytes() > 0, u.toString());
    }
}
