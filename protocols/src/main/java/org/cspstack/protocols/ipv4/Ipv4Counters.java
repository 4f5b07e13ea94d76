package org.cspstack.protocols.ipv4;

import org.cspstack.core.csp.Counter;
import org.cspstack.core.csp.Counters;

/** What the IPv4 layer counts; written only by its process. Every dropped datagram names its reason. */
public final class Ipv4Counters extends Counters {
    public final Counter packetsReceived = counter("packetsReceived");
    public final Counter delivered = counter("delivered");
    public final Counter truncatedDropped = counter("truncatedDropped");
    public final Counter badVersionDropped = counter("badVersionDropped");
    public final Counter badHeaderLengthDropped = counter("badHeaderLengthDropped");
    public final Counter badTotalLengthDropped = counter("badTotalLengthDropped");
    public final Counter badChecksumDropped = counter("badChecksumDropped");
    /** Source address broadcast, multicast, loopback or ours from outside (RFC 1122 3.2.1.3). */
    public final Counter badSourceDropped = counter("badSourceDropped");
    /** Destination neither our address nor a broadcast we accept. */
    public final Counter notForUsDropped = counter("notForUsDropped");
    public final Counter unknownProtocolDropped = counter("unknownProtocolDropped");
    public final Counter fragmentsReceived = counter("fragmentsReceived");
    public final Counter reassembliesStarted = counter("reassembliesStarted");
    public final Counter reassembled = counter("reassembled");
    public final Counter reassemblyTimeouts = counter("reassemblyTimeouts");
    /** Datagrams dropped whole because a fragment partly overlapped data already received (RFC 5722). */
    public final Counter reassemblyOverlaps = counter("reassemblyOverlaps");
    /** Datagrams dropped whole because they would end beyond 65,535 bytes. */
    public final Counter reassemblyTooLong = counter("reassemblyTooLong");
    /** Datagrams evicted, oldest first, to keep within the datagram and byte caps. */
    public final Counter reassemblyEvictions = counter("reassemblyEvictions");
    /** Fragments refused (zero length, non-last not a multiple of 8) or inconsistent datagrams. */
    public final Counter badFragments = counter("badFragments");
    /** Fragments that repeated data already received: accepted and ignored. */
    public final Counter fragmentDuplicates = counter("fragmentDuplicates");
    /** Fragments dropped because their reassembly process's queue was full. */
    public final Counter fragmentQueueFullDropped = counter("fragmentQueueFullDropped");
    public final Counter reassembliesInFlight = counter("reassembliesInFlight");
    public final Counter reassemblyBytesHeld = counter("reassemblyBytesHeld");
    public final Counter reassemblyBytesHeldMax = counter("reassemblyBytesHeldMax");
    /** Datagrams with IP options: accepted, options ignored. */
    public final Counter optionsIgnored = counter("optionsIgnored");
    public final Counter icmpErrorsSent = counter("icmpErrorsSent");
    public final Counter icmpErrorsRateLimited = counter("icmpErrorsRateLimited");
    public final Counter packetsSent = counter("packetsSent");
    public final Counter fragmentsSent = counter("fragmentsSent");
    /** A transport asked to send more than fits an IPv4 datagram (65,515 bytes of payload). */
    public final Counter oversizeDropped = counter("oversizeDropped");
    public final Counter noRouteDropped = counter("noRouteDropped");
    /** Larger than the MTU with Don't Fragment set. */
    public final Counter fragmentationNeededDropped = counter("fragmentationNeededDropped");
    /** Sent to our own address and delivered locally. */
    public final Counter loopedBack = counter("loopedBack");

    public Ipv4Counters(String owner) {
        super(owner);
    }
}
