package org.cspstack.protocols.icmp;

import java.time.Duration;
import java.util.Objects;

import org.cspstack.core.wire.IcmpRepr;
import org.cspstack.core.wire.Ipv4Address;
import org.jcsp.lang.ChannelOutput;

/**
 * A client's request to the ICMP layer (the server): send one echo request and report what came of it. The
 * layer answers every request with exactly one {@link PingResult} on {@code replyTo}: the reply, an error
 * (destination unreachable, time exceeded), a timeout, or an immediate refusal.
 *
 * <p><b>The reply channel.</b> {@code replyTo} must be the client's own channel, buffered with room for the
 * one result and poisonable, so that the layer's write never blocks (even if the client has gone away) and
 * the layer can poison it when the stack shuts down with the ping still outstanding. Make it with
 * {@link Pinger#replyChannel()}, or use a {@link Pinger}, which does. A client must not reuse the channel for
 * another request before it has read the result of this one.
 *
 * @param destination where to send the echo request
 * @param identifier  the echo identifier, 0..65535; replies are matched by identifier and sequence
 * @param sequence    the echo sequence number, 0..65535
 * @param dataLength  bytes of data after the ICMP header, 0..{@value IcmpRepr#MAX_DATA_LENGTH}; IP fragments
 *                    what does not fit the MTU
 * @param ttl         the IP time to live, 1..255
 * @param timeout     how long to wait for a reply or an error, positive, at most {@link #MAX_TIMEOUT}
 * @param replyTo     where the one {@link PingResult} goes (see above)
 */
public record PingRequest(Ipv4Address destination, int identifier, int sequence, int dataLength, int ttl,
                          Duration timeout, ChannelOutput<PingResult> replyTo) {

    /** The longest timeout a ping may ask for. */
    public static final Duration MAX_TIMEOUT = Duration.ofDays(1);

    /** Checks every field, so that the layer only ever sees requests it can serve. */
    public PingRequest {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(replyTo, "replyTo");
        checkRange("identifier", identifier, 0, 0xffff);
        checkRange("sequence", sequence, 0, 0xffff);
        checkRange("dataLength", dataLength, 0, IcmpRepr.MAX_DATA_LENGTH);
        checkRange("ttl", ttl, 1, 255);
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException(
                    "ping timeout must be positive and at most " + MAX_TIMEOUT + ", got " + timeout);
        }
    }

    private static void checkRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("ping " + name + " must be " + min + ".." + max + ", got " + value);
        }
    }
}
