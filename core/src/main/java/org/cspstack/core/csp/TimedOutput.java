package org.cspstack.core.csp;

import org.jcsp.lang.ChannelOutput;
import org.jcsp.lang.SharedChannelOutput;

/**
 * A writing end that adds the time each {@code write()} takes to {@link ChannelStats#blockedNanos}: for channels
 * whose writer may block (downward and rendezvous), so that a statistic shows where back-pressure holds
 * processes up. It wraps the counting end rather than changing it, and upward channels never get one (two
 * {@code nanoTime()} reads per message, about 50 ns, stay off the upward per-packet path).
 *
 * <p>{@link #single} is for a one-to-one channel (one writer: a plain add); {@link #shared} for a channel with
 * many writers, which add atomically.
 */
final class TimedOutput<T> implements SharedChannelOutput<T> {
    private final ChannelOutput<T> target;
    private final Counter blocked;
    private final boolean concurrent;

    private TimedOutput(ChannelOutput<T> target, ChannelStats stats, boolean concurrent) {
        this.target = target;
        this.blocked = stats.blockedNanos;
        this.concurrent = concurrent;
    }

    static <T> ChannelOutput<T> single(ChannelOutput<T> target, ChannelStats stats) {
        return new TimedOutput<>(target, stats, false);
    }

    static <T> SharedChannelOutput<T> shared(SharedChannelOutput<T> target, ChannelStats stats) {
        return new TimedOutput<>(target, stats, true);
    }

    @Override
    public void write(T value) {
        long start = System.nanoTime();
        try {
            target.write(value);
        } finally {
            long waited = System.nanoTime() - start;
            if (concurrent) {
                blocked.addConcurrently(waited);
            } else {
                blocked.add(waited);
            }
        }
    }

    @Override
    public void poison(int strength) {
        target.poison(strength);
    }
}
