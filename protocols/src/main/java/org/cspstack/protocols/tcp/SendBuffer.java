package org.cspstack.protocols.tcp;

/**
 * A connection's send buffer: a ring of at most {@code capacity} bytes holding the data from SND.UNA (the
 * oldest unacknowledged byte) to the last byte the application wrote, unsent bytes included. Each byte is
 * addressed by its sequence number; {@link #startSeq()} is the sequence number of the oldest. The array is
 * allocated on the first write and grows ({@link RingArray}) only as far as the data held needs, so an idle connection costs nothing and a quiet one little, whatever its capacity.
 */
final class SendBuffer {
    private static final byte[] EMPTY = new byte[0];

    private final int capacity;
    private byte[] ring = EMPTY;
    /** Where rings come from and go back to (a stack's, or none). */
    private RingCache rings = RingCache.NONE;
    private int head;
    private int size;
    private long startSeq;

    SendBuffer(int capacity, long startSeq) {
        this.capacity = capacity;
        this.startSeq = startSeq & Seq.MASK;
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
        size = 0;
        rings.give(r);
    }

    int size() {
        return size;
    }

    int free() {
        return capacity - size;
    }

    /** The sequence number of the oldest byte held. */
    long startSeq() {
        return startSeq;
    }

    /** The sequence number just after the newest byte held. */
    long endSeq() {
        return Seq.add(startSeq, size);
    }

    /** Appends as much of {@code b[off, off + len)} as fits; returns the count. */
    int write(byte[] b, int off, int len) {
        int n = Math.min(len, free());
        if (n <= 0) {
            return 0;
        }
        if (size + n > ring.length) {
            ring = RingArray.grown(rings, ring, head, size + n, capacity);
            head = 0;
        }
        int tail = (head + size) % ring.length;
        int first = Math.min(n, ring.length - tail);
        System.arraycopy(b, off, ring, tail, first);
        System.arraycopy(b, off + first, ring, 0, n - first);
        size += n;
        return n;
    }

    /** Drops the {@code n} oldest bytes (acknowledged). */
    void consume(int n) {
        if (n < 0 || n > size) {
            throw new IllegalArgumentException("consume " + n + " of " + size);
        }
        head = size == n ? 0 : (head + n) % ring.length;
        size -= n;
        startSeq = Seq.add(startSeq, n);
    }

    /** The array holding the bytes; with {@link #index} and {@link #contiguous} to emit without copying. */
    byte[] array() {
        return ring;
    }

    /** The array index of the byte with sequence number {@code seq} (which must be held). */
    int index(long seq) {
        return (head + Seq.diff(seq, startSeq)) % ring.length;
    }

    /** How many bytes from {@code seq} on lie contiguous in the array. */
    int contiguous(long seq) {
        int at = Seq.diff(seq, startSeq);
        int i = index(seq);
        return Math.min(size - at, ring.length - i);
    }

    /** Copies {@code len} bytes starting at sequence number {@code seq} into {@code dst[off..]}. */
    void copy(long seq, byte[] dst, int off, int len) {
        int i = index(seq);
        int first = Math.min(len, ring.length - i);
        System.arraycopy(ring, i, dst, off, first);
        System.arraycopy(ring, 0, dst, off + first, len - first);
    }
}
