package org.cspstack.protocols.udp;

import org.cspstack.core.csp.Batch;
import org.jcsp.lang.AltingChannelInput;

/** The UDP layer's answer to {@link UdpRequest.Bind}. */
public sealed interface BindResult {

    /**
     * The port is ours. {@code received} is the socket's receive channel: upward, buffered, the layer drops
     * (and counts) when it is full, and poisons it when the socket is closed or the stack shuts down.
     */
    record Bound(int port, AltingChannelInput<Batch<UdpDatagram>> received) implements BindResult {
    }

    /** The port could not be bound: in use, or no ephemeral port left. {@code reason} says which and what to do. */
    record Refused(int port, String reason) implements BindResult {
    }
}
