/**
 * Watching a running process network from outside: {@link org.cspstack.harness.trace.Messages} summarises what
 * travels on each channel, {@link org.cspstack.harness.trace.TraceWriter} writes every communication as a JSON
 * line ({@code --trace}), {@link org.cspstack.harness.trace.ChannelPcapTaps} writes the packets crossing chosen
 * channels to pcap files ({@code --pcap-tap}), and {@link org.cspstack.harness.trace.StepNarrator} narrates
 * the demo one communication at a time ({@code demo --step}). All are
 * {@link org.cspstack.core.csp.ChannelObserver}s: they run on the writer's thread before the hand-over, read
 * the message without changing it, and copy what they keep.
 */
package org.cspstack.harness.trace;
