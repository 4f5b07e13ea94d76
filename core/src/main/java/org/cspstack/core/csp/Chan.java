package org.cspstack.core.csp;

import org.jcsp.lang.AltingChannelInput;
import org.jcsp.lang.ChannelOutput;

/**
 * A one-to-one channel of the network, with its description: give {@link #in()} to the reader and
 * {@link #out()} to the writer. {@code out()} counts every message written.
 */
public final class Chan<T> {
    private final ChannelSpec spec;
    private final AltingChannelInput<T> in;
    private final ChannelOutput<T> out;

    Chan(ChannelSpec spec, AltingChannelInput<T> in, ChannelOutput<T> out) {
        this.spec = spec;
        this.in = in;
        this.out = out;
    }

    public AltingChannelInput<T> in() {
        return in;
    }

    public ChannelOutput<T> out() {
        return out;
    }

    public ChannelSpec spec() {
        return spec;
    }

    public ChannelStats stats() {
        return spec.stats();
    }

    /**
     * Poisons the channel from the writer's side: in JCSP 1.1 only writer-side poison both wakes a blocked
     * writer and schedules a reader waiting in an {@code Alternative} (reader-side poison does not).
     */
    void poison() {
        out.poison(Poison.STRENGTH);
    }
}
