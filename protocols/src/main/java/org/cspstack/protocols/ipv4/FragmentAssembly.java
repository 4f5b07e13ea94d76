package org.cspstack.protocols.ipv4;

import java.util.Arrays;
import java.util.Objects;

import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.wire.Ipv4Packet;

/**
 * The reassembly of one IPv4 datagram from its fragments (RFC 791 section 3.2, RFC 815): plain logic, no clock
 * and no channels. The IP layer's reassembly process for one (source, destination, protocol, identification)
 * feeds it every fragment with {@link #add}, calls {@link #assemble} on {@link Outcome#COMPLETE}, and gives up
 * on a {@link Outcome#terminal() terminal} outcome or when its own timer runs out.
 *
 * <p><b>Policy.</b>
 * <ul>
 * <li><b>Holes (RFC 815).</b> What is still missing is a sorted list of disjoint holes {@code [first, end)},
 * initially the single open hole {@code [0, infinity)}. A fragment covering data bytes {@code [offset, end)}
 * is <em>new</em> when it lies entirely inside one hole: that hole is replaced by what is left of it on either
 * side (RFC 815 steps 4 to 6). It is a {@link Outcome#DUPLICATE} when it intersects no hole (an exact repeat,
 * or a subset of data already received): it is ignored and the data received first stays. Otherwise it
 * touches both received data and a hole (a partial overlap, or a fragment covering data received earlier and
 * more): {@link Outcome#OVERLAP}, and the whole datagram is dropped, as RFC 5722 and RFC 8200 section 4.5
 * require for IPv6 (with their exception for exact duplicates) and as gVisor and lwIP do for IPv4. Overlaps
 * are never resolved, so the overlapping-fragment attacks of RFC 1858 (rewriting a TCP header) and the
 * teardrop family (a fragment starting inside another one) cannot change what is delivered.</li>
 * <li><b>The end.</b> The last fragment (MF clear) fixes the datagram's length: the open hole is cut at its
 * end. After that, data beyond the end, or another last fragment with a different end, is
 * {@link Outcome#INCONSISTENT}; so is a last fragment that ends before data already received. A last
 * fragment whose data had all arrived already is a {@link Outcome#DUPLICATE} like any other, and does not fix
 * the end (its sender contradicts itself; the datagram then waits for its timeout).</li>
 * <li><b>Size.</b> A fragment whose data would end beyond {@code 65,535 - header length} (a reassembled total
 * length above 65,535: the ping of death) is {@link Outcome#TOO_LONG}. The header length is fragment 0's
 * once it has arrived (it is the reassembled datagram's header), before that the fragment's own; when
 * fragment 0 arrives, the data already received is checked against its header too.</li>
 * <li><b>Refused fragments.</b> A fragment with no data, and a fragment with MF set whose data length is not
 * a multiple of 8 (the next one could not start where it ends), is {@link Outcome#REJECTED}: it is ignored
 * and the datagram goes on. So is every fragment after a terminal outcome or {@link Outcome#COMPLETE}.</li>
 * <li><b>Headers.</b> The reassembled datagram gets fragment 0's header, options included. Header lengths
 * are not compared between fragments: RFC 791 copies only the options with the "copied" flag into every
 * fragment, so later fragments are legitimately shorter than fragment 0 when it carries, for example, Record
 * Route or Timestamp. Nothing else in later fragments' headers is looked at: the caller keys fragments by
 * source, destination, protocol and identification, and the header checksum was checked before.</li>
 * <li><b>Memory.</b> Accepted data is appended, in arrival order, to one byte array that grows geometrically
 * as needed, never beyond 65,515 bytes (the largest datagram's data), with the offset and length of each
 * accepted fragment alongside; {@link #assemble} puts the pieces in place. Memory therefore follows what
 * arrived, not where it goes: a single fragment near offset 65,000 costs its own length, not 64 KiB. Since new
 * fragments never overlap, {@link #bytesHeld()} is both the distinct data bytes received and the data kept;
 * the data array is less than twice that, the bookkeeping 8 bytes per accepted fragment and per hole (up to
 * twice that while the arrays grow), plus fragment 0's header. Every accepted fragment but the last holds at least 8 bytes of the 65,515, so at most 8,190
 * fragments are accepted, and since each one splits at most one hole in two, there are never more holes than
 * accepted fragments plus one. Finding a fragment's hole is a binary search.</li>
 * <li><b>Not done here.</b> The timeout, and the ICMP Time Exceeded that RFC 792 sends when it fires with
 * fragment 0 present ({@link #firstFragmentQuote} is what it quotes), belong to the caller's process; limits
 * on memory across datagrams belong to the IP layer. ECN codepoints of later fragments are not merged into
 * the reassembled header (RFC 3168 section 5.3): it has fragment 0's.</li>
 * </ul>
 *
 * <p>Not thread-safe: it belongs to one process.
 */
public final class FragmentAssembly {

