package org.cspstack.core.wire;

import java.util.Objects;

/**
 * A re-wrappable view of a UDP datagram (RFC 768), the payload of an IPv4 packet with protocol 17.
 *
 * <pre>
 *  0      7 8     15 16    23 24    31
 * +--------+--------+--------+--------+
 * |     Source      |   Destination   |
 * |      Port       |      Port       |
 * +--------+--------+--------+--------+
 * |                 |                 |
 * |     Length      |    Checksum     |
 * +--------+--------+--------+--------+
 * |
 * |          data octets ...
 * +---------------- ...
 *
 * Length counts header and data in bytes (at least 8). The checksum covers the IPv4 pseudo-header
 * (see Checksum.pseudoHeaderIpv4), the header and the data; 0 means "no checksum" (RFC 768), so a computed
 * 0 is sent as 0xffff.
 * </pre>
 *
 * <p><b>Lengths.</b> {@link #length()} is the Length <em>field</em>; the view's own extent as received is
 * {@link #viewLength()}, which may exceed it (bytes the IP payload carried beyond the UDP length; not
 * expected, but tolerated). Only the field counts: the payload is
 * {@code [payloadOffset(), payloadOffset() + payloadLength())} and the checksum covers {@link #length()}
 * bytes. Offsets are indexes into {@link #buffer()} (see {@link EthernetFrame}).
 *
 * <p>{@link #wrap} checks nothing; {@link #wrapChecked} checks the lengths, after which no accessor can fail.
 * The checksum needs the IP addresses, so it is checked apart, by {@link #verifyChecksum}.
 */
public final class UdpPacket extends WireView<UdpPacket> {

    /** Offset of the source port. */
    public static final int SOURCE_PORT = 0;
    /** Offset of the destination port. */
    public static final int DESTINATION_PORT = 2;
    /** Offset of the length (header and data). */
    public static final int LENGTH = 4;
    /** Offset of the checksum. */
    public static final int CHECKSUM = 6;
    /** Header length; also the offset of the data. */
    public static final int HEADER_LENGTH = 8;

    /** The largest value of the length field. */
    public static final int MAX_LENGTH = 0xffff;

    /** An unwrapped view over no bytes, to be {@link #rewrap rewrapped} before use. */
    public UdpPacket() {
    }

    /** A view of {@code b[off, off+len)} without any check, for emitting. */
    public static UdpPacket wrap(byte[] b, int off, int len) {
        return new UdpPacket().rewrap(b, off, len);
    }

    /**
     * A view of received bytes {@code b[off, off+len)}; {@code len} may exceed the length field. Checks, in
     * this order:
     * <ol>
     * <li>TRUNCATED if {@code len} &lt; {@value #HEADER_LENGTH};</li>
     * <li>BAD_LENGTH if the length field is below {@value #HEADER_LENGTH} or above {@code len}.</li>
     * </ol>
     * The checksum is not checked here: see {@link #verifyChecksum}.
     */
    public static UdpPacket wrapChecked(byte[] b, int off, int len) throws MalformedPacketException {
        return new UdpPacket().rewrapChecked(b, off, len);
    }

    /**
     * Points this view at received bytes after the checks of {@link #wrapChecked}; returns this. On failure
     * the view is left unchanged.
     *
     * @throws IndexOutOfBoundsException if the range is not inside {@code b} (a caller's bug, not bad input)
     */
    public UdpPacket rewrapChecked(byte[] b, int off, int len) throws MalformedPacketException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len < HEADER_LENGTH) {
            throw new MalformedPacketException(MalformedPacketException.Reason.TRUNCATED,
                    "UDP datagram of " + len + " bytes, header needs " + HEADER_LENGTH);
        }
        int field = Bytes.u16(b, off + LENGTH);
        if (field < HEADER_LENGTH || field > len) {
            throw new MalformedPacketException(MalformedPacketException.Reason.BAD_LENGTH,
                    "UDP length " + field + " with " + len + " bytes received; must be " + HEADER_LENGTH + ".."
                            + len);
        }
        return rewrap(b, off, len);
    }

    /** Length of the view in bytes as received (at least {@link #length()} after {@link #wrapChecked}). */
    public int viewLength() {
        return length;
    }

    public int sourcePort() {
        return Bytes.u16(buffer, offset + SOURCE_PORT);
    }

    public int destinationPort() {
        return Bytes.u16(buffer, offset + DESTINATION_PORT);
    }

    /** The length field: header and data in bytes. */
    public int length() {
        return Bytes.u16(buffer, offset + LENGTH);
    }

    /** The checksum field; 0 means the sender computed none. */
    public int checksum() {
        return Bytes.u16(buffer, offset + CHECKSUM);
    }

    /** Index in {@link #buffer()} of the first data byte. */
    public int payloadOffset() {
        return offset + HEADER_LENGTH;
    }

    /** Data bytes: the length field minus {@value #HEADER_LENGTH}. */
    public int payloadLength() {
        return length() - HEADER_LENGTH;
    }

    /**
     * True when the checksum field is 0 (no checksum, RFC 768) or when the pseudo-header, header and data
     * ({@link #length()} bytes) sum to 0xffff.
     *
     * @param src the IPv4 source of the datagram that carried this one
     * @param dst its IPv4 destination
     */
    public boolean verifyChecksum(Ipv4Address src, Ipv4Address dst) {
        if (checksum() == 0) {
            return true;
        }
        int len = length();
        long sum = Checksum.pseudoHeaderIpv4(src, dst, IpProtocol.UDP, len);
        return Checksum.fold(Checksum.add(sum, buffer, offset, len)) == 0xffff;
    }

    /**
     * Computes the checksum over the pseudo-header, header and data ({@link #length()} bytes) and writes it;
     * a computed 0 is written as 0xffff (0 would mean "no checksum"). Do this last.
     */
    public void fillChecksum(Ipv4Address src, Ipv4Address dst) {
        setChecksum(0);
        int len = length();
        int c = Checksum.finish(Checksum.add(Checksum.pseudoHeaderIpv4(src, dst, IpProtocol.UDP, len),
                buffer, offset, len));
        setChecksum(c == 0 ? 0xffff : c);
    }

    /** Sets the source port (low 16 bits of the argument). */
    public void setSourcePort(int port) {
        Bytes.putU16(buffer, offset + SOURCE_PORT, port);
    }

    /** Sets the destination port (low 16 bits of the argument). */
    public void setDestinationPort(int port) {
        Bytes.putU16(buffer, offset + DESTINATION_PORT, port);
    }

    /** Sets the length field (low 16 bits of the argument): header and data in bytes. */
    public void setLength(int length) {
        Bytes.putU16(buffer, offset + LENGTH, length);
    }

    /** Sets the checksum field as given; see {@link #fillChecksum} to compute it. */
    public void setChecksum(int checksum) {
        Bytes.putU16(buffer, offset + CHECKSUM, checksum);
    }

    /** For logs: ports and length. */
    @Override
    public String toString() {
        return "UdpPacket[" + sourcePort() + " > " + destinationPort() + ", " + length() + " bytes"
                + (checksum() == 0 ? ", no checksum" : "") + "]";
    }
}
