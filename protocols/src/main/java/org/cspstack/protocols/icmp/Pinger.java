package org.cspstack.protocols.icmp;

import java.time.Duration;
import java.util.Objects;

import org.cspstack.core.wire.Ipv4Address;
import org.cspstack.protocols.ipv4.IpSend;
import org.jcsp.lang.Channel;
import org.jcsp.lang.One2OneChannel;
import org.jcsp.lang.PoisonException;
import org.jcsp.lang.SharedChannelOutput;
import org.jcsp.util.Buffer;

/**
 * The blocking ping client for ordinary Java code (the CLI, tests): each {@link #ping} is one request to the
 * ICMP layer and one wait for its one result, on a reply channel made for that call. A Pinger holds no
 * state besides the request channel, so any number of threads may share one; identifiers and sequence numbers
 * are the caller's to choose (two pings outstanding with the same pair are answered REFUSED).
 *
 * <p><b>Shutdown.</b> A ping never waits for ever: if the stack is poisoned before or while a ping is
 * outstanding, the request channel or the reply channel is poisoned, and {@link #ping} throws the unchecked
 * {@link IllegalStateException} "the stack has shut down" (the {@link PoisonException} is its cause).
 */
public final class Pinger {
    private final SharedChannelOutput<PingRequest> toIcmp;

    /** @param toIcmp the writing end of the ICMP layer's shared request channel ({@code fromApps}) */
    public Pinger(SharedChannelOutput<PingRequest> toIcmp) {
        this.toIcmp = Objects.requireNonNull(toIcmp, "toIcmp");
    }

    /**
     * A reply channel as {@link PingRequest} requires: buffered with room for the one result, so that the
     * layer's write never blocks, and poisonable (immunity 0; JCSP's channels without an immunity argument
     * ignore poison), so that the layer can wake its client when the stack shuts down.
     */
    public static One2OneChannel<PingResult> replyChannel() {
        return Channel.one2one(new Buffer<PingResult>(1), 0);
    }

    /** Pings with the default TTL ({@value IpSend#DEFAULT_TTL}); see the other overload. */
    public PingResult ping(Ipv4Address destination, int identifier, int sequence, int dataLength,
                           Duration timeout) {
        return ping(destination, identifier, sequence, dataLength, IpSend.DEFAULT_TTL, timeout);
    }

    /**
     * Sends one echo request and waits for its result: a reply, an error, a timeout after {@code timeout},
     * or an immediate refusal.
     *
     * @throws IllegalArgumentException if a parameter is out of range (see {@link PingRequest})
     * @throws IllegalStateException    if the stack has shut down (unchecked; caused by a PoisonException)
     */
    public PingResult ping(Ipv4Address destination, int identifier, int sequence, int dataLength, int ttl,
                           Duration timeout) {
        One2OneChannel<PingResult> reply = replyChannel();
        PingRequest request = new PingRequest(destination, identifier, sequence, dataLength, ttl, timeout,
                reply.out());
        try {
            toIcmp.write(request);
            return reply.in().read();
        } catch (PoisonException e) {
            throw new IllegalStateException("the stack has shut down; no result for the ping to " + destination
                    + " (identifier " + identifier + ", sequence " + sequence + ")", e);
        }
    }
}
