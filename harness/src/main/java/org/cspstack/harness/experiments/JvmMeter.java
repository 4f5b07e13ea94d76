package org.cspstack.harness.experiments;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.function.LongSupplier;

/**
 * What the stack costs the JVM over a window of an experiment, read from the JVM's own management beans (the
 * stack runs in this JVM): heap, allocation, CPU time, and the same per packet.
 *
 * <ul>
 *   <li><b>allocated</b>: {@code com.sun.management.ThreadMXBean.getTotalThreadAllocatedBytes()} at the end
 *       minus at the start: every thread of the JVM, the ended ones included (virtual threads count on their
 *       carriers);</li>
 *   <li><b>CPU</b>: the process's CPU time ({@code OperatingSystemMXBean.getProcessCpuTime()}): every thread of
 *       the JVM, the JIT compiler and the garbage collector included, but not the programs it started;</li>
 *   <li><b>packets</b>: the caller's count (the stack's link frames received plus sent) at the end minus at the
 *       start;</li>
 *   <li><b>heap peak</b>: the sum over heap pools of each pool's peak since the start (an upper bound: the pools
 *       need not peak together);</li>
 *   <li><b>heap after GC</b>: heap used right after a full collection ({@link System#gc()}) at the end: what
 *       the stack keeps.</li>
 *   <li><b>kept</b>: heap after GC at the end minus heap after GC at the start (a full collection starts the
 *       window too): what the window allocated and still holds, such as a buffer pool or batch ring growing to
 *       a burst's size;</li>
 *   <li><b>caller</b>: what the thread that runs the window (the harness's: it starts the senders and reads
 *       their output, and for a transfer from the stack it is the sending application) allocated in it;</li>
 *   <li><b>garbage</b>: allocated minus the caller's part minus kept (when the heap grew): the bytes the stack
 *       allocated and let go. This is what "no garbage per packet" is about: a pool that grows once is memory,
 *       not garbage, and the harness's own strings are not the stack's. It can only overstate: an object made
 *       before the window and dropped during it makes the heap shrink, and a shrink is not subtracted.</li>
 * </ul>
 * One window at a time; not thread-safe.
 */
public final class JvmMeter {
    private final LongSupplier packets;
    private Snapshot begin;
    private long beginAfterGc;
    private Usage usage;

    /** {@code packets}: a running count of the packets that the window's figures are divided by. */
    public JvmMeter(LongSupplier packets) {
        this.packets = packets;
    }

    /** The JVM's counters at one moment. A negative value means "not available here". */
    public record Snapshot(long wallNs, long cpuNs, long allocatedBytes, long packets, long callerAllocatedBytes) {
        /** A snapshot without the calling thread's own count (taken as 0). */
        public Snapshot(long wallNs, long cpuNs, long allocatedBytes, long packets) {
            this(wallNs, cpuNs, allocatedBytes, packets, 0);
        }

        public static Snapshot now(long packets) {
            return new Snapshot(System.nanoTime(), readProcessCpuNs(), readAllocatedBytes(), packets,
                    readCallerAllocatedBytes());
        }
    }

