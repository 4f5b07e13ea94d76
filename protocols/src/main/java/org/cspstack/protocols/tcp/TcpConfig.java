package org.cspstack.protocols.tcp;

import java.time.Duration;
import java.util.Objects;

/**
 * The settings of one TCP connection. All durations are {@link Duration}s; the connection converts them to
 * nanoseconds once.
 *
 * @param mss                    the MSS we announce and the largest segment we send (RFC 9293 §3.7.1);
 *                               1..65495
 * @param receiveBuffer          bytes of receive buffer, which bounds the advertised window and, with it,
 *                               everything held out of order
 * @param sendBuffer             bytes of send buffer (unsent plus unacknowledged data)
 * @param windowScale            the window-scale shift we offer (RFC 7323), 0..14, or −1 not to offer the
 *                               option at all
 * @param initialRto             the RTO before any RTT sample (RFC 6298: 1 s)
 * @param minRto                 the lower clamp of the RTO
 * @param maxRto                 the upper clamp of the RTO, and of back-off
 * @param maxSynRetries          SYN or SYN-ACK retransmissions before giving up
 * @param maxRetries             data (and FIN) retransmissions by timeout, or unanswered zero-window probes,
 *                               before giving up
 * @param timeWait               how long TIME_WAIT lasts (2 MSL)
 * @param delayedAck             the longest an ACK is delayed (RFC 1122 allows up to 500 ms); zero ACKs
 *                               every data segment at once
 * @param nagle                  Nagle's algorithm (RFC 896, RFC 1122 §4.2.3.4): at most one small segment
 *                               unacknowledged
 * @param keepAliveIdle          silence after which keepalive probes start; {@link Duration#ZERO} turns
 *                               keepalive off
 * @param keepAliveInterval      the time between keepalive probes
 * @param keepAliveProbes        unanswered probes after which the connection times out
 * @param challengeAcksPerSecond the most RFC 5961 challenge ACKs per second per connection; 0 for no limit
 */
