package org.cspstack.core.csp;

/**
 * What passed through one channel. {@code written} and {@code queueFullDropped} are written only by the
 * channel's single writer (under the channel's lock for the buffer), so they keep the single-writer rule;
 * {@code blockedNanos} of a channel with many writers is added atomically.
 */
public final class ChannelStats extends Counters {
    /** Messages the writer offered. */
    public final Counter written = counter("written");
    /** Messages an upward channel dropped because its buffer was full. */
    public final Counter queueFullDropped = counter("queueFullDropped");
    /**
     * Nanoseconds writers spent inside {@code write()}, waiting for room or for the reader. Measured only on
     * channels whose writer may block ({@link ChannelKind#mayBlockWriter()}): an upward write never waits, and
     * its per-packet path gets no clock reads. For a rendezvous it includes the hand-over itself.
     */
    public final Counter blockedNanos = counter("blockedNanos");

    public ChannelStats(String channelName) {
        super(channelName);
    }

    /** Messages that went through (or are queued): written minus dropped. */
    public long delivered() {
        return written.get() - queueFullDropped.get();
    }
}
