package org.cspstack.core.csp;

import org.jcsp.lang.ChannelOutput;
import org.jcsp.lang.PoisonException;

/**
 * How a server answers a client (STYLE.md rule 3): each request carries the client's own reply channel,
 * buffered so that the one answer never blocks the server. A client that has gone away may have poisoned its
 * channel; that poison is the client's, not the network's, so the server drops the answer and goes on.
 */
public final class Replies {
    private Replies() {
    }

    /** Writes the answer; false when {@code replyTo} is null or the client has poisoned it (the answer is lost). */
    public static <T> boolean answer(ChannelOutput<T> replyTo, T value) {
        if (replyTo == null) {
            return false;
        }
        try {
            replyTo.write(value);
            return true;
        } catch (PoisonException clientGone) {
            return false;
        }
    }
}
