/**
 * ICMPv4 (RFC 792, RFC 1122 3.2.2): the {@link org.cspstack.protocols.icmp.IcmpLayer} process answers echo
 * requests and serves pings to applications through the client-server protocol of
 * {@link org.cspstack.protocols.icmp.PingRequest} and {@link org.cspstack.protocols.icmp.PingResult}
 * (exactly one result per request, on the client's own reply channel);
 * {@link org.cspstack.protocols.icmp.Pinger} wraps that protocol in a blocking call for plain Java code. The
 * bookkeeping of outstanding pings is the plain class {@code IcmpPingTable}, tested with fake time.
 */
package org.cspstack.protocols.icmp;
