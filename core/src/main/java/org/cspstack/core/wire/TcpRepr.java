package org.cspstack.core.wire;

/**
 * A TCP header as a value (RFC 9293), with the options this stack speaks: MSS (RFC 9293 §3.7.1), window scale
 * (RFC 7323 §2) and SACK-permitted (RFC 2018; recognised, not used). Other options are skipped on parse and
 * never emitted. Sequence and acknowledgment numbers are unsigned 32-bit values held in longs.
 *
 * <p>The hot paths use the same code without the record: {@link #parse(TcpSegment, Fields)} hands the fields
 * to a {@link MutableTcpHeader}, and {@link #emit(TcpSegment, Ipv4Address, Ipv4Address, int, int, long, long,
 * int, int)} writes an option-less header straight from its fields.
 *
 * @param mss         the MSS option's value, or 0 when absent
 * @param windowScale the window scale option's shift (0..14), or -1 when absent
 * @param window      the raw 16-bit window field (unscaled)
 */
public record TcpRepr(int sourcePort, int destinationPort, long seq, long ack, int flags, int window, int mss,
                      int windowScale, boolean sackPermitted) implements TcpHeader {

    public static final int OPTION_END = 0;
    public static final int OPTION_NOP = 1;
    public static final int OPTION_MSS = 2;
    public static final int OPTION_WINDOW_SCALE = 3;
    public static final int OPTION_SACK_PERMITTED = 4;
    /** RFC 7323: shifts above 14 are treated as 14. */
    public static final int MAX_WINDOW_SCALE = 14;

    /** What {@link #parse(TcpSegment, Fields)} hands a header's fields to: {@code TcpRepr::new}, or a holder. */
    @FunctionalInterface
    public interface Fields<H> {
        H of(int sourcePort, int destinationPort, long seq, long ack, int flags, int window, int mss,
             int windowScale, boolean sackPermitted);
    }

    public TcpRepr {
        check(sourcePort, destinationPort, seq, ack, flags, window, mss, windowScale);
    }

    private static void check(int sourcePort, int destinationPort, long seq, long ack, int flags, int window,
                              int mss, int windowScale) {
        checkPort("source", sourcePort);
        checkPort("destination", destinationPort);
        if (seq < 0 || seq > 0xffff_ffffL || ack < 0 || ack > 0xffff_ffffL) {
            throw new IllegalArgumentException("sequence numbers are 32-bit unsigned: seq " + seq + " ack " + ack);
        }
        if (flags < 0 || flags > 0xff || window < 0 || window > 0xffff || mss < 0 || mss > 0xffff) {
            throw new IllegalArgumentException("field out of range: flags " + flags + " window " + window
                    + " mss " + mss);
        }
        if (windowScale < -1 || windowScale > MAX_WINDOW_SCALE) {
            throw new IllegalArgumentException("window scale " + windowScale + " is outside -1..14");
        }
    }

    private static void checkPort(String name, int port) {
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException(name + " port " + port + " is outside 0..65535");
        }
    }

    /** A header without options. */
    public static TcpRepr of(int sourcePort, int destinationPort, long seq, long ack, int flags, int window) {
        return new TcpRepr(sourcePort, destinationPort, seq, ack, flags, window, 0, -1, false);
    }

    /** {@code h} as a value that stays: {@code h} itself when it is one, else a copy of its fields. */
    public static TcpRepr copyOf(TcpHeader h) {
        if (h instanceof TcpRepr r) {
            return r;
        }
        return new TcpRepr(h.sourcePort(), h.destinationPort(), h.seq(), h.ack(), h.flags(), h.window(), h.mss(),
                h.windowScale(), h.sackPermitted());
    }

    /** The bytes of options this header emits, padded to a multiple of 4. */
    public int optionsLength() {
        return optionsLength(mss, windowScale, sackPermitted);
    }

    private static int optionsLength(int mss, int windowScale, boolean sackPermitted) {
        int n = 0;
        if (mss > 0) {
            n += 4;
        }
        if (windowScale >= 0) {
            n += 4; // NOP + 3-byte option
        }
        if (sackPermitted) {
            n += 4; // NOP NOP + 2-byte option
        }
        return n;
    }

    public int headerLength() {
        return TcpSegment.MIN_HEADER_LENGTH + optionsLength();
    }

    /** Reads a header from a checked view, as {@link #parse(TcpSegment, Fields)} says, into a new value. */
    public static TcpRepr parse(TcpSegment s) throws MalformedPacketException {
        return parse(s, TcpRepr::new);
    }

    /**
     * Reads a header from a checked view and hands its fields to {@code into}, whose result it returns; on a
     * malformed option it throws before calling {@code into}. Malformed options (a length below 2 or running
     * past the header) are UNSUPPORTED; unknown options are skipped; an MSS or window scale of the wrong length
     * is ignored; a window scale above {@link #MAX_WINDOW_SCALE} is taken as 14. Allocates nothing itself.
     */
    public static <H> H parse(TcpSegment s, Fields<H> into) throws MalformedPacketException {
        int mss = 0;
        int ws = -1;
        boolean sack = false;
        byte[] b = s.buffer();
        int at = s.optionsOffset();
        int end = at + s.optionsLength();
        while (at < end) {
            int kind = Bytes.u8(b, at);
            if (kind == OPTION_END) {
                break;
            }
            if (kind == OPTION_NOP) {
                at++;
                continue;
            }
            if (at + 1 >= end) {
                throw new MalformedPacketException(MalformedPacketException.Reason.UNSUPPORTED,
                        "TCP option " + kind + " has no length byte");
            }
            int len = Bytes.u8(b, at + 1);
            if (len < 2 || at + len > end) {
                throw new MalformedPacketException(MalformedPacketException.Reason.UNSUPPORTED,
                        "TCP option " + kind + " has length " + len + " with " + (end - at) + " bytes left");
            }
            if (kind == OPTION_MSS && len == 4) {
                mss = Bytes.u16(b, at + 2);
            } else if (kind == OPTION_WINDOW_SCALE && len == 3) {
                ws = Math.min(Bytes.u8(b, at + 2), MAX_WINDOW_SCALE);
            } else if (kind == OPTION_SACK_PERMITTED && len == 2) {
                sack = true;
            }
            at += len;
        }
        return into.of(s.sourcePort(), s.destinationPort(), s.sequence(), s.acknowledgment(), s.flags(),
                s.window(), mss, ws, sack);
    }

    /**
     * Writes this header, options included, at the view's start and the checksum over the whole view (the
     * payload must already follow the header). The view's length is header plus payload.
     */
    public void emit(TcpSegment s, Ipv4Address src, Ipv4Address dst) {
        write(s, src, dst, sourcePort, destinationPort, seq, ack, flags, window, mss, windowScale, sackPermitted);
    }

    /**
     * Writes an option-less header of these fields as {@code TcpRepr.of(...).emit(s, src, dst)} does, without
     * making the record: for the segments a connection sends once it is open (data, ACKs, resets).
     *
     * @throws IllegalArgumentException for a field that does not fit, as {@link #of} does
     */
    public static void emit(TcpSegment s, Ipv4Address src, Ipv4Address dst, int sourcePort, int destinationPort,
                            long seq, long ack, int flags, int window) {
        check(sourcePort, destinationPort, seq, ack, flags, window, 0, -1);
        write(s, src, dst, sourcePort, destinationPort, seq, ack, flags, window, 0, -1, false);
    }

    private static void write(TcpSegment s, Ipv4Address src, Ipv4Address dst, int sourcePort, int destinationPort,
                              long seq, long ack, int flags, int window, int mss, int windowScale,
                              boolean sackPermitted) {
        int headerLength = TcpSegment.MIN_HEADER_LENGTH + optionsLength(mss, windowScale, sackPermitted);
        if (s.length() < headerLength) {
            throw new IllegalArgumentException("a " + headerLength + "-byte TCP header does not fit a view of "
                    + s.length() + " bytes");
        }
        byte[] b = s.buffer();
        s.setSourcePort(sourcePort);
        s.setDestinationPort(destinationPort);
        s.setSequence(seq);
        s.setAcknowledgment(ack);
        s.setHeaderLength(headerLength);
        s.setFlags(flags);
        s.setWindow(window);
        s.setUrgentPointer(0);
        int at = s.optionsOffset();
        if (mss > 0) {
            Bytes.putU8(b, at, OPTION_MSS);
            Bytes.putU8(b, at + 1, 4);
            Bytes.putU16(b, at + 2, mss);
            at += 4;
        }
        if (windowScale >= 0) {
            Bytes.putU8(b, at, OPTION_NOP);
            Bytes.putU8(b, at + 1, OPTION_WINDOW_SCALE);
            Bytes.putU8(b, at + 2, 3);
            Bytes.putU8(b, at + 3, windowScale);
            at += 4;
        }
        if (sackPermitted) {
            Bytes.putU8(b, at, OPTION_NOP);
            Bytes.putU8(b, at + 1, OPTION_NOP);
            Bytes.putU8(b, at + 2, OPTION_SACK_PERMITTED);
            Bytes.putU8(b, at + 3, 2);
        }
        s.fillChecksum(src, dst);
    }

    @Override
    public String toString() {
        return describe();
    }
}
