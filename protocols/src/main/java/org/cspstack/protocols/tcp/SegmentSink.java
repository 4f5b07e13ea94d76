package org.cspstack.protocols.tcp;

import org.cspstack.core.wire.TcpRepr;

/**
 * Where a connection's outgoing segments go. Called synchronously from inside the connection's methods;
 * {@code data[off, off + len)} may be the send buffer's own array (or a scratch array the connection reuses),
 * so the sink copies it before returning. The sink must not call back into the connection.
 *
 * <p>A segment comes either as a header value (SYN and SYN-ACK, which carry options) or, for everything sent
 * once the connection is open (data, ACKs, resets), as the fields of an option-less header, so that sending
 * makes no header object: a sink that writes packets writes those fields straight into them; one that keeps
 * segments (tests) can keep the {@link TcpRepr} the default builds.
 */
@FunctionalInterface
public interface SegmentSink {
    void emit(TcpRepr header, byte[] data, int off, int len);

    /**
     * An option-less segment: the header {@code TcpRepr.of(sourcePort, destinationPort, seq, ack, flags,
     * window)}, which is what this default makes and hands to {@link #emit(TcpRepr, byte[], int, int)}.
     */
    default void emit(int sourcePort, int destinationPort, long seq, long ack, int flags, int window, byte[] data,
                      int off, int len) {
        emit(TcpRepr.of(sourcePort, destinationPort, seq, ack, flags, window), data, off, len);
    }
}
