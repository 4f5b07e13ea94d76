package org.cspstack.protocols.ipv4;

import org.cspstack.core.csp.Counter;
import org.cspstack.core.csp.Counters;

/**
 * What the single reassembly process counts; written only by it. The outcomes of datagrams (reassembled,
 * overlaps, timeouts with their ICMP errors) are the IPv4 layer's counters, as with a process per datagram.
 */
public final class ReassemblyCounters extends Counters {
    public final Counter fragments = counter("fragments");
    /** Datagrams that got an entry in the table. */
    public final Counter started = counter("started");
    public final Counter timedOut = counter("timedOut");
    /** Datagrams the layer released (evicted, dropped) while they were in the table. */
    public final Counter released = counter("released");
    /** Releases for datagrams no longer in the table (they had ended by themselves meanwhile). */
    public final Counter releasedUnknown = counter("releasedUnknown");
    /** Datagrams the table evicted by its own caps (only when a release was lost on a full queue). */
    public final Counter evicted = counter("evicted");
    public final Counter datagramsHeld = counter("datagramsHeld");
    public final Counter bytesHeld = counter("bytesHeld");

    public ReassemblyCounters(String owner) {
        super(owner);
    }
}
