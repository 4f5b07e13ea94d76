package org.cspstack.protocols.udp;

import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.wire.Ipv4Address;

/**
 * A datagram received on a bound port: where it came from, where it was sent, and its payload (starting at the
 * buffer's start). Ownership of {@code payload} passes to the reader.
 */
public record UdpDatagram(Ipv4Address source, int sourcePort, Ipv4Address destination, int destinationPort,
                          PacketBuffer payload) {

    /** The payload as a new array. */
    public byte[] data() {
        return payload.toByteArray();
    }
}
