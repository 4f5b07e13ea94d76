package org.cspstack.protocols.tcp;

/**
 * (Wiring only: the stack builds the channel that carries these.) What a connection's process tells the TCP
 * layer: it is established (passive opens), or it has ended.
 */
public sealed interface ConnectionEvent {
    ConnKey key();

    record Established(ConnKey key, TcpConnectionHandle handle) implements ConnectionEvent {
    }

    /** The connection has ended; {@code stats} are its final counts, which the layer adds to its own. */
    record Ended(ConnKey key, boolean wasEstablished, TcpStats stats) implements ConnectionEvent {
    }
}
