package org.cspstack.protocols.tcp;

import static org.cspstack.core.wire.TcpSegment.ACK;
import static org.cspstack.core.wire.TcpSegment.FIN;
import static org.cspstack.core.wire.TcpSegment.PSH;
import static org.cspstack.core.wire.TcpSegment.RST;
import static org.cspstack.core.wire.TcpSegment.SYN;

import java.util.Objects;

import org.cspstack.core.wire.TcpHeader;
import org.cspstack.core.wire.TcpRepr;

/**
 * One TCP connection's protocol machine (RFC 9293): the functional core that the TCP process drives. A plain,
 * single-threaded class with explicit time: every call takes {@code now} (nanoseconds, {@link System#nanoTime()}
 * in the shell, a plain number in tests; never earlier than the previous call's), segments go out synchronously
 * through the {@link SegmentSink}, and {@link #nextDeadline()} says when {@link #timer(long)} must be called
 * next. No threads, no clock, no channels.
 *
 * <h2>What it does</h2>
 * <ul>
 * <li><b>Handshake</b> active ({@link #connect}) and passive ({@link #accept}), simultaneous open (SYN in
 * SYN-SENT → SYN-RECEIVED; the crossing SYN-ACKs complete it), SYN and SYN-ACK retransmission with back-off
 * ({@code maxSynRetries}), RST in SYN-SENT with an acceptable ACK → {@link Termination#REFUSED}. A duplicate SYN
 * in SYN-RECEIVED gets the SYN-ACK again.</li>
 * <li><b>Options</b> MSS ({@code config.mss}) and window scale ({@code config.windowScale}, unless −1) on our
 * SYN; on a SYN-ACK the window scale only when the SYN had it (RFC 7323 §2.2). The peer's MSS (536 when absent,
 * RFC 9293 §3.7.1), capped at ours, is the segment size; windows are scaled only when both sides sent the
 * option; the window field of a SYN or SYN-ACK is never scaled.</li>
 * <li><b>Closing</b>: half-close ({@link #shutdownOutput}: FIN after all queued data; FIN-WAIT-2 keeps
 * receiving, CLOSE-WAIT keeps sending), simultaneous close (CLOSING), LAST-ACK, TIME-WAIT for
 * {@code config.timeWait} (restarted by a retransmitted FIN, which is ACKed), then CLOSED.
 * {@link #close} with unread data sends RST ({@link Termination#ABORTED}), as RFC 9293 §3.6 allows and
 * Linux does; so does new data arriving after {@link #close}.</li>
 * <li><b>Arriving segments</b> per RFC 9293 §3.10.7.4: acceptability test (with the zero-window allowance for
 * ACKs, RSTs and a bare FIN at RCV.NXT), trimming to the window, RFC 5961 (RST: exact RCV.NXT → reset, in
 * window → challenge ACK, else dropped; SYN in a synchronized state → challenge ACK; ACK beyond SND.NXT →
 * challenge ACK and drop; ACK before SND.UNA − MAX.SND.WND → drop), challenge ACKs limited to
 * {@code challengeAcksPerSecond}. Unacceptable segments are answered with an ACK (unless RST) and counted.</li>
 * <li><b>Sender</b>: a bounded ring send buffer; segments of min(MSS, window, cwnd); Nagle (switchable; RFC 896
 * with Minshall's refinement, as Linux): at most one segment smaller than the MSS unacknowledged, a further
 * small one waits for its ACK unless it carries the FIN; sender SWS
 * avoidance: a window-limited segment smaller than the MSS waits while data is in flight unless it is at least
 * half the largest window seen; PSH on the segment that empties the buffer. Zero window: persist timer with
 * 1-byte probes (RFC 9293 §3.8.6.1) backing off from the RTO to {@code maxRto}; {@code maxRetries} probes
 * without any answer time the connection out. The FIN is not held back by a zero window.</li>
 * <li><b>RTO</b> per RFC 6298 ({@link RttEstimator}): one segment timed at a time, never a retransmitted one
 * (Karn); timeout: retransmit the first unacknowledged segment, double the RTO up to {@code maxRto}, go back N
 * from SND.UNA; {@code maxRetries} timeouts in a row (or {@code maxSynRetries} for SYN/SYN-ACK) →
 * {@link Termination#TIMEOUT}, with a RST when synchronized. After a retransmitted SYN without an RTT sample
 * the RTO starts at 3 s (RFC 6298 §5.7) and the initial window is one segment (RFC 5681 §3.1).</li>
 * <li><b>Congestion control</b> NewReno (RFC 5681, RFC 6582): IW = min(10·MSS, max(2·MSS, 14600)) (RFC 6928),
 * slow start (cwnd += min(acked, MSS)), congestion avoidance (cwnd += MSS·MSS/cwnd per ACK), fast retransmit on
 * the third duplicate ACK with ssthresh = max(FlightSize/2, 2·MSS), cwnd = ssthresh + 3·MSS, +MSS per further
 * duplicate, partial ACKs repair the next hole and deflate, a full ACK (beyond "recover") sets cwnd = ssthresh;
 * no new fast retransmit until SND.UNA passes the "recover" of the last timeout. Timeout: ssthresh =
 * max(FlightSize/2, 2·MSS) (once per series of timeouts), cwnd = 1·MSS.</li>
 * <li><b>Receiver</b>: in-order data into a bounded ring; out-of-order data is kept at its place in the same
 * ring (only bytes within the advertised window; at most {@link #MAX_OUT_OF_ORDER_RANGES} separate ranges,
 * else dropped and counted) and joins when the hole fills; an out-of-order FIN is remembered. The advertised
 * window is the free space, scaled, rounded down, never shrinking the right edge (RFC 9293 §3.8.6.2.1), and
 * moved right only by at least min(buffer/2, MSS) (receiver SWS avoidance, §3.8.6.2.2). ACK at once for
 * out-of-order, duplicate or trimmed data, a FIN, a hole filled, and when reading opens the window by that
 * much; otherwise every second full-sized segment or after {@code delayedAck}.</li>
 * <li><b>Keepalive</b> (off by default): after {@code keepAliveIdle} without an acceptable segment, while
 * nothing is in flight, probes (SEG.SEQ = SND.NXT − 1, no data) every {@code keepAliveInterval};
 * {@code keepAliveProbes} unanswered → {@link Termination#TIMEOUT} with a RST.</li>
 * <li>All sequence arithmetic is modulo 2<sup>32</sup> ({@link Seq}); memory is bounded by the configured
 * buffers, allocated on first use.</li>
 * </ul>
 *
 * <h2>What it does not do</h2>
 * SACK (RFC 2018; SACK-permitted is neither sent nor used), timestamps and PAWS (RFC 7323 §3, §5), ECN, urgent
 * data (URG is ignored), TCP Fast Open (data on a SYN is ignored and not acknowledged), limited transmit
 * (RFC 3042), cwnd validation (RFC 7661), PMTU discovery (the MSS is fixed), a FIN-WAIT-2 timeout (the shell
 * may abort an orphaned connection itself), RFC 6191 TIME-WAIT reuse (the shell can ask
 * {@link #isReopenableBy}), ICMP soft errors. A RST in TIME-WAIT is ignored (RFC 1337). A passive connection
 * that gets a RST in SYN-RECEIVED simply closes (RESET): the listener, which stays in LISTEN, is the shell's.
 *
 * <h2>Driving it</h2>
 * Call {@link #segment} for each arriving segment (checksum verified, demultiplexed to this 4-tuple),
 * {@link #send}/{@link #receive} for the application, and {@link #timer} whenever {@link #nextDeadline()} has
 * come (it may be called early or often: it fires only what is due). After any call, re-read
 * {@link #nextDeadline()}. When {@link #isClosed()} the connection is finished: {@link #segment},
 * {@link #timer}, {@link #close}, {@link #abort} and {@link #shutdownOutput} do nothing, {@link #send} throws,
 * {@link #receive} returns what is still buffered and then −1.
 */
