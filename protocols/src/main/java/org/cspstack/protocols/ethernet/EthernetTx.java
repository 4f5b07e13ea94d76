package org.cspstack.protocols.ethernet;

import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.wire.MacAddress;

/**
 * A request to the Ethernet layer, going down: send {@code payload} (the ARP packet or IP datagram, starting
 * at the buffer's start) to {@code destination} with {@code etherType}. The layer prepends the 14-byte header
 * into the buffer's headroom. Ownership of {@code payload} passes with the write.
 */
public record EthernetTx(MacAddress destination, int etherType, PacketBuffer payload) {
}
