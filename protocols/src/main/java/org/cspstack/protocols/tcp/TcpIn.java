package org.cspstack.protocols.tcp;

import org.cspstack.core.buffer.MessageSlot;
import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.wire.MalformedPacketException;
import org.cspstack.core.wire.MutableTcpHeader;
import org.cspstack.core.wire.TcpHeader;
import org.cspstack.core.wire.TcpRepr;
import org.cspstack.core.wire.TcpSegment;

/**
 * A checked segment handed by the TCP layer to a connection's process: its header and its payload. It travels
 * with the segment's buffer ({@link #SLOT}): each buffer keeps one TcpIn, with its header parsed in place,
 * refilled every time the buffer carries a segment, so that receiving a segment makes no message and no header.
 *
 * <p><b>A TcpIn and its header are valid until its payload buffer is released</b>: then the pool may hand the
 * buffer, and so this object, to the next segment. Whoever owns the buffer owns the TcpIn; whoever keeps the
 * header beyond that keeps a copy ({@link TcpRepr#copyOf}), as the layer does for the SYN of a passive open.
 */
final class TcpIn {
    static final MessageSlot<TcpIn> SLOT = MessageSlot.define("TcpIn", TcpIn::new);

    /** Not a segment: the layer asks the connection to reset (its listener went away before accept). */
    static final TcpIn ABORT = new TcpIn();

    private final MutableTcpHeader header = new MutableTcpHeader();
    private PacketBuffer payload;

    private TcpIn() {
    }

    /**
     * The segment in {@code segment}, which {@code view} (the caller's, checked) shows: its header is parsed
     * into the buffer's TcpIn and consumed from the buffer, which then holds the payload.
     *
     * @throws MalformedPacketException (UNSUPPORTED) for malformed options; the buffer is left as it was
     */
    static TcpIn on(PacketBuffer segment, TcpSegment view) throws MalformedPacketException {
        TcpIn in = segment.message(SLOT);
        in.header.parse(view);
        segment.consume(view.headerLength());
        in.payload = segment;
        return in;
    }

    /** The header: valid until the payload's buffer is released (see the class comment). */
    TcpHeader header() {
        return header;
    }

    PacketBuffer payload() {
        return payload;
    }

    @Override
    public String toString() {
        return this == ABORT ? "TcpIn[abort]" : "TcpIn[" + header + ", " + payload.length() + " bytes]";
    }
}
