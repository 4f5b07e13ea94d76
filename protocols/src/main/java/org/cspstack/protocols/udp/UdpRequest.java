package org.cspstack.protocols.udp;

import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.wire.Ipv4Address;
import org.jcsp.lang.ChannelOutput;

/**
 * What applications ask of the UDP layer, on its shared request channel (clients and server, STYLE.md rule 3).
 * {@link Bind} and {@link Close} are answered exactly once on the client's own reply channel, which must be
 * buffered (capacity 1) so that the layer never waits on a client. {@link Send} is fire-and-forget, as a
 * datagram is: what goes wrong after it (no route, ARP failure) is counted, not reported.
 */
public sealed interface UdpRequest {

    /**
     * Bind a port: {@code port} 0 asks for an ephemeral port (49152-65535, RFC 6335). {@code queue} is how
     * many received datagrams the socket's receive channel holds before the layer drops (counted).
     */
    record Bind(int port, int queue, ChannelOutput<BindResult> replyTo) implements UdpRequest {
        public Bind {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is outside 0..65535");
            }
            if (queue < 1) {
                throw new IllegalArgumentException("receive queue must hold at least 1 datagram, not " + queue);
            }
        }
    }

    /**
     * Send {@code payload} (starting at the buffer's start, with at least
     * {@link org.cspstack.protocols.udp.UdpLayer#HEADROOM} bytes of headroom) from our {@code sourcePort} to
     * {@code destination:destinationPort}. The source port must be bound by the sender. Ownership of the buffer
     * passes with the write.
     */
    record Send(int sourcePort, Ipv4Address destination, int destinationPort, PacketBuffer payload)
            implements UdpRequest {
    }

    /** Unbind a port; the socket's receive channel is poisoned. Answered with true (was bound) or false. */
    record Close(int port, ChannelOutput<Boolean> replyTo) implements UdpRequest {
    }
}
