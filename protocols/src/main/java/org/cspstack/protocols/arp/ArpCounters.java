package org.cspstack.protocols.arp;

import org.cspstack.core.csp.Counter;
import org.cspstack.core.csp.Counters;

/** What the ARP layer counts; written only by its process. */
public final class ArpCounters extends Counters {
    /** ARP packets from Ethernet, before any check. */
    public final Counter packetsReceived = counter("packetsReceived");
    /** Well-formed requests, for us or not. */
    public final Counter requestsReceived = counter("requestsReceived");
    /** Well-formed replies. */
    public final Counter repliesReceived = counter("repliesReceived");
    /** Shorter than the 28 bytes of an Ethernet/IPv4 ARP packet. */
    public final Counter truncatedDropped = counter("truncatedDropped");
    /** Another hardware or protocol type or address length, or an operation other than request and reply. */
    public final Counter unsupportedDropped = counter("unsupportedDropped");
    /** Rejected by the parser for any other reason (none is known for ARP today). */
    public final Counter malformedDropped = counter("malformedDropped");
    /**
     * A sender that must never be learned: a group MAC, a broadcast or multicast IP, or ourselves (our own
     * packet looped back).
     */
    public final Counter invalidSenderDropped = counter("invalidSenderDropped");
    /** Another host claims our IP address (the sender IP is ours, the sender MAC is not): ignored. */
    public final Counter conflictDetected = counter("conflictDetected");
    /** Requests for another target address (after the merge step, which may still update the cache). */
    public final Counter notForUsIgnored = counter("notForUsIgnored");
    /** Addresses that became resolved (a new entry, not a refresh). */
    public final Counter entriesLearned = counter("entriesLearned");
    /** Resolved entries whose MAC address changed (a host replaced, or someone spoofing). */
    public final Counter entriesChanged = counter("entriesChanged");
    /** Replies sent to requests for our address. */
    public final Counter repliesSent = counter("repliesSent");
    /** Requests sent, first ones and retries. */
    public final Counter requestsSent = counter("requestsSent");
    /** The retries among {@link #requestsSent}. */
    public final Counter retriesSent = counter("retriesSent");
    /** IP datagrams queued to wait for a resolution. */
    public final Counter packetsQueued = counter("packetsQueued");
    /** IP datagrams refused because a queue of waiting packets was full. */
    public final Counter queueFullDropped = counter("queueFullDropped");
    /** Queued IP datagrams dropped because their next hop never answered. */
    public final Counter unresolvedDropped = counter("unresolvedDropped");
    /** Next hops given up on after the last request went unanswered. */
    public final Counter resolutionFailures = counter("resolutionFailures");
    /** IP datagrams handed to Ethernet (at once, after waiting, or to a broadcast or multicast MAC). */
    public final Counter packetsSent = counter("packetsSent");
    /** Gauge: resolved entries in the cache now (expired ones included until they are removed). */
    public final Counter cacheEntries = counter("cacheEntries");
    /** Gauge: next hops being resolved now. */
    public final Counter pendingAddresses = counter("pendingAddresses");
    /** Gauge: IP datagrams waiting for a resolution now. */
    public final Counter pendingPackets = counter("pendingPackets");

    public ArpCounters(String owner) {
        super(owner);
    }
}
