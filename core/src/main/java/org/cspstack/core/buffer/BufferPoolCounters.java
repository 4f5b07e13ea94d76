package org.cspstack.core.buffer;

import org.cspstack.core.csp.Counter;
import org.cspstack.core.csp.Counters;

/**
 * A {@link BufferPool}'s counts. Unlike a layer's counters these have many writers (every process that takes
 * or gives back), so they are added atomically. {@code taken = reused + allocated}; in steady state
 * {@code allocated} stops growing.
 */
public final class BufferPoolCounters extends Counters {
    /** Pool-sized buffers handed out. */
    public final Counter taken = counter("taken");
    /** ... of which came from the ring. */
    public final Counter reused = counter("reused");
    /** ... of which were new arrays (the ring was empty). */
    public final Counter allocated = counter("allocated");
    /** Requests larger than the pool's buffers, served with a plain unpooled buffer. */
    public final Counter tooLarge = counter("tooLarge");
    /** Buffers given back into the ring. */
    public final Counter returned = counter("returned");
    /** Buffers given back while the ring was full: left to the garbage collector. */
    public final Counter returnedWhenFull = counter("returnedWhenFull");

    public BufferPoolCounters(String owner) {
        super(owner);
    }
}
