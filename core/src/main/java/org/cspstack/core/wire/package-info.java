/**
 * Wire formats: every header this stack reads or writes, at two levels (smoltcp's design, with Aeron-style
 * flyweights).
 *
 * <ul>
 * <li><b>Views</b> ({@link org.cspstack.core.wire.EthernetFrame}, {@link org.cspstack.core.wire.ArpPacket},
 * {@link org.cspstack.core.wire.Ipv4Packet}, {@link org.cspstack.core.wire.IcmpPacket}) are re-wrappable
 * windows over {@code byte[] + offset + length}, with the RFC header diagram in their javadoc, field offsets as
 * constants and one-line accessors and setters. {@code wrap} checks nothing (for emitting into a buffer sized
 * by the caller); {@code wrapChecked} validates lengths, versions and checksums and throws
 * {@link org.cspstack.core.wire.MalformedPacketException} with a countable
 * {@link org.cspstack.core.wire.MalformedPacketException.Reason}; after it succeeds, no accessor can fail. All
 * offsets a view returns ({@code payloadOffset()}, {@code dataOffset()}) are indexes into its array, so a
 * payload goes straight into the next view. A process keeps one view per format and {@code rewrap}s it for
 * every packet: the hot path allocates nothing (the {@code ...AsInt}/{@code ...AsLong} address accessors avoid
 * even the address objects). Views are not thread-safe and never travel on a channel.</li>
 * <li><b>Reprs</b> ({@link org.cspstack.core.wire.EthernetRepr}, {@link org.cspstack.core.wire.ArpRepr},
 * {@link org.cspstack.core.wire.Ipv4Repr}, {@link org.cspstack.core.wire.IcmpRepr}) are validated, immutable
 * values: {@code parse(view)}, {@code emit(view)}, and the length they occupy. Their constructors reject
 * values that do not fit the wire. TCP's header has a third form for the receive path:
 * {@link org.cspstack.core.wire.TcpHeader} is what a connection reads, which {@code TcpRepr} and
 * {@link org.cspstack.core.wire.MutableTcpHeader} (refilled in place for every segment by the same parse, so
 * that receiving allocates no header) both are; and {@code TcpRepr.emit} writes an option-less header straight
 * from its fields.</li>
 * <li><b>Helpers</b>: {@link org.cspstack.core.wire.Bytes} (all big-endian access),
 * {@link org.cspstack.core.wire.Checksum} (RFC 1071), the address types
 * {@link org.cspstack.core.wire.MacAddress}, {@link org.cspstack.core.wire.Ipv4Address},
 * {@link org.cspstack.core.wire.Ipv4Cidr}, and the number registries
 * {@link org.cspstack.core.wire.EtherType}, {@link org.cspstack.core.wire.IpProtocol},
 * {@link org.cspstack.core.wire.IcmpType}.</li>
 * </ul>
 *
 * <p>Emitting: size the buffer from the reprs' lengths, then {@code repr.emit(View.wrap(buf, off, len))} for
 * each layer. Each {@code emit} writes its own header (ICMP also its data) and fills its own checksum; a
 * checksum that covers a payload (ICMP's, later UDP's and TCP's) needs that payload in place first, so emit
 * innermost first. Receiving: one view per layer,
 * {@code view.rewrapChecked(buf, outer.payloadOffset(), outer.payloadLength())}, then {@code Repr.parse(view)};
 * every failure is a {@code MalformedPacketException} whose reason can name a drop counter.
 *
 * <p><b>Not supported:</b> IEEE 802.3/LLC framing and VLAN tags (only the EtherType constant), ARP for
 * anything but Ethernet/IPv4, IPv4 options in {@code Ipv4Repr} (the view exposes their bytes), ICMP types
 * other than echo, destination unreachable and time exceeded in {@code IcmpRepr}.
 */
package org.cspstack.core.wire;
