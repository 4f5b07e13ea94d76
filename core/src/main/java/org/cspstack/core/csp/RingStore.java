package org.cspstack.core.csp;

import org.jcsp.util.ChannelDataStore;

/**
 * A bounded FIFO for buffered channels, in two flavours: one that drops the newest message when full (the
 * writer never blocks: rule 1) and one that reports FULL so that the writer blocks (rule 2).
 *
 * <p>Capacity means what a writer expects: {@code capacity} writes return at once while the reader is
 * away, and the next one waits. (JCSP's channel makes a writer wait as soon as its put has filled the
 * store, so the blocking flavour keeps one slot more than its capacity.) It counts messages, a
 * {@link Batch} as its size: a dropping store drops a batch that would take it past its capacity (unless
 * it is empty), a blocking one stops its writer once it holds more than its capacity, so a queue never holds
 * more than {@code capacity + Batch.LIMIT} messages.
 *
 * <p>JCSP clones the store it is given when it builds a channel (MEASURED.md), so this class holds its
 * {@link ChannelStats} by reference: the clone counts into the same object the network describes.
 * JCSP calls every method under the channel's lock; the class needs no locking of its own.
 * ({@link ObservedRingStore}, used only when the network has a {@link ChannelObserver}, adds its own.)
 */
class RingStore<T> implements ChannelDataStore<T> {
    private final boolean dropWhenFull;
    private final boolean countWrites;
    private final ChannelStats stats;
    private final Object[] ring;
    private int head;
    private int size;
    /** Messages held, counting a {@link Batch} as its size: what the capacity bounds. */
    private int weight;

    RingStore(int capacity, boolean dropWhenFull, ChannelStats stats) {
        this(capacity, dropWhenFull, false, stats);
    }

    /**
     * {@code countWrites}: count every message offered in {@code stats.written} here, under the channel's
     * lock; for channels with many writers, whose writing ends cannot count without racing.
     */
    RingStore(int capacity, boolean dropWhenFull, boolean countWrites, ChannelStats stats) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a buffered channel needs capacity >= 1, not " + capacity);
        }
        this.ring = new Object[dropWhenFull ? capacity : capacity + 1];
        this.dropWhenFull = dropWhenFull;
        this.countWrites = countWrites;
        this.stats = stats;
    }

    @Override
    public int getState() {
        if (size == 0) {
            return EMPTY;
        }
        // A dropping store is never FULL to JCSP, so its writer never waits.
        return !dropWhenFull && (size == ring.length || weight >= ring.length) ? FULL : NONEMPTYFULL;
    }

    @Override
    public void put(T value) {
        int w = Batch.weight(value);
        if (countWrites) {
            stats.written.add(w);
        }
        if (size == ring.length || (dropWhenFull && !fits(w))) {
            // Only reachable for the dropping flavour: JCSP does not call put() on a FULL store.
            stats.queueFullDropped.add(w);
            return;
        }
        ring[(head + size) % ring.length] = value;
        size++;
        weight += w;
    }

    /** True when {@code w} more messages fit: under the capacity, or the store is empty. */
    final boolean fits(int w) {
        return weight == 0 || weight + w <= ring.length;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T get() {
        T value = (T) ring[head];
        ring[head] = null;
        head = (head + 1) % ring.length;
        size--;
        weight -= Batch.weight(value);
        return value;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T startGet() {
        return (T) ring[head];
    }

    @Override
    public void endGet() {
        get();
    }

    @Override
    public Object clone() {
        return new RingStore<T>(capacity(), dropWhenFull, countWrites, stats);
    }

    @Override
    public void removeAll() {
        java.util.Arrays.fill(ring, null);
        head = 0;
        size = 0;
        weight = 0;
    }

    int capacity() {
        return dropWhenFull ? ring.length : ring.length - 1;
    }

    /** Messages held now. */
    final int size() {
        return size;
    }

    /** Slots of the ring (for the dropping flavour: its capacity). */
    final int slots() {
        return ring.length;
    }

    final boolean dropWhenFull() {
        return dropWhenFull;
    }

    final boolean countWrites() {
        return countWrites;
    }

    final ChannelStats stats() {
        return stats;
    }
}
