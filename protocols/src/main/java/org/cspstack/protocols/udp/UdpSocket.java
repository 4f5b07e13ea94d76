package org.cspstack.protocols.udp;

import java.net.BindException;
import java.time.Duration;

import org.cspstack.core.csp.Batch;
import org.cspstack.core.wire.Ipv4Address;
import org.jcsp.lang.Alternative;
import org.jcsp.lang.CSTimer;
import org.jcsp.lang.Guard;
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
    private final CSTimer timer = new CSTimer();
    private final Alternative alt;
    /** The batch read last and how much of it was handed out. */
    private Batch<UdpDatagram> batch;
    private int next;

    private UdpSocket(UdpEndpoint endpoint) {
        this.endpoint = endpoint;
        this.alt = new Alternative(new Guard[] {endpoint.received(), timer});
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
            // Fast paths: the rest of the last batch, or a batch queued already, so neither the timer nor the select is needed (both cost
            // more than the read itself: the ALT enables and disables two guards, the timer reads the clock).
            if (batch != null && next < batch.size()) {
                return take();
            }
            if (endpoint.received().pending()) {
                return first(endpoint.received().read());
            }
            timer.setAlarm(timer.read() + Math.max(0, timeout.toMillis()));
            return alt.priSelect() == 0 ? first(endpoint.received().read()) : null;
        } catch (PoisonException e) {
            throw new IllegalStateException("UDP socket on port " + endpoint.port() + " is closed", e);
        }
    }

    private UdpDatagram first(Batch<UdpDatagram> b) {
        batch = b;
        next = 0;
        return take();
    }

    private UdpDatagram take() {
        UdpDatagram d = batch.get(next++);
        if (next == batch.size()) {
            batch.recycle(); // every datagram handed out: the layer reuses it
            batch = null;
        }
        return d;
    }

    @Override
    public void close() {
        endpoint.close();
    }
}
