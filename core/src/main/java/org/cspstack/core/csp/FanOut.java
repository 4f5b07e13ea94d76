package org.cspstack.core.csp;

import java.util.ArrayList;

import org.jcsp.lang.PoisonException;

/**
 * A process's writes to many upward batch channels of its own making (one per socket, one per connection):
 * each {@link Lane} collects its messages of the current turn in a batch, and {@link #flush()} at the end of
 * the turn writes every batch that has something, so that each reader gets one communication per turn.
 *
 * <p>Owned by one process; not thread-safe. Upward channels never block their writer (rule 1): a write queues
 * the batch or drops it whole (the channel counts its messages), and {@link Outcome} tells the process which,
 * for its own counters.
 */
public final class FanOut<T> {
    /** What became of a lane's batch; {@code n} is its number of messages. */
    public interface Outcome {
        /** The batch was queued ({@code dropped} false) or dropped because the queue was full. */
        void written(int n, boolean dropped);

        /** The reader had poisoned its channel: the batch was not written and the lane is marked. */
        void readerGone(int n);
    }

    /** One reader's channel and its batch of this turn (an {@link Outbox} that the fan-out writes itself). */
    public static final class Lane<T> {
        private final Chan<Batch<T>> channel;
        private final Outbox<T> box;
        private boolean readerGone;

        public Lane(Chan<Batch<T>> channel) {
            this.channel = channel;
            this.box = new Outbox<>(channel.out());
        }

        public Chan<Batch<T>> channel() {
            return channel;
        }

        /** True once a write met the reader's poison: later messages are refused at once. */
        public boolean readerGone() {
            return readerGone;
        }

        /** Drops this turn's batch unwritten (the lane is being closed); returns its size. */
        public int discard() {
            Batch<T> b = box.detach();
            return b == null ? 0 : b.size();
        }
    }

    private final Outcome outcome;
    private final ArrayList<Lane<T>> toFlush = new ArrayList<>();

    public FanOut(Outcome outcome) {
        this.outcome = outcome;
    }

    /** Adds {@code message} to the lane's batch of this turn; writes the batch at once when it is full. */
    public void add(Lane<T> lane, T message) {
        if (lane.box.pending() == 0) {
            toFlush.add(lane);
        }
        if (lane.box.collect(message)) {
            write(lane);
        }
    }

    /** Writes every lane's batch of this turn. */
    public void flush() {
        for (int i = 0; i < toFlush.size(); i++) {
            write(toFlush.get(i));
        }
        toFlush.clear();
    }

    private void write(Lane<T> lane) {
        Batch<T> b = lane.box.detach();
        if (b == null) {
            return;
        }
        int n = b.size();
        if (lane.readerGone) {
            outcome.readerGone(n);
            return;
        }
        ChannelStats stats = lane.channel.stats();
        long droppedBefore = stats.queueFullDropped.get();
        try {
            lane.channel.out().write(b);
        } catch (PoisonException e) {
            lane.readerGone = true;
            outcome.readerGone(n);
            return;
        }
        // The process is the channel's only writer and the store counts drops during the write: exact.
        outcome.written(n, stats.queueFullDropped.get() != droppedBefore);
    }
}