public final class TcpConnection {

    /** The RFC 9293 states after LISTEN (the listener is the shell's). */
    public enum State { SYN_SENT, SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK,
        TIME_WAIT, CLOSED }

    /** Why the connection became CLOSED. */
    public enum Termination {
        /** Both FINs exchanged and acknowledged (TIME-WAIT expired, or LAST-ACK acknowledged). */
        NORMAL,
        /** The peer reset a synchronized connection. */
        RESET,
        /** The peer answered our SYN with a RST. */
        REFUSED,
        /** Retransmissions, zero-window probes or keepalive probes went unanswered. */
        TIMEOUT,
        /** We aborted: {@link #abort}, {@link #close} with unread data, data after close, close before open. */
        ABORTED
    }

    /** RFC 9293 §3.7.1: the MSS to assume when the peer sends no MSS option. */
    public static final int DEFAULT_PEER_MSS = 536;
    /** The most separate out-of-order ranges kept; beyond it out-of-order data is dropped (and counted). */
    public static final int MAX_OUT_OF_ORDER_RANGES = 32;
    /** RFC 6298 §5.7: the RTO once data flows after a retransmitted SYN without an RTT sample. */
    static final long RTO_AFTER_SYN_LOSS = 3_000_000_000L;
    /** RFC 6928 IW cap in bytes. */
    static final int IW_BYTES = 14_600;

    private static final long NONE = Long.MAX_VALUE;
    private static final long SECOND = 1_000_000_000L;

    private final TcpConfig config;
    private final Endpoint local;
    private final Endpoint remote;
    private final SegmentSink sink;
    private final TcpStats stats;
    private final boolean passive;

    // config in nanoseconds
    private final long timeWaitNanos;
    private final long delayedAckNanos;
    private final long maxRtoNanos;
    private final long keepIdleNanos;
    private final long keepIntervalNanos;

    private State state;
    private Termination termination;
    private boolean everEstablished;
    private boolean closeCalled;

    // ---- send side (RFC 9293 §3.3.1) ----
    private final long iss;
    private long sndUna;
    /** The next sequence number to send; below sndMax after a timeout (go-back-N). */
    private long sndNxt;
    /** The highest sequence number sent plus one: "SND.NXT" of the RFC for acknowledgment checks. */
    private long sndMax;
    private long sndWnd;
    private long maxSndWnd;
    private long sndWl1;
    private long sndWl2;
    private int sndScale;
    private int rcvScale;
    private int effMss;
    private final SendBuffer sendBuf;
    /** The application shut output down: a FIN follows the data in the buffer (at {@code sendBuf.endSeq()}). */
    private boolean finQueued;
    private byte[] scratch;

    // ---- receive side ----
    private long irs;
    private long rcvNxt;
    /** The right edge of the window we last advertised: RCV.NXT + RCV.WND. */
    private long rcvAdvEdge;
    private final ReceiveBuffer recvBuf;
    private boolean finReceived;
    private boolean peerOfferedScaling;
    private boolean oooFin;
    private long oooFinSeq;
    private int unackedBytes;
    private int rcvMss;
    private boolean ackOwed;

    // ---- timers and retransmission ----
    private final RttEstimator rtt;
    private long rtxDeadline = NONE;
    private long persistDeadline = NONE;
    private long delackDeadline = NONE;
    private long timeWaitDeadline = NONE;
    private int retries;
    private boolean synRetransmitted;
    private boolean persisting;
    private int persistBackoff;
    private int probesUnanswered;
    private boolean rttTiming;
    private long rttSeq;
    private long rttStart;
    private long lastHeard;
    private long lastKeepAlive;
    private int keepAlivesSent;

    // ---- congestion control ----
    private long cwnd;
    private long ssthresh = Integer.MAX_VALUE;
    private boolean inRecovery;
    private long recover;
    private int dupAcks;
    /** The end of the last segment smaller than the MSS (Nagle, Minshall's variant). */
    private long nagleSmallEnd;

    // ---- challenge ACK limit ----
    private long challengeWindowStart;
    private int challengeCount;

    private TcpConnection(TcpConfig config, Endpoint local, Endpoint remote, long iss, SegmentSink sink,
                          boolean passive, long now) {
        this.config = Objects.requireNonNull(config, "config");
        this.local = Objects.requireNonNull(local, "local");
        this.remote = Objects.requireNonNull(remote, "remote");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.passive = passive;
        this.stats = new TcpStats("tcp " + local + " > " + remote);
        this.timeWaitNanos = config.timeWait().toNanos();
        this.delayedAckNanos = config.delayedAck().toNanos();
        this.maxRtoNanos = config.maxRto().toNanos();
        this.keepIdleNanos = config.keepAliveIdle().toNanos();
        this.keepIntervalNanos = config.keepAliveInterval().toNanos();
        this.rtt = new RttEstimator(config.initialRto().toNanos(), config.minRto().toNanos(), maxRtoNanos);
        this.iss = iss & Seq.MASK;
        this.sndUna = this.iss;
        this.sndNxt = Seq.add(this.iss, 1);
        this.sndMax = sndNxt;
        this.recover = this.iss;
        this.nagleSmallEnd = this.iss;
        this.sendBuf = new SendBuffer(config.sendBuffer(), sndNxt);
        this.recvBuf = new ReceiveBuffer(config.receiveBuffer(), MAX_OUT_OF_ORDER_RANGES);
        this.effMss = Math.min(DEFAULT_PEER_MSS, config.mss());
        this.rcvMss = Math.min(DEFAULT_PEER_MSS, config.mss());
        this.lastHeard = now;
    }

    /** The send and receive rings come from {@code cache} (and go back to it as they grow); before any data. */
    void useRings(RingCache cache) {
        sendBuf.useRings(cache);
        recvBuf.useRings(cache);
    }

    /**
     * Gives both rings back to their cache: for the connection's process, once it is done with the connection
     * (nothing reads or writes through it afterwards; whatever the buffers held is dropped).
     */
    void releaseBuffers() {
        sendBuf.release();
        recvBuf.release();
    }

