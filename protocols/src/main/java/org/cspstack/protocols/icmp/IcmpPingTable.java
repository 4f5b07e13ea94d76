package org.cspstack.protocols.icmp;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeSet;

/**
 * The pings the ICMP layer waits on: keyed by (identifier, sequence) to match replies and errors, ordered by
 * deadline to time them out, bounded so that clients cannot make the layer hold unbounded state. The
 * functional core of {@link IcmpLayer}: no JCSP, no clock; every time is an argument on the scale of
 * {@link System#nanoTime()} (any origin, compared by subtraction, so wrap-around is harmless), which lets
 * tests run it with fake time.
 *
 * <p>Not thread-safe: one owner, the layer's process.
 *
 * @param <C> what the owner keeps with each ping to answer it (the layer keeps the {@link PingRequest})
 */
final class IcmpPingTable<C> {

    /** Whether {@link #add} took a ping. */
    enum Admission {
        /** Now outstanding. */
        ADDED,
        /** Not taken: {@link #capacity()} pings are already outstanding. */
        FULL,
        /** Not taken: one with the same identifier and sequence is outstanding (replies could not tell them apart). */
        DUPLICATE
    }

    /**
     * One outstanding ping.
     *
     * @param identifier    echo identifier
     * @param sequence      echo sequence number
     * @param sentNanos     when it was sent
     * @param deadlineNanos when it times out
     * @param serial        order of arrival, to order equal deadlines
     * @param client        the owner's data
     */
    record Ping<C>(int identifier, int sequence, long sentNanos, long deadlineNanos, long serial, C client) {
    }

    private final int capacity;
    /**
     * Deadlines are ordered by their distance from this origin (a send time, reset whenever the table is
     * empty), so that a wrap-around of nanoTime between two deadlines does not reorder them.
     */
    private long origin;
    private final Map<Integer, Ping<C>> byKey = new HashMap<>();
    private final TreeSet<Ping<C>> byDeadline = new TreeSet<>(
            Comparator.<Ping<C>>comparingLong(p -> p.deadlineNanos() - origin).thenComparingLong(Ping::serial));
    private long nextSerial;

    /** @param capacity the most pings outstanding at once, at least 1 */
    IcmpPingTable(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
    }

    int capacity() {
        return capacity;
    }

    int size() {
        return byKey.size();
    }

    boolean isEmpty() {
        return byKey.isEmpty();
    }

    /**
     * Takes a ping sent at {@code nowNanos} that times out {@code timeoutNanos} later, unless the table is full
     * or holds the same (identifier, sequence).
     */
    Admission add(int identifier, int sequence, long nowNanos, long timeoutNanos, C client) {
        if (timeoutNanos < 0) {
            throw new IllegalArgumentException("negative timeout " + timeoutNanos + " ns");
        }
        int key = key(identifier, sequence);
        if (byKey.containsKey(key)) {
            return Admission.DUPLICATE;
        }
        if (byKey.size() >= capacity) {
            return Admission.FULL;
        }
        if (byKey.isEmpty()) {
            origin = nowNanos;
        }
        Ping<C> p = new Ping<>(identifier, sequence, nowNanos, nowNanos + timeoutNanos, nextSerial++, client);
        byKey.put(key, p);
        byDeadline.add(p);
        return Admission.ADDED;
    }

    /** Removes and returns the outstanding ping with this identifier and sequence, or null if there is none. */
    Ping<C> match(int identifier, int sequence) {
        Ping<C> p = byKey.remove(key(identifier, sequence));
        if (p != null) {
            byDeadline.remove(p);
        }
        return p;
    }

    /** The earliest deadline of all outstanding pings. */
    long nextDeadline() {
        if (byDeadline.isEmpty()) {
            throw new NoSuchElementException("no ping is outstanding");
        }
        return byDeadline.first().deadlineNanos();
    }

    /** Removes and returns every ping whose deadline is at or before {@code nowNanos}, earliest first. */
    List<Ping<C>> expire(long nowNanos) {
        List<Ping<C>> expired = new ArrayList<>();
        while (!byDeadline.isEmpty() && byDeadline.first().deadlineNanos() - nowNanos <= 0) {
            Ping<C> p = byDeadline.pollFirst();
            byKey.remove(key(p.identifier(), p.sequence()));
            expired.add(p);
        }
        return expired;
    }

    /** Removes and returns every outstanding ping, earliest deadline first (for shutting down). */
    List<Ping<C>> removeAll() {
        List<Ping<C>> all = new ArrayList<>(byDeadline);
        byDeadline.clear();
        byKey.clear();
        return all;
    }

    private static int key(int identifier, int sequence) {
        return identifier << 16 | sequence;
    }
}
