package org.cspstack.protocols.ipv4;

import org.cspstack.core.wire.Ipv4Address;
import org.cspstack.core.wire.Ipv4Packet;

/** What makes fragments belong to one datagram (RFC 791): source, destination, protocol, identification. */
public record FragmentKey(int source, int destination, int protocol, int identification) {

    static FragmentKey of(Ipv4Packet p) {
        return new FragmentKey(p.sourceAsInt(), p.destinationAsInt(), p.protocol(), p.identification());
    }

    @Override
    public String toString() {
        return Ipv4Address.of(source) + ">" + Ipv4Address.of(destination) + " proto " + protocol + " id "
                + identification;
    }
}
