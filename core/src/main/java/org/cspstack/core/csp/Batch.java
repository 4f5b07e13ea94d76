package org.cspstack.core.csp;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Several messages carried by one channel communication, in order: the unit that travels on the stack's
 * packet channels, so that one wake-up of a reader moves every packet that was ready, not one (as NAPI and
 * Linux's listified receive path, and netmap's and DPDK's bursts, move many packets per call).
 *
 * <p>Why: on the 2-core reference machine a hop to a parked reader costs 10-20 us of wake-up (futex, IPI,
 * context switch), a hop into a buffer whose reader is running about 0.5 us (MEASURED.md). A layer that reads
 * one packet per communication pays the wake-up per packet whenever it keeps up with its writer; with batches
 * it pays it per batch, and batches grow by themselves when a layer falls behind (whatever queued meanwhile
 * goes in the next batch), which is when the saving matters.
 *
 * <p>Ownership passes with the write, for the batch and every message in it: the writer makes a new batch
 * for each write (see {@link Outbox}) and never touches a written one. A batch holds 1 to {@link #LIMIT}
 * messages; channels count and drop messages, not batches ({@link #weight(Object)}).
 */
public final class Batch<T> implements Iterable<T> {
    /** The most messages a batch holds: bounds what one communication carries and what a full queue holds. */
    public static final int LIMIT = 32;
    /** The smallest room a writer gives a new batch. */
    static final int MIN_CAPACITY = 4;

    private Object[] items;
    private int size;
    /** Where {@link #recycle()} sends the batch (its writer's), or null for a batch made by hand. */
    private BatchRecycler<T> home;
    /** Set by {@link #recycle()}, cleared when the writer takes the batch again: recycling twice is a bug. */
    private boolean recycled;
    /** The kept iterator, or null before the first iteration. */
    private Itr iterator;

    /** An empty batch with room for {@code capacity} messages (it grows up to {@link #LIMIT}). */
    public Batch(int capacity) {
        items = new Object[Math.max(1, Math.min(capacity, LIMIT))];
    }

    /** A batch of one message (tests, and writers that have only one). */
    public static <T> Batch<T> of(T item) {
        Batch<T> b = new Batch<>(1);
        b.add(item);
        return b;
    }

    /** A batch of the given messages, in order. */
    @SafeVarargs
    public static <T> Batch<T> of(T... items) {
        Batch<T> b = new Batch<>(items.length);
        for (T t : items) {
            b.add(t);
        }
        return b;
    }

    /** Appends {@code item}; throws when the batch already holds {@link #LIMIT} messages. */
    public void add(T item) {
        if (item == null) {
            throw new NullPointerException("a batch carries no null message");
        }
        if (size == items.length) {
            if (size == LIMIT) {
                throw new IllegalStateException("a batch holds at most " + LIMIT + " messages");
            }
            items = Arrays.copyOf(items, Math.min(LIMIT, size * 2));
        }
        items[size++] = item;
    }

    public int size() {
        return size;
    }

    public boolean isFull() {
        return size == LIMIT;
    }

    /**
     * Room for a writer's next batch: as many messages as its last batch held (at least {@link #MIN_CAPACITY}),
     * so that a steady burst fills one array of the right size instead of growing 4, 8, 16, 32 (three copies
     * and the arrays left behind, per batch).
     */
    static int nextCapacity(int lastSize) {
        return Math.max(MIN_CAPACITY, lastSize);
    }

    /** The {@code i}th message, from 0. */
    @SuppressWarnings("unchecked")
    public T get(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("message " + i + " of a batch of " + size);
        }
        return (T) items[i];
    }

    /**
     * Iterates the messages in order. The batch keeps one iterator and hands it out again once the previous
     * iteration has run to its end (the usual for-each loop of a layer), so that reading a batch makes no
     * garbage; an iterator asked for while another is still part-way (nested or abandoned loops) is a new one.
     */
    @Override
    public Iterator<T> iterator() {
        Itr it = iterator;
        if (it == null) {
            it = new Itr();
            iterator = it;
        } else if (it.next < it.end) {
            return new Itr(); // the kept one is still in use
        }
        it.next = 0;
        it.end = size;
        return it;
    }

    private final class Itr implements Iterator<T> {
        private int next;
        /** The size when the iteration started; an iterator is done (reusable) once {@code next == end}. */
        private int end = size;

        @Override
        public boolean hasNext() {
            return next < end;
        }

        @Override
        @SuppressWarnings("unchecked")
        public T next() {
            if (next >= end || next >= size) {
                throw new NoSuchElementException();
            }
            return (T) items[next++];
        }
    }

    /**
     * By the reader, once it has handled every message: gives the (emptied) batch back to the writer that made
     * it, for its next write, so that a steady stream makes no new batches. Optional (an unrecycled batch is
     * garbage-collected) and at most once; the reader must not touch the batch afterwards. The messages
     * themselves are not affected: they belong to whoever the reader handed them to.
     *
     * @throws IllegalStateException when the batch was recycled already
     */
    public void recycle() {
        if (recycled) {
            throw new IllegalStateException("batch recycled twice");
        }
        recycled = true;
        Arrays.fill(items, 0, size, null);
        size = 0;
        if (iterator != null) {
            iterator.next = 0; // an abandoned iteration (a loop left early) ends with the batch
            iterator.end = 0;
        }
        if (home != null) {
            home.offer(this);
        }
    }

    void home(BatchRecycler<T> recycler) {
        home = recycler;
    }

    /** Owned by a writer again (taken from its recycler). */
    void reuse() {
        recycled = false;
    }

    /** How many messages {@code message} stands for on a channel: a batch's size, 1 for anything else. */
    public static int weight(Object message) {
        return message instanceof Batch<?> b ? b.size : 1;
    }

    @Override
    public String toString() {
        return "batch of " + size;
    }
}
