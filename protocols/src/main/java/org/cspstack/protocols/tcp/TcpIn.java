package org.cspstack.protocols.tcp;

import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.wire.TcpRepr;

/** A checked segment handed by the TCP layer to a connection's process: its header and its payload. */
record TcpIn(TcpRepr header, PacketBuffer payload) {
    /** Not a segment: the layer asks the connection to reset (its listener went away before accept). */
    static final TcpIn ABORT = new TcpIn(null, null);
}
