package org.cspstack.core.buffer;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A kind of message that travels with a {@link PacketBuffer}: the buffer keeps one object of each kind
 * ({@link PacketBuffer#message(MessageSlot)}), made the first time and filled again every time the buffer
 * carries that kind of message, as Linux keeps a layer's per-packet state in the sk_buff's control block
 * instead of allocating it. A pooled buffer therefore carries its datagram, send request, routed packet, ...
 * through the stack with no allocation once it has made the round once.
 *
 * <p>The rule that makes it safe is the buffer's own: the message belongs to whoever owns the buffer, and is
 * valid until the buffer is {@link PacketBuffer#release() released} (after which the pool may hand the buffer,
 * and so the message object, to another packet). A process that keeps a message keeps its buffer; one that
 * must keep the facts after releasing copies them out. Kinds are few and static: at most {@link #MAX}.
 *
 * @param <M> the message class (mutable, filled by its own factory method)
 */
public final class MessageSlot<M> {
    /** The most kinds: a buffer's slot array has this many places. */
    public static final int MAX = 8;
    private static final AtomicInteger NEXT = new AtomicInteger();

    final int index;
    private final String name;
    final Supplier<? extends M> factory;

    private MessageSlot(int index, String name, Supplier<? extends M> factory) {
        this.index = index;
        this.name = name;
        this.factory = factory;
    }

    /**
     * A new kind (once per message class, in a static field), whose objects {@code factory} makes empty.
     *
     * @throws IllegalStateException when {@link #MAX} kinds exist already
     */
    public static <M> MessageSlot<M> define(String name, Supplier<? extends M> factory) {
        Objects.requireNonNull(factory, "factory");
        int i = NEXT.getAndIncrement();
        if (i >= MAX) {
            throw new IllegalStateException("message slot '" + name + "' is one more than the " + MAX
                    + " a packet buffer has room for");
        }
        return new MessageSlot<>(i, name, factory);
    }

    @Override
    public String toString() {
        return "MessageSlot[" + index + " " + name + "]";
    }
}