    /** Active open: emits the SYN (MSS and window scale options) now; state SYN_SENT. */
    public static TcpConnection connect(TcpConfig config, Endpoint local, Endpoint remote, long iss,
                                        SegmentSink sink, long now) {
        TcpConnection c = new TcpConnection(config, local, remote, iss, sink, false, now);
        c.state = State.SYN_SENT;
        c.sendFirstSyn(now);
        return c;
    }

    /**
     * Passive open from a listener: {@code syn} is the received SYN (already checked to be a SYN without ACK or
     * RST); emits the SYN-ACK now; state SYN_RECEIVED. Data on the SYN is not accepted (the peer sends it
     * again). {@code syn} is read during the call only.
     */
    public static TcpConnection accept(TcpConfig config, Endpoint local, Endpoint remote, TcpHeader syn, long iss,
                                       SegmentSink sink, long now) {
        if (!syn.has(SYN) || syn.has(ACK) || syn.has(RST)) {
            throw new IllegalArgumentException("accept needs a SYN without ACK or RST: " + syn);
        }
        TcpConnection c = new TcpConnection(config, local, remote, iss, sink, true, now);
        c.state = State.SYN_RECEIVED;
        c.stats.segmentsReceived.increment();
        c.learnSyn(syn);
        c.sendFirstSyn(now);
        return c;
    }

    /**
     * The RFC 9293 §3.10.7.1 answer to a segment for which no connection exists, for the demultiplexer: null
     * for a RST; {@code <SEQ=SEG.ACK><CTL=RST>} when it has an ACK; else
     * {@code <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>}. Ports are swapped.
     */
    public static TcpRepr resetFor(TcpHeader segment, int payloadLength) {
        if (segment.has(RST)) {
            return null;
        }
        if (segment.has(ACK)) {
            return TcpRepr.of(segment.destinationPort(), segment.sourcePort(), segment.ack(), 0, RST, 0);
        }
        long segLen = payloadLength + (segment.has(SYN) ? 1 : 0) + (segment.has(FIN) ? 1 : 0);
        return TcpRepr.of(segment.destinationPort(), segment.sourcePort(), 0, Seq.add(segment.seq(), segLen),
                RST | ACK, 0);
    }

    // =====================================================================================================
    // Accessors
    // =====================================================================================================

    public State state() {
        return state;
    }

    /** Why the connection closed; null until CLOSED. */
    public Termination termination() {
        return termination;
    }

    public boolean isClosed() {
        return state == State.CLOSED;
    }

    /** True from ESTABLISHED on (any later state) until CLOSED: the handshake is done. */
    public boolean isEstablished() {
        return everEstablished && state != State.CLOSED;
    }

    /** True once the connection reached ESTABLISHED, even after it closed. */
    public boolean wasEstablished() {
        return everEstablished;
    }

    /** In-order bytes {@link #receive} would return now. */
    public int available() {
        return recvBuf.available();
    }

    /** The peer's FIN has arrived in order (end of stream once {@link #available()} is 0). */
    public boolean finReceived() {
        return finReceived;
    }

    /** Free bytes in the send buffer; 0 after {@link #shutdownOutput} or {@link #close}, or when closed. */
    public int sendSpace() {
        if (finQueued || closeCalled || !openForSending()) {
            return 0;
        }
        return sendBuf.free();
    }

    /** The send buffer is empty and everything sent, FIN included if any, is acknowledged. */
    public boolean allSent() {
        return sendBuf.size() == 0 && sndUna == sndMax && state != State.SYN_SENT && state != State.SYN_RECEIVED;
    }

    public TcpStats stats() {
        return stats;
    }

    public Endpoint local() {
        return local;
    }

    public Endpoint remote() {
        return remote;
    }

    public TcpConfig config() {
        return config;
    }

    /** The segment size we send: min(peer's MSS, config.mss). */
    public int effectiveMss() {
        return effMss;
    }

    /** The peer's window-scale shift in use (0 when scaling is off). */
    public int sendScale() {
        return sndScale;
    }

    /** Our window-scale shift in use (0 when scaling is off). */
    public int receiveScale() {
        return rcvScale;
    }

    /** Our initial send sequence number. */
    public long iss() {
        return iss;
    }

    /** Bytes sent and not yet acknowledged (SND.NXT − SND.UNA over everything sent). */
    public long bytesInFlight() {
        return Seq.diff(sndMax, sndUna);
    }

    /**
     * True when this connection is in TIME-WAIT and {@code syn} is a new connection's SYN with a sequence
     * number beyond RCV.NXT (RFC 1122 §4.2.2.13): the shell may {@link #abort} this connection and hand the
     * SYN to the listener (which must then keep a {@link TcpRepr#copyOf copy} of it, if {@code syn} is a header
     * that the next segment refills). Otherwise {@link #segment} answers such a SYN with a challenge ACK.
     */
    public boolean isReopenableBy(TcpHeader syn) {
        return state == State.TIME_WAIT && syn.has(SYN) && !syn.has(ACK) && !syn.has(RST)
                && Seq.gt(syn.seq(), rcvNxt);
    }

    /** The earliest pending deadline, or {@link Long#MAX_VALUE} when none. */
    public long nextDeadline() {
        long d = NONE;
        d = earliest(d, rtxDeadline);
        d = earliest(d, persistDeadline);
        d = earliest(d, delackDeadline);
        d = earliest(d, timeWaitDeadline);
        d = earliest(d, keepAliveDeadline());
        return d;
    }

    private static long earliest(long a, long b) {
        if (a == NONE) {
            return b;
        }
        if (b == NONE) {
            return a;
        }
        return b - a < 0 ? b : a;
    }

    private static boolean due(long deadline, long now) {
        return deadline != NONE && now - deadline >= 0;
    }

    private long keepAliveDeadline() {
        if (!config.keepAlive() || !keepAliveState()) {
            return NONE;
        }
        return keepAlivesSent == 0 ? lastHeard + keepIdleNanos : lastKeepAlive + keepIntervalNanos;
    }

    private boolean keepAliveState() {
        return state == State.ESTABLISHED || state == State.CLOSE_WAIT || state == State.FIN_WAIT_2;
    }

    private boolean openForSending() {
        return switch (state) {
            case SYN_SENT, SYN_RECEIVED, ESTABLISHED, CLOSE_WAIT -> true;
            default -> false;
        };
    }

    // =====================================================================================================
    // Application calls
    // =====================================================================================================

    /**
     * Copies up to {@code len} bytes into the send buffer (as much as fits; 0 when full) and sends what the
     * windows, Nagle and cwnd allow. Allowed in SYN_SENT and SYN_RECEIVED (queued until established),
     * ESTABLISHED and CLOSE_WAIT.
     *
     * @throws IllegalStateException after {@link #shutdownOutput}, {@link #close} or {@link #abort}, or in a
     *                               state that cannot send (closing or closed)
     */
    public int send(byte[] b, int off, int len, long now) {
        Objects.checkFromIndexSize(off, len, b.length);
        if (finQueued || closeCalled) {
            throw new IllegalStateException("send after the output of " + local + " > " + remote
                    + " was shut down; open a new connection to send more");
        }
        if (!openForSending()) {
            throw new IllegalStateException("send on " + local + " > " + remote + " in state " + state
                    + (termination != null ? " (" + termination + ")" : "") + "; it can no longer send");
        }
        int n = sendBuf.write(b, off, len);
        if (n > 0) {
            output(now);
            publish();
        }
        return n;
    }

