package org.cspstack.core.csp;

import org.jcsp.lang.ChannelOutput;
import org.jcsp.lang.Poisonable;

/**
 * A writer's side of a batch channel: collects messages with {@link #add}, writes them as one {@link Batch}
 * on {@link #flush} (or as soon as the batch is full). A process flushes its outboxes when it has handled
 * what it read, before it selects again, so nothing waits in an outbox while its process sleeps.
 *
 * <p>Owned by one process (a single writer); not thread-safe. Downward flushes may block (rule 2), upward
 * ones never do (rule 1): the channel decides, as for single messages.
 */
public final class Outbox<T> implements Poisonable {
    private final ChannelOutput<Batch<T>> out;
    private Batch<T> pending;
    private int lastSize;
    /** The batches its reader has handled, back for reuse. */
    private final BatchRecycler<T> recycled = new BatchRecycler<>();

    public Outbox(ChannelOutput<Batch<T>> out) {
        this.out = out;
    }

    /** Queues {@code item}; writes the batch at once when it is full. */
    public void add(T item) {
        if (collect(item)) {
            flush();
        }
    }

    /** Writes what is queued as one batch; nothing when the outbox is empty. */
    public void flush() {
        Batch<T> b = detach();
        if (b != null) {
            out.write(b);
        }
    }

    /**
     * Queues {@code item} without writing: true when the batch is now full. For a writer that writes the batch
     * itself ({@link FanOut}, which watches what each write did).
     */
    boolean collect(T item) {
        Batch<T> b = pending;
        if (b == null) {
            b = recycled.take(Batch.nextCapacity(lastSize));
            pending = b;
        }
        b.add(item);
        return b.isFull();
    }

    /** Takes what is queued off as a batch to write (null when nothing is): the outbox is empty afterwards. */
    Batch<T> detach() {
        Batch<T> b = pending;
        if (b != null) {
            pending = null;
            lastSize = b.size();
        }
        return b;
    }

    /** Messages queued and not yet written. */
    public int pending() {
        return pending == null ? 0 : pending.size();
    }

    /** Poisons the channel (what is queued is dropped: the network is stopping). */
    @Override
    public void poison(int strength) {
        pending = null;
        out.poison(strength);
    }
}
