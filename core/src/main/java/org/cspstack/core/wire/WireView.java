package org.cspstack.core.wire;

/**
 * What every wire view shares (STYLE.md §2): the array, offset and length it is pointed at, and pointing it
 * again without allocating. Each format adds its checked wrap, its lengths and its fields; a view never travels
 * on a channel.
 *
 * @param <V> the format's own view type, which {@link #rewrap} returns
 */
abstract class WireView<V extends WireView<V>> {
    static final byte[] EMPTY = new byte[0];

    byte[] buffer = EMPTY;
    int offset;
    int length;

    /** Points this view at {@code b[off, off+len)} without any check; returns this. */
    @SuppressWarnings("unchecked")
    public final V rewrap(byte[] b, int off, int len) {
        this.buffer = b;
        this.offset = off;
        this.length = len;
        return (V) this;
    }

    /** The array this view reads and writes. */
    public final byte[] buffer() {
        return buffer;
    }

    /** Index in {@link #buffer()} of the view's first byte. */
    public final int offset() {
        return offset;
    }
}