    /** What {@link #add} did with a fragment. */
    public enum Outcome {
        /** New data accepted, holes remain. */
        INCOMPLETE,
        /** New data accepted and the last hole is filled: call {@link #assemble()}. */
        COMPLETE,
        /** Entirely inside data already received (an exact repeat or a subset): ignored. */
        DUPLICATE,
        /**
         * This fragment alone is refused and the datagram goes on: no data, or MF set with a data length that
         * is not a multiple of 8, or the reassembly is already complete or has failed.
         */
        REJECTED,
        /** Overlaps data already received and a hole (teardrop and friends): drop the whole datagram. */
        OVERLAP,
        /** The datagram would be longer than 65,535 bytes (ping of death): drop the whole datagram. */
        TOO_LONG,
        /**
         * The fragments disagree about where the datagram ends (a second last fragment with another end, data
         * beyond the known end, a last fragment ending before data already received): drop the whole datagram.
         */
        INCONSISTENT;

        /** True for the outcomes after which the whole datagram must be dropped. */
        public boolean terminal() {
            return this == OVERLAP || this == TOO_LONG || this == INCONSISTENT;
        }
    }

    /** The most data a datagram can carry: 65,535 minus the shortest header. */
    static final int MAX_DATA_LENGTH = Ipv4Packet.MAX_TOTAL_LENGTH - Ipv4Packet.MIN_HEADER_LENGTH;

    /** The end of the open hole, before the last fragment has arrived. */
    private static final int OPEN = Integer.MAX_VALUE;

    private static final byte[] NO_DATA = new byte[0];

    /** Holes as pairs {@code [first, end)}, sorted and disjoint, in {@code holes[0, 2 * holeCount)}. */
    private int[] holes = {0, OPEN, 0, 0};
    private int holeCount = 1;

    /** Accepted data in arrival order, in {@code data[0, bytesHeld)}. */
    private byte[] data = NO_DATA;
    private int bytesHeld;

    /** Offset in the datagram and length of each accepted fragment, in arrival order, as pairs. */
    private int[] pieces = new int[8];
    private int fragmentsAccepted;

    /** The end of the furthest data accepted; the datagram's data length once {@link #endKnown}. */
    private int furthestEnd;
    /** True once the last fragment (MF clear) has been accepted. */
    private boolean endKnown;

    /** Fragment 0's header, options included, as received; null until it arrives. */
    private byte[] firstHeader;
    /** Where fragment 0's data starts in {@link #data}, and its length. */
    private int firstPosition;
    private int firstLength;

    private boolean complete;
    private boolean failed;

    /**
     * Feeds one fragment, whose bytes are copied (the packet may be reused afterwards).
     *
     * @param packet a fragment that passed {@link Ipv4Packet#wrapChecked}; only its fragment offset, MF flag,
     *               header and payload are read
     */
    public Outcome add(Ipv4Packet packet) {
        Objects.requireNonNull(packet, "packet");
        if (complete || failed) {
            return Outcome.REJECTED;
        }
        int offset = packet.fragmentOffset();
        int length = packet.payloadLength();
        boolean more = packet.moreFragments();
        if (length == 0 || (more && (length & 7) != 0)) {
            return Outcome.REJECTED;
        }
        int end = offset + length; // at most 65,528 + 65,515: no overflow

        int headerLength = firstHeader != null ? firstHeader.length : packet.headerLength();
        int reach = offset == 0 ? Math.max(end, furthestEnd) : end;
        if (reach > Ipv4Packet.MAX_TOTAL_LENGTH - headerLength) {
            return fail(Outcome.TOO_LONG);
        }
        if ((endKnown && end > furthestEnd) || (!more && end < furthestEnd)) {
            return fail(Outcome.INCONSISTENT);
        }

        int i = firstHoleEndingAfter(offset);
        if (i == holeCount || holes[2 * i] >= end) {
            return Outcome.DUPLICATE;
        }
        int holeFirst = holes[2 * i];
        int holeEnd = holes[2 * i + 1];
        if (offset < holeFirst || end > holeEnd) {
            return fail(Outcome.OVERLAP);
        }

        fillHole(i, holeFirst, holeEnd, offset, end, more);
        if (!more) {
            endKnown = true;
        }
        furthestEnd = Math.max(furthestEnd, end);
        if (offset == 0) {
            firstHeader = Arrays.copyOfRange(packet.buffer(), packet.offset(),
                    packet.offset() + packet.headerLength());
            firstPosition = bytesHeld;
            firstLength = length;
        }
        keep(packet.buffer(), packet.payloadOffset(), offset, length);
        if (holeCount == 0) {
            complete = true;
            return Outcome.COMPLETE;
        }
        return Outcome.INCOMPLETE;
    }

    /** Data bytes held now: the distinct bytes of the datagram's data received so far. */
    public int bytesHeld() {
        return bytesHeld;
    }

    /** Fragments accepted (outcome {@link Outcome#INCOMPLETE} or {@link Outcome#COMPLETE}). */
    public int fragmentsAccepted() {
        return fragmentsAccepted;
    }

