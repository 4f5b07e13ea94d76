package org.cspstack.core.wire;

import java.util.Objects;

/**
 * A re-wrappable view of an IPv4 packet (RFC 791; the Type of Service byte as DSCP + ECN, RFC 2474 and
 * RFC 3168).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |   DSCP    |ECN|          Total Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Identification        |Flags|      Fragment Offset    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Time to Live |    Protocol   |         Header Checksum       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       Source Address                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Destination Address                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options                    |    Padding    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Flags: bit 0 reserved (zero), bit 1 DF (don't fragment), bit 2 MF (more fragments).
 * IHL counts 32-bit words (5..15); Fragment Offset counts 8-byte units.
 * </pre>
 *
 * <p><b>Lengths.</b> The view's {@link #length()} is what the link delivered; it may exceed
 * {@link #totalLength()} because of Ethernet padding, and only {@link #totalLength()} counts: the payload is
 * {@code [payloadOffset(), payloadOffset() + payloadLength())}. Offsets are indexes into {@link #buffer()}
 * (see {@link EthernetFrame}). Lengths and offsets are in bytes, including {@link #fragmentOffset()}.
 *
 * <p>{@link #wrap} checks nothing; {@link #wrapChecked} checks version, lengths and header checksum, after
 * which no accessor can fail.
 */
public final class Ipv4Packet extends WireView<Ipv4Packet> {

    /** Offset of the version (high nibble) and IHL (low nibble). */
    public static final int VERSION_IHL = 0;
    /** Offset of DSCP (high 6 bits) and ECN (low 2 bits), formerly Type of Service. */
    public static final int DSCP_ECN = 1;
    /** Offset of the total length. */
    public static final int TOTAL_LENGTH = 2;
    /** Offset of the identification. */
    public static final int IDENTIFICATION = 4;
    /** Offset of the 16-bit word holding the flags (top 3 bits) and the fragment offset (low 13 bits). */
    public static final int FLAGS_FRAGMENT_OFFSET = 6;
    /** Offset of the time to live. */
    public static final int TTL = 8;
    /** Offset of the protocol. */
    public static final int PROTOCOL = 9;
    /** Offset of the header checksum. */
    public static final int HEADER_CHECKSUM = 10;
    /** Offset of the source address. */
    public static final int SOURCE = 12;
    /** Offset of the destination address. */
    public static final int DESTINATION = 16;
    /** Offset of the options, if the header is longer than {@value #MIN_HEADER_LENGTH} bytes. */
    public static final int OPTIONS = 20;

    /** Header length without options. */
    public static final int MIN_HEADER_LENGTH = 20;
    /** Header length with the most options (IHL 15). */
    public static final int MAX_HEADER_LENGTH = 60;
    /** Largest total length. */
    public static final int MAX_TOTAL_LENGTH = 65535;
    /** Largest fragment offset in bytes (8191 units of 8). */
    public static final int MAX_FRAGMENT_OFFSET = 0x1fff * 8;

    /** Don't Fragment, in the 16-bit word at {@link #FLAGS_FRAGMENT_OFFSET}. */
    public static final int DF = 0x4000;
    /** More Fragments, in the 16-bit word at {@link #FLAGS_FRAGMENT_OFFSET}. */
    public static final int MF = 0x2000;
    /** The fragment offset (in 8-byte units) in the 16-bit word at {@link #FLAGS_FRAGMENT_OFFSET}. */
    public static final int FRAGMENT_OFFSET_MASK = 0x1fff;

    /** An unwrapped view over no bytes, to be {@link #rewrap rewrapped} before use. */
    public Ipv4Packet() {
    }

    /** A view of {@code b[off, off+len)} without any check, for emitting. */
    public static Ipv4Packet wrap(byte[] b, int off, int len) {
        return new Ipv4Packet().rewrap(b, off, len);
    }

    /**
     * A view of received bytes {@code b[off, off+len)}; {@code len} may exceed the total length (padding).
     * Checks, in this order:
     * <ol>
     * <li>TRUNCATED if {@code len} &lt; {@value #MIN_HEADER_LENGTH};</li>
     * <li>BAD_VERSION if the version is not 4;</li>
     * <li>BAD_HEADER_LENGTH if IHL &lt; 5 or the header is longer than {@code len};</li>
     * <li>BAD_TOTAL_LENGTH if the total length is smaller than the header or larger than {@code len};</li>
     * <li>BAD_CHECKSUM if the header checksum is wrong.</li>
     * </ol>
     */
    public static Ipv4Packet wrapChecked(byte[] b, int off, int len) throws MalformedPacketException {
        return new Ipv4Packet().rewrapChecked(b, off, len);
    }

