package org.cspstack.protocols.udp;

import java.util.BitSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Which local ports are bound, and the choice of ephemeral ports. Plain logic: no channels, no clock.
 *
 * <p><b>Ephemeral ports</b> come from the dynamic range 49152..65535 of RFC 6335 section 6 (another range for
 * tests). The choice is the simplest that RFC 6335 allows: a cursor that moves round the range, the next free
 * port at or after it is taken and the cursor moves past it, so that a port just released is the last to be
 * reused. The cursor starts at a random point of the range, so that a restarted stack does not hand out the
 * same ports again at once. This is not the port randomisation of RFC 6056: successive ports are predictable,
 * which helps an off-path attacker guess a socket; a UDP stack of a host exposed to such attacks should
 * randomise each choice.
 *
 * <p>A fixed port may be bound anywhere in 1..65535, inside the ephemeral range too (it is then skipped by
 * ephemeral allocation until it is released). Port 0 is never bound: to a client it means "any port".
 */
public final class PortTable {
    /** The first port of the dynamic (ephemeral) range, RFC 6335 section 6. */
    public static final int EPHEMERAL_FIRST = 49152;
    /** The last port of the dynamic range. */
    public static final int EPHEMERAL_LAST = 65535;

    private static final int MAX_PORT = 65535;

    private final BitSet bound = new BitSet(MAX_PORT + 1);
    private final int first;
    private final int last;
    private int cursor;
    private int ephemeralBound;
    private int size;

    /** What {@link #bind} and {@link #bindEphemeral} answer. */
    public sealed interface Result {
        /** The port is now bound. */
        record Bound(int port) implements Result {
        }

        /**
         * Nothing was bound. {@code port} is the port asked for (0 for an ephemeral port); {@code reason} says
         * why and what to do.
         */
        record Refused(int port, String reason) implements Result {
        }
    }

    /** The RFC 6335 dynamic range, the cursor starting at a random port of it. */
    public PortTable() {
        this(EPHEMERAL_FIRST, EPHEMERAL_LAST,
                ThreadLocalRandom.current().nextInt(EPHEMERAL_FIRST, EPHEMERAL_LAST + 1));
    }

    /**
     * Ephemeral ports from {@code first..last} (inclusive), the first candidate being {@code start}: for
     * tests, and for stacks that share a host's port space with another.
     */
    public PortTable(int first, int last, int start) {
        if (first < 1 || last > MAX_PORT || first > last) {
            throw new IllegalArgumentException(
                    "ephemeral range " + first + ".." + last + " must be a non-empty part of 1..65535");
        }
        if (start < first || start > last) {
            throw new IllegalArgumentException("first ephemeral candidate " + start + " is outside " + first + ".."
                    + last);
        }
        this.first = first;
        this.last = last;
        this.cursor = start;
    }

    /**
     * Binds a fixed port.
     *
     * @param port 1..65535
     * @throws IllegalArgumentException for port 0 (use {@link #bindEphemeral}) or one outside 0..65535
     */
    public Result bind(int port) {
        if (port < 1 || port > MAX_PORT) {
            throw new IllegalArgumentException("port " + port + " cannot be bound: a fixed port is 1..65535"
                    + (port == 0 ? " (0 asks for an ephemeral port: bindEphemeral)" : ""));
        }
        if (bound.get(port)) {
            return new Result.Refused(port, "port " + port
                    + " is in use; close that socket first, or bind another port (0 for an ephemeral one)");
        }
        take(port);
        return new Result.Bound(port);
    }

    /** Binds the next free port of the ephemeral range after the cursor, or refuses when all are bound. */
    public Result bindEphemeral() {
        int rangeSize = last - first + 1;
        if (ephemeralBound == rangeSize) {
            return new Result.Refused(0, "no ephemeral port left (" + rangeSize + " in use, " + first + ".." + last
                    + "); close sockets, or bind a fixed port");
        }
        int port = bound.nextClearBit(cursor);
        if (port > last) {
            port = bound.nextClearBit(first); // below the cursor: there is one, since the range is not full
        }
        take(port);
        cursor = port == last ? first : port + 1;
        return new Result.Bound(port);
    }

    /** Releases a port; false when it was not bound (or is outside 0..65535). */
    public boolean unbind(int port) {
        if (!isBound(port)) {
            return false;
        }
        bound.clear(port);
        size--;
        if (isEphemeral(port)) {
            ephemeralBound--;
        }
        return true;
    }

    /** True when {@code port} is bound; false for any value outside 1..65535. */
    public boolean isBound(int port) {
        return port >= 1 && port <= MAX_PORT && bound.get(port);
    }

    /** How many ports are bound. */
    public int size() {
        return size;
    }

    /** How many ports of the ephemeral range are bound (ephemerally or as fixed ports). */
    public int ephemeralInUse() {
        return ephemeralBound;
    }

    /** True when {@code port} lies in this table's ephemeral range. */
    public boolean isEphemeral(int port) {
        return port >= first && port <= last;
    }

    private void take(int port) {
        bound.set(port);
        size++;
        if (isEphemeral(port)) {
            ephemeralBound++;
        }
    }
}
