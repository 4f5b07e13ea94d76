package org.cspstack.core.csp;

import org.jcsp.lang.Any2OneChannel;
import org.jcsp.lang.ChannelOutput;
import org.jcsp.lang.SharedChannelOutput;

/**
 * A channel's writing end that shows every message to the network's {@link ChannelObserver} before writing it
 * on. Chosen when the channel is made, and only when the network has an observer, so that unobserved
 * networks keep their plain ends. Safe for many writers when the observer is.
 *
 * <p>For an upward (dropping) channel, {@link ObservedRingStore#admit(int)} decides first whether the message
 * will be dropped, so that the observer is told before the message is handed over; a dropped message is not
 * written at all (it would have been dropped by the store) and is counted by the store. The observer sees
 * the messages of a {@link Batch} one by one.
 */
final class ObservedOutput<T> implements SharedChannelOutput<T> {
    private final ChannelOutput<T> target;
    private final ChannelSpec spec;
    private final ChannelObserver observer;
    private final ObservedRingStore<T> dropping;

    /** {@code dropping}: the live store of an upward channel, or null for a channel that never drops. */
    ObservedOutput(ChannelOutput<T> target, ChannelSpec spec, ChannelObserver observer,
                   ObservedRingStore<T> dropping) {
        this.target = target;
        this.spec = spec;
        this.observer = observer;
        this.dropping = dropping;
    }

    @Override
    public void write(T value) {
        int weight = Batch.weight(value);
        if (dropping != null && !dropping.admit(weight)) {
            show(value, true);
            return;
        }
        try {
            show(value, false);
        } catch (RuntimeException | Error e) {
            if (dropping != null) {
                dropping.release(weight);
            }
            throw e;
        }
        target.write(value);
    }

    /** Shows the observer each message: every one in a batch, in order, as if written one by one. */
    private void show(T value, boolean dropped) {
        if (value instanceof Batch<?> batch) {
            for (Object m : batch) {
                observer.written(spec, m, dropped);
            }
        } else {
            observer.written(spec, value, dropped);
        }
    }

    @Override
    public void poison(int strength) {
        target.poison(strength);
    }

    /** A shared channel whose writing end observes. */
    static <T> Any2OneChannel<T> any2one(Any2OneChannel<T> channel, ChannelSpec spec, ChannelObserver observer,
                                         ObservedRingStore<T> dropping) {
        return ProcessNetwork.withOutput(channel, new ObservedOutput<>(channel.out(), spec, observer, dropping));
    }
}
