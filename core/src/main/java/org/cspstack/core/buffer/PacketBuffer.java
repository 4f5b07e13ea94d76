package org.cspstack.core.buffer;

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
 */
public final class PacketBuffer {

    /** Headroom that fits Ethernet (14) + IPv4 with options (60) + TCP with options (60), rounded up. */
    public static final int DEFAULT_HEADROOM = 144;

    private final byte[] data;
    private int start;
    private int end;

    private PacketBuffer(byte[] data, int start, int end) {
        this.data = data;
        this.start = start;
        this.end = end;
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
        return data;
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
        return "PacketBuffer[" + length() + " bytes, headroom " + start + "]";
    }
}