    /**
     * Points this view at received bytes after the checks of {@link #wrapChecked}; returns this. On failure
     * the view is left unchanged.
     *
     * @throws IndexOutOfBoundsException if the range is not inside {@code b} (a caller's bug, not bad input)
     */
    public Ipv4Packet rewrapChecked(byte[] b, int off, int len) throws MalformedPacketException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len < MIN_HEADER_LENGTH) {
            throw new MalformedPacketException(MalformedPacketException.Reason.TRUNCATED,
                    "IPv4 packet of " + len + " bytes, header needs at least " + MIN_HEADER_LENGTH);
        }
        int versionIhl = Bytes.u8(b, off + VERSION_IHL);
        if (versionIhl >>> 4 != 4) {
            throw new MalformedPacketException(MalformedPacketException.Reason.BAD_VERSION,
                    "IP version " + (versionIhl >>> 4) + " in an IPv4 packet");
        }
        int headerLength = (versionIhl & 0xf) * 4;
        if (headerLength < MIN_HEADER_LENGTH || headerLength > len) {
            throw new MalformedPacketException(MalformedPacketException.Reason.BAD_HEADER_LENGTH,
                    "IPv4 header length " + headerLength + " (IHL " + (versionIhl & 0xf) + ") with " + len
                            + " bytes received; must be 20.." + Math.min(MAX_HEADER_LENGTH, len));
        }
        int totalLength = Bytes.u16(b, off + TOTAL_LENGTH);
        if (totalLength < headerLength || totalLength > len) {
            throw new MalformedPacketException(MalformedPacketException.Reason.BAD_TOTAL_LENGTH,
                    "IPv4 total length " + totalLength + " with a " + headerLength + "-byte header and " + len
                            + " bytes received");
        }
        if (!Checksum.verify(b, off, headerLength)) {
            throw new MalformedPacketException(MalformedPacketException.Reason.BAD_CHECKSUM, String.format(
                    "IPv4 header checksum 0x%04x is wrong", Bytes.u16(b, off + HEADER_CHECKSUM)));
        }
        return rewrap(b, off, len);
    }

    /** Length of the view in bytes as received (at least {@link #totalLength()}; more with link padding). */
    public int length() {
        return length;
    }

    /** The version field, 4 after {@link #wrapChecked}. */
    public int version() {
        return Bytes.u8(buffer, offset + VERSION_IHL) >>> 4;
    }

    /** The header length in bytes (IHL * 4), options included. */
    public int headerLength() {
        return (Bytes.u8(buffer, offset + VERSION_IHL) & 0xf) * 4;
    }

    /** The whole DSCP/ECN byte (the former Type of Service). */
    public int dscpEcn() {
        return Bytes.u8(buffer, offset + DSCP_ECN);
    }

    /** The Differentiated Services code point, 0..63. */
    public int dscp() {
        return dscpEcn() >>> 2;
    }

    /** The ECN codepoint, 0..3. */
    public int ecn() {
        return dscpEcn() & 3;
    }

    /** Header and payload length in bytes, as the header says. */
    public int totalLength() {
        return Bytes.u16(buffer, offset + TOTAL_LENGTH);
    }

    public int identification() {
        return Bytes.u16(buffer, offset + IDENTIFICATION);
    }

    public boolean dontFragment() {
        return (Bytes.u16(buffer, offset + FLAGS_FRAGMENT_OFFSET) & DF) != 0;
    }

    public boolean moreFragments() {
        return (Bytes.u16(buffer, offset + FLAGS_FRAGMENT_OFFSET) & MF) != 0;
    }

    /** Offset of this fragment's data in the original datagram, in bytes (the field times 8). */
    public int fragmentOffset() {
        return (Bytes.u16(buffer, offset + FLAGS_FRAGMENT_OFFSET) & FRAGMENT_OFFSET_MASK) * 8;
    }

    /** True when this packet is a fragment: MF set or a non-zero fragment offset. */
    public boolean isFragment() {
        return (Bytes.u16(buffer, offset + FLAGS_FRAGMENT_OFFSET) & (MF | FRAGMENT_OFFSET_MASK)) != 0;
    }

    public int ttl() {
        return Bytes.u8(buffer, offset + TTL);
    }

    /** The payload's protocol, e.g. {@link IpProtocol#ICMP}. */
    public int protocol() {
        return Bytes.u8(buffer, offset + PROTOCOL);
    }

    public int headerChecksum() {
        return Bytes.u16(buffer, offset + HEADER_CHECKSUM);
    }

    public Ipv4Address source() {
        return Ipv4Address.read(buffer, offset + SOURCE);
    }

    /** The source as in {@link Ipv4Address#toInt()}, without allocating. */
    public int sourceAsInt() {
        return Bytes.i32(buffer, offset + SOURCE);
    }

    public Ipv4Address destination() {
        return Ipv4Address.read(buffer, offset + DESTINATION);
    }

    /** The destination as in {@link Ipv4Address#toInt()}, without allocating. */
    public int destinationAsInt() {
        return Bytes.i32(buffer, offset + DESTINATION);
    }

    /** Index in {@link #buffer()} of the first options byte (valid when {@link #optionsLength()} &gt; 0). */
    public int optionsOffset() {
        return offset + OPTIONS;
    }

    /** Bytes of options (and their padding): header length minus {@value #MIN_HEADER_LENGTH}. */
    public int optionsLength() {
        return headerLength() - MIN_HEADER_LENGTH;
    }

    /** Index in {@link #buffer()} of the first payload byte. */
    public int payloadOffset() {
        return offset + headerLength();
    }

    /** Payload bytes: total length minus header length (link padding excluded). */
    public int payloadLength() {
        return totalLength() - headerLength();
    }

    /** True when the header, checksum included, sums to 0xffff. */
    public boolean verifyChecksum() {
        return Checksum.verify(buffer, offset, headerLength());
    }

    /** Computes the header checksum over {@link #headerLength()} bytes and writes it; do this last. */
    public void fillChecksum() {
        setHeaderChecksum(0);
        setHeaderChecksum(Checksum.compute(buffer, offset, headerLength()));
    }

    /** Sets the version nibble (0..15), keeping the IHL. */
    public void setVersion(int version) {
        if (version >>> 4 != 0) {
            throw new IllegalArgumentException("IP version must be 0..15, got " + version);
        }
        int b = Bytes.u8(buffer, offset + VERSION_IHL);
        Bytes.putU8(buffer, offset + VERSION_IHL, version << 4 | (b & 0x0f));
    }

    /** Sets the IHL from a length in bytes, a multiple of 4 up to 60 (0..15 words), keeping the version. */
    public void setHeaderLength(int bytes) {
        if (bytes < 0 || bytes > MAX_HEADER_LENGTH || bytes % 4 != 0) {
            throw new IllegalArgumentException("IPv4 header length must be a multiple of 4 in 0..60, got " + bytes);
        }
        int b = Bytes.u8(buffer, offset + VERSION_IHL);
        Bytes.putU8(buffer, offset + VERSION_IHL, (b & 0xf0) | bytes / 4);
    }

    /** Sets the whole DSCP/ECN byte (low 8 bits of the argument). */
    public void setDscpEcn(int dscpEcn) {
        Bytes.putU8(buffer, offset + DSCP_ECN, dscpEcn);
    }

    /** Sets the total length (low 16 bits of the argument). */
    public void setTotalLength(int totalLength) {
        Bytes.putU16(buffer, offset + TOTAL_LENGTH, totalLength);
    }

    /** Sets the identification (low 16 bits of the argument). */
    public void setIdentification(int identification) {
        Bytes.putU16(buffer, offset + IDENTIFICATION, identification);
    }

    /** Sets or clears DF, keeping the other flags and the fragment offset. */
    public void setDontFragment(boolean dontFragment) {
        setFlag(DF, dontFragment);
    }

    /** Sets or clears MF, keeping the other flags and the fragment offset. */
    public void setMoreFragments(boolean moreFragments) {
        setFlag(MF, moreFragments);
    }

    private void setFlag(int flag, boolean on) {
        int w = Bytes.u16(buffer, offset + FLAGS_FRAGMENT_OFFSET);
        Bytes.putU16(buffer, offset + FLAGS_FRAGMENT_OFFSET, on ? w | flag : w & ~flag);
    }

    /** Sets the fragment offset in bytes, a multiple of 8 in 0..{@value #MAX_FRAGMENT_OFFSET}, keeping the flags. */
    public void setFragmentOffset(int bytes) {
        if (bytes < 0 || bytes > MAX_FRAGMENT_OFFSET || (bytes & 7) != 0) {
            throw new IllegalArgumentException(
                    "IPv4 fragment offset must be a multiple of 8 in 0.." + MAX_FRAGMENT_OFFSET + ", got " + bytes);
        }
        int w = Bytes.u16(buffer, offset + FLAGS_FRAGMENT_OFFSET);
        Bytes.putU16(buffer, offset + FLAGS_FRAGMENT_OFFSET, (w & ~FRAGMENT_OFFSET_MASK) | bytes >>> 3);
    }

    /** Sets the time to live (low 8 bits of the argument). */
    public void setTtl(int ttl) {
        Bytes.putU8(buffer, offset + TTL, ttl);
    }

    /** Sets the protocol (low 8 bits of the argument). */
    public void setProtocol(int protocol) {
        Bytes.putU8(buffer, offset + PROTOCOL, protocol);
    }

    /** Sets the header checksum field as given; see {@link #fillChecksum()} to compute it. */
    public void setHeaderChecksum(int checksum) {
        Bytes.putU16(buffer, offset + HEADER_CHECKSUM, checksum);
    }

    public void setSource(Ipv4Address source) {
        source.write(buffer, offset + SOURCE);
    }

    public void setDestination(Ipv4Address destination) {
        destination.write(buffer, offset + DESTINATION);
    }

    /** For logs: addresses, protocol, lengths and fragmentation. */
    @Override
    public String toString() {
        return "Ipv4Packet[" + source() + " > " + destination() + ", " + IpProtocol.name(protocol()) + ", ttl "
                + ttl() + ", id " + identification() + (dontFragment() ? ", DF" : "")
                + (moreFragments() ? ", MF" : "") + (fragmentOffset() != 0 ? ", frag " + fragmentOffset() : "")
                + ", " + totalLength() + " bytes]";
    }
}
