package org.cspstack.protocols.ipv4;

import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.wire.Ipv4Address;

/**
 * A request to the IPv4 layer, going down from a transport: send {@code payload} (the transport's header and
 * data, starting at the buffer's start, with at least 20 bytes of headroom for the IP header) to
 * {@code destination}. The layer chooses the source address and the next hop, and fragments when the
 * datagram does not fit the MTU (unless {@code dontFragment}). Ownership of {@code payload} passes with the
 * write.
 */
public record IpSend(Ipv4Address destination, int protocol, int ttl, boolean dontFragment, PacketBuffer payload) {
    /** The default TTL for datagrams we originate (RFC 1700's recommended 64, as Linux uses). */
    public static final int DEFAULT_TTL = 64;

    public static IpSend of(Ipv4Address destination, int protocol, PacketBuffer payload) {
        return new IpSend(destination, protocol, DEFAULT_TTL, false, payload);
    }
}
