package org.cspstack.protocols.ipv4;

import java.util.Objects;

import org.cspstack.core.buffer.MessageSlot;
import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.wire.Ipv4Address;

/**
 * A request to the IPv4 layer, going down from a transport: send {@code payload} (the transport's header and
 * data, starting at the buffer's start, with at least 20 bytes of headroom for the IP header) to
 * {@code destination}. The layer chooses the source address and the next hop, and fragments when the
 * datagram does not fit the MTU (unless {@code dontFragment}). Ownership of {@code payload} passes with the
 * write.
 *
 * <p>{@link #of} and {@link #on} give the payload buffer's own request object (a {@link MessageSlot}), filled
 * again each time the buffer goes down: valid until the payload is released.
 */
public final class IpSend {
    /** The default TTL for datagrams we originate (RFC 1700's recommended 64, as Linux uses). */
    public static final int DEFAULT_TTL = 64;

    private static final MessageSlot<IpSend> SLOT = MessageSlot.define("IpSend", IpSend::new);

    private Ipv4Address destination;
    private int protocol;
    private int ttl;
    private boolean dontFragment;
    private PacketBuffer payload;

    private IpSend() {
    }

    /** A request object of its own, not the buffer's (tests). */
    public IpSend(Ipv4Address destination, int protocol, int ttl, boolean dontFragment, PacketBuffer payload) {
        fill(destination, protocol, ttl, dontFragment, payload);
    }

    /** {@code payload}'s own request: to {@code destination} with the default TTL, fragments allowed. */
    public static IpSend of(Ipv4Address destination, int protocol, PacketBuffer payload) {
        return on(payload, destination, protocol, DEFAULT_TTL, false);
    }

    /** {@code payload}'s own request, filled with these fields. */
    public static IpSend on(PacketBuffer payload, Ipv4Address destination, int protocol, int ttl,
                            boolean dontFragment) {
        return payload.message(SLOT).fill(destination, protocol, ttl, dontFragment, payload);
    }

    private IpSend fill(Ipv4Address destination, int protocol, int ttl, boolean dontFragment, PacketBuffer payload) {
        this.destination = destination;
        this.protocol = protocol;
        this.ttl = ttl;
        this.dontFragment = dontFragment;
        this.payload = payload;
        return this;
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

    public boolean dontFragment() {
        return dontFragment;
    }

    public PacketBuffer payload() {
        return payload;
    }

    /** Equal when every field is (the payload by identity, as a record compares it): for tests. */
    @Override
    public boolean equals(Object other) {
        return other instanceof IpSend o && Objects.equals(destination, o.destination) && protocol == o.protocol
                && ttl == o.ttl && dontFragment == o.dontFragment && Objects.equals(payload, o.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(destination, protocol, ttl, dontFragment, payload);
    }

    @Override
    public String toString() {
        return "IpSend[to " + destination + " proto " + protocol + " ttl " + ttl + (dontFragment ? " DF" : "") + ", "
                + payload + "]";
    }
}
