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
    /** Fragments are counted here until reassembly is in place. */
    public final Counter fragmentsDropped = counter("fragmentsDropped");
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
