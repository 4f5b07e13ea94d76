package org.cspstack.protocols.ipv4;

import org.jcsp.lang.AltingChannelInput;
import org.jcsp.lang.ChannelOutput;

/**
 * The two channel ends that join the IPv4 layer to one transport protocol: what it sends down, and where
 * datagrams of its protocol number go up.
 */
public record Transport(int protocol, String name, AltingChannelInput<IpSend> fromTransport,
                        ChannelOutput<IpDatagram> toTransport) {
}
