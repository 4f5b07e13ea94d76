package org.cspstack.core.wire;

import java.util.Objects;

/**
 * An IPv4 header as a value. Not represented: DSCP/ECN ({@link #emit} writes 0) and options ({@link #parse}
 * ignores them, {@link #emit} writes a {@value Ipv4Packet#MIN_HEADER_LENGTH}-byte header).
 *
 * @param source         the source address
 * @param destination    the destination address
 * @param protocol       the payload's protocol, 0..255, e.g. {@link IpProtocol#UDP}
 * @param ttl            time to live, 0..255
 * @param identification 0..65535
 * @param dontFragment   the DF flag
 * @param moreFragments  the MF flag
 * @param fragmentOffset in bytes, a multiple of 8 in 0..65528
 * @param payloadLength  bytes after the header, 0..65515 (so that the total length fits 16 bits)
 */
public record Ipv4Repr(Ipv4Address source, Ipv4Address destination, int protocol, int ttl, int identification,
                       boolean dontFragment, boolean moreFragments, int fragmentOffset, int payloadLength) {

    /** The largest payload behind a 20-byte header. */
    public static final int MAX_PAYLOAD_LENGTH = Ipv4Packet.MAX_TOTAL_LENGTH - Ipv4Packet.MIN_HEADER_LENGTH;

    /** Checks that the addresses are present and every number fits its field. */
    public Ipv4Repr {
        check(source, destination, protocol, ttl, identification, fragmentOffset, payloadLength);
    }

    private static void check(Ipv4Address source, Ipv4Address destination, int protocol, int ttl,
                              int identification, int fragmentOffset, int payloadLength) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        checkRange("protocol", protocol, 0xff);
        checkRange("ttl", ttl, 0xff);
        checkRange("identification", identification, 0xffff);
        checkRange("payloadLength", payloadLength, MAX_PAYLOAD_LENGTH);
        checkRange("fragmentOffset", fragmentOffset, Ipv4Packet.MAX_FRAGMENT_OFFSET);
        if ((fragmentOffset & 7) != 0) {
            throw new IllegalArgumentException("IPv4 fragmentOffset must be a multiple of 8, got " + fragmentOffset);
        }
    }

    private static void checkRange(String name, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException("IPv4 " + name + " must be 0.." + max + ", got " + value);
        }
    }

    /** An unfragmented datagram with identification 0 and DF clear. */
    public static Ipv4Repr of(Ipv4Address source, Ipv4Address destination, int protocol, int ttl,
                              int payloadLength) {
        return new Ipv4Repr(source, destination, protocol, ttl, 0, false, false, 0, payloadLength);
    }

    /**
     * Reads the header of a packet from {@link Ipv4Packet#wrapChecked} (options are skipped, DSCP/ECN
     * dropped). The length fields are checked again, so that a view from {@link Ipv4Packet#wrap} cannot yield
     * an impossible value; the checksum is not.
     *
     * @throws MalformedPacketException BAD_VERSION, BAD_HEADER_LENGTH or BAD_TOTAL_LENGTH as in
     *                                  {@link Ipv4Packet#wrapChecked}
     */
    public static Ipv4Repr parse(Ipv4Packet packet) throws MalformedPacketException {
        if (packet.version() != 4) {
            throw new MalformedPacketException(MalformedPacketException.Reason.BAD_VERSION,
                    "IP version " + packet.version() + " in an IPv4 packet");
        }
        int headerLength = packet.headerLength();
        if (headerLength < Ipv4Packet.MIN_HEADER_LENGTH) {
            throw new MalformedPacketException(MalformedPacketException.Reason.BAD_HEADER_LENGTH,
                    "IPv4 header length " + headerLength);
        }
        if (packet.totalLength() < headerLength) {
            throw new MalformedPacketException(MalformedPacketException.Reason.BAD_TOTAL_LENGTH,
                    "IPv4 total length " + packet.totalLength() + " with a " + headerLength + "-byte header");
        }
        return new Ipv4Repr(packet.source(), packet.destination(), packet.protocol(), packet.ttl(),
                packet.identification(), packet.dontFragment(), packet.moreFragments(), packet.fragmentOffset(),
                packet.payloadLength());
    }

    /**
     * Writes a {@value Ipv4Packet#MIN_HEADER_LENGTH}-byte header: version 4, IHL 5, DSCP/ECN 0, total length
     * {@code 20 + payloadLength}, all the fields, and the header checksum. The payload is not touched.
     */
    public void emit(Ipv4Packet packet) {
        emit(packet, source, destination, protocol, ttl, identification, dontFragment, moreFragments, fragmentOffset,
                payloadLength);
    }

    /**
     * Writes the header these fields describe (checked as the constructor checks them) into {@code packet}, a
     * 20-byte header with no options, checksum included: {@link #emit(Ipv4Packet)} without the object, for the
     * layer's per-datagram send path.
     */
    public static void emit(Ipv4Packet packet, Ipv4Address source, Ipv4Address destination, int protocol, int ttl,
                            int identification, boolean dontFragment, boolean moreFragments, int fragmentOffset,
                            int payloadLength) {
        check(source, destination, protocol, ttl, identification, fragmentOffset, payloadLength);
        packet.setVersion(4);
        packet.setHeaderLength(Ipv4Packet.MIN_HEADER_LENGTH);
        packet.setDscpEcn(0);
        packet.setTotalLength(Ipv4Packet.MIN_HEADER_LENGTH + payloadLength);
        packet.setIdentification(identification);
        Bytes.putU16(packet.buffer(), packet.offset() + Ipv4Packet.FLAGS_FRAGMENT_OFFSET,
                (dontFragment ? Ipv4Packet.DF : 0) | (moreFragments ? Ipv4Packet.MF : 0) | fragmentOffset >>> 3);
        packet.setTtl(ttl);
        packet.setProtocol(protocol);
        packet.setSource(source);
        packet.setDestination(destination);
        packet.fillChecksum();
    }

    public int headerLength() {
        return Ipv4Packet.MIN_HEADER_LENGTH;
    }

    /** {@code 20 + payloadLength}: the total length {@link #emit} writes. */
    public int totalLength() {
        return Ipv4Packet.MIN_HEADER_LENGTH + payloadLength;
    }
}
