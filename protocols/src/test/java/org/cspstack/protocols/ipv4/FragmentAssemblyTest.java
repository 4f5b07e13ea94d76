package org.cspstack.protocols.ipv4;

import static org.cspstack.protocols.ipv4.FragmentAssembly.Outcome.COMPLETE;
import static org.cspstack.protocols.ipv4.FragmentAssembly.Outcome.DUPLICATE;
import static org.cspstack.protocols.ipv4.FragmentAssembly.Outcome.INCOMPLETE;
import static org.cspstack.protocols.ipv4.FragmentAssembly.Outcome.INCONSISTENT;
import static org.cspstack.protocols.ipv4.FragmentAssembly.Outcome.OVERLAP;
import static org.cspstack.protocols.ipv4.FragmentAssembly.Outcome.REJECTED;
import static org.cspstack.protocols.ipv4.FragmentAssembly.Outcome.TOO_LONG;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.wire.Bytes;
import org.cspstack.core.wire.IcmpRepr;
import org.cspstack.core.wire.IpProtocol;
import org.cspstack.core.wire.Ipv4Address;
import org.cspstack.core.wire.Ipv4Packet;
import org.cspstack.core.wire.Ipv4Repr;
import org.cspstack.core.wire.MalformedPacketException;
import org.cspstack.protocols.ipv4.FragmentAssembly.Outcome;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link FragmentAssembly} as a table of named cases, in the manner of gVisor's packetimpact reassembly list:
 * each case is a sequence of fragments (offset, data length, MF), each with the outcome and the
 * {@link FragmentAssembly#bytesHeld()} expected after it, and, when the datagram completes, its data length.
 * Every fragment is a real packet: emitted from an {@link Ipv4Repr}, placed at a non-zero array offset with
 * link padding behind it, and wrapped with {@link Ipv4Packet#wrapChecked}. Its data is the original datagram's
 * bytes at its offset, or {@code 0xee} filler for a "garbage" fragment (to show that ignored data stays out).
 */
class FragmentAssemblyTest {

    private static final Ipv4Address SOURCE = Ipv4Address.parse("198.18.0.1");
    private static final Ipv4Address DESTINATION = Ipv4Address.parse("198.19.255.2");
    private static final int IDENTIFICATION = 0xbeef;
    private static final int FIRST_TTL = 64;
    /** Later fragments may come another way: a different TTL shows the header is fragment 0's. */
    private static final int OTHER_TTL = 57;
    /** DSCP EF (46), ECN 0, on fragment 0 only. */
    private static final int FIRST_DSCP_ECN = 46 << 2;
    /** Record Route with no room for addresses (type 7, length 3, pointer 4), then End of Options: not copied. */
    private static final byte[] RECORD_ROUTE = {7, 3, 4, 0};
    private static final int LEAD = 5;
    private static final int LINK_PADDING = 6;

    private static final boolean MF = true;
    private static final boolean LAST = false;

    /** One fragment and what is expected after feeding it. */
    record Frag(int offset, int length, boolean more, boolean garbage, Outcome expected, int heldAfter) {
        @Override
        public String toString() {
            return "[" + offset + ", " + (offset + length) + ")" + (more ? " MF" : "") + (garbage ? " garbage" : "");
        }
    }

    /**
     * A datagram's fragments in arrival order.
     *
     * @param firstOptions   options bytes in fragment 0 only (0 or 4)
     * @param dontFragment   DF on every fragment
     * @param datagramLength the data length when the last fragment completes it, or -1
     */
    record Case(int firstOptions, boolean dontFragment, List<Frag> fragments, int datagramLength) {
    }

    private static Frag f(int offset, int length, boolean more, Outcome expected, int heldAfter) {
        return new Frag(offset, length, more, false, expected, heldAfter);
    }

    /** A fragment whose data is filler, not the datagram's bytes. */
    private static Frag g(int offset, int length, boolean more, Outcome expected, int heldAfter) {
        return new Frag(offset, length, more, true, expected, heldAfter);
    }

    private static Arguments named(String name, int datagramLength, Frag... fragments) {
        return named(name, 0, false, datagramLength, List.of(fragments));
    }

    private static Arguments named(String name, int firstOptions, boolean df, int datagramLength,
                                   List<Frag> fragments) {
        return Arguments.of(Named.of(name, new Case(firstOptions, df, fragments, datagramLength)));
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                named("two fragments", 20,
                        f(0, 16, MF, INCOMPLETE, 16),
                        f(16, 4, LAST, COMPLETE, 20)),
                named("three fragments", 3000,
                        f(0, 1480, MF, INCOMPLETE, 1480),
                        f(1480, 1480, MF, INCOMPLETE, 2960),
                        f(2960, 40, LAST, COMPLETE, 3000)),
                named("out of order", 28,
                        f(8, 8, MF, INCOMPLETE, 8),
                        f(24, 4, LAST, INCOMPLETE, 12),
                        f(0, 8, MF, INCOMPLETE, 20),
                        f(16, 8, MF, COMPLETE, 28)),
                named("reverse order", 37,
                        f(32, 5, LAST, INCOMPLETE, 5),
                        f(24, 8, MF, INCOMPLETE, 13),
                        f(16, 8, MF, INCOMPLETE, 21),
                        f(8, 8, MF, INCOMPLETE, 29),
                        f(0, 8, MF, COMPLETE, 37)),
                named("exact duplicate is ignored, first data kept; anything after COMPLETE is rejected", 24,
                        f(0, 16, MF, INCOMPLETE, 16),
                        g(0, 16, MF, DUPLICATE, 16),
                        f(16, 8, LAST, COMPLETE, 24),
                        f(16, 8, LAST, REJECTED, 24)),
                named("duplicate last fragment", 20,
                        f(16, 4, LAST, INCOMPLETE, 4),
                        g(16, 4, LAST, DUPLICATE, 4),
                        f(0, 16, MF, COMPLETE, 20)),
                named("subset of one fragment", 40,
                        f(0, 32, MF, INCOMPLETE, 32),
                        g(8, 8, MF, DUPLICATE, 32),
                        f(32, 8, LAST, COMPLETE, 40)),
                named("subset spanning two fragments", 33,
                        f(0, 16, MF, INCOMPLETE, 16),
                        f(16, 16, MF, INCOMPLETE, 32),
                        g(8, 16, MF, DUPLICATE, 32),
                        f(32, 1, LAST, COMPLETE, 33)),
                named("partial overlap at the end of received data; then everything is rejected", -1,
                        f(0, 16, MF, INCOMPLETE, 16),
                        f(8, 16, MF, OVERLAP, 16),
                        f(16, 8, LAST, REJECTED, 16)),
                named("partial overlap at the start of received data", -1,
                        f(16, 16, MF, INCOMPLETE, 16),
                        f(8, 16, MF, OVERLAP, 16)),
                named("superset of received data", -1,
                        f(8, 8, MF, INCOMPLETE, 8),
                        f(0, 24, MF, OVERLAP, 8)),
                named("last fragment overlapping received data", -1,
                        f(0, 16, MF, INCOMPLETE, 16),
                        f(8, 12, LAST, OVERLAP, 16)),
                named("zero-length fragments are rejected, the datagram goes on", 24,
                        f(0, 16, MF, INCOMPLETE, 16),
                        f(16, 0, MF, REJECTED, 16),
                        f(16, 0, LAST, REJECTED, 16),
                        f(16, 8, LAST, COMPLETE, 24)),
                named("non-last fragments of 7 bytes are rejected, the datagram goes on", 12,
                        f(0, 7, MF, REJECTED, 0),
                        f(0, 8, MF, INCOMPLETE, 8),
                        f(8, 7, MF, REJECTED, 8),
                        f(8, 4, LAST, COMPLETE, 12)),
                named("ping of death: offset 65528 with 16 bytes", -1,
                        f(0, 1480, MF, INCOMPLETE, 1480),
                        f(65528, 16, LAST, TOO_LONG, 1480),
                        f(1480, 8, LAST, REJECTED, 1480)),
                named("one byte beyond 65,535", -1,
                        f(65512, 4, LAST, TOO_LONG, 0)),
                named("non-last fragment beyond 65,535", -1,
                        f(65520, 16, MF, TOO_LONG, 0)),
                named("teardrop as sent: a 36-byte first fragment with MF breaks the multiple of 8", -1,
                        f(0, 36, MF, REJECTED, 0),
                        f(24, 4, LAST, INCOMPLETE, 4)),
                named("teardrop with a 40-byte first fragment: the last fragment ends inside it", -1,
                        f(0, 40, MF, INCOMPLETE, 40),
                        f(24, 4, LAST, INCONSISTENT, 40)),
                named("teardrop subset with MF: duplicate", 44,
                        f(0, 40, MF, INCOMPLETE, 40),
                        g(24, 8, MF, DUPLICATE, 40),
                        f(40, 4, LAST, COMPLETE, 44)),
                named("teardrop variant starting inside the first fragment and extending beyond it", -1,
                        f(0, 40, MF, INCOMPLETE, 40),
                        f(24, 24, MF, OVERLAP, 40)),
                named("teardrop variant, the overlapping fragment being the last", -1,
                        f(0, 40, MF, INCOMPLETE, 40),
                        f(24, 28, LAST, OVERLAP, 40)),
                named("64 bytes in 8-byte fragments, shuffled", 64,
                        f(40, 8, MF, INCOMPLETE, 8),
                        f(16, 8, MF, INCOMPLETE, 16),
                        f(56, 8, LAST, INCOMPLETE, 24),
                        f(0, 8, MF, INCOMPLETE, 32),
                        f(24, 8, MF, INCOMPLETE, 40),
                        f(48, 8, MF, INCOMPLETE, 48),
                        f(8, 8, MF, INCOMPLETE, 56),
                        f(32, 8, MF, COMPLETE, 64)),
                named("two last fragments, the second ending further", -1,
                        f(16, 8, LAST, INCOMPLETE, 8),
                        f(16, 16, LAST, INCONSISTENT, 8)),
                named("two last fragments, the second ending sooner", -1,
                        f(16, 16, LAST, INCOMPLETE, 16),
                        f(16, 8, LAST, INCONSISTENT, 16)),
                named("data beyond the known end", -1,
                        f(16, 8, LAST, INCOMPLETE, 8),
                        f(24, 8, MF, INCONSISTENT, 8)),
                named("last fragment ending before data already received", -1,
                        f(0, 8, MF, INCOMPLETE, 8),
                        f(16, 8, MF, INCOMPLETE, 16),
                        f(8, 4, LAST, INCONSISTENT, 16)),
                named("a last fragment inside data already received is a duplicate and fixes no end", 24,
                        f(0, 16, MF, INCOMPLETE, 16),
                        f(8, 8, LAST, DUPLICATE, 16),
                        f(16, 8, LAST, COMPLETE, 24)),
                named("fragment 0 is also the last, with fewer than 8 bytes", 4,
                        f(0, 4, LAST, COMPLETE, 4)),
                named("maximum size: 65,515 bytes in 1480-byte fragments", 65515, false,
                        inOrder(65515, 1480)),
                named("maximum size, the last fragment first", 65515, false,
                        lastFirst(65515, 1480)),
                named("options in fragment 0 (IHL 6) are kept", 4, false, 20, List.of(
                        f(8, 8, MF, INCOMPLETE, 8),
                        f(0, 8, MF, INCOMPLETE, 16),
                        f(16, 4, LAST, COMPLETE, 20))),
                named("DF is kept", 0, true, 10, List.of(
                        f(8, 2, LAST, INCOMPLETE, 2),
                        f(0, 8, MF, COMPLETE, 10))),
                named("options in fragment 0 make data received earlier too long", 4, false, -1, List.of(
                        f(65512, 3, LAST, INCOMPLETE, 3),
                        f(0, 8, MF, TOO_LONG, 3))),
                named("options in fragment 0 make a later last fragment too long", 4, false, -1, List.of(
                        f(0, 8, MF, INCOMPLETE, 8),
                        f(65504, 8, LAST, TOO_LONG, 8),
                        f(65504, 7, LAST, REJECTED, 8))),
                named("options in fragment 0: a last fragment ending at 65,535 - 24 is accepted", 4, false, -1, List.of(
                        f(0, 8, MF, INCOMPLETE, 8),
                        f(65504, 7, LAST, INCOMPLETE, 15))));
    }

    private static Arguments named(String name, int length, boolean df, Frag[] fragments) {
        return named(name, 0, df, length, List.of(fragments));
    }

    /** A datagram of {@code length} data bytes cut in order into fragments of {@code size}. */
    private static Frag[] inOrder(int length, int size) {
        List<Frag> out = new ArrayList<>();
        for (int off = 0; off < length; off += size) {
            int n = Math.min(size, length - off);
            boolean more = off + n < length;
            out.add(f(off, n, more, more ? INCOMPLETE : COMPLETE, off + n));
        }
        return out.toArray(new Frag[0]);
    }

    /** The same, the last fragment sent first (as some stacks do). */
    private static Frag[] lastFirst(int length, int size) {
        Frag[] ordered = inOrder(length, size);
        Frag last = ordered[ordered.length - 1];
        List<Frag> out = new ArrayList<>();
        out.add(f(last.offset(), last.length(), LAST, INCOMPLETE, last.length()));
        for (int k = 0; k < ordered.length - 1; k++) {
            Frag o = ordered[k];
            boolean done = k == ordered.length - 2;
            out.add(f(o.offset(), o.length(), MF, done ? COMPLETE : INCOMPLETE, last.length() + o.offset() + o.length()));
        }
        return out.toArray(new Frag[0]);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reassembles(Case c) throws MalformedPacketException {
        FragmentAssembly assembly = new FragmentAssembly();
        Ipv4Packet first = null;
        int accepted = 0;
        boolean complete = false;
        for (int k = 0; k < c.fragments().size(); k++) {
            Frag frag = c.fragments().get(k);
            Ipv4Packet packet = fragment(frag, c);
            Outcome outcome = assembly.add(packet);
            String step = "fragment " + k + " " + frag;
            assertThat(step, outcome, is(frag.expected()));
            if (outcome == INCOMPLETE || outcome == COMPLETE) {
                accepted++;
                if (frag.offset() == 0) {
                    first = packet;
                }
            }
            complete |= outcome == COMPLETE;
            assertThat(step + ": bytes held", assembly.bytesHeld(), is(frag.heldAfter()));
            assertThat(step + ": fragments accepted", assembly.fragmentsAccepted(), is(accepted));
            assertThat(step + ": has fragment 0", assembly.hasFirstFragment(), is(first != null));
            if (first == null) {
                assertThat(step + ": quote", assembly.firstFragmentQuote(), is(nullValue()));
            } else {
                byte[] quote = assembly.firstFragmentQuote();
                assertThat(step + ": quote", Bytes.hex(quote), is(Bytes.hex(IcmpRepr.quote(first))));
                assertThat(step + ": quote length", quote.length,
                        is(first.headerLength() + Math.min(8, first.payloadLength())));
            }
            if (!complete) {
                assertThrows(IllegalStateException.class, assembly::assemble, step);
            }
        }
        assertThat("completed", complete, is(c.datagramLength() >= 0));
        if (complete) {
            checkDatagram(assembly.assemble(), first, c);
        }
    }

    private static void checkDatagram(PacketBuffer out, Ipv4Packet first, Case c) throws MalformedPacketException {
        int headerLength = Ipv4Packet.MIN_HEADER_LENGTH + c.firstOptions();
        int totalLength = headerLength + c.datagramLength();
        assertThat(out.headroom(), is(PacketBuffer.DEFAULT_HEADROOM));
        assertThat(out.length(), is(totalLength));
        Ipv4Packet ip = Ipv4Packet.wrapChecked(out.array(), out.start(), out.length());
        assertThat(ip.headerLength(), is(headerLength));
        assertThat(ip.totalLength(), is(totalLength));
        assertThat(ip.moreFragments(), is(false));
        assertThat(ip.fragmentOffset(), is(0));
        assertThat(ip.isFragment(), is(false));
        assertThat(ip.dontFragment(), is(c.dontFragment()));
        assertThat(ip.ttl(), is(FIRST_TTL));
        assertThat(ip.dscpEcn(), is(FIRST_DSCP_ECN));
        assertThat(ip.identification(), is(IDENTIFICATION));
        assertThat(ip.protocol(), is(IpProtocol.UDP));
        assertThat(ip.source(), is(SOURCE));
        assertThat(ip.destination(), is(DESTINATION));
        if (c.firstOptions() > 0) {
            assertThat(Bytes.hex(out.array(), ip.optionsOffset(), ip.optionsLength()), is(Bytes.hex(RECORD_ROUTE)));
        }
        // Apart from total length, flags/offset and checksum, the header is fragment 0's, byte for byte.
        assertThat(Bytes.hex(headerWithoutChangedFields(out.array(), out.start(), headerLength)),
                is(Bytes.hex(headerWithoutChangedFields(first.buffer(), first.offset(), headerLength))));
        assertThat(Arrays.equals(out.array(), ip.payloadOffset(), ip.payloadOffset() + ip.payloadLength(),
                original(c.datagramLength()), 0, c.datagramLength()), is(true));
    }

    private static byte[] headerWithoutChangedFields(byte[] b, int offset, int headerLength) {
        byte[] h = Arrays.copyOfRange(b, offset, offset + headerLength);
        Bytes.putU16(h, Ipv4Packet.TOTAL_LENGTH, 0);
        Bytes.putU16(h, Ipv4Packet.FLAGS_FRAGMENT_OFFSET, 0);
        Bytes.putU16(h, Ipv4Packet.HEADER_CHECKSUM, 0);
        return h;
    }

    /** The original datagram's data byte at {@code position}: no period of 256, so misplaced data shows. */
    private static byte dataAt(int position) {
        return (byte) (position * 31 + (position >>> 8) * 7 + 1);
    }

    static byte[] original(int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = dataAt(i);
        }
        return b;
    }

    /** The fragment as received: at array offset {@link #LEAD}, with {@link #LINK_PADDING} bytes behind it. */
    private static Ipv4Packet fragment(Frag frag, Case c) throws MalformedPacketException {
        return fragment(frag, c, DESTINATION);
    }

    /** The same, sent to {@code destination} (the IPv4 layer's tests send the table's cases to themselves). */
    static Ipv4Packet fragment(Frag frag, Case c, Ipv4Address destination) throws MalformedPacketException {
        boolean first = frag.offset() == 0;
        int headerLength = Ipv4Packet.MIN_HEADER_LENGTH + (first ? c.firstOptions() : 0);
        byte[] b = new byte[LEAD + headerLength + frag.length() + LINK_PADDING];
        Arrays.fill(b, (byte) 0xab);
        Ipv4Packet ip = Ipv4Packet.wrap(b, LEAD, headerLength + frag.length());
        new Ipv4Repr(SOURCE, destination, IpProtocol.UDP, first ? FIRST_TTL : OTHER_TTL, IDENTIFICATION,
                c.dontFragment(), frag.more(), frag.offset(), frag.length()).emit(ip);
        if (first) {
            ip.setDscpEcn(FIRST_DSCP_ECN);
            if (c.firstOptions() > 0) {
                System.arraycopy(RECORD_ROUTE, 0, b, ip.optionsOffset(), RECORD_ROUTE.length);
                ip.setHeaderLength(headerLength);
                ip.setTotalLength(headerLength + frag.length());
            }
            ip.fillChecksum();
        }
        for (int i = 0; i < frag.length(); i++) {
            b[LEAD + headerLength + i] = frag.garbage() ? (byte) 0xee : dataAt(frag.offset() + i);
        }
        return Ipv4Packet.wrapChecked(b, LEAD, b.length - LEAD);
    }

    @Test
    void terminalOutcomesAreThoseThatDropTheDatagram() {
        for (Outcome o : Outcome.values()) {
            assertThat(o.name(), o.terminal(), is(o == OVERLAP || o == TOO_LONG || o == INCONSISTENT));
        }
    }

    @Test
    void assembleBeforeAnyFragmentFails() {
        FragmentAssembly assembly = new FragmentAssembly();
        assertThrows(IllegalStateException.class, assembly::assemble);
        assertThat(assembly.bytesHeld(), is(0));
        assertThat(assembly.hasFirstFragment(), is(false));
        assertThat(assembly.firstFragmentQuote(), is(nullValue()));
    }

    @Test
    void copiesTheFragmentsSoTheirBuffersMayBeReused() throws MalformedPacketException {
        Case c = new Case(0, false, List.of(), 24);
        FragmentAssembly assembly = new FragmentAssembly();
        Ipv4Packet a = fragment(f(0, 16, MF, INCOMPLETE, 16), c);
        assertThat(assembly.add(a), is(INCOMPLETE));
        Arrays.fill(a.buffer(), (byte) 0x55);
        assertThat(assembly.add(fragment(f(16, 8, LAST, COMPLETE, 24), c)), is(COMPLETE));
        PacketBuffer out = assembly.assemble();
        assertThat(Arrays.equals(out.array(), out.start() + 20, out.end(), original(24), 0, 24), is(true));
    }

    @Test
    void eachAssembleIsANewBuffer() throws MalformedPacketException {
        Case c = new Case(0, false, List.of(), 12);
        FragmentAssembly assembly = new FragmentAssembly();
        assembly.add(fragment(f(8, 4, LAST, INCOMPLETE, 4), c));
        assembly.add(fragment(f(0, 8, MF, COMPLETE, 12), c));
        PacketBuffer one = assembly.assemble();
        PacketBuffer two = assembly.assemble();
        assertThat(one.array() != two.array(), is(true));
        assertThat(Bytes.hex(one.toByteArray()), is(Bytes.hex(two.toByteArray())));
    }

    @Test
    void toStringShowsTheHoles() throws MalformedPacketException {
        Case c = new Case(0, false, List.of(), -1);
        FragmentAssembly assembly = new FragmentAssembly();
        assembly.add(fragment(f(8, 8, MF, INCOMPLETE, 8), c));
        assertThat(assembly.toString(), is("FragmentAssembly[1 fragments, 8 bytes, holes [0, 8) [16, inf)]"));
    }
}
