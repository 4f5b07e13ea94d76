package org.cspstack.protocols.tcp;

/**
 * Sequence-number arithmetic modulo 2<sup>32</sup> (RFC 9293 §3.4). Sequence numbers are unsigned 32-bit
 * values held in {@code long}s (0..2<sup>32</sup>−1), as {@link org.cspstack.core.wire.TcpRepr} holds them.
 * Two numbers are compared by the sign of their 32-bit difference, so comparisons are only meaningful
 * between numbers less than 2<sup>31</sup> apart, which TCP's windows guarantee.
 */
public final class Seq {
    /** 2<sup>32</sup> − 1, the mask of a sequence number. */
    public static final long MASK = 0xffff_ffffL;

    private Seq() {
    }

    /** {@code a + n} modulo 2<sup>32</sup>; {@code n} may be negative. */
    public static long add(long a, long n) {
        return (a + n) & MASK;
    }

    /** The signed distance {@code a − b} as a 32-bit two's-complement number: positive when a is after b. */
    public static int diff(long a, long b) {
        return (int) (a - b);
    }

    /** a before b. */
    public static boolean lt(long a, long b) {
        return diff(a, b) < 0;
    }

    /** a before or equal to b. */
    public static boolean leq(long a, long b) {
        return diff(a, b) <= 0;
    }

    /** a after b. */
    public static boolean gt(long a, long b) {
        return diff(a, b) > 0;
    }

    /** a after or equal to b. */
    public static boolean geq(long a, long b) {
        return diff(a, b) >= 0;
    }

    /** The later of a and b. */
    public static long max(long a, long b) {
        return gt(a, b) ? a : b;
    }

    /** The earlier of a and b. */
    public static long min(long a, long b) {
        return lt(a, b) ? a : b;
    }

    /**
     * True when {@code seq} lies in the window {@code [start, start + length)}; an empty window holds nothing.
     * {@code length} is 0..2<sup>31</sup>.
     */
    public static boolean inWindow(long seq, long start, long length) {
        long d = (seq - start) & MASK;
        return d < length;
    }

    /** True when {@code seq} lies in {@code [low, high]}, inclusive at both ends (low not after high). */
    public static boolean between(long low, long seq, long high) {
        return ((seq - low) & MASK) <= ((high - low) & MASK);
    }
}
