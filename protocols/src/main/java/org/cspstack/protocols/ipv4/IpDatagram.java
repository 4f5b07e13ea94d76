package org.cspstack.protocols.ipv4;

import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.wire.Ipv4Address;

/**
 * A datagram delivered up by the IPv4 layer to a transport (ICMP, UDP, TCP): the header fields the transport
 * needs and the payload, starting at the buffer's start. The IP header still lies in the buffer's headroom at
 * {@code headerOffset} (an index into {@code payload.array()}) with length {@code headerLength}, so that ICMP
 * errors can quote it. Ownership of {@code payload} passes with the write.
 */
public record IpDatagram(Ipv4Address source, Ipv4Address destination, int protocol, int ttl, int headerOffset,
                         int headerLength, PacketBuffer payload) {
}