    /** A window's figures. NaN stands for "not available" (or no packets to divide by). */
    public record Usage(long wallNs, long cpuNs, long allocatedBytes, long packets, long heapAfterGcBytes,
                        long heapPeakBytes, long keptBytes, long callerBytes) {
        /**
         * A window whose heap growth and caller's part are unknown (taken as none: all of the allocation counts
         * as garbage).
         */
        public Usage(long wallNs, long cpuNs, long allocatedBytes, long packets, long heapAfterGcBytes,
                     long heapPeakBytes) {
            this(wallNs, cpuNs, allocatedBytes, packets, heapAfterGcBytes, heapPeakBytes, 0, 0);
        }

        /** The figures between two snapshots, with the heap figures taken at the end. */
        public static Usage between(Snapshot a, Snapshot b, long heapAfterGcBytes, long heapPeakBytes) {
            return between(a, b, heapAfterGcBytes, heapPeakBytes, 0);
        }

        /** As above, with {@code keptBytes}: heap after GC at the end minus at the start. */
        public static Usage between(Snapshot a, Snapshot b, long heapAfterGcBytes, long heapPeakBytes,
                                    long keptBytes) {
            return new Usage(b.wallNs() - a.wallNs(),
                    a.cpuNs() < 0 || b.cpuNs() < 0 ? -1 : b.cpuNs() - a.cpuNs(),
                    a.allocatedBytes() < 0 || b.allocatedBytes() < 0 ? -1 : b.allocatedBytes() - a.allocatedBytes(),
                    b.packets() - a.packets(), heapAfterGcBytes, heapPeakBytes, keptBytes,
                    a.callerAllocatedBytes() < 0 || b.callerAllocatedBytes() < 0 ? 0
                            : b.callerAllocatedBytes() - a.callerAllocatedBytes());
        }

        /** Allocated by the stack (not the caller) and not kept: -1 when the allocation is unknown. */
        public long garbageBytes() {
            return allocatedBytes < 0 ? -1
                    : Math.max(0, allocatedBytes - Math.max(0, callerBytes) - Math.max(0, keptBytes));
        }

        /** Garbage per packet, bytes. */
        public double garbagePerPacket() {
            long g = garbageBytes();
            return g < 0 || packets <= 0 ? Double.NaN : (double) g / packets;
        }

        /** Allocation rate, MB (10^6 bytes) per second of wall time. */
        public double allocMBps() {
            return allocatedBytes < 0 || wallNs <= 0 ? Double.NaN : allocatedBytes / 1e6 / (wallNs / 1e9);
        }

        /** Bytes allocated per packet. */
        public double bytesPerPacket() {
            return allocatedBytes < 0 || packets <= 0 ? Double.NaN : (double) allocatedBytes / packets;
        }

        /** CPU time per packet, microseconds. */
        public double cpuUsPerPacket() {
            return cpuNs < 0 || packets <= 0 ? Double.NaN : cpuNs / 1e3 / packets;
        }

        /** CPU time over wall time, percent of one CPU. */
        public double cpuPct() {
            return cpuNs < 0 || wallNs <= 0 ? Double.NaN : 100.0 * cpuNs / wallNs;
        }

        /** Packets per second of wall time. */
        public double packetsPerSecond() {
            return wallNs <= 0 ? Double.NaN : packets / (wallNs / 1e9);
        }

        public double heapAfterGcMiB() {
            return heapAfterGcBytes < 0 ? Double.NaN : heapAfterGcBytes / 1048576.0;
        }

        public double heapPeakMiB() {
            return heapPeakBytes < 0 ? Double.NaN : heapPeakBytes / 1048576.0;
        }
    }

    /**
     * Starts the window: a full collection (so that what the window keeps can be told from what it drops),
     * resets the heap pools' peaks and takes the first snapshot.
     */
    public void start() {
        System.gc();
        beginAfterGc = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.isValid()) {
                pool.resetPeakUsage();
            }
        }
        usage = null;
        begin = Snapshot.now(packets.getAsLong());
    }

    /** Ends the window (the heap after GC costs one full collection) and returns its figures. */
    public Usage stop() {
        if (begin == null) {
            throw new IllegalStateException("stop() without start()");
        }
        Snapshot end = Snapshot.now(packets.getAsLong());
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.isValid() && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.gc();
        long afterGc = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        usage = Usage.between(begin, end, afterGc, peak, afterGc - beginAfterGc);
        begin = null;
        return usage;
    }

    /** The last window's figures; null before the first {@link #stop()}. */
    public Usage usage() {
        return usage;
    }

    /** The largest heap the JVM may use ({@code -Xmx}), MiB; NaN when unbounded. */
    public static double maxHeapMiB() {
        long max = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
        return max < 0 ? Double.NaN : max / 1048576.0;
    }

    private static long readProcessCpuNs() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** The calling thread's allocation so far; -1 when the JVM does not count it. */
    private static long readCallerAllocatedBytes() {
        com.sun.management.ThreadMXBean t = allocationCounter();
        return t == null ? -1 : t.getCurrentThreadAllocatedBytes();
    }

    /** Every thread's allocation so far; -1 when the JVM does not count it. */
    private static long readAllocatedBytes() {
        com.sun.management.ThreadMXBean t = allocationCounter();
        return t == null ? -1 : t.getTotalThreadAllocatedBytes();
    }

    /** The JVM's per-thread allocation counter, or null when it has none or it is off. */
    private static com.sun.management.ThreadMXBean allocationCounter() {
        return ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
                && t.isThreadAllocatedMemorySupported() && t.isThreadAllocatedMemoryEnabled() ? t : null;
    }
}
