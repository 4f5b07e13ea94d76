package org.cspstack.protocols.tcp;

import java.time.Duration;

import org.cspstack.core.wire.Ipv4Address;
import org.jcsp.lang.ChannelOutput;

/**
 * What applications ask of the TCP layer on its shared request channel (clients and server, STYLE.md rule 3).
 * Every request is answered exactly once on the client's own reply channel, which must be buffered (capacity
 * 1). Timeouts are kept by the server, so a client simply waits for its one answer.
 */
public sealed interface TcpRequest {

    /** Listen on {@code port} with at most {@code backlog} connections half-open and as many waiting for accept. */
    record Listen(int port, int backlog, ChannelOutput<String> replyTo) implements TcpRequest {
    }

    /** Stop listening on {@code port}; answered with null (done) or a reason. */
    record Unlisten(int port, ChannelOutput<String> replyTo) implements TcpRequest {
    }

    /** The next established connection on a listening port, waiting at most {@code timeout} (null: forever). */
    record Accept(int port, Duration timeout, ChannelOutput<ConnectResult> replyTo) implements TcpRequest {
    }

    /** Open a connection; answered by the connection's process once established, refused, or timed out. */
    record Connect(Ipv4Address destination, int port, Duration timeout, boolean nagle,
                   ChannelOutput<ConnectResult> replyTo) implements TcpRequest {
    }
}
