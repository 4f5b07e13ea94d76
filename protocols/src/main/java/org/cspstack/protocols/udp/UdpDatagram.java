package org.cspstack.protocols.udp;

import java.util.Objects;

import org.cspstack.core.buffer.MessageSlot;
import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.wire.Ipv4Address;

/**
 * A datagram received on a bound port: where it came from, where it was sent, and its payload (starting at the
 * buffer's start). Ownership of {@code payload} passes to the reader, which may
 * {@link PacketBuffer#release() release} it when done (once, and not if it sends the buffer on, as echo does):
 * a frame received from a NIC then goes back to the stack's pool instead of to the garbage collector.
 *
 * <p>The layer delivers the payload buffer's own datagram object (a {@link MessageSlot}), so this object, like
 * the bytes, is valid until the payload is released: a reader that keeps the addresses and ports after
 * releasing copies them out first.
 */
public final class UdpDatagram {
    private static final MessageSlot<UdpDatagram> SLOT = MessageSlot.define("UdpDatagram", UdpDatagram::new);

    private Ipv4Address source;
    private int sourcePort;
    private Ipv4Address destination;
    private int destinationPort;
    private PacketBuffer payload;

    private UdpDatagram() {
    }

    /** A datagram object of its own, not the buffer's (tests). */
    public UdpDatagram(Ipv4Address source, int sourcePort, Ipv4Address destination, int destinationPort,
                       PacketBuffer payload) {
        fill(source, sourcePort, destination, destinationPort, payload);
    }

    /** {@code payload}'s own datagram object, filled with these fields. */
    public static UdpDatagram on(PacketBuffer payload, Ipv4Address source, int sourcePort, Ipv4Address destination,
                                 int destinationPort) {
        return payload.message(SLOT).fill(source, sourcePort, destination, destinationPort, payload);
    }

    private UdpDatagram fill(Ipv4Address source, int sourcePort, Ipv4Address destination, int destinationPort,
                             PacketBuffer payload) {
        this.source = source;
        this.sourcePort = sourcePort;
        this.destination = destination;
        this.destinationPort = destinationPort;
        this.payload = payload;
        return this;
    }

    public Ipv4Address source() {
        return source;
    }

    public int sourcePort() {
        return sourcePort;
    }

    public Ipv4Address destination() {
        return destination;
    }

    public int destinationPort() {
        return destinationPort;
    }

    public PacketBuffer payload() {
        return payload;
    }

    /** The payload as a new array. */
    public byte[] data() {
        return payload.toByteArray();
    }

    /** Equal when every field is (the payload by identity, as a record compares it): for tests. */
    @Override
    public boolean equals(Object other) {
        return other instanceof UdpDatagram o && Objects.equals(source, o.source) && sourcePort == o.sourcePort
                && Objects.equals(destination, o.destination) && destinationPort == o.destinationPort
                && Objects.equals(payload, o.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(source, sourcePort, destination, destinationPort, payload);
    }

    @Override
    public String toString() {
        return "UdpDatagram[" + source + ":" + sourcePort + " > " + destination + ":" + destinationPort + ", "
                + payload + "]";
    }
}
