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

    @Test
    void garbageIsWhatWasAllocatedAndNotKept() {
        JvmMeter.Snapshot a = new JvmMeter.Snapshot(0, 0, 1_000, 0);
        JvmMeter.Snapshot b = new JvmMeter.Snapshot(1_000_000_000L, 0, 1_001_000, 1_000);
        assertEquals(600_000, JvmMeter.Usage.between(a, b, 0, 0, 400_000).garbageBytes());
        assertEquals(600.0, JvmMeter.Usage.between(a, b, 0, 0, 400_000).garbagePerPacket(), 1e-9);
        // a heap that shrank is not subtracted (something older died): all of the allocation counts
        assertEquals(1_000_000, JvmMeter.Usage.between(a, b, 0, 0, -300_000).garbageBytes());
        // kept more than allocated (what the window's packets did not make): no garbage, not less than none
        assertEquals(0, JvmMeter.Usage.between(a, b, 0, 0, 5_000_000).garbageBytes());
        // what the caller (the harness's thread) allocated is not the stack's
        JvmMeter.Snapshot a2 = new JvmMeter.Snapshot(0, 0, 1_000, 0, 50);
        JvmMeter.Snapshot b2 = new JvmMeter.Snapshot(1, 0, 1_001_000, 1_000, 100_050);
        assertEquals(100_000, JvmMeter.Usage.between(a2, b2, 0, 0, 400_000).callerBytes());
        assertEquals(500_000, JvmMeter.Usage.between(a2, b2, 0, 0, 400_000).garbageBytes());
        JvmMeter.Snapshot unknown = new JvmMeter.Snapshot(0, 0, -1, 0);
        assertEquals(-1, JvmMeter.Usage.between(unknown, b, 0, 0, 0).garbageBytes());
        assertTrue(Double.isNaN(JvmMeter.Usage.between(unknown, b, 0, 0, 0).garbagePerPacket()));
    }

    /** The test's thread is the caller here: what it drops is its own, and what other threads drop is garbage. */
    @Test
    void aWindowThatKeepsSomeAndDropsTheRestTellsThemApart() throws Exception {
        AtomicLong packets = new AtomicLong();
        JvmMeter meter = new JvmMeter(packets::get);
        Thread first = new Thread(() -> packets.addAndGet(0)); // classes loaded before the window, not in it
        first.start();
        first.join();
        meter.start();
        Thread stackLike = new Thread(() -> {
            kept = new byte[64][];
            for (int i = 0; i < 64; i++) {
                kept[i] = new byte[16 * 1024]; // 1 MiB kept
                byte[] dropped = new byte[32 * 1024]; // 2 MiB let go
                dropped[i] = 1;
                packets.addAndGet(dropped[i]);
            }
        });
        stackLike.start();
        stackLike.join();
        byte[] callers = new byte[512 * 1024]; // the caller's own, not the stack's
        JvmMeter.Usage u = meter.stop();
        assertEquals(64, u.packets());
        assertTrue(callers.length > 0);
        if (u.allocatedBytes() >= 0) { // HotSpot counts allocation; another JVM may not
            assertTrue(u.keptBytes() >= 900 * 1024, u.toString());
            assertTrue(u.callerBytes() >= 512 * 1024, u.toString());
            // 2 MiB dropped; the heap after GC moves by some hundred KB on its own (class data, the thread)
            assertTrue(u.garbageBytes() >= 1024 * 1024 && u.garbageBytes() < 2560 * 1024, u.toString());
        }
        kept = null;
    }

    /** Reachable from outside the test method, so that no compiler can drop it. */
    private static byte[][] kept;
}
