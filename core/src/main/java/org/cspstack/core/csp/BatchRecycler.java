package org.cspstack.core.csp;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The way back for the batches of one writer: the reader of a channel {@link Batch#recycle() recycles} each
 * batch it has handled, and the writer's {@link Outbox} (or {@link FanOut} lane) takes it for its next write
 * instead of making a new one. A channel has one reader and each outbox one writer, so this is a
 * single-producer (the reader) single-consumer (the writer) ring: lock-free, allocation-free, bounded (a batch
 * recycled into a full ring is left to the garbage collector).
 *
 * <p>A shared channel's reader recycles into each writer's own ring (a batch knows its recycler), so the
 * single-producer rule holds there too. A batch that a channel drops (upward, full) is never recycled.
 */
final class BatchRecycler<T> {
    /**
     * Batches kept per writer: enough for the backlog of small batches a busy upward channel holds when its
     * reader falls behind for a moment (UDP at 100,000/s: with 16, new batches were made at every backlog and
     * most of the recycled ones thrown away, 10 MB in 10 s). 1 KB of ring per outbox.
     */
    private static final int SLOTS = 256;
    private static final int MASK = SLOTS - 1;

    private final AtomicReferenceArray<Batch<T>> ring = new AtomicReferenceArray<>(SLOTS);
    /** Next slot the reader fills; written by the reader only. */
    private final AtomicLong tail = new AtomicLong();
    /** Next slot the writer empties; written by the writer only. */
    private final AtomicLong head = new AtomicLong();

    /** By the reader: keeps {@code b} for the writer; false (and the batch is garbage) when the ring is full. */
    boolean offer(Batch<T> b) {
        long t = tail.get();
        if (t - head.get() == SLOTS) {
            return false;
        }
        ring.lazySet((int) t & MASK, b);
        tail.lazySet(t + 1);
        return true;
    }

    /** By the writer: an empty recycled batch, or null. */
    Batch<T> poll() {
        long h = head.get();
        if (h == tail.get()) {
            return null;
        }
        int i = (int) h & MASK;
        Batch<T> b = ring.get(i);
        ring.lazySet(i, null);
        head.lazySet(h + 1);
        return b;
    }

    /** A batch for the next write: a recycled one, or a new one with room for {@code capacity}. */
    Batch<T> take(int capacity) {
        Batch<T> b = poll();
        if (b == null) {
            b = new Batch<>(capacity);
            b.home(this);
        } else {
            b.reuse();
        }
        return b;
    }
}
