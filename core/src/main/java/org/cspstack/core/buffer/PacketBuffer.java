package org.cspstack.core.buffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * A packet's bytes with room in front for headers, as lwIP's pbuf and smoltcp's buffers keep it.
 *
 * <pre>
 *   0            start                  end          capacity
 *   | headroom    | packet bytes         | tailroom    |
 * </pre>
 *
 * Going down the stack each layer {@link #prepend(int) prepends} its header into the headroom; going up, each
 * layer {@link #consume(int) consumes} its header, so the bytes in front of {@code start} still hold the
 * headers of the layers below (ICMP errors quote the IP header from there).
 *
 * <p><b>Ownership.</b> A buffer has exactly one owner. Writing it to a channel hands it over: the writer must
 * not read or change it afterwards. Keep a {@link #copy()} when both sides need the bytes.
 *
 * <p><b>Release.</b> A buffer from a {@link BufferPool} goes back to it when its last owner, the process that
 * will neither forward nor keep it (the link transmitter once the frame is sent, TCP once it has copied the
 * payload, a layer that drops the packet), calls {@link #release()}. Releasing is optional (an unreleased
 * buffer is garbage-collected) but must happen at most once and last: a second release throws, and with
 * assertions on {@link #array()} fails on a released buffer, until its pool hands it out again. Releasing a
 * buffer that has no pool only marks it released.
 */
public final class PacketBuffer {
    private static final VarHandle RELEASED;

    static {
        try {
            RELEASED = MethodHandles.lookup().findVarHandle(PacketBuffer.class, "released", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Headroom that fits Ethernet (14) + IPv4 with options (60) + TCP with options (60), rounded up. */
    public static final int DEFAULT_HEADROOM = 144;

    private final byte[] data;
    /** The pool the array goes back to, or null (garbage-collected). */
    private final BufferPool pool;
    private int start;
    private int end;
    /** 1 once released (set by compare-and-set, so that a second release is always seen). */
    @SuppressWarnings("unused") // through RELEASED
    private volatile int released;
    /** The messages that travel with this buffer, by {@link MessageSlot} index; null until the first. */
    private Object[] messages;

    private PacketBuffer(byte[] data, int start, int end) {
        this.data = data;
        this.pool = null;
        this.start = start;
        this.end = end;
    }

    /** A pooled buffer over {@code data}, made by {@link BufferPool} only. */
    PacketBuffer(byte[] data, BufferPool pool) {
        this.data = data;
        this.pool = pool;
    }

    /** Makes a buffer the pool hands out again owned, with the given bounds. */
    void reuse(int start, int end) {
        this.start = start;
        this.end = end;
        released = 0;
    }

    /** An empty buffer with {@code headroom} bytes in front and room for {@code length} bytes of packet. */
    public static PacketBuffer allocate(int headroom, int length) {
        if (headroom < 0 || length < 0) {
            throw new IllegalArgumentException("negative size: headroom " + headroom + ", length " + length);
        }
        return new PacketBuffer(new byte[headroom + length], headroom, headroom + length);
    }

    /** A buffer of {@code length} zero bytes behind {@link #DEFAULT_HEADROOM}. */
    public static PacketBuffer allocate(int length) {
        return allocate(DEFAULT_HEADROOM, length);
    }

    /** Wraps an array without copying; the packet is {@code data[start, end)}. The array is owned from now on. */
    public static PacketBuffer wrap(byte[] data, int start, int end) {
        if (start < 0 || end < start || end > data.length) {
            throw new IllegalArgumentException("bad bounds [" + start + ", " + end + ") in " + data.length + " bytes");
        }
        return new PacketBuffer(data, start, end);
    }

    /** Wraps a whole array without copying. */
    public static PacketBuffer wrap(byte[] data) {
        return wrap(data, 0, data.length);
    }

    /** A copy of {@code src[offset, offset + length)} behind {@code headroom} free bytes. */
    public static PacketBuffer copyOf(byte[] src, int offset, int length, int headroom) {
        PacketBuffer b = allocate(headroom, length);
        System.arraycopy(src, offset, b.data, headroom, length);
        return b;
    }

    public byte[] array() {
        assert released == 0 : "use after release()";
        return data;
    }

    /**
     * This buffer's message object of {@code slot}'s kind, for its owner to fill and send with the buffer: the
     * same object every time (made on first use), so that a pooled buffer's messages are made once. Valid until
     * the buffer is released; see {@link MessageSlot}.
     */
    @SuppressWarnings("unchecked") // the slot's factory made what its index holds
    public <M> M message(MessageSlot<M> slot) {
        Object[] m = messages;
        if (m == null) {
            m = new Object[MessageSlot.MAX];
            messages = m;
        }
        Object o = m[slot.index];
        if (o == null) {
            o = slot.factory.get();
            m[slot.index] = o;
        }
        return (M) o;
    }

    /** The pool this buffer goes back to on {@link #release()}, or null. */
    public BufferPool pool() {
        return pool;
    }

    /**
     * Gives the buffer back to its pool (or, without one, just marks it released); by the last owner only,
     * once. The caller must not touch the buffer afterwards.
     *
     * @throws IllegalStateException when the buffer was already released
     */
    public void release() {
        if (!RELEASED.compareAndSet(this, 0, 1)) {
            throw new IllegalStateException("buffer released twice: " + this);
        }
        if (pool != null) {
            pool.giveBack(this);
        }
    }

    /** True between {@link #release()} and the pool handing the buffer out again. */
    public boolean isReleased() {
        return released != 0;
    }

    /** Index in {@link #array()} of the first packet byte. */
    public int start() {
        return start;
    }

    /** Index in {@link #array()} one past the last packet byte. */
    public int end() {
        return end;
    }

    public int length() {
        return end - start;
    }

    public int headroom() {
        return start;
    }

    public int tailroom() {
        return data.length - end;
    }

    public int capacity() {
        return data.length;
    }

    /** Grows the packet by {@code n} bytes at the front (a header about to be written). */
    public PacketBuffer prepend(int n) {
        if (n < 0 || n > start) {
            throw new IllegalStateException("cannot prepend " + n + " bytes: headroom is " + start);
        }
        start -= n;
        return this;
    }

    /** Drops {@code n} bytes from the front (a header that has been read); they stay in the headroom. */
    public PacketBuffer consume(int n) {
        if (n < 0 || n > length()) {
            throw new IllegalStateException("cannot consume " + n + " of " + length() + " bytes");
        }
        start += n;
        return this;
    }

    /** Keeps only the first {@code length} bytes (drops link-layer padding, for example). */
    public PacketBuffer truncate(int length) {
        if (length < 0 || length > length()) {
            throw new IllegalStateException("cannot truncate " + length() + " bytes to " + length);
        }
        end = start + length;
        return this;
    }

    /** Grows the packet by {@code n} bytes at the back. */
    public PacketBuffer append(int n) {
        if (n < 0 || n > tailroom()) {
            throw new IllegalStateException("cannot append " + n + " bytes: tailroom is " + tailroom());
        }
        end += n;
        return this;
    }

    /** Moves both bounds, for a layer that looks back into the headroom. */
    public PacketBuffer setBounds(int start, int end) {
        if (start < 0 || end < start || end > data.length) {
            throw new IllegalArgumentException("bad bounds [" + start + ", " + end + ") in " + data.length + " bytes");
        }
        this.start = start;
        this.end = end;
        return this;
    }

    /** An independent copy with the same bounds and headroom. */
    public PacketBuffer copy() {
        return new PacketBuffer(data.clone(), start, end);
    }

    /** The packet bytes as a new array. */
    public byte[] toByteArray() {
        return Arrays.copyOfRange(data, start, end);
    }

    @Override
    public String toString() {
        return "PacketBuffer[" + length() + " bytes, headroom " + start + (pool == null ? "" : ", pooled")
                + (released != 0 ? ", released" : "") + "]";
    }
}
