package org.cspstack.protocols.tcp;

import java.net.BindException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;

import org.cspstack.core.wire.Ipv4Address;
import org.jcsp.lang.Channel;
import org.jcsp.lang.One2OneChannel;
import org.jcsp.lang.PoisonException;
import org.jcsp.lang.SharedChannelOutput;
import org.jcsp.util.Buffer;

/**
 * A stack's TCP as its applications see it: listen, accept, connect. Each call is one request to the TCP layer
 * and one reply on a channel of the caller's own (STYLE.md rule 3); timeouts are kept by the server, so the
 * caller waits for exactly one answer. Safe from any number of threads and processes. {@link TcpSocket} and
 * {@link TcpServerSocket} are the familiar blocking face over the same calls.
 */
public final class Tcp {
    private final SharedChannelOutput<TcpRequest> requests;

    public Tcp(SharedChannelOutput<TcpRequest> requests) {
        this.requests = requests;
    }

    public SharedChannelOutput<TcpRequest> requests() {
        return requests;
    }

    /** Starts listening on {@code port}. */
    public void listen(int port, int backlog) throws BindException {
        String refused = this.<String>ask(r -> new TcpRequest.Listen(port, backlog, r));
        if (refused != null) {
            throw new BindException(refused);
        }
    }

    public void unlisten(int port) {
        this.<String>ask(r -> new TcpRequest.Unlisten(port, r));
    }

    /**
     * The next connection on a listening port, waiting at most {@code timeout} (null: forever).
     *
     * @throws SocketTimeoutException when the timeout passed
     * @throws ConnectException       when the port is not (or no longer) listening
     */
    public TcpConnectionHandle accept(int port, Duration timeout) throws SocketTimeoutException, ConnectException {
        return connection(this.<ConnectResult>ask(r -> new TcpRequest.Accept(port, timeout, r)));
    }

    /**
     * Connects to {@code destination:port}, waiting at most {@code timeout} (null: the SYN retries' own limit).
     *
     * @throws SocketTimeoutException when the handshake did not complete in time
     * @throws ConnectException       when refused (RST) or impossible
     */
    public TcpConnectionHandle connect(Ipv4Address destination, int port, Duration timeout, boolean nagle)
            throws ConnectException, SocketTimeoutException {
        return connection(this.<ConnectResult>ask(r -> new TcpRequest.Connect(destination, port, timeout, nagle,
                r)));
    }

    /** The connection of a Connected result; a Failed one as the exception its reason calls for. */
    private static TcpConnectionHandle connection(ConnectResult result)
            throws SocketTimeoutException, ConnectException {
        if (result instanceof ConnectResult.Connected c) {
            return c.connection();
        }
        String reason = ((ConnectResult.Failed) result).reason();
        if (reason.contains("timed out")) {
            throw new SocketTimeoutException(reason);
        }
        throw new ConnectException(reason);
    }

    private <T> T ask(java.util.function.Function<org.jcsp.lang.ChannelOutput<T>, TcpRequest> request) {
        One2OneChannel<T> reply = Channel.one2one(new Buffer<>(1), 0);
        try {
            requests.write(request.apply(reply.out()));
            return reply.in().read();
        } catch (PoisonException e) {
            throw new IllegalStateException("the stack has shut down", e);
        }
    }
}
