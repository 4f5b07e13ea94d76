package org.cspstack.protocols.tcp;

import org.cspstack.core.csp.Counter;
import org.cspstack.core.csp.Counters;

/**
 * What one {@link TcpConnection} counts, and its current congestion and timer state as gauges. Written only
 * by the connection (hence only by the process that drives it), readable at any time from any thread: each
 * value is a volatile {@link Counter}, also readable by a getter of the same name ({@code segmentsSent()} is
 * {@code segmentsSent.get()}). Counters never decrease; the gauges ({@link #srttNanos()} and the others) are
 * the current values. {@link #all()}, {@link #snapshot()} and {@link #summary()} list everything.
 */
public final class TcpStats extends Counters {
    /** Segments handed to the sink: data, pure ACKs, SYNs, FINs, RSTs, probes. */
    public final Counter segmentsSent = counter("segmentsSent");
    /** Segments handed to {@link TcpConnection#segment}, good or bad. */
    public final Counter segmentsReceived = counter("segmentsReceived");
    /** New data bytes sent for the first time (not retransmissions, not zero-window probes). */
    public final Counter bytesSent = counter("bytesSent");
    /** Data bytes sent again (timeout, fast retransmit, go-back-N after a timeout). */
    public final Counter bytesRetransmitted = counter("bytesRetransmitted");
    /** Segments sent again (SYN, SYN-ACK, data and FIN). */
    public final Counter retransmissions = counter("retransmissions");
    /** Retransmission-timer expiries (each backs the RTO off). */
    public final Counter rtoTimeouts = counter("rtoTimeouts");
    /** Fast retransmits on the third duplicate ACK (RFC 5681 §3.2); partial-ACK repairs are not counted. */
    public final Counter fastRetransmits = counter("fastRetransmits");
    /** Duplicate ACKs in the sense of RFC 5681 §2. */
    public final Counter dupAcksReceived = counter("dupAcksReceived");
    /** Out-of-order segments kept for later. */
    public final Counter outOfOrderQueued = counter("outOfOrderQueued");
    /** Out-of-order segments dropped because the queue's range limit was reached. */
    public final Counter outOfOrderDropped = counter("outOfOrderDropped");
    /** RFC 5961 challenge ACKs sent. */
    public final Counter challengeAcksSent = counter("challengeAcksSent");
    /** Challenge ACKs not sent because of the per-second limit. */
    public final Counter challengeAcksSuppressed = counter("challengeAcksSuppressed");
    /** Zero-window probes sent (persist timer). */
    public final Counter zeroWindowProbes = counter("zeroWindowProbes");
    /** Pure ACKs sent because the application's reading opened the receive window. */
    public final Counter windowUpdates = counter("windowUpdates");
    /**
     * Segments dropped as not acceptable: outside the receive window (RFC 9293 §3.10.7.4 first check), an
     * acknowledgment outside [SND.UNA − MAX.SND.WND, SND.NXT] (RFC 5961 §5), a RST or SYN that does not
     * match (RFC 5961 §3, §4), no ACK bit, or an unacceptable ACK in SYN-SENT or SYN-RECEIVED.
     */
    public final Counter badSegmentsDropped = counter("badSegmentsDropped");
    /** In-order data bytes accepted into the receive buffer. */
    public final Counter bytesReceived = counter("bytesReceived");
    /** Data bytes received again (already acknowledged; retransmissions by the peer). */
    public final Counter duplicateBytesReceived = counter("duplicateBytesReceived");
    /** Keepalive probes sent. */
    public final Counter keepAliveProbes = counter("keepAliveProbes");

    private final Counter srtt = counter("srttNanos");
    private final Counter rttvar = counter("rttvarNanos");
    private final Counter rto = counter("rtoNanos");
    private final Counter cwnd = counter("cwnd");
    private final Counter ssthresh = counter("ssthresh");
    private final Counter sndWnd = counter("sndWnd");

    public TcpStats(String owner) {
        super(owner);
    }

    /** The smoothed RTT in nanoseconds, 0 before the first sample. */
    public long srttNanos() {
        return srtt.get();
    }

    /** The RTT variation in nanoseconds, 0 before the first sample. */
    public long rttvarNanos() {
        return rttvar.get();
    }

    /** The current retransmission timeout in nanoseconds, back-off included. */
    public long rtoNanos() {
        return rto.get();
    }

    /** The congestion window in bytes. */
    public long cwnd() {
        return cwnd.get();
    }

    /** The slow-start threshold in bytes ({@link Integer#MAX_VALUE} until the first loss). */
    public long ssthresh() {
        return ssthresh.get();
    }

    /** The peer's current window (scaled) in bytes. */
    public long sndWnd() {
        return sndWnd.get();
    }

    // Plain getters, one per counter: stats.segmentsSent() is stats.segmentsSent.get().

    public long segmentsSent() {
        return segmentsSent.get();
    }

    public long segmentsReceived() {
        return segmentsReceived.get();
    }

    public long bytesSent() {
        return bytesSent.get();
    }

    public long bytesRetransmitted() {
        return bytesRetransmitted.get();
    }

    public long retransmissions() {
        return retransmissions.get();
    }

    public long rtoTimeouts() {
        return rtoTimeouts.get();
    }

    public long fastRetransmits() {
        return fastRetransmits.get();
    }

    public long dupAcksReceived() {
        return dupAcksReceived.get();
    }

    public long outOfOrderQueued() {
        return outOfOrderQueued.get();
    }

    public long outOfOrderDropped() {
        return outOfOrderDropped.get();
    }

    public long challengeAcksSent() {
        return challengeAcksSent.get();
    }

    public long challengeAcksSuppressed() {
        return challengeAcksSuppressed.get();
    }

    public long zeroWindowProbes() {
        return zeroWindowProbes.get();
    }

    public long windowUpdates() {
        return windowUpdates.get();
    }

    public long badSegmentsDropped() {
        return badSegmentsDropped.get();
    }

    public long bytesReceived() {
        return bytesReceived.get();
    }

    public long duplicateBytesReceived() {
        return duplicateBytesReceived.get();
    }

    public long keepAliveProbes() {
        return keepAliveProbes.get();
    }

    void setRtt(long srttNanos, long rttvarNanos, long rtoNanos) {
        srtt.set(srttNanos);
        rttvar.set(rttvarNanos);
        rto.set(rtoNanos);
    }

    void setCongestion(long cwndBytes, long ssthreshBytes) {
        cwnd.set(cwndBytes);
        ssthresh.set(ssthreshBytes);
    }

    void setSndWnd(long bytes) {
        sndWnd.set(bytes);
    }
}
