/** The Ethernet II layer: filtering by destination MAC, demultiplexing by EtherType, framing. */
package org.cspstack.protocols.ethernet;
