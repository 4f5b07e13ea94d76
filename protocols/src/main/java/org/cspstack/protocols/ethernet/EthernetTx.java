package org.cspstack.protocols.ethernet;

import java.util.Objects;

import org.cspstack.core.buffer.MessageSlot;
import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.wire.MacAddress;

/**
 * A request to the Ethernet layer, going down: send {@code payload} (the ARP packet or IP datagram, starting
 * at the buffer's start) to {@code destination} with {@code etherType}. The layer prepends the 14-byte header
 * into the buffer's headroom. Ownership of {@code payload} passes with the write.
 *
 * <p>{@link #on} gives the payload buffer's own request object (a {@link MessageSlot}), filled again each time
 * the buffer goes down: valid until the payload is released.
 */
public final class EthernetTx {
    private static final MessageSlot<EthernetTx> SLOT = MessageSlot.define("EthernetTx", EthernetTx::new);

    private MacAddress destination;
    private int etherType;
    private PacketBuffer payload;

    private EthernetTx() {
    }

    /** A request object of its own, not the buffer's (tests). */
    public EthernetTx(MacAddress destination, int etherType, PacketBuffer payload) {
        fill(destination, etherType, payload);
    }

    /** {@code payload}'s own request, to {@code destination} with {@code etherType}. */
    public static EthernetTx on(PacketBuffer payload, MacAddress destination, int etherType) {
        return payload.message(SLOT).fill(destination, etherType, payload);
    }

    private EthernetTx fill(MacAddress destination, int etherType, PacketBuffer payload) {
        this.destination = destination;
        this.etherType = etherType;
        this.payload = payload;
        return this;
    }

    public MacAddress destination() {
        return destination;
    }

    public int etherType() {
        return etherType;
    }

    public PacketBuffer payload() {
        return payload;
    }

    /** Equal when every field is (the payload by identity, as a record compares it): for tests. */
    @Override
    public boolean equals(Object other) {
        return other instanceof EthernetTx o && Objects.equals(destination, o.destination) && etherType == o.etherType
                && Objects.equals(payload, o.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(destination, etherType, payload);
    }

    @Override
    public String toString() {
        return "EthernetTx[to " + destination + " type 0x" + Integer.toHexString(etherType) + ", " + payload + "]";
    }
}
