/** ARP (RFC 826): the cache with explicit time and the layer that answers for our address and resolves next hops. */
package org.cspstack.protocols.arp;
