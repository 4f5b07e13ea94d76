/**
 * The protocols of cspstack, one package per protocol: pure logic classes (explicit time, no JCSP) and one
 * {@code ...Layer} process each, composed by {@link org.cspstack.protocols.stack.HostStack}.
 *
 * <pre>
 *   apps --(requests, rendezvous)--&gt; icmp
 *   icmp &lt;-(up: drops when full)-- ip --(down: blocks)--&gt; arp --(down)--&gt; eth --(down)--&gt; link-tx
 *   link-rx --(up)--&gt; eth --(up)--&gt; ip, arp
 * </pre>
 * See {@link org.cspstack.core.csp} for the channel rules that make this wiring deadlock-free.
 */
package org.cspstack.protocols;