    /** True once the fragment with offset 0 has been accepted. */
    public boolean hasFirstFragment() {
        return firstHeader != null;
    }

    /**
     * What an ICMP Time Exceeded (reassembly) quotes, as {@link org.cspstack.core.wire.IcmpRepr#quote} would
     * quote fragment 0: its IP header as received, options included, and its first 8 data bytes (fewer if it
     * has fewer). A new array each time; null before fragment 0 has arrived.
     */
    public byte[] firstFragmentQuote() {
        if (firstHeader == null) {
            return null;
        }
        int n = Math.min(8, firstLength);
        byte[] quote = Arrays.copyOf(firstHeader, firstHeader.length + n);
        System.arraycopy(data, firstPosition, quote, firstHeader.length, n);
        return quote;
    }

    /**
     * The reassembled datagram, after {@link Outcome#COMPLETE}: a new buffer with
     * {@link PacketBuffer#DEFAULT_HEADROOM} in front holding fragment 0's header (options kept) and all the
     * data, with total length = header + data, MF clear, fragment offset 0, and the header checksum
     * recomputed; every other header field (DF included) is fragment 0's. Each call builds a new buffer.
     *
     * @throws IllegalStateException before {@link Outcome#COMPLETE}
     */
    public PacketBuffer assemble() {
        if (!complete) {
            throw new IllegalStateException("datagram not complete: " + this);
        }
        int headerLength = firstHeader.length;
        int totalLength = headerLength + furthestEnd;
        PacketBuffer out = PacketBuffer.allocate(PacketBuffer.DEFAULT_HEADROOM, totalLength);
        byte[] a = out.array();
        int base = out.start();
        System.arraycopy(firstHeader, 0, a, base, headerLength);
        int position = 0;
        for (int k = 0; k < fragmentsAccepted; k++) {
            int length = pieces[2 * k + 1];
            System.arraycopy(data, position, a, base + headerLength + pieces[2 * k], length);
            position += length;
        }
        Ipv4Packet ip = Ipv4Packet.wrap(a, base, totalLength);
        ip.setTotalLength(totalLength);
        ip.setMoreFragments(false);
        ip.setFragmentOffset(0);
        ip.fillChecksum();
        return out;
    }

    /** For logs: progress and holes. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("FragmentAssembly[").append(fragmentsAccepted).append(" fragments, ")
                .append(bytesHeld).append(" bytes");
        if (failed) {
            s.append(", failed");
        } else if (complete) {
            s.append(", complete");
        } else {
            s.append(", holes");
            for (int k = 0; k < holeCount; k++) {
                int end = holes[2 * k + 1];
                s.append(" [").append(holes[2 * k]).append(", ").append(end == OPEN ? "inf" : end).append(')');
            }
        }
        return s.append(']').toString();
    }

    private Outcome fail(Outcome outcome) {
        failed = true;
        return outcome;
    }

    /** The index of the first hole whose end is beyond {@code offset}, or {@link #holeCount} if none. */
    private int firstHoleEndingAfter(int offset) {
        int lo = 0;
        int hi = holeCount;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (holes[2 * mid + 1] > offset) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /**
     * Replaces hole {@code i}, {@code [holeFirst, holeEnd)}, by what {@code [offset, end)} leaves of it: the
     * part before, and the part after unless this is the last fragment (which cuts the open hole at its end;
     * a finite hole it fills ends exactly where it ends).
     */
    private void fillHole(int i, int holeFirst, int holeEnd, int offset, int end, boolean more) {
        boolean before = offset > holeFirst;
        boolean after = more && end < holeEnd;
        int replacements = (before ? 1 : 0) + (after ? 1 : 0);
        if (replacements == 2 && 2 * (holeCount + 1) > holes.length) {
            holes = Arrays.copyOf(holes, 2 * holes.length);
        }
        if (replacements != 1) {
            System.arraycopy(holes, 2 * (i + 1), holes, 2 * (i + replacements), 2 * (holeCount - i - 1));
        }
        holeCount += replacements - 1;
        int k = 2 * i;
        if (before) {
            holes[k++] = holeFirst;
            holes[k++] = offset;
        }
        if (after) {
            holes[k++] = end;
            holes[k] = holeEnd;
        }
    }

    /** Appends an accepted fragment's data and records where it goes. */
    private void keep(byte[] src, int srcOffset, int offset, int length) {
        int needed = bytesHeld + length; // new fragments are disjoint: at most MAX_DATA_LENGTH
        if (needed > data.length) {
            data = Arrays.copyOf(data, Math.min(MAX_DATA_LENGTH, Math.max(needed, 2 * data.length)));
        }
        System.arraycopy(src, srcOffset, data, bytesHeld, length);
        bytesHeld = needed;
        if (2 * (fragmentsAccepted + 1) > pieces.length) {
            pieces = Arrays.copyOf(pieces, 2 * pieces.length);
        }
        pieces[2 * fragmentsAccepted] = offset;
        pieces[2 * fragmentsAccepted + 1] = length;
        fragmentsAccepted++;
    }
}
