/**
 * The CSP runtime of cspstack: how processes are wired, run and stopped.
 *
 * <p>A {@link org.cspstack.core.csp.ProcessNetwork} records every process and channel it builds, so the
 * network can describe itself (graphs, statistics, models) from its real wiring. A
 * {@link org.cspstack.core.csp.ProcessRunner} runs it on platform or virtual threads and turns any uncaught
 * exception into a logged error, poison for the whole network and a non-zero exit code.
 *
 * <p><b>The channel rules</b> (STYLE.md §4), which make the stack deadlock-free by construction:
 * <ol>
 *   <li>packets going up never block their writer: {@link org.cspstack.core.csp.ChannelKind#UPWARD_DROPPING}
 *       channels drop and count when full, as a NIC ring does;</li>
 *   <li>packets going down may block (back-pressure towards the application), and nothing going down ever
 *       waits for something going up;</li>
 *   <li>applications are clients, the stack is the server: a request carries the client's own reply channel,
 *       and the server answers each request exactly once;</li>
 *   <li>only a link's receive process blocks in native code, and the runner wakes it on shutdown;</li>
 *   <li>termination is by poison: every process poisons all its ends and returns.</li>
 * </ol>
 * Since every edge on which a writer can wait points down, and the bottom (the link's transmitter) always
 * makes progress, no cycle of waiting processes can form. {@link org.cspstack.core.csp.PromelaModel} turns the
 * record of the wiring into a Promela model and {@link org.cspstack.core.csp.SpinCheck} has spin confirm that
 * no deadlock is reachable in it ({@code cspstack model --check}); {@link org.cspstack.core.csp.NetworkGraph}
 * draws it.
 *
 * <p><b>Batches.</b> The stack's packet channels carry {@link org.cspstack.core.csp.Batch}es: a process reads a
 * batch, handles each message, collects what it produces in an {@link org.cspstack.core.csp.Outbox} per output
 * (a {@link org.cspstack.core.csp.FanOut} for one channel per socket or connection) and writes one batch per
 * output at the end of its turn, upward outputs first. The rules above are unchanged (a batch is one message
 * to them); capacities, counters and observers count the messages inside.
 *
 * <p>A {@link org.cspstack.core.csp.ChannelObserver} given to a network before it is built sees every message
 * of every channel (traces, pcap taps on channels, the demo's step-by-step narration); unobserved networks keep
 * their plain channel ends.
 */
package org.cspstack.core.csp;
