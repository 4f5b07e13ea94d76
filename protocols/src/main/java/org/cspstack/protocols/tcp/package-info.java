/**
 * TCP (RFC 9293) as a functional core: {@link org.cspstack.protocols.tcp.TcpConnection} is one connection's
 * protocol machine, a plain class with explicit time that a process shell drives. It takes arriving segments
 * ({@code segment}), application calls ({@code send}, {@code receive}, {@code shutdownOutput}, {@code close},
 * {@code abort}) and timer calls ({@code timer} at {@code nextDeadline()}), and emits its segments
 * synchronously through a {@link org.cspstack.protocols.tcp.SegmentSink}. It imports no JCSP, reads no clock and
 * starts no thread, so it is tested with fake time and a deterministic in-test wire.
 *
 * <p>Parts: {@link org.cspstack.protocols.tcp.TcpConfig} (the settings),
 * {@link org.cspstack.protocols.tcp.Seq} (sequence arithmetic modulo 2<sup>32</sup>),
 * {@link org.cspstack.protocols.tcp.RttEstimator} (RFC 6298),
 * {@link org.cspstack.protocols.tcp.IsnGenerator} (RFC 6528 initial sequence numbers),
 * {@link org.cspstack.protocols.tcp.TcpStats} (per-connection counters and gauges), and the package-private
 * send and receive rings. What TCP does and does not support is listed at the top of
 * {@link org.cspstack.protocols.tcp.TcpConnection}.
 */
package org.cspstack.protocols.tcp;
