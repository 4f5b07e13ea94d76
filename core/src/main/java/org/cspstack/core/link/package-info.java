/**
 * Links: the media under the stack. {@link org.cspstack.core.link.Link} is the contract (a receive and a
 * transmit process); {@link org.cspstack.core.link.PcapLink} is a real NIC through libpcap (the only class
 * importing Pcap4J), {@link org.cspstack.core.link.MemoryLink} a simulated segment between two stacks in one
 * JVM, and {@link org.cspstack.core.link.PcapFileWriter} writes what crosses a link for tcpdump and Wireshark.
 */
package org.cspstack.core.link;