    /**
     * Copies up to {@code len} received in-order bytes out; returns the count, 0 when none yet, −1 at the end
     * of the stream (FIN received, or the connection closed, and everything read). Reading may send a window
     * update.
     */
    public int receive(byte[] b, int off, int len, long now) {
        Objects.checkFromIndexSize(off, len, b.length);
        int n = recvBuf.read(b, off, len);
        if (n == 0) {
            return recvBuf.available() == 0 && (finReceived || state == State.CLOSED) ? -1 : 0;
        }
        if (!finReceived && (state == State.ESTABLISHED || state == State.FIN_WAIT_1
                || state == State.FIN_WAIT_2)) {
            long cur = Math.max(0, Seq.diff(rcvAdvEdge, rcvNxt));
            if (candidateWindow() - cur >= swsThreshold()) {
                stats.windowUpdates.increment();
                sendAck(now);
            }
        }
        return n;
    }

    /** Half-close: a FIN follows all queued data. ESTABLISHED → FIN_WAIT_1, CLOSE_WAIT → LAST_ACK. */
    public void shutdownOutput(long now) {
        switch (state) {
            case SYN_SENT, SYN_RECEIVED -> finQueued = true; // FIN_WAIT_1 once established
            case ESTABLISHED -> {
                finQueued = true;
                state = State.FIN_WAIT_1;
                output(now);
            }
            case CLOSE_WAIT -> {
                finQueued = true;
                state = State.LAST_ACK;
                output(now);
            }
            default -> {
                // already shut down or closed
            }
        }
        publish();
    }

    /**
     * {@link #shutdownOutput}, and the application will read no more: if unread data remains, or new data
     * arrives later, RST and CLOSED ({@link Termination#ABORTED}). In SYN_SENT: CLOSED at once (ABORTED).
     */
    public void close(long now) {
        if (state == State.CLOSED) {
            return;
        }
        closeCalled = true;
        if (state == State.SYN_SENT) {
            enterClosed(Termination.ABORTED);
        } else if (recvBuf.available() > 0) {
            abort(now);
        } else {
            shutdownOutput(now);
        }
        publish();
    }

    /** RST (when synchronized) and CLOSED, {@link Termination#ABORTED}. */
    public void abort(long now) {
        if (state == State.CLOSED) {
            return;
        }
        closeCalled = true;
        switch (state) {
            case SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT -> sendReset();
            default -> {
                // SYN_SENT, CLOSING, LAST_ACK, TIME_WAIT: just go (RFC 9293 §3.10.5)
            }
        }
        enterClosed(Termination.ABORTED);
        publish();
    }

    // =====================================================================================================
    // Timers
    // =====================================================================================================

    /** Fires everything due at {@code now}. */
    public void timer(long now) {
        if (state == State.CLOSED) {
            return;
        }
        if (due(timeWaitDeadline, now)) {
            enterClosed(Termination.NORMAL);
            publish();
            return;
        }
        if (due(rtxDeadline, now)) {
            onRetransmissionTimeout(now);
        }
        if (state != State.CLOSED && due(persistDeadline, now)) {
            onPersistTimeout(now);
        }
        if (state != State.CLOSED && due(delackDeadline, now)) {
            delackDeadline = NONE;
            sendAck(now);
        }
        if (state != State.CLOSED && due(keepAliveDeadline(), now)) {
            onKeepAlive(now);
        }
        publish();
    }

    private void onRetransmissionTimeout(long now) {
        rtxDeadline = NONE;
        if (state == State.SYN_SENT || state == State.SYN_RECEIVED) {
            if (retries >= config.maxSynRetries()) {
                giveUp(Termination.TIMEOUT);
                return;
            }
            retries++;
            stats.rtoTimeouts.increment();
            stats.retransmissions.increment();
            synRetransmitted = true;
            rttTiming = false;
            rtt.backOff();
            sendSyn(now);
            rtxDeadline = now + rtt.rto();
            return;
        }
        if (sndUna == sndMax || persisting) {
            return; // nothing outstanding
        }
        if (retries >= config.maxRetries()) {
            giveUp(Termination.TIMEOUT);
            return;
        }
        stats.rtoTimeouts.increment();
        if (retries == 0) {
            ssthresh = Math.max(bytesInFlight() / 2, 2L * effMss);
        }
        retries++;
        cwnd = effMss;
        inRecovery = false;
        dupAcks = 0;
        recover = Seq.add(sndMax, -1);
        rttTiming = false;
        rtt.backOff();
        sndNxt = sndUna; // go back N
        int sent = retransmitFirst(now);
        sndNxt = Seq.add(sndUna, sent);
        rtxDeadline = now + rtt.rto();
    }

    private void onPersistTimeout(long now) {
        persistDeadline = NONE;
        if (!persisting) {
            return;
        }
        if (probesUnanswered >= config.maxRetries()) {
            giveUp(Termination.TIMEOUT);
            return;
        }
        if (sendBuf.size() > 0 && Seq.lt(sndUna, sendBuf.endSeq())) {
            // one byte of data at SND.UNA: the peer takes it if its window opened, else ACKs with the window
            transmit(sndUna, 1, PROBE, now);
            sndMax = Seq.max(sndMax, Seq.add(sndUna, 1));
            stats.zeroWindowProbes.increment();
            probesUnanswered++;
        }
        persistBackoff++;
        persistDeadline = now + persistInterval();
    }

    private long persistInterval() {
        long base = rtt.rto();
        int shift = Math.min(persistBackoff, 30);
        return base > (maxRtoNanos >> shift) ? maxRtoNanos : Math.min(maxRtoNanos, base << shift);
    }

    private void onKeepAlive(long now) {
        if (sndMax != sndUna || persisting || sendBuf.size() > 0) {
            // not idle: retransmission or persist watch the peer; look again after another idle period
            lastHeard = now;
            keepAlivesSent = 0;
            return;
        }
        if (keepAlivesSent >= config.keepAliveProbes()) {
            giveUp(Termination.TIMEOUT);
            return;
        }
        keepAlivesSent++;
        lastKeepAlive = now;
        stats.keepAliveProbes.increment();
        emit(Seq.add(sndMax, -1), ACK, null, 0, 0);
    }

    private void giveUp(Termination why) {
        if (state != State.SYN_SENT) {
            sendReset();
        }
        enterClosed(why);
    }

    // =====================================================================================================
    // Arriving segments
    // =====================================================================================================

