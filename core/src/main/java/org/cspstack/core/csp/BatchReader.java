package org.cspstack.core.csp;

import org.jcsp.lang.AltingChannelInput;
import org.jcsp.lang.Alternative;
import org.jcsp.lang.CSTimer;
import org.jcsp.lang.Guard;

/**
 * The reading side of a batch channel for code that takes one message at a time (an application's socket, a
 * benchmark, a test): it reads a {@link Batch} when the one in hand is used up, hands its messages out in
 * order, and {@link Batch#recycle() recycles} it once the last is out.
 *
 * <p>Used by one thread at a time; the channel itself stays usable in an {@code Alternative}
 * ({@link #channel()}), but a message already in hand is only seen through {@link #pending()}.
 */
public final class BatchReader<T> {
    private final AltingChannelInput<Batch<T>> in;
    private Batch<T> batch;
    private int next;
    private Alternative alt;
    private CSTimer timer;

    public BatchReader(AltingChannelInput<Batch<T>> in) {
        this.in = in;
    }

    public AltingChannelInput<Batch<T>> channel() {
        return in;
    }

    /** True when {@link #read()} would not wait: a message is in hand or a batch is on the channel. */
    public boolean pending() {
        return batch != null || in.pending();
    }

    /** The next message, waiting for the channel when none is in hand. */
    public T read() {
        while (batch == null) {
            Batch<T> b = in.read();
            if (b.size() > 0) {
                batch = b;
                next = 0;
            } else {
                b.recycle();
            }
        }
        T message = batch.get(next++);
        if (next == batch.size()) {
            batch.recycle(); // every message handed out: the writer reuses it
            batch = null;
        }
        return message;
    }

    /** The next message if one comes within {@code timeoutMillis} (0: only one that is there now), else null. */
    public T poll(long timeoutMillis) {
        // A message already there needs neither the timer nor the select (both cost more than the read).
        if (pending()) {
            return read();
        }
        if (alt == null) {
            timer = new CSTimer();
            alt = new Alternative(new Guard[] {in, timer});
        }
        timer.setAlarm(timer.read() + Math.max(0, timeoutMillis));
        return alt.priSelect() == 0 ? read() : null;
    }
}
