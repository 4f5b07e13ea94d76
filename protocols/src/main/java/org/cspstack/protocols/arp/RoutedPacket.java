package org.cspstack.protocols.arp;

import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.wire.Ipv4Address;

/**
 * An IPv4 datagram on its way down, with the next hop that IP routing chose for it: the destination itself
 * when it is on the link, the gateway otherwise, or a broadcast address. The ARP layer resolves
 * {@code nextHop} to a MAC address (or uses the broadcast MAC) and hands the datagram to Ethernet.
 * Ownership of {@code datagram} passes with the write.
 */
public record RoutedPacket(Ipv4Address nextHop, PacketBuffer datagram) {
}