    /**
     * A segment for this connection arrived (checksum verified, demultiplexed to this 4-tuple); its payload is
     * {@code data[off, off + len)}. Header and data are read during the call only: the connection keeps neither
     * (it copies the bytes it keeps into its receive buffer), so both may be reused for the next segment.
     */
    public void segment(TcpHeader h, byte[] data, int off, int len, long now) {
        stats.segmentsReceived.increment();
        if (state == State.CLOSED) {
            return;
        }
        if (len < 0 || (len > 0 && (data == null || off < 0 || off + len > data.length))) {
            throw new IllegalArgumentException("payload [" + off + ", +" + len + ") outside the array");
        }
        if (state == State.SYN_SENT) {
            onSegmentInSynSent(h, data, off, len, now);
        } else {
            onSegmentSynchronized(h, data, off, len, now);
        }
        if (state != State.CLOSED && ackOwed) {
            sendAck(now);
        }
        publish();
    }

    /** RFC 9293 §3.10.7.3, SYN-SENT. */
    private void onSegmentInSynSent(TcpHeader h, byte[] data, int off, int len, long now) {
        boolean ackOk = false;
        if (h.has(ACK)) {
            if (Seq.leq(h.ack(), iss) || Seq.gt(h.ack(), sndMax)) {
                stats.badSegmentsDropped.increment();
                if (!h.has(RST)) {
                    emitReset(h.ack());
                }
                return;
            }
            ackOk = true;
        }
        if (h.has(RST)) {
            if (ackOk) {
                enterClosed(Termination.REFUSED);
            } else {
                stats.badSegmentsDropped.increment();
            }
            return;
        }
        if (!h.has(SYN)) {
            stats.badSegmentsDropped.increment();
            return;
        }
        learnSyn(h);
        lastHeard = now;
        if (ackOk) {
            // SYN-ACK: our SYN is acknowledged
            sndUna = h.ack();
            sndWnd = h.window(); // never scaled on a SYN
            maxSndWnd = sndWnd;
            sndWl1 = h.seq();
            sndWl2 = h.ack();
            rtxDeadline = NONE;
            if (rttTiming && !synRetransmitted) {
                rtt.sample(now - rttStart);
            }
            rttTiming = false;
            retries = 0;
            establish();
            ackOwed = true;
            // data or FIN on the SYN-ACK: continue at the sixth step with the SYN stripped
            if (len > 0 || h.has(FIN)) {
                receiveText(Seq.add(h.seq(), 1), h.has(FIN), data, off, len, now);
            }
            output(now);
        } else {
            // simultaneous open (RFC 9293 figure 7)
            state = State.SYN_RECEIVED;
            sndWnd = h.window();
            maxSndWnd = sndWnd;
            sndWl1 = h.seq();
            sndWl2 = iss;
            rttTiming = false;
            sendSyn(now);
        }
    }

    /** Learns IRS and the options of the peer's SYN. */
    private void learnSyn(TcpHeader syn) {
        irs = syn.seq();
        rcvNxt = Seq.add(irs, 1);
        int peerMss = syn.mss() > 0 ? syn.mss() : DEFAULT_PEER_MSS;
        effMss = Math.max(1, Math.min(peerMss, config.mss()));
        peerOfferedScaling = syn.windowScale() >= 0;
        boolean scaling = config.windowScale() >= 0 && peerOfferedScaling;
        sndScale = scaling ? syn.windowScale() : 0;
        rcvScale = scaling ? config.windowScale() : 0;
        if (passive) {
            sndWnd = syn.window();
            maxSndWnd = sndWnd;
            sndWl1 = syn.seq();
            sndWl2 = iss;
        }
        rcvAdvEdge = Seq.add(rcvNxt, synWindow());
    }

    private void establish() {
        everEstablished = true;
        state = finQueued ? State.FIN_WAIT_1 : State.ESTABLISHED;
        if (synRetransmitted) {
            rtt.reinitialise(RTO_AFTER_SYN_LOSS);
            cwnd = effMss;
        } else {
            cwnd = Math.min(10L * effMss, Math.max(2L * effMss, IW_BYTES));
        }
    }

    /** RFC 9293 §3.10.7.4, SYN-RECEIVED and the synchronized states. */
    private void onSegmentSynchronized(TcpHeader h, byte[] data, int off, int len, long now) {
        long seq = h.seq();
        boolean syn = h.has(SYN);
        boolean fin = h.has(FIN);
        int window = h.window();

        if (state == State.TIME_WAIT) {
            onSegmentInTimeWait(h, len, now);
            return;
        }
        if (syn) {
            if (state == State.SYN_RECEIVED && !h.has(RST)) {
                if (h.has(ACK) && seq == irs && h.ack() == sndMax && !passive) {
                    // the crossing SYN-ACK of a simultaneous open: take it as the ACK, SYN stripped
                    syn = false;
                    seq = Seq.add(seq, 1);
                    window = -1; // the window of a SYN is not scaled: see below
                } else if (!h.has(ACK) && seq == irs) {
                    stats.retransmissions.increment();
                    sendSyn(now); // the SYN again: our SYN-ACK was lost
                    return;
                } else {
                    challengeAck(now);
                    stats.badSegmentsDropped.increment();
                    return;
                }
            } else {
                // RFC 5961 §4: a SYN in a synchronized state, whatever its sequence number
                challengeAck(now);
                stats.badSegmentsDropped.increment();
                return;
            }
        }

        // first: sequence number (acceptability)
        int segLen = len + (fin ? 1 : 0);
        long wnd = receiveWindow();
        boolean acceptable;
        boolean zeroWindowAllowance = false;
        if (segLen == 0) {
            // RFC 9293: RCV.NXT =< SEG.SEQ < RCV.NXT + RCV.WND; like Linux we also take the right edge itself,
            // where a peer whose window we filled puts its pure ACKs. The edge is the one we ADVERTISED: with
            // window scaling it was rounded up past the free space by less than one unit, and a peer that
            // filled it sends its ACKs from there; judging them by the free space alone dropped every ACK and
            // deadlocked a busy echo (both sides waiting, found in the lab with 2% loss).
            long advertised = Math.max(wnd, Math.max(0, Seq.diff(rcvAdvEdge, rcvNxt)));
            acceptable = Seq.inWindow(seq, rcvNxt, advertised + 1);
        } else if (wnd == 0) {
            acceptable = false;
        } else {
            acceptable = Seq.inWindow(seq, rcvNxt, wnd) || Seq.inWindow(Seq.add(seq, segLen - 1), rcvNxt, wnd);
        }
        if (!acceptable && wnd == 0 && seq == rcvNxt) {
            acceptable = true; // RFC 9293: valid ACKs and RSTs still count when the window is zero
            zeroWindowAllowance = true;
        }
        if (!acceptable) {
            if (!h.has(RST)) {
                stats.badSegmentsDropped.increment();
                if (len > 0 && Seq.lt(seq, rcvNxt)) {
                    stats.duplicateBytesReceived.add(len);
                }
                sendAck(now);
            } else {
                stats.badSegmentsDropped.increment(); // RFC 5961 §3.2: out of window, silently
            }
            return;
        }

        // second: RST (RFC 5961 §3.2)
        if (h.has(RST)) {
            if (seq == rcvNxt) {
                enterClosed(state == State.SYN_RECEIVED && !passive ? Termination.REFUSED : Termination.RESET);
            } else {
                stats.badSegmentsDropped.increment();
                challengeAck(now);
            }
            return;
        }

        // fifth: ACK
        if (!h.has(ACK)) {
            stats.badSegmentsDropped.increment();
            return;
        }
        long ack = h.ack();
        lastHeard = now;
        keepAlivesSent = 0;
        if (state == State.SYN_RECEIVED) {
            if (!(Seq.lt(sndUna, ack) && Seq.leq(ack, sndMax))) {
                stats.badSegmentsDropped.increment();
                emitReset(ack);
                return;
            }
            sndUna = ack;
            sndWnd = window < 0 ? h.window() : (long) h.window() << sndScale;
            maxSndWnd = Math.max(maxSndWnd, sndWnd);
            sndWl1 = seq;
            sndWl2 = ack;
            rtxDeadline = NONE;
            if (rttTiming && !synRetransmitted && Seq.geq(ack, rttSeq)) {
                rtt.sample(now - rttStart);
            }
            rttTiming = false;
            retries = 0;
            establish();
        } else if (!onAck(h, seq, ack, len, fin, now)) {
            return;
        }
        if (state == State.CLOSED) {
            return;
        }

        // FIN acknowledged?
        if (finQueued && finAcked()) {
            switch (state) {
                case FIN_WAIT_1 -> state = State.FIN_WAIT_2;
                case CLOSING -> {
                    enterTimeWait(now);
                    return;
                }
                case LAST_ACK -> {
                    enterClosed(Termination.NORMAL);
                    return;
                }
                default -> {
                }
            }
        }

        // seventh and eighth: text and FIN
        if (zeroWindowAllowance && len > 0) {
            ackOwed = true; // a zero-window probe: ACK with the (still zero) window
            len = 0;
            fin = false;
        }
        if (len > 0 || fin) {
            receiveText(seq, fin, data, off, len, now);
        }
        if (state != State.CLOSED) {
            output(now);
        }
    }

