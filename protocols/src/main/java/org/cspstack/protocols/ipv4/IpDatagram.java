package org.cspstack.protocols.ipv4;

import java.util.Objects;

import org.cspstack.core.buffer.MessageSlot;
import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.wire.Ipv4Address;

/**
 * A datagram delivered up by the IPv4 layer to a transport (ICMP, UDP, TCP): the header fields the transport
 * needs and the payload, starting at the buffer's start. The IP header still lies in the buffer's headroom at
 * {@code headerOffset} (an index into {@code payload.array()}) with length {@code headerLength}, so that ICMP
 * errors can quote it. Ownership of {@code payload} passes with the write.
 *
 * <p>The layer sends the payload buffer's own datagram object ({@link #on}, a {@link MessageSlot}), filled
 * again each time the buffer carries a datagram up: valid until the payload is released. A transport that
 * keeps the facts beyond that copies them.
 */
public final class IpDatagram {
    private static final MessageSlot<IpDatagram> SLOT = MessageSlot.define("IpDatagram", IpDatagram::new);

    private Ipv4Address source;
    private Ipv4Address destination;
    private int protocol;
    private int ttl;
    private int headerOffset;
    private int headerLength;
    private PacketBuffer payload;

    private IpDatagram() {
    }

    /** A datagram object of its own, not the buffer's (tests, and paths that are not per packet). */
    public IpDatagram(Ipv4Address source, Ipv4Address destination, int protocol, int ttl, int headerOffset,
                      int headerLength, PacketBuffer payload) {
        fill(source, destination, protocol, ttl, headerOffset, headerLength, payload);
    }

    /** {@code payload}'s own datagram object, filled with these fields. */
    public static IpDatagram on(PacketBuffer payload, Ipv4Address source, Ipv4Address destination, int protocol,
                                int ttl, int headerOffset, int headerLength) {
        return payload.message(SLOT).fill(source, destination, protocol, ttl, headerOffset, headerLength, payload);
    }

    private IpDatagram fill(Ipv4Address source, Ipv4Address destination, int protocol, int ttl, int headerOffset,
                            int headerLength, PacketBuffer payload) {
        this.source = source;
        this.destination = destination;
        this.protocol = protocol;
        this.ttl = ttl;
        this.headerOffset = headerOffset;
        this.headerLength = headerLength;
        this.payload = payload;
        return this;
    }

    public Ipv4Address source() {
        return source;
    }

    public Ipv4Address destination() {
        return destination;
    }

    public int protocol() {
        return protocol;
    }

    public int ttl() {
        return ttl;
    }

    public int headerOffset() {
        return headerOffset;
    }

    public int headerLength() {
        return headerLength;
    }

    public PacketBuffer payload() {
        return payload;
    }

    /** Equal when every field is (the payload by identity, as a record compares it): for tests. */
    @Override
    public boolean equals(Object other) {
        return other instanceof IpDatagram o && Objects.equals(source, o.source)
                && Objects.equals(destination, o.destination) && protocol == o.protocol && ttl == o.ttl
                && headerOffset == o.headerOffset && headerLength == o.headerLength
                && Objects.equals(payload, o.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(source, destination, protocol, ttl, headerOffset, headerLength, payload);
    }

    @Override
    public String toString() {
        return "IpDatagram[" + source + " > " + destination + " proto " + protocol + " ttl " + ttl + ", " + payload
                + "]";
    }
}
