package org.cspstack.protocols.udp;

import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.wire.Ipv4Address;

/**
 * A datagram received on a bound port: where it came from, where it was sent, and its payload (starting at the
 * buffer's start). Ownership of {@code payload} passes to the reader, which may
 * {@link PacketBuffer#release() release} it when done (once, and not if it sends the buffer on, as echo does):
 * a frame received from a NIC then goes back to the stack's pool instead of to the garbage collector.
 */
public record UdpDatagram(Ipv4Address source, int sourcePort, Ipv4Address destination, int destinationPort,
                          PacketBuffer payload) {

    /** The payload as a new array. */
    public byte[] data() {
        return payload.toByteArray();
    }
}
