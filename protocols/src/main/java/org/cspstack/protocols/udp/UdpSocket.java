package org.cspstack.protocols.udp;

import java.net.BindException;
import java.time.Duration;

import org.cspstack.core.csp.BatchReader;
import org.cspstack.core.wire.Ipv4Address;
import org.jcsp.lang.PoisonException;

/**
 * The blocking face of a UDP socket, for ordinary Java code: bind, send, receive with a timeout, close. It is a
 * thin shell over a {@link UdpEndpoint}; the mechanism is the same channels. Use from one thread at a time.
 *
 * <pre>
 * try (UdpSocket s = UdpSocket.bind(stack.udp(), 0)) {
 *     s.send(Ipv4Address.parse("198.18.0.1"), 7, "hello".getBytes());
 *     UdpDatagram reply = s.receive(Duration.ofSeconds(1));   // null on timeout
 * }
 * </pre>
 */
public final class UdpSocket implements AutoCloseable {
    private final UdpEndpoint endpoint;
    /** The receive channel, a datagram at a time. */
    private final BatchReader<UdpDatagram> received;

    private UdpSocket(UdpEndpoint endpoint) {
        this.endpoint = endpoint;
        this.received = new BatchReader<>(endpoint.received());
    }

    /** Binds {@code port} (0: an ephemeral port). */
    public static UdpSocket bind(Udp udp, int port) throws BindException {
        return new UdpSocket(udp.bind(port));
    }

    public int localPort() {
        return endpoint.port();
    }

    /** The CSP face underneath. */
    public UdpEndpoint endpoint() {
        return endpoint;
    }

    public void send(Ipv4Address destination, int port, byte[] data) {
        endpoint.send(destination, port, data);
    }

    public void send(Ipv4Address destination, int port, byte[] data, int off, int len) {
        endpoint.send(destination, port, data, off, len);
    }

    /**
     * The next datagram, waiting at most {@code timeout}; null when none came.
     *
     * @throws IllegalStateException when the socket was closed or the stack shut down
     */
    public UdpDatagram receive(Duration timeout) {
        try {
            return received.poll(timeout.toMillis());
        } catch (PoisonException e) {
            throw new IllegalStateException("UDP socket on port " + endpoint.port() + " is closed", e);
        }
    }

    @Override
    public void close() {
        endpoint.close();
    }
}