    private void onSegmentInTimeWait(TcpHeader h, int len, long now) {
        if (h.has(RST)) {
            stats.badSegmentsDropped.increment(); // RFC 1337
            return;
        }
        if (h.has(SYN)) {
            challengeAck(now);
            stats.badSegmentsDropped.increment();
            return;
        }
        if (h.has(FIN) && Seq.add(h.seq(), len + 1) == rcvNxt) {
            // the peer's FIN again: our last ACK was lost; ACK it and restart the 2 MSL
            sendAck(now);
            timeWaitDeadline = now + timeWaitNanos;
            return;
        }
        if (len > 0 || h.has(FIN)) {
            stats.badSegmentsDropped.increment();
            sendAck(now);
        }
    }

    /**
     * The ACK field in a synchronized state (RFC 9293 fifth step, RFC 5961 §5, RFC 5681, RFC 6582). Returns
     * false when the segment is to be dropped.
     */
    private boolean onAck(TcpHeader h, long seq, long ack, int len, boolean fin, long now) {
        if (Seq.gt(ack, sndMax)) {
            stats.badSegmentsDropped.increment();
            challengeAck(now);
            return false;
        }
        if (Seq.lt(ack, Seq.add(sndUna, -maxSndWnd))) {
            stats.badSegmentsDropped.increment();
            return false;
        }
        long newWnd = (long) h.window() << sndScale;
        boolean dup = false;
        if (Seq.gt(ack, sndUna)) {
            onNewAck(ack, now);
        } else if (ack == sndUna && len == 0 && !fin && newWnd == sndWnd && sndMax != sndUna && sndWnd > 0
                && !persisting) {
            dup = true;
        }
        if (Seq.geq(ack, sndUna) && (Seq.lt(sndWl1, seq) || (sndWl1 == seq && Seq.leq(sndWl2, ack)))) {
            sndWnd = newWnd;
            sndWl1 = seq;
            sndWl2 = ack;
            maxSndWnd = Math.max(maxSndWnd, sndWnd);
        }
        if (persisting) {
            probesUnanswered = 0;
            if (sndWnd > 0) {
                persisting = false;
                persistDeadline = NONE;
                persistBackoff = 0;
                if (Seq.lt(sndNxt, sndUna)) {
                    sndNxt = sndUna;
                }
            }
        }
        if (dup) {
            onDupAck(now);
        }
        return true;
    }

    private void onNewAck(long ack, long now) {
        int acked = Seq.diff(ack, sndUna);
        int data = Math.max(0, Math.min(Seq.diff(ack, sendBuf.startSeq()), sendBuf.size()));
        sendBuf.consume(data);
        sndUna = ack;
        if (Seq.lt(sndNxt, sndUna)) {
            sndNxt = sndUna;
        }
        retries = 0;
        if (rttTiming && Seq.geq(ack, rttSeq)) {
            rtt.sample(now - rttStart);
            rttTiming = false;
        }
        if (inRecovery) {
            if (Seq.gt(ack, recover)) {
                cwnd = ssthresh; // full ACK: leave fast recovery
                inRecovery = false;
                dupAcks = 0;
            } else {
                // partial ACK: repair the next hole, deflate by what was acked, add one MSS back
                retransmitFirst(now);
                cwnd = Math.max(effMss, cwnd - acked + (acked >= effMss ? effMss : 0));
            }
        } else {
            dupAcks = 0;
            if (cwnd < ssthresh) {
                cwnd += Math.min(acked, effMss);
            } else {
                cwnd += Math.max(1, (long) effMss * effMss / cwnd);
            }
            cwnd = Math.min(cwnd, Integer.MAX_VALUE);
            if (Seq.gt(Seq.add(sndUna, -1), recover)) {
                recover = Seq.add(sndUna, -1); // keep "recover" near SND.UNA so that the comparison stays valid
            }
        }
        if (sndUna == sndMax) {
            rtxDeadline = NONE;
        } else if (!persisting) {
            rtxDeadline = now + rtt.rto();
        }
    }

    private void onDupAck(long now) {
        dupAcks++;
        stats.dupAcksReceived.increment();
        if (inRecovery) {
            cwnd += effMss;
        } else if (dupAcks == 3 && Seq.gt(sndUna, recover)) {
            ssthresh = Math.max(bytesInFlight() / 2, 2L * effMss);
            recover = Seq.add(sndMax, -1);
            inRecovery = true;
            stats.fastRetransmits.increment();
            retransmitFirst(now);
            cwnd = ssthresh + 3L * effMss;
        }
    }

    private boolean finAcked() {
        return Seq.gt(sndUna, sendBuf.endSeq());
    }

