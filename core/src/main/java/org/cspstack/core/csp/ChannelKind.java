package org.cspstack.core.csp;

/**
 * The three kinds of channel the stack is wired with, one per rule of STYLE.md §4. The kind is part of the
 * network's description, so graphs and the Promela model are generated from what is really wired.
 */
public enum ChannelKind {
    /**
     * Rule 1, packets going up: a bounded buffer whose writer never blocks; a packet that finds it full is
     * dropped and counted ({@code queueFullDropped}), as a NIC ring drops.
     */
    UPWARD_DROPPING,
    /** Rule 2, packets going down: a bounded buffer that blocks its writer when full (back-pressure). */
    DOWNWARD_BLOCKING,
    /** A plain rendezvous: the writer waits until the reader takes the message (requests from clients). */
    RENDEZVOUS,
    /**
     * A reply channel from a server to one client (rule 3): buffered with room for every reply the client
     * can have outstanding, so the server never blocks on a client that has gone.
     */
    REPLY;

    /** True when a write may wait for the reader. */
    public boolean mayBlockWriter() {
        return this == DOWNWARD_BLOCKING || this == RENDEZVOUS;
    }
}
