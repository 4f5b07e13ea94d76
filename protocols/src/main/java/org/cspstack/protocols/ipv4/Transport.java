package org.cspstack.protocols.ipv4;

import org.cspstack.core.csp.Batch;
import org.jcsp.lang.AltingChannelInput;
import org.jcsp.lang.ChannelOutput;

/**
 * The two channel ends that join the IPv4 layer to one transport protocol: what it sends down, and where
 * datagrams of its protocol number go up, both as {@link Batch}es.
 */
public record Transport(int protocol, String name, AltingChannelInput<Batch<IpSend>> fromTransport,
                        ChannelOutput<Batch<IpDatagram>> toTransport) {
}
