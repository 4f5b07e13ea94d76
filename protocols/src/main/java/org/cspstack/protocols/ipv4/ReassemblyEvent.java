package org.cspstack.protocols.ipv4;

import org.cspstack.core.buffer.PacketBuffer;

/**
 * What a reassembly process tells the IPv4 layer when it ends: the datagram is whole, it was dropped, or time
 * ran out. Each process sends exactly one event (none when it is evicted or the network shuts down). It also
 * says how many fragments it ignored along the way, so that the layer, the only writer of its counters, can
 * count them.
 */
public sealed interface ReassemblyEvent {
    FragmentKey key();

    /** Fragments that were exact repeats or subsets of data already there. */
    int duplicates();

    /** Fragments refused on their own (zero length, non-last not a multiple of 8). */
    int rejected();

    /** The datagram is whole: {@code datagram} starts at its IP header (checksum recomputed). */
    record Complete(FragmentKey key, PacketBuffer datagram, int fragments, int duplicates, int rejected)
            implements ReassemblyEvent {
    }

    /** The datagram was dropped whole: overlap, too long, or inconsistent fragments. */
    record Dropped(FragmentKey key, FragmentAssembly.Outcome reason, int duplicates, int rejected)
            implements ReassemblyEvent {
    }

    /**
     * The timeout ran out. {@code quote} is fragment 0's header and first 8 data bytes when it had arrived
     * (then the source gets ICMP Time Exceeded, code 1), null otherwise.
     */
    record TimedOut(FragmentKey key, byte[] quote, int duplicates, int rejected) implements ReassemblyEvent {
    }
}
