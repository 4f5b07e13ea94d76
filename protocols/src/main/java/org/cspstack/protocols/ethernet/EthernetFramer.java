package org.cspstack.protocols.ethernet;

import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.wire.EthernetFrame;
import org.cspstack.core.wire.MacAddress;

/**
 * Ethernet II framing of a packet going down: the 14-byte header (destination, our source MAC, EtherType)
 * written into the payload buffer's headroom. Used by the process that hands frames to the link, the ARP
 * layer, which is where the destination MAC becomes known (as Linux's neighbour layer writes the cached
 * hardware header): that way a datagram goes ip -&gt; arp -&gt; link-tx, one hand-off fewer than through a
 * framing process of its own. Frames carry no FCS and are not padded here (the link pads to 60 bytes).
 *
 * <p>Holds a reusable view, so one framer belongs to one process (not thread-safe).
 */
public final class EthernetFramer {
    private final EthernetFrame frame = new EthernetFrame();
    private final MacAddress source;

    public EthernetFramer(MacAddress source) {
        this.source = source;
    }

    /**
     * Prepends the header to {@code payload} (which starts at the ARP packet or IP datagram and has at least
     * {@value EthernetFrame#HEADER_LENGTH} bytes of headroom) and returns the buffer, now at the frame's start.
     */
    public PacketBuffer frame(PacketBuffer payload, MacAddress destination, int etherType) {
        PacketBuffer buf = payload.prepend(EthernetFrame.HEADER_LENGTH);
        frame.rewrap(buf.array(), buf.start(), buf.length());
        frame.setDestination(destination);
        frame.setSource(source);
        frame.setEtherType(etherType);
        return buf;
    }
}
