package org.cspstack.protocols.udp;

import java.net.BindException;

import org.jcsp.lang.Channel;
import org.jcsp.lang.One2OneChannel;
import org.jcsp.lang.PoisonException;
import org.jcsp.lang.SharedChannelOutput;
import org.jcsp.util.Buffer;

/**
 * A stack's UDP service as its applications see it: binds ports. Each bind is one request to the UDP layer
 * and one reply on a reply channel of the caller's own (STYLE.md rule 3). Safe to use from any number of
 * threads and processes at once.
 *
 * <p>Two faces over one mechanism: {@link #bind} gives the CSP-native {@link UdpEndpoint} (a channel to read
 * datagrams from, in an {@code Alternative} if you like, and a channel for sends), and {@link UdpSocket} wraps
 * an endpoint in the familiar blocking calls.
 */
public final class Udp {
    /**
     * Datagrams a socket's receive channel holds by default before the layer drops (counted): as deep as the
     * stack's upward channels ({@link org.cspstack.protocols.stack.StackConfig#DEFAULT_UPWARD_CAPACITY}, which
     * says why); an application that wants less asks for it in {@link #bind(int, int)}.
     */
    public static final int DEFAULT_QUEUE = 4096;

    private final SharedChannelOutput<UdpRequest> requests;

    public Udp(SharedChannelOutput<UdpRequest> requests) {
        this.requests = requests;
    }

    /** Binds {@code port} (0: an ephemeral port). */
    public UdpEndpoint bind(int port) throws BindException {
        return bind(port, DEFAULT_QUEUE);
    }

    /**
     * Binds {@code port} (0: an ephemeral port) with a receive queue of {@code queue} datagrams.
     *
     * @throws BindException         when the port is in use or no ephemeral port is left (the message says which)
     * @throws IllegalStateException when the stack has shut down
     */
    public UdpEndpoint bind(int port, int queue) throws BindException {
        One2OneChannel<BindResult> reply = Channel.one2one(new Buffer<>(1), 0);
        BindResult result;
        try {
            requests.write(new UdpRequest.Bind(port, queue, reply.out()));
            result = reply.in().read();
        } catch (PoisonException e) {
            throw new IllegalStateException("the stack has shut down", e);
        }
        if (result instanceof BindResult.Bound b) {
            return new UdpEndpoint(b.port(), b.received(), requests);
        }
        BindResult.Refused r = (BindResult.Refused) result;
        throw new BindException(r.reason());
    }

    /** The request channel, for processes that talk to the layer directly. */
    public SharedChannelOutput<UdpRequest> requests() {
        return requests;
    }
}
