/** IPv4 (RFC 791, RFC 1122): validation with drops counted by reason, routing, fragmentation on send, ICMP errors. */
package org.cspstack.protocols.ipv4;