    /** Seventh and eighth steps: data at {@code seq} (already acceptable) and the FIN. */
    private void receiveText(long seq, boolean fin, byte[] data, int off, int len, long now) {
        boolean takesData = state == State.ESTABLISHED || state == State.FIN_WAIT_1 || state == State.FIN_WAIT_2;
        if (!takesData || finReceived) {
            return; // CLOSE_WAIT, CLOSING, LAST_ACK: the peer's FIN came already; ignore
        }
        boolean ackNow = false;
        // trim the left: bytes already received
        int before = Seq.diff(rcvNxt, seq);
        if (before > 0) {
            int cut = Math.min(before, len);
            stats.duplicateBytesReceived.add(cut);
            off += cut;
            len -= cut;
            seq = Seq.add(seq, cut);
            ackNow = true;
        }
        // trim the right: bytes beyond the window (the window never exceeds the free buffer)
        int at = Seq.diff(seq, rcvNxt);
        long room = receiveWindow() - at;
        if (len > room) {
            len = (int) Math.max(0, room);
            fin = false;
            ackNow = true;
        }
        if (len > 0 && closeCalled) {
            // the application has closed and will not read: RST (RFC 9293 §3.6, as Linux does)
            sendReset();
            enterClosed(Termination.ABORTED);
            return;
        }
        if (len > 0) {
            rcvMss = Math.max(rcvMss, Math.min(len, config.mss()));
            if (at == 0) {
                boolean fillsHole = recvBuf.hasOutOfOrder();
                int advanced = recvBuf.insert(rcvNxt, seq, data, off, len);
                rcvNxt = Seq.add(rcvNxt, advanced);
                stats.bytesReceived.add(advanced);
                unackedBytes += len;
                if (oooFin && rcvNxt == oooFinSeq) {
                    fin = true;
                    oooFin = false;
                    seq = rcvNxt;
                    len = 0;
                }
                if (fillsHole) {
                    ackNow = true;
                } else if (unackedBytes >= 2 * rcvMss || delayedAckNanos == 0) {
                    ackOwed = true;
                } else if (delackDeadline == NONE) {
                    delackDeadline = now + delayedAckNanos;
                }
            } else {
                int r = recvBuf.insert(rcvNxt, seq, data, off, len);
                if (r < 0) {
                    stats.outOfOrderDropped.increment();
                } else {
                    stats.outOfOrderQueued.increment();
                    if (fin) {
                        oooFin = true;
                        oooFinSeq = Seq.add(seq, len);
                    }
                }
                fin = false;
                ackNow = true;
            }
        } else if (fin && at > 0) {
            // a bare FIN beyond a hole
            oooFin = true;
            oooFinSeq = seq;
            fin = false;
            ackNow = true;
        }
        if (ackNow) {
            ackOwed = true;
        }
        if (fin && Seq.add(seq, len) == rcvNxt) {
            onFin(now);
        }
        if (ackNow && ackOwed && state != State.CLOSED) {
            // out of order, duplicate, trimmed or a hole filled: a pure ACK at once (RFC 5681 §4.2), so that
            // the peer sees duplicate ACKs even when we have data to send
            sendAck(now);
        }
    }

    private void onFin(long now) {
        rcvNxt = Seq.add(rcvNxt, 1);
        finReceived = true;
        recvBuf.dropOutOfOrder();
        oooFin = false;
        ackOwed = true;
        switch (state) {
            case SYN_RECEIVED, ESTABLISHED -> state = State.CLOSE_WAIT;
            case FIN_WAIT_1 -> {
                if (finQueued && finAcked()) {
                    enterTimeWait(now);
                } else {
                    state = State.CLOSING;
                }
            }
            case FIN_WAIT_2 -> enterTimeWait(now);
            default -> {
            }
        }
    }

    private void enterTimeWait(long now) {
        if (ackOwed) {
            sendAck(now);
        }
        clearTimers();
        if (timeWaitNanos == 0) {
            enterClosed(Termination.NORMAL);
            return;
        }
        state = State.TIME_WAIT;
        timeWaitDeadline = now + timeWaitNanos;
    }

    private void enterClosed(Termination why) {
        state = State.CLOSED;
        if (termination == null) {
            termination = why;
        }
        clearTimers();
        ackOwed = false;
    }

    private void clearTimers() {
        rtxDeadline = NONE;
        persistDeadline = NONE;
        delackDeadline = NONE;
        timeWaitDeadline = NONE;
        persisting = false;
        rttTiming = false;
    }

    // =====================================================================================================
    // Windows
    // =====================================================================================================

    /** RCV.WND: what we advertised, bounded by the free buffer. */
    private long receiveWindow() {
        long adv = Seq.diff(rcvAdvEdge, rcvNxt);
        return Math.max(0, Math.min(adv, recvBuf.free()));
    }

    /** The unscaled window of our SYN or SYN-ACK. */
    private int synWindow() {
        return Math.min(recvBuf.capacity(), 0xffff);
    }

    /** The window the free space allows, rounded down to the scale's unit. */
    private long candidateWindow() {
        long free = Math.min(recvBuf.free(), 0xffffL << rcvScale);
        return free & -(1L << rcvScale);
    }

    private long swsThreshold() {
        return Math.min(recvBuf.capacity() / 2, config.mss());
    }

    /**
     * The window field for a segment we send now, moving the advertised right edge: only right, and only by
     * at least the SWS threshold.
     */
    private int windowField() {
        long cur = Math.max(0, Seq.diff(rcvAdvEdge, rcvNxt));
        long cand = candidateWindow();
        long wnd = cand - cur >= swsThreshold() ? cand : cur;
        long unit = 1L << rcvScale;
        int field = (int) Math.min(0xffff, (wnd + unit - 1) >> rcvScale);
        long edge = Seq.add(rcvNxt, (long) field << rcvScale);
        if (Seq.gt(edge, rcvAdvEdge)) {
            rcvAdvEdge = edge;
        }
        return field;
    }

    // =====================================================================================================
    // Sending
    // =====================================================================================================

    private boolean canOutput() {
        return switch (state) {
            case ESTABLISHED, CLOSE_WAIT, FIN_WAIT_1, LAST_ACK, CLOSING -> true;
            default -> false;
        };
    }

    /** Sends new (or, after a timeout, not yet re-sent) data and the FIN as windows, cwnd and Nagle allow. */
    private void output(long now) {
        if (!canOutput() || persisting) {
            return;
        }
        long bufEnd = sendBuf.endSeq();
        while (true) {
            int unsent = Math.max(0, Seq.diff(bufEnd, sndNxt));
            boolean finPending = finQueued && Seq.leq(sndNxt, bufEnd);
            if (unsent == 0 && !finPending) {
                break;
            }
            long inFlight = Seq.diff(sndNxt, sndUna);
            long usable = Math.min(sndWnd, cwnd) - inFlight;
            int len = (int) Math.max(0, Math.min(Math.min(effMss, unsent), usable));
            boolean fin = finPending && len == unsent;
            if (len == 0 && !fin) {
                break; // window or cwnd closed
            }
            if (len > 0 && len < effMss) {
                if (len == unsent) {
                    if (config.nagle() && Seq.gt(nagleSmallEnd, sndUna) && !fin) {
                        break; // Nagle: at most one small segment unacknowledged
                    }
                } else if (inFlight > 0 && len < maxSndWnd / 2) {
                    break; // sender SWS avoidance: wait for the window to open further
                }
            }
            int flags = fin ? FIN : 0;
            if (len > 0 && len == unsent) {
                flags |= PSH;
            }
            transmit(sndNxt, len, flags, now);
            long end = Seq.add(sndNxt, len + (fin ? 1 : 0));
            if (len < effMss) {
                nagleSmallEnd = end;
            }
            if (!rttTiming && Seq.geq(sndNxt, sndMax)) {
                rttTiming = true;
                rttSeq = end;
                rttStart = now;
            }
            sndNxt = end;
            if (Seq.gt(sndNxt, sndMax)) {
                sndMax = sndNxt;
            }
            if (rtxDeadline == NONE) {
                rtxDeadline = now + rtt.rto();
            }
        }
        // zero window with data waiting and nothing in flight: persist
        if (sndWnd == 0 && Seq.lt(sndNxt, bufEnd) && sndMax == sndUna) {
            persisting = true;
            persistBackoff = 0;
            probesUnanswered = 0;
            rtxDeadline = NONE;
            persistDeadline = now + persistInterval();
        }
    }

