package org.cspstack.protocols.arp;

import java.util.Objects;

import org.cspstack.core.buffer.MessageSlot;
import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.wire.Ipv4Address;

/**
 * An IPv4 datagram on its way down, with the next hop that IP routing chose for it: the destination itself
 * when it is on the link, the gateway otherwise, or a broadcast address. The ARP layer resolves
 * {@code nextHop} to a MAC address (or uses the broadcast MAC) and hands the datagram to Ethernet.
 * Ownership of {@code datagram} passes with the write.
 *
 * <p>{@link #on} gives the datagram buffer's own object (a {@link MessageSlot}), filled again each time the
 * buffer is routed: valid until the datagram is released (ARP may keep it while it resolves the next hop; it
 * keeps the buffer with it).
 */
public final class RoutedPacket {
    private static final MessageSlot<RoutedPacket> SLOT = MessageSlot.define("RoutedPacket", RoutedPacket::new);

    private Ipv4Address nextHop;
    private PacketBuffer datagram;

    private RoutedPacket() {
    }

    /** An object of its own, not the buffer's (tests). */
    public RoutedPacket(Ipv4Address nextHop, PacketBuffer datagram) {
        fill(nextHop, datagram);
    }

    /** {@code datagram}'s own routed-packet object, for {@code nextHop}. */
    public static RoutedPacket on(PacketBuffer datagram, Ipv4Address nextHop) {
        return datagram.message(SLOT).fill(nextHop, datagram);
    }

    private RoutedPacket fill(Ipv4Address nextHop, PacketBuffer datagram) {
        this.nextHop = nextHop;
        this.datagram = datagram;
        return this;
    }

    public Ipv4Address nextHop() {
        return nextHop;
    }

    public PacketBuffer datagram() {
        return datagram;
    }

    /** Equal when every field is (the payload by identity, as a record compares it): for tests. */
    @Override
    public boolean equals(Object other) {
        return other instanceof RoutedPacket o && Objects.equals(nextHop, o.nextHop)
                && Objects.equals(datagram, o.datagram);
    }

    @Override
    public int hashCode() {
        return Objects.hash(nextHop, datagram);
    }

    @Override
    public String toString() {
        return "RoutedPacket[via " + nextHop + ", " + datagram + "]";
    }
}
