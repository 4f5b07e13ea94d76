package org.cspstack.protocols.tcp;

import java.util.ArrayList;
import java.util.Arrays;

/**
 * The byte rings of a stack's connections that ended (or grew out of them), kept for its next connections: a
 * bulk connection grows its receive ring 64 -> 128 -> 256 KiB ({@link RingArray}), and without this each new
 * connection made those 448 KB again (the bench's TCP parts counted them as garbage per packet). What the
 * stack's connections hand back is kept up to {@code keepPerSize} arrays of each length and zeroed on the way
 * out, so a ring never shows another connection's bytes (and an array the cache has no room for is not
 * zeroed for nothing); the rest is left to the collector.
 *
 * <p>Shared by the connection processes of one stack, each on its own thread: every method locks. A take or a
 * give happens when a ring grows or a connection ends, not per segment.
 */
final class RingCache {
    /** A cache that keeps nothing: every take is a new array (the logic's tests, single connections). */
    static final RingCache NONE = new RingCache(0);
    /** Arrays of each length kept by a stack's cache: with the default buffers at most 8 x 448 KB x 2. */
    static final int DEFAULT_KEEP = 8;

    private final int keepPerSize;
    /** Kept arrays, one list per length (few lengths: the doublings up to each capacity). */
    private final ArrayList<ArrayList<byte[]>> kept = new ArrayList<>();
    private long reused;
    private long made;

    RingCache(int keepPerSize) {
        if (keepPerSize < 0) {
            throw new IllegalArgumentException("keepPerSize " + keepPerSize + " is negative");
        }
        this.keepPerSize = keepPerSize;
    }

    /** A zeroed array of {@code length} bytes: a kept one when there is one. */
    byte[] take(int length) {
        byte[] ring = null;
        synchronized (this) {
            ArrayList<byte[]> same = listFor(length, false);
            if (same != null && !same.isEmpty()) {
                reused++;
                ring = same.remove(same.size() - 1);
            } else {
                made++;
            }
        }
        if (ring == null) {
            return new byte[length];
        }
        Arrays.fill(ring, (byte) 0); // outside the lock: the array is the caller's now
        return ring;
    }

    /** Hands {@code ring} back; its owner must not touch it afterwards. Empty arrays are ignored. */
    void give(byte[] ring) {
        if (keepPerSize == 0 || ring.length == 0) {
            return;
        }
        synchronized (this) {
            ArrayList<byte[]> same = listFor(ring.length, true);
            if (same.size() < keepPerSize) {
                same.add(ring);
            }
        }
    }

    /** Takes answered with a kept array. */
    synchronized long reused() {
        return reused;
    }

    /** Takes answered with a new array. */
    synchronized long made() {
        return made;
    }

    /** Arrays kept now. */
    synchronized int kept() {
        int n = 0;
        for (ArrayList<byte[]> l : kept) {
            n += l.size();
        }
        return n;
    }

    private ArrayList<byte[]> listFor(int length, boolean create) {
        for (ArrayList<byte[]> l : kept) {
            if (!l.isEmpty() && l.get(0).length == length) {
                return l;
            }
        }
        if (!create) {
            return null;
        }
        for (ArrayList<byte[]> l : kept) {
            if (l.isEmpty()) {
                return l; // an emptied list takes the new length
            }
        }
        ArrayList<byte[]> l = new ArrayList<>(keepPerSize);
        kept.add(l);
        return l;
    }
}