    /**
     * Sends the first unacknowledged segment again (timeout, fast retransmit, partial ACK), ignoring the
     * windows. Returns the sequence space it covers.
     */
    private int retransmitFirst(long now) {
        long bufEnd = sendBuf.endSeq();
        boolean finSent = finQueued && Seq.gt(sndMax, bufEnd);
        long dataEnd = finSent ? bufEnd : sndMax;
        int len = Math.max(0, Math.min(effMss, Seq.diff(dataEnd, sndUna)));
        boolean fin = finSent && Seq.add(sndUna, len) == bufEnd;
        if (len == 0 && !fin) {
            return 0;
        }
        rttTiming = false; // Karn
        transmit(sndUna, len, (fin ? FIN : 0) | (len > 0 && Seq.add(sndUna, len) == bufEnd ? PSH : 0), now);
        int covered = len + (fin ? 1 : 0);
        long end = Seq.add(sndUna, covered);
        if (Seq.lt(sndNxt, end)) {
            sndNxt = end;
        }
        return covered;
    }

    /** Emits {@code len} bytes of the send buffer from {@code seq}, with ACK and {@code flags}. */
    private void transmit(long seq, int len, int flags, long now) {
        byte[] arr = null;
        int at = 0;
        if (len > 0) {
            if (sendBuf.contiguous(seq) >= len) {
                arr = sendBuf.array();
                at = sendBuf.index(seq);
            } else {
                if (scratch == null || scratch.length < len) {
                    scratch = new byte[Math.max(len, config.mss())];
                }
                sendBuf.copy(seq, scratch, 0, len);
                arr = scratch;
            }
            int fresh = Math.max(0, Math.min(len, Seq.diff(Seq.add(seq, len), sndMax)));
            if ((flags & PROBE) == 0) {
                stats.bytesSent.add(fresh);
                stats.bytesRetransmitted.add(len - fresh);
            }
        }
        if ((flags & PROBE) == 0 && Seq.lt(seq, sndMax)) {
            stats.retransmissions.increment();
        }
        emit(seq, ACK | (flags & 0xff), arr, at, len);
    }

    private static final int PROBE = 0x100;

    /**
     * Emits a pure ACK now. Its sequence number is SND.NXT in the RFC's sense, the highest sent (not the
     * go-back-N pointer, which a peer that has everything would find old and drop), but not beyond the
     * peer's window (as Linux's tcp_acceptable_seq).
     */
    private void sendAck(long now) {
        long edge = Seq.add(sndUna, sndWnd);
        emit(state == State.SYN_RECEIVED || Seq.leq(sndMax, edge) ? sndMax : edge, ACK, null, 0, 0);
    }

    /** A RFC 5961 challenge ACK, within the per-second limit. */
    private void challengeAck(long now) {
        int limit = config.challengeAcksPerSecond();
        if (limit > 0) {
            if (challengeCount == 0 || now - challengeWindowStart >= SECOND) {
                challengeWindowStart = now;
                challengeCount = 0;
            }
            if (challengeCount >= limit) {
                stats.challengeAcksSuppressed.increment();
                return;
            }
            challengeCount++;
        }
        stats.challengeAcksSent.increment();
        sendAck(now);
    }

    /** Our SYN (SYN-SENT) or SYN-ACK (SYN-RECEIVED), with options. */
    /** The opening SYN (or SYN-ACK): sent, timed for the RTT estimate, under the retransmission timer. */
    private void sendFirstSyn(long now) {
        sendSyn(now);
        rttTiming = true;
        rttSeq = sndMax;
        rttStart = now;
        rtxDeadline = now + rtt.rto();
        publish();
    }

    private void sendSyn(long now) {
        boolean synAck = state == State.SYN_RECEIVED;
        // RFC 7323 §2.2: on a SYN-ACK only when the SYN had the option
        int ws = synAck && !peerOfferedScaling ? -1 : config.windowScale();
        TcpRepr r = new TcpRepr(local.port(), remote.port(), iss, synAck ? rcvNxt : 0, synAck ? SYN | ACK : SYN,
                synWindow(), config.mss(), ws, false);
        sink.emit(r, EMPTY, 0, 0);
        stats.segmentsSent.increment();
        if (synAck) {
            clearDelayedAck();
        }
    }


    /** RST|ACK with SEQ = SND.NXT (the highest sent), for abort and give-up. */
    private void sendReset() {
        sink.emit(local.port(), remote.port(), sndMax, rcvNxt, RST | ACK, 0, EMPTY, 0, 0);
        stats.segmentsSent.increment();
    }

    /** {@code <SEQ=seq><CTL=RST>}: the answer to an unacceptable ACK before synchronization. */
    private void emitReset(long seq) {
        sink.emit(local.port(), remote.port(), seq, 0, RST, 0, EMPTY, 0, 0);
        stats.segmentsSent.increment();
    }

    /** A data segment or an ACK: no options, so no header value either (the sink writes the fields). */
    private void emit(long seq, int flags, byte[] data, int off, int len) {
        sink.emit(local.port(), remote.port(), seq, rcvNxt, flags, windowField(), data == null ? EMPTY : data, off,
                len);
        stats.segmentsSent.increment();
        clearDelayedAck();
    }

    private static final byte[] EMPTY = new byte[0];

    private void clearDelayedAck() {
        ackOwed = false;
        unackedBytes = 0;
        delackDeadline = NONE;
    }

    private void publish() {
        stats.setRtt(rtt.srtt(), rtt.rttvar(), rtt.rto());
        stats.setCongestion(cwnd, ssthresh);
        stats.setSndWnd(sndWnd);
    }

    @Override
    public String toString() {
        return "TcpConnection[" + local + " > " + remote + " " + state + (termination != null ? " " + termination
                : "") + " una " + sndUna + " nxt " + sndNxt + " max " + sndMax + " wnd " + sndWnd + " rcv.nxt "
                + rcvNxt + " cwnd " + cwnd + "]";
    }
}
