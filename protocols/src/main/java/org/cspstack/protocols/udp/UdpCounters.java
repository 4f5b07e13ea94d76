package org.cspstack.protocols.udp;

import org.cspstack.core.csp.Counter;
import org.cspstack.core.csp.Counters;

/**
 * What the UDP layer counts; written only by its process. Every datagram that comes up from IP is counted in
 * {@code datagramsReceived} and then exactly once more: {@code delivered}, or dropped for one named reason
 * ({@code truncated-}, {@code badLength-}, {@code badChecksum-}, {@code noSocket-}, {@code queueFull-},
 * {@code readerGoneDropped}). Every {@code Send} is counted exactly once: {@code datagramsSent} or one of
 * {@code notBound-}, {@code oversize-}, {@code badSendDropped}.
 */
public final class UdpCounters extends Counters {
    /** Datagrams IP delivered to UDP, good or bad. */
    public final Counter datagramsReceived = counter("datagramsReceived");
    /** Datagrams queued on a socket's receive channel. */
    public final Counter delivered = counter("delivered");
    /** Shorter than the 8-byte UDP header. */
    public final Counter truncatedDropped = counter("truncatedDropped");
    /** The length field is below 8 or beyond the bytes IP delivered. */
    public final Counter badLengthDropped = counter("badLengthDropped");
    /** A non-zero checksum that is wrong over the pseudo-header, header and data. */
    public final Counter badChecksumDropped = counter("badChecksumDropped");
    /** No socket is bound to the destination port. */
    public final Counter noSocketDropped = counter("noSocketDropped");
    /** ICMP port unreachable sent back (a subset of {@code noSocketDropped}: unicast to us only). */
    public final Counter portUnreachableSent = counter("portUnreachableSent");
    /** ICMP port unreachable not sent because the error rate limit was reached. */
    public final Counter portUnreachableRateLimited = counter("portUnreachableRateLimited");
    /** The socket's receive channel was full: its application does not keep up. */
    public final Counter queueFullDropped = counter("queueFullDropped");
    /**
     * The socket's application poisoned its receive channel (it has gone away without a Close): the datagram,
     * and every later one for that socket, is dropped; the port stays bound until it is closed.
     */
    public final Counter readerGoneDropped = counter("readerGoneDropped");
    /** Datagrams sent down to IP. */
    public final Counter datagramsSent = counter("datagramsSent");
    /** Sends with a payload over 65,507 bytes, which no IPv4 datagram can carry. */
    public final Counter oversizeDropped = counter("oversizeDropped");
    /** Sends from a source port that is not bound. */
    public final Counter notBoundDropped = counter("notBoundDropped");
    /** Sends that are not well-formed: no destination or payload, or a destination port outside 1..65535. */
    public final Counter badSendDropped = counter("badSendDropped");
    /**
     * Send payloads with less headroom than {@link UdpLayer#HEADROOM}, copied into a new buffer (correct, but
     * a copy the application could have saved).
     */
    public final Counter shortHeadroomCopied = counter("shortHeadroomCopied");
    /** Binds refused: port in use, no ephemeral port left, receive queue too large. */
    public final Counter bindsRefused = counter("bindsRefused");
    /** Gauge: sockets bound now. */
    public final Counter socketsOpen = counter("socketsOpen");

    public UdpCounters(String owner) {
        super(owner);
    }
}
