package org.cspstack.protocols.tcp;

import org.cspstack.core.csp.Counter;
import org.cspstack.core.csp.Counters;

/** What the TCP layer (the demultiplexer) counts; written only by its process. */
public final class TcpCounters extends Counters {
    public final Counter segmentsReceived = counter("segmentsReceived");
    public final Counter truncatedDropped = counter("truncatedDropped");
    public final Counter badHeaderLengthDropped = counter("badHeaderLengthDropped");
    public final Counter badOptionsDropped = counter("badOptionsDropped");
    public final Counter badChecksumDropped = counter("badChecksumDropped");
    public final Counter notUnicastDropped = counter("notUnicastDropped");
    public final Counter resetsSent = counter("resetsSent");
    /** SYNs dropped because the listener's backlog (half-open or waiting for accept) was full. */
    public final Counter synBacklogDropped = counter("synBacklogDropped");
    /** SYNs dropped because the stack holds its maximum number of connections. */
    public final Counter synLimitDropped = counter("synLimitDropped");
    public final Counter connectionsOpened = counter("connectionsOpened");
    public final Counter connectionsAccepted = counter("connectionsAccepted");
    public final Counter connectionsEnded = counter("connectionsEnded");
    /** Segments for a connection whose queue was full. */
    public final Counter queueFullDropped = counter("queueFullDropped");
    public final Counter connectionsNow = counter("connectionsNow");
    public final Counter halfOpenNow = counter("halfOpenNow");
    public final Counter acceptTimeouts = counter("acceptTimeouts");
    // Added up from each connection's own counts when it ends:
    public final Counter bytesSent = counter("bytesSent");
    public final Counter bytesReceived = counter("bytesReceived");
    public final Counter retransmissions = counter("retransmissions");
    public final Counter fastRetransmits = counter("fastRetransmits");
    public final Counter rtoTimeouts = counter("rtoTimeouts");
    public final Counter outOfOrderQueued = counter("outOfOrderQueued");
    public final Counter challengeAcksSent = counter("challengeAcksSent");
    public final Counter zeroWindowProbes = counter("zeroWindowProbes");
    public final Counter badSegmentsDropped = counter("badSegmentsDropped");

    /** Adds the final counts of a connection that has ended. */
    void add(TcpStats s) {
        bytesSent.add(s.bytesSent.get());
        bytesReceived.add(s.bytesReceived.get());
        retransmissions.add(s.retransmissions.get());
        fastRetransmits.add(s.fastRetransmits.get());
        rtoTimeouts.add(s.rtoTimeouts.get());
        outOfOrderQueued.add(s.outOfOrderQueued.get());
        challengeAcksSent.add(s.challengeAcksSent.get());
        zeroWindowProbes.add(s.zeroWindowProbes.get());
        badSegmentsDropped.add(s.badSegmentsDropped.get());
    }

    public TcpCounters(String owner) {
        super(owner);
    }
}
