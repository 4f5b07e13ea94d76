package org.cspstack.protocols.tcp;

/**
 * How the byte rings of {@link SendBuffer} and {@link ReceiveBuffer} grow: from {@link #FIRST} bytes (or the
 * capacity, when smaller), doubling, never beyond the capacity, so that a connection holds memory for the
 * data it holds, not for its window.
 */
final class RingArray {
    /** The first array's size (or the capacity, when smaller). */
    static final int FIRST = 64 * 1024;

    private RingArray() {
    }

    /**
     * A larger ring for at least {@code needed} bytes (at most {@code capacity}) whose start holds the whole of
     * {@code old}, in order from {@code head}: every byte keeps its distance from the head, which becomes 0.
     * The new ring comes from {@code cache} and the old one goes back to it.
     */
    static byte[] grown(RingCache cache, byte[] old, int head, int needed, int capacity) {
        int n = Math.max(needed, Math.max(2 * old.length, Math.min(FIRST, capacity)));
        byte[] bigger = cache.take(Math.min(n, capacity));
        int first = old.length - head;
        System.arraycopy(old, head, bigger, 0, first);
        System.arraycopy(old, 0, bigger, first, head);
        cache.give(old);
        return bigger;
    }
}
