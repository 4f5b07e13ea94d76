package org.cspstack.protocols.icmp;

import org.cspstack.core.csp.Counter;
import org.cspstack.core.csp.Counters;

/**
 * What the ICMP layer counts; written only by its process. Every message that comes up is counted exactly
 * once as dropped ({@code truncatedDropped}, {@code badChecksumDropped}) or by its type ({@code echoRequests-},
 * {@code echoReplies-}, {@code destinationUnreachable-}, {@code timeExceededReceived}, {@code otherTypesIgnored});
 * the {@code ...Ignored} counters below a type count the subset of that type that had no effect.
 */
public final class IcmpCounters extends Counters {
    /** Echo requests received, answered or not. */
    public final Counter echoRequestsReceived = counter("echoRequestsReceived");
    public final Counter echoRepliesSent = counter("echoRepliesSent");
    /** Echo requests of our own pings sent down to IP. */
    public final Counter echoRequestsSent = counter("echoRequestsSent");
    /** Echo replies received, matched or not. */
    public final Counter echoRepliesReceived = counter("echoRepliesReceived");
    /** Echo replies that match no outstanding ping (late, duplicate, or someone else's). */
    public final Counter unmatchedRepliesIgnored = counter("unmatchedRepliesIgnored");
    /**
     * Echo requests to any destination other than our unicast address (limited or directed broadcast,
     * multicast): not answered, as Linux's {@code icmp_echo_ignore_broadcasts} (RFC 1122 3.2.2.6 allows it).
     */
    public final Counter broadcastEchoIgnored = counter("broadcastEchoIgnored");
    public final Counter destinationUnreachableReceived = counter("destinationUnreachableReceived");
    public final Counter timeExceededReceived = counter("timeExceededReceived");
    /**
     * Errors (unreachable, time exceeded) whose quote is not an IPv4 header plus 8 bytes of its data, so
     * nothing in it can be matched (RFC 792 requires at least that much).
     */
    public final Counter badQuoteIgnored = counter("badQuoteIgnored");
    /** Types not handled: parameter problem, redirect, timestamp, address mask, ... */
    public final Counter otherTypesIgnored = counter("otherTypesIgnored");
    /** Shorter than the 8-byte ICMP header. */
    public final Counter truncatedDropped = counter("truncatedDropped");
    /** The checksum over the whole message is wrong. */
    public final Counter badChecksumDropped = counter("badChecksumDropped");
    /** Pings answered TIMEOUT: no reply nor error before their deadline. */
    public final Counter pingTimeouts = counter("pingTimeouts");
    /**
     * Pings answered REFUSED at once: too many outstanding, or one with the same identifier and sequence
     * still outstanding.
     */
    public final Counter pingsRefused = counter("pingsRefused");

    public IcmpCounters(String owner) {
        super(owner);
    }
}
