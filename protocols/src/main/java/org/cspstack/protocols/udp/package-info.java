/**
 * UDP (RFC 768, RFC 1122 4.1): the {@link org.cspstack.protocols.udp.UdpLayer} process delivers datagrams to
 * bound ports and sends applications' datagrams. Applications are its clients (STYLE.md rule 3): they write
 * {@link org.cspstack.protocols.udp.UdpRequest}s (Bind, Send, Close) on the layer's shared request channel;
 * Bind and Close are answered exactly once on the client's own buffered reply channel, and a Bind's answer,
 * {@link org.cspstack.protocols.udp.BindResult.Bound}, hands over the socket's receive channel, on which
 * {@link org.cspstack.protocols.udp.UdpDatagram}s arrive. Which ports are bound, and the choice of ephemeral
 * ports, is the plain class {@link org.cspstack.protocols.udp.PortTable}.
 */
package org.cspstack.protocols.udp;
