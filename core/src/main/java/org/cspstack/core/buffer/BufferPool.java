package org.cspstack.core.buffer;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Fixed-size {@link PacketBuffer}s that are given back by their last owner and handed out again, so that a
 * stack in steady state makes no new packet arrays (lwIP's pbuf pools, DPDK's mempools).
 *
 * <pre>
 *   take() ----&gt; owner ---write---&gt; owner ---write---&gt; ... last owner --release()--+
 *     ^  (empty: new buffer)                                                       |
 *     +------------------------- the ring (bounded; full: GC takes it) &lt;-----------+
 * </pre>
 *
 * <p><b>Datasheet.</b>
 * <ul>
 *   <li>Every buffer of the pool has an array of {@link #bufferSize()} bytes. {@link #take(int, int)} gives a
 *       pooled buffer when {@code headroom + length} fits, otherwise a plain unpooled one (counted
 *       {@code tooLarge}), so a caller never has to check.</li>
 *   <li>The pool starts empty and grows on demand: an empty ring makes a new buffer ({@code allocated}); memory
 *       is what was in use at the busiest moment, at most {@link #capacity()} buffers kept.</li>
 *   <li>Bounded: a buffer given back to a full ring is dropped for the garbage collector
 *       ({@code returnedWhenFull}). A buffer that is never given back is simply collected: correctness never
 *       depends on {@link PacketBuffer#release()}, only the allocation rate does.</li>
 *   <li>Thread-safe, lock-free and allocation-free per operation: a bounded multi-producer multi-consumer ring
 *       (Vyukov's sequence-numbered slots). Any process may take or give back; buffers of one stack may end in
 *       another (over a {@code MemoryLink}) and go back to the pool they came from. A thread preempted in the
 *       middle of a take or give-back makes the others see its slot as empty or full for that moment: they
 *       allocate or drop instead of waiting, which costs garbage, never correctness (a stress test with four
 *       threads on two cores allocated for about a third of its takes; a stack's few threads contend far less).</li>
 *   <li>A taken buffer's bytes are whatever its last user left: the taker writes every byte of
 *       {@code [start, end)} before handing it on.</li>
 * </ul>
 *
 * <p><b>Ownership rule.</b> Exactly one owner at a time; a channel write hands the buffer over. Only the last
 * owner, the one that will neither forward nor keep it, calls {@link PacketBuffer#release()}, once. Releasing
 * twice throws {@link IllegalStateException}; using a buffer after releasing it is a bug that is caught (with
 * assertions on, as in tests) only until the pool hands the buffer out again.
 */
public final class BufferPool {
    /** Headroom ({@value PacketBuffer#DEFAULT_HEADROOM}) plus the largest Ethernet frame of a 1500-byte MTU. */
    public static final int ETHERNET_BUFFER_SIZE = PacketBuffer.DEFAULT_HEADROOM + 1500 + 14;
    /**
     * Buffers a pool keeps by default: as many as the stack's queues on one receive path can hold at once (the
     * link's, Ethernet's and IP's 4,096-deep upward channels and a 4,096-deep socket queue), so that what a
     * burst made is kept for the next instead of made again. The pool only keeps what was once in use at the
     * same time: at most 27 MB of arrays at {@link #ETHERNET_BUFFER_SIZE} bytes each, after a burst that
     * filled every queue (and needed that memory anyway).
     */
    public static final int DEFAULT_CAPACITY = 16_384;

    private final String name;
    private final int bufferSize;
    private final int mask;
    private final AtomicReferenceArray<PacketBuffer> slots;
    private final AtomicLongArray sequences;
    private final AtomicLong enqueueAt = new AtomicLong();
    private final AtomicLong dequeueAt = new AtomicLong();
    private final BufferPoolCounters counters;

    /**
     * A pool of {@code bufferSize}-byte buffers that keeps at most {@code capacity} of them (rounded up to a
     * power of two).
     */
    public BufferPool(String name, int bufferSize, int capacity) {
        if (bufferSize < 1 || capacity < 1 || capacity > 1 << 20) {
            throw new IllegalArgumentException("buffer size " + bufferSize + " and capacity " + capacity
                    + " must be positive (capacity at most 2^20)");
        }
        int slotsLength = capacity == 1 ? 1 : Integer.highestOneBit(capacity - 1) << 1; // the next power of two
        this.name = name;
        this.bufferSize = bufferSize;
        this.mask = slotsLength - 1;
        this.slots = new AtomicReferenceArray<>(slotsLength);
        this.sequences = new AtomicLongArray(slotsLength);
        for (int i = 0; i < slotsLength; i++) {
            sequences.set(i, i);
        }
        this.counters = new BufferPoolCounters(name);
    }

    /** A pool for frames of an {@code mtu}-byte link behind the default headroom. */
    public static BufferPool forMtu(String name, int mtu) {
        return new BufferPool(name, PacketBuffer.DEFAULT_HEADROOM + mtu + 14, DEFAULT_CAPACITY);
    }

    public String name() {
        return name;
    }

    /** Bytes in each pooled buffer's array (headroom, packet and tailroom together). */
    public int bufferSize() {
        return bufferSize;
    }

    /** The most buffers the pool keeps. */
    public int capacity() {
        return mask + 1;
    }

    public BufferPoolCounters counters() {
        return counters;
    }

    /**
     * A buffer whose packet is {@code length} bytes behind {@code headroom} free bytes, owned by the caller: a
     * pooled one when it fits {@link #bufferSize()}, else a new unpooled one (zeroed) of exactly that size. The
     * bytes of a pooled buffer are stale: write all of them.
     */
    public PacketBuffer take(int headroom, int length) {
        if (headroom < 0 || length < 0) {
            throw new IllegalArgumentException("negative size: headroom " + headroom + ", length " + length);
        }
        if (headroom + length > bufferSize) {
            counters.tooLarge.addConcurrently(1);
            return PacketBuffer.allocate(headroom, length);
        }
        counters.taken.addConcurrently(1);
        PacketBuffer b = poll();
        if (b == null) {
            counters.allocated.addConcurrently(1);
            b = new PacketBuffer(new byte[bufferSize], this);
        } else {
            counters.reused.addConcurrently(1);
        }
        b.reuse(headroom, headroom + length);
        return b;
    }

    /** Called by {@link PacketBuffer#release()} only, once per take. */
    void giveBack(PacketBuffer b) {
        if (offer(b)) {
            counters.returned.addConcurrently(1);
        } else {
            counters.returnedWhenFull.addConcurrently(1);
        }
    }

    /** Buffers in the ring now (a snapshot: others may be taking or giving back meanwhile). */
    public int available() {
        long n = enqueueAt.get() - dequeueAt.get();
        return (int) Math.max(0, Math.min(n, capacity()));
    }

    // Vyukov's bounded MPMC queue: slot i is free for the producer at position p when sequences[i] == p, and
    // holds an element for the consumer at position p when sequences[i] == p + 1.

    private boolean offer(PacketBuffer b) {
        long pos = enqueueAt.get();
        while (true) {
            int i = (int) pos & mask;
            long diff = sequences.get(i) - pos;
            if (diff == 0) {
                if (enqueueAt.compareAndSet(pos, pos + 1)) {
                    slots.lazySet(i, b);
                    sequences.set(i, pos + 1);
                    return true;
                }
                pos = enqueueAt.get();
            } else if (diff < 0) {
                return false; // full
            } else {
                pos = enqueueAt.get();
            }
        }
    }

    private PacketBuffer poll() {
        long pos = dequeueAt.get();
        while (true) {
            int i = (int) pos & mask;
            long diff = sequences.get(i) - (pos + 1);
            if (diff == 0) {
                if (dequeueAt.compareAndSet(pos, pos + 1)) {
                    PacketBuffer b = slots.get(i);
                    slots.lazySet(i, null);
                    sequences.set(i, pos + mask + 1);
                    return b;
                }
                pos = dequeueAt.get();
            } else if (diff < 0) {
                return null; // empty
            } else {
                pos = dequeueAt.get();
            }
        }
    }

    @Override
    public String toString() {
        return "BufferPool[" + name + ", " + bufferSize + " B x " + capacity() + ", " + available() + " free]";
    }
}
