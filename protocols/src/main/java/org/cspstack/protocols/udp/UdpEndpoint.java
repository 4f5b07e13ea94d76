package org.cspstack.protocols.udp;

import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.csp.Batch;
import org.cspstack.core.wire.Ipv4Address;
import org.jcsp.lang.AltingChannelInput;
import org.jcsp.lang.Channel;
import org.jcsp.lang.One2OneChannel;
import org.jcsp.lang.PoisonException;
import org.jcsp.lang.SharedChannelOutput;
import org.jcsp.util.Buffer;

/**
 * A bound UDP port, CSP-native: {@link #received()} is the socket's receive channel of batches (read it, or put it in an
 * {@code Alternative} beside your other inputs); {@link #send} writes a send request to the layer. The receive
 * channel is poisoned when the port is closed or the stack shuts down, so a process reading it ends by poison
 * like every other. Use an endpoint from one process (or thread) at a time.
 */
public final class UdpEndpoint {
    private final int port;
    private final AltingChannelInput<Batch<UdpDatagram>> received;
    private final SharedChannelOutput<UdpRequest> requests;
    private boolean closed;

    UdpEndpoint(int port, AltingChannelInput<Batch<UdpDatagram>> received, SharedChannelOutput<UdpRequest> requests) {
        this.port = port;
        this.received = received;
        this.requests = requests;
    }

    public int port() {
        return port;
    }

    /**
     * Datagrams for this port, in arrival order, in {@link Batch}es (what arrived together comes in one read).
     * Poisoned when the port is closed.
     */
    public AltingChannelInput<Batch<UdpDatagram>> received() {
        return received;
    }

    /** Sends {@code payload}, which must have {@link UdpLayer#HEADROOM} bytes of headroom; ownership passes. */
    public void send(Ipv4Address destination, int destinationPort, PacketBuffer payload) {
        if (payload.headroom() < UdpLayer.HEADROOM) {
            throw new IllegalArgumentException("a UDP payload needs " + UdpLayer.HEADROOM
                    + " bytes of headroom, this one has " + payload.headroom());
        }
        requests.write(new UdpRequest.Send(port, destination, destinationPort, payload));
    }

    /** Sends a copy of {@code data[off, off + len)}. */
    public void send(Ipv4Address destination, int destinationPort, byte[] data, int off, int len) {
        send(destination, destinationPort, PacketBuffer.copyOf(data, off, len, PacketBuffer.DEFAULT_HEADROOM));
    }

    public void send(Ipv4Address destination, int destinationPort, byte[] data) {
        send(destination, destinationPort, data, 0, data.length);
    }

    /** Unbinds the port (idempotent); its receive channel is poisoned by the layer. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        One2OneChannel<Boolean> reply = Channel.one2one(new Buffer<>(1), 0);
        try {
            requests.write(new UdpRequest.Close(port, reply.out()));
            reply.in().read();
        } catch (PoisonException stackGone) {
            // The stack has shut down: the port is gone with it.
        }
    }
}