public record TcpConfig(int mss, int receiveBuffer, int sendBuffer, int windowScale, Duration initialRto,
                        Duration minRto, Duration maxRto, int maxSynRetries, int maxRetries, Duration timeWait,
                        Duration delayedAck, boolean nagle, Duration keepAliveIdle, Duration keepAliveInterval,
                        int keepAliveProbes, int challengeAcksPerSecond) {

    /** The largest MSS over IPv4: 65535 − 20 (IP) − 20 (TCP). */
    public static final int MAX_MSS = 65_495;
    /** Default buffer size, send and receive: 256 KiB. */
    public static final int DEFAULT_BUFFER = 256 * 1024;

    public TcpConfig {
        if (mss < 1 || mss > MAX_MSS) {
            throw new IllegalArgumentException("mss " + mss + " is outside 1.." + MAX_MSS);
        }
        if (receiveBuffer < 1 || sendBuffer < 1) {
            throw new IllegalArgumentException("buffers must hold at least one byte: receive " + receiveBuffer
                    + ", send " + sendBuffer);
        }
        if (windowScale < -1 || windowScale > 14) {
            throw new IllegalArgumentException("window scale " + windowScale + " is outside -1..14");
        }
        positive("initialRto", initialRto);
        positive("minRto", minRto);
        positive("maxRto", maxRto);
        if (maxRto.compareTo(minRto) < 0) {
            throw new IllegalArgumentException("maxRto " + maxRto + " is below minRto " + minRto);
        }
        notNegative("timeWait", timeWait);
        notNegative("delayedAck", delayedAck);
        notNegative("keepAliveIdle", keepAliveIdle);
        positive("keepAliveInterval", keepAliveInterval);
        if (maxSynRetries < 0 || maxRetries < 0 || keepAliveProbes < 1 || challengeAcksPerSecond < 0) {
            throw new IllegalArgumentException("counts out of range: maxSynRetries " + maxSynRetries
                    + ", maxRetries " + maxRetries + ", keepAliveProbes " + keepAliveProbes
                    + ", challengeAcksPerSecond " + challengeAcksPerSecond);
        }
    }

    private static void positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }

    private static void notNegative(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, got " + d);
        }
    }

    /**
     * MSS 1460, 256 KiB buffers (window scale 3, the smallest that covers them), RTO 1 s initially within
     * [200 ms, 60 s], 6 SYN retries, 15 retries, TIME_WAIT 60 s, delayed ACK 40 ms, Nagle on, keepalive off
     * (75 s interval, 9 probes when turned on), 10 challenge ACKs per second.
     */
    public static TcpConfig defaults() {
        return new TcpConfig(1460, DEFAULT_BUFFER, DEFAULT_BUFFER, windowScaleFor(DEFAULT_BUFFER),
                Duration.ofSeconds(1), Duration.ofMillis(200), Duration.ofSeconds(60), 6, 15,
                Duration.ofSeconds(60), Duration.ofMillis(40), true, Duration.ZERO, Duration.ofSeconds(75), 9,
                10);
    }

    /** The smallest shift s (0..14) with 65535·2<sup>s</sup> ≥ receiveBuffer. */
    public static int windowScaleFor(int receiveBuffer) {
        int s = 0;
        while (s < 14 && (65_535L << s) < receiveBuffer) {
            s++;
        }
        return s;
    }

    public TcpConfig withMss(int v) {
        return new TcpConfig(v, receiveBuffer, sendBuffer, windowScale, initialRto, minRto, maxRto,
                maxSynRetries, maxRetries, timeWait, delayedAck, nagle, keepAliveIdle, keepAliveInterval,
                keepAliveProbes, challengeAcksPerSecond);
    }

    /** Sets the receive buffer and the window scale to the smallest shift that covers it. */
    public TcpConfig withReceiveBuffer(int v) {
        return new TcpConfig(mss, v, sendBuffer, windowScaleFor(v), initialRto, minRto, maxRto,
                maxSynRetries, maxRetries, timeWait, delayedAck, nagle, keepAliveIdle, keepAliveInterval,
                keepAliveProbes, challengeAcksPerSecond);
    }

    public TcpConfig withSendBuffer(int v) {
        return new TcpConfig(mss, receiveBuffer, v, windowScale, initialRto, minRto, maxRto,
                maxSynRetries, maxRetries, timeWait, delayedAck, nagle, keepAliveIdle, keepAliveInterval,
                keepAliveProbes, challengeAcksPerSecond);
    }

    /** The shift to offer, 0..14, or −1 not to offer window scaling. */
    public TcpConfig withWindowScale(int v) {
        return new TcpConfig(mss, receiveBuffer, sendBuffer, v, initialRto, minRto, maxRto,
                maxSynRetries, maxRetries, timeWait, delayedAck, nagle, keepAliveIdle, keepAliveInterval,
                keepAliveProbes, challengeAcksPerSecond);
    }

    public TcpConfig withInitialRto(Duration v) {
        return new TcpConfig(mss, receiveBuffer, sendBuffer, windowScale, v, minRto, maxRto,
                maxSynRetries, maxRetries, timeWait, delayedAck, nagle, keepAliveIdle, keepAliveInterval,
                keepAliveProbes, challengeAcksPerSecond);
    }

    public TcpConfig withMinRto(Duration v) {
        return new TcpConfig(mss, receiveBuffer, sendBuffer, windowScale, initialRto, v, maxRto,
                maxSynRetries, maxRetries, timeWait, delayedAck, nagle, keepAliveIdle, keepAliveInterval,
                keepAliveProbes, challengeAcksPerSecond);
    }

    public TcpConfig withMaxRto(Duration v) {
        return new TcpConfig(mss, receiveBuffer, sendBuffer, windowScale, initialRto, minRto, v,
                maxSynRetries, maxRetries, timeWait, delayedAck, nagle, keepAliveIdle, keepAliveInterval,
                keepAliveProbes, challengeAcksPerSecond);
    }

    public TcpConfig withMaxSynRetries(int v) {
        return new TcpConfig(mss, receiveBuffer, sendBuffer, windowScale, initialRto, minRto, maxRto,
                v, maxRetries, timeWait, delayedAck, nagle, keepAliveIdle, keepAliveInterval,
                keepAliveProbes, challengeAcksPerSecond);
    }

    public TcpConfig withMaxRetries(int v) {
        return new TcpConfig(mss, receiveBuffer, sendBuffer, windowScale, initialRto, minRto, maxRto,
                maxSynRetries, v, timeWait, delayedAck, nagle, keepAliveIdle, keepAliveInterval,
                keepAliveProbes, challengeAcksPerSecond);
    }

    public TcpConfig withTimeWait(Duration v) {
        return new TcpConfig(mss, receiveBuffer, sendBuffer, windowScale, initialRto, minRto, maxRto,
                maxSynRetries, maxRetries, v, delayedAck, nagle, keepAliveIdle, keepAliveInterval,
                keepAliveProbes, challengeAcksPerSecond);
    }

    public TcpConfig withDelayedAck(Duration v) {
        return new TcpConfig(mss, receiveBuffer, sendBuffer, windowScale, initialRto, minRto, maxRto,
                maxSynRetries, maxRetries, timeWait, v, nagle, keepAliveIdle, keepAliveInterval,
                keepAliveProbes, challengeAcksPerSecond);
    }

    public TcpConfig withNagle(boolean v) {
        return new TcpConfig(mss, receiveBuffer, sendBuffer, windowScale, initialRto, minRto, maxRto,
                maxSynRetries, maxRetries, timeWait, delayedAck, v, keepAliveIdle, keepAliveInterval,
                keepAliveProbes, challengeAcksPerSecond);
    }

    /** Keepalive after {@code idle} of silence ({@link Duration#ZERO}: off), probing every {@code interval}. */
    public TcpConfig withKeepAlive(Duration idle, Duration interval, int probes) {
        return new TcpConfig(mss, receiveBuffer, sendBuffer, windowScale, initialRto, minRto, maxRto,
                maxSynRetries, maxRetries, timeWait, delayedAck, nagle, idle, interval, probes,
                challengeAcksPerSecond);
    }

    /** Keepalive after {@code idle} of silence ({@link Duration#ZERO}: off), interval and probes unchanged. */
    public TcpConfig withKeepAlive(Duration idle) {
        return withKeepAlive(idle, keepAliveInterval, keepAliveProbes);
    }

    public TcpConfig withChallengeAcksPerSecond(int v) {
        return new TcpConfig(mss, receiveBuffer, sendBuffer, windowScale, initialRto, minRto, maxRto,
                maxSynRetries, maxRetries, timeWait, delayedAck, nagle, keepAliveIdle, keepAliveInterval,
                keepAliveProbes, v);
    }

    /** True when keepalive is on. */
    public boolean keepAlive() {
        return !keepAliveIdle.isZero();
    }
}
