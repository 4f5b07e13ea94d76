package org.cspstack.protocols.tcp;

/**
 * A connection's receive buffer: a ring of {@code capacity} bytes holding the in-order data the application
 * has not read yet, followed by room into which out-of-order data is written at its final place. The
 * out-of-order data is remembered as at most {@code maxRanges} disjoint, non-adjacent sequence ranges, sorted;
 * when in-order data reaches a range, the range joins the in-order data without copying. Since the caller
 * only offers data inside the advertised window, which never exceeds the free space, nothing held here can
 * outgrow the capacity. The array is allocated on the first write and grows ({@link RingArray}) only as far as
 * the data held, in order and out of order, reaches: out-of-order bytes keep their distance from the head.
 *
 * <p>Sequence numbers are relative to {@code rcvNxt}, which the caller owns (SYN and FIN also advance it)
 * and passes in.
 */
final class ReceiveBuffer {
    private static final byte[] EMPTY = new byte[0];

    private final int capacity;
    private final int maxRanges;
    private byte[] ring = EMPTY;
    /** Where rings come from and go back to (a stack's, or none). */
    private RingCache rings = RingCache.NONE;
    private int head;
    private int count;
    /** Out-of-order ranges [start, end) as sequence numbers, sorted, disjoint and not touching. */
    private final long[] start;
    private final long[] end;
    private int ranges;

    ReceiveBuffer(int capacity, int maxRanges) {
        this.capacity = capacity;
        this.maxRanges = maxRanges;
        this.start = new long[maxRanges];
        this.end = new long[maxRanges];
    }

    int capacity() {
        return capacity;
    }

    /** Takes rings from {@code cache} and gives them back to it from now on. */
    void useRings(RingCache cache) {
        this.rings = cache;
    }

    /**
     * Gives the ring back to its cache once the connection is done with it: the buffer is empty afterwards
     * and, if written again, starts a new ring.
     */
    void release() {
        byte[] r = ring;
        ring = EMPTY;
        head = 0;
        count = 0;
        ranges = 0;
        rings.give(r);
    }

    /** In-order bytes ready for the application. */
    int available() {
        return count;
    }

    /** Bytes of ring not holding in-order data: the most the window may offer. */
    int free() {
        return capacity - count;
    }

    boolean hasOutOfOrder() {
        return ranges > 0;
    }

    int outOfOrderRanges() {
        return ranges;
    }

    /** Bytes held out of order. */
    long outOfOrderBytes() {
        long n = 0;
        for (int i = 0; i < ranges; i++) {
            n += Seq.diff(end[i], start[i]);
        }
        return n;
    }

    /**
     * Stores {@code b[off, off + len)}, whose first byte has sequence number {@code seq} at or after
     * {@code rcvNxt}, and which must end within the free space. Returns how far the in-order data advanced
     * (0 when the bytes were held out of order), or −1 when they were out of order and no range was left
     * to remember them by (dropped).
     */
    int insert(long rcvNxt, long seq, byte[] b, int off, int len) {
        int at = Seq.diff(seq, rcvNxt);
        if (at < 0 || len <= 0 || (long) at + len > free()) {
            throw new IllegalArgumentException("insert of " + len + " bytes at offset " + at + " with "
                    + free() + " free");
        }
        if (at > 0 && !canRemember(seq, Seq.add(seq, len))) {
            return -1;
        }
        if (count + at + len > ring.length) {
            ring = RingArray.grown(rings, ring, head, count + at + len, capacity);
            head = 0;
        }
        int i = (head + count + at) % ring.length;
        int first = Math.min(len, ring.length - i);
        System.arraycopy(b, off, ring, i, first);
        System.arraycopy(b, off + first, ring, 0, len - first);
        if (at > 0) {
            remember(seq, Seq.add(seq, len));
            return 0;
        }
        long newEnd = Seq.add(seq, len);
        // Ranges now reached by the in-order data join it.
        while (ranges > 0 && Seq.leq(start[0], newEnd)) {
            newEnd = Seq.max(newEnd, end[0]);
            removeFirst();
        }
        // Ranges that the new data wholly covers are gone too (handled above: start <= newEnd).
        int advanced = Seq.diff(newEnd, rcvNxt);
        count += advanced;
        return advanced;
    }

    private boolean canRemember(long s, long e) {
        if (ranges < maxRanges) {
            return true;
        }
        // Full: only data that touches or overlaps an existing range can be remembered (it merges).
        for (int i = 0; i < ranges; i++) {
            if (Seq.leq(s, end[i]) && Seq.geq(e, start[i])) {
                return true;
            }
        }
        return false;
    }

    private void remember(long s, long e) {
        int i = 0;
        while (i < ranges && Seq.lt(end[i], s)) {
            i++;
        }
        // ranges [i, j) touch or overlap [s, e)
        int j = i;
        while (j < ranges && Seq.leq(start[j], e)) {
            s = Seq.min(s, start[j]);
            e = Seq.max(e, end[j]);
            j++;
        }
        int removed = j - i;
        if (removed == 0) {
            System.arraycopy(start, i, start, i + 1, ranges - i);
            System.arraycopy(end, i, end, i + 1, ranges - i);
            ranges++;
        } else if (removed > 1) {
            System.arraycopy(start, j, start, i + 1, ranges - j);
            System.arraycopy(end, j, end, i + 1, ranges - j);
            ranges -= removed - 1;
        }
        start[i] = s;
        end[i] = e;
    }

    private void removeFirst() {
        System.arraycopy(start, 1, start, 0, ranges - 1);
        System.arraycopy(end, 1, end, 0, ranges - 1);
        ranges--;
    }

    /** Copies up to {@code len} in-order bytes out; returns the count. */
    int read(byte[] dst, int off, int len) {
        int n = Math.min(len, count);
        if (n <= 0) {
            return 0;
        }
        int first = Math.min(n, ring.length - head);
        System.arraycopy(ring, head, dst, off, first);
        System.arraycopy(ring, 0, dst, off + first, n - first);
        count -= n;
        head = (head + n) % ring.length;
        if (count == 0 && ranges == 0) {
            head = 0;
        }
        return n;
    }

    /** Forgets everything held out of order. */
    void dropOutOfOrder() {
        ranges = 0;
    }
}
