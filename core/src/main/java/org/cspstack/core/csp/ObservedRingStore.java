package org.cspstack.core.csp;

/**
 * The dropping {@link RingStore} of an upward channel whose network has a {@link ChannelObserver}: the
 * observer must learn whether a message is dropped before the message is written (afterwards it belongs to
 * the reader), so the writer first asks {@link #admit(int)}, which decides and, when there is room, reserves a
 * slot that only that writer's {@code put} uses. The reader can only free slots meanwhile, and other writers
 * of a shared channel see the reservation, so the decision holds.
 *
 * <p>{@code admit} runs outside JCSP's channel lock, so every method here also locks the store itself
 * (always after the channel's lock, never the other way round). Only observed networks pay for it.
 */
final class ObservedRingStore<T> extends RingStore<T> {
    private int reserved;
    /** Messages in the reserved slots (a batch counts as its size). */
    private int reservedWeight;
    /** The copy JCSP made of this store when it built the channel: the one that holds the messages. */
    private ObservedRingStore<T> copy;

    ObservedRingStore(int capacity, boolean countWrites, ChannelStats stats) {
        super(capacity, true, countWrites, stats);
    }

    /**
     * True (and a slot reserved) when the next message of the calling writer will be stored; false when it
     * is dropped, which is then counted here ({@code written} and {@code queueFullDropped}) since the
     * message never reaches the channel.
     */
    synchronized boolean admit(int weight) {
        if (size() + reserved >= slots() || !fits(weight + reservedWeight)) {
            stats().written.add(weight);
            stats().queueFullDropped.add(weight);
            return false;
        }
        reserved++;
        reservedWeight += weight;
        return true;
    }

    /** Gives back a slot reserved by {@link #admit(int)} for a message that will not be written after all. */
    synchronized void release(int weight) {
        if (reserved > 0) {
            reserved--;
            reservedWeight -= weight;
        }
    }

    /** The store that the channel really uses (JCSP clones the one it is given). */
    ObservedRingStore<T> live() {
        return copy == null ? this : copy;
    }

    @Override
    public synchronized int getState() {
        return super.getState();
    }

    @Override
    public synchronized void put(T value) {
        if (reserved > 0) {
            reserved--;
            reservedWeight -= Batch.weight(value);
        }
        super.put(value);
    }

    @Override
    public synchronized T get() {
        return super.get();
    }

    @Override
    public synchronized T startGet() {
        return super.startGet();
    }

    @Override
    public synchronized void endGet() {
        super.endGet();
    }

    @Override
    public synchronized void removeAll() {
        super.removeAll();
    }

    @Override
    public Object clone() {
        ObservedRingStore<T> c = new ObservedRingStore<>(capacity(), countWrites(), stats());
        copy = c;
        return c;
    }
}
