package org.cspstack.protocols.services;

import org.cspstack.core.csp.Counter;
import org.cspstack.core.csp.Counters;

/** What one service process counts. */
public final class ServiceCounters extends Counters {
    public final Counter received = counter("received");
    public final Counter bytesReceived = counter("bytesReceived");
    public final Counter sent = counter("sent");
    public final Counter bytesSent = counter("bytesSent");

    public ServiceCounters(String owner) {
        super(owner);
    }
}
