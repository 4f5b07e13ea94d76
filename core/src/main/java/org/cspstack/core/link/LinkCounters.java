package org.cspstack.core.link;

import org.cspstack.core.csp.Counter;
import org.cspstack.core.csp.Counters;

/** What a link's receive and transmit processes count. Each counter has one writer: rx or tx. */
public final class LinkCounters extends Counters {
    public final Counter framesReceived = counter("framesReceived");
    public final Counter bytesReceived = counter("bytesReceived");
    /** Frames the capture layer (kernel ring, pcap buffer) lost before we saw them. */
    public final Counter captureDropped = counter("captureDropped");
    public final Counter framesSent = counter("framesSent");
    public final Counter bytesSent = counter("bytesSent");
    /** Frames the medium refused (send error, larger than the MTU). */
    public final Counter sendErrors = counter("sendErrors");
    public final Counter oversizeDropped = counter("oversizeDropped");

    public LinkCounters(String owner) {
        super(owner);
    }
}
