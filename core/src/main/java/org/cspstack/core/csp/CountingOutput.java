package org.cspstack.core.csp;

import org.jcsp.lang.ChannelOutput;

/** A channel's writing end that counts what its (single) writer offers (a {@link Batch} as its size). */
final class CountingOutput<T> implements ChannelOutput<T> {
    private final ChannelOutput<T> target;
    private final ChannelStats stats;

    CountingOutput(ChannelOutput<T> target, ChannelStats stats) {
        this.target = target;
        this.stats = stats;
    }

    @Override
    public void write(T value) {
        stats.written.add(Batch.weight(value));
        target.write(value);
    }

    @Override
    public void poison(int strength) {
        target.poison(strength);
    }
}
