package org.cspstack.protocols.ethernet;

import org.cspstack.core.csp.Counter;
import org.cspstack.core.csp.Counters;

/** What the Ethernet layer counts; written only by its process. */
public final class EthernetCounters extends Counters {
    public final Counter framesReceived = counter("framesReceived");
    public final Counter arpDelivered = counter("arpDelivered");
    public final Counter ipv4Delivered = counter("ipv4Delivered");
    /** Shorter than an Ethernet header. */
    public final Counter truncatedDropped = counter("truncatedDropped");
    /** Unicast to another MAC (the capture is promiscuous), or multicast we have not joined. */
    public final Counter notForUsDropped = counter("notForUsDropped");
    /** Frames from our own MAC coming back (a looped link). */
    public final Counter ownFrameDropped = counter("ownFrameDropped");
    /** An EtherType we do not speak (IPv6, VLAN tags, LLDP, 802.3 lengths, ...). */
    public final Counter unknownEtherTypeDropped = counter("unknownEtherTypeDropped");

    public EthernetCounters(String owner) {
        super(owner);
    }
}
