package org.cspstack.protocols.tcp;

import java.util.Objects;

import org.cspstack.core.wire.Ipv4Address;

/** One end of a TCP connection: an IPv4 address and a port (0..65535). */
public record Endpoint(Ipv4Address address, int port) {
    public Endpoint {
        Objects.requireNonNull(address, "address");
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("port " + port + " is outside 0..65535");
        }
    }

    @Override
    public String toString() {
        return address + ":" + port;
    }
}
