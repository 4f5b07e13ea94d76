package org.cspstack.core.wire;

/**
 * A TCP header read in place: a {@link TcpHeader} that a receiver keeps and {@link #parse refills} for every
 * segment, with {@link TcpRepr#parse(TcpSegment, TcpRepr.Fields) TcpRepr's parse} (the same checks, the same
 * fields), so that receiving a segment allocates no header. Its fields are the last parsed segment's (all zero,
 * no options, before the first): whoever keeps them beyond that segment keeps a {@link TcpRepr#copyOf copy}.
 * Not thread-safe; it belongs to whoever owns what it was parsed for.
 */
public final class MutableTcpHeader implements TcpHeader {
    private int sourcePort;
    private int destinationPort;
    private long seq;
    private long ack;
    private int flags;
    private int window;
    private int mss;
    private int windowScale = -1;
    private boolean sackPermitted;
    /** This header's setter for the parse: made once, so that a parse makes nothing. */
    private final TcpRepr.Fields<MutableTcpHeader> fill = this::set;

    /**
     * Reads the header of a checked view into this one and returns it; on a malformed option it throws
     * (UNSUPPORTED, as {@link TcpRepr#parse(TcpSegment)}) and leaves this header as it was.
     */
    public MutableTcpHeader parse(TcpSegment s) throws MalformedPacketException {
        return TcpRepr.parse(s, fill);
    }

    private MutableTcpHeader set(int sourcePort, int destinationPort, long seq, long ack, int flags, int window,
                                 int mss, int windowScale, boolean sackPermitted) {
        this.sourcePort = sourcePort;
        this.destinationPort = destinationPort;
        this.seq = seq;
        this.ack = ack;
        this.flags = flags;
        this.window = window;
        this.mss = mss;
        this.windowScale = windowScale;
        this.sackPermitted = sackPermitted;
        return this;
    }

    @Override
    public int sourcePort() {
        return sourcePort;
    }

    @Override
    public int destinationPort() {
        return destinationPort;
    }

    @Override
    public long seq() {
        return seq;
    }

    @Override
    public long ack() {
        return ack;
    }

    @Override
    public int flags() {
        return flags;
    }

    @Override
    public int window() {
        return window;
    }

    @Override
    public int mss() {
        return mss;
    }

    @Override
    public int windowScale() {
        return windowScale;
    }

    @Override
    public boolean sackPermitted() {
        return sackPermitted;
    }

    @Override
    public String toString() {
        return describe();
    }
}
