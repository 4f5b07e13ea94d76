package org.cspstack.protocols.tcp;

import org.cspstack.core.wire.TcpRepr;

/**
 * Where a connection's outgoing segments go. Called synchronously from inside the connection's methods;
 * {@code data[off, off + len)} may be the send buffer's own array (or a scratch array the connection reuses),
 * so the sink copies it before returning. The sink must not call back into the connection.
 */
@FunctionalInterface
public interface SegmentSink {
    void emit(TcpRepr header, byte[] data, int off, int len);
}
