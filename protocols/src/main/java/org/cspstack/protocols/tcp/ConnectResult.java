package org.cspstack.protocols.tcp;

/** The answer to {@link TcpRequest.Connect} and {@link TcpRequest.Accept}: a connection, or why not. */
public sealed interface ConnectResult {

    /** An established connection: talk to its process through {@code connection}. */
    record Connected(TcpConnectionHandle connection) implements ConnectResult {
    }

    /** No connection: refused (RST), timed out, no port left, listener gone... {@code reason} says which. */
    record Failed(String reason) implements ConnectResult {
    }
}
