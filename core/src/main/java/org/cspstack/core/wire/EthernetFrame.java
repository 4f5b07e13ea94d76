package org.cspstack.core.wire;

import java.util.Objects;

/**
 * A re-wrappable view of an Ethernet II frame (DIX; RFC 894 for IPv4 over it) without preamble and FCS,
 * as a NIC or a pcap/TAP handle delivers it.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Destination Address                       |
 * +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                               |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 * |                        Source Address                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           EtherType           |  Payload (46-1500 bytes) ...  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p><b>Offsets.</b> {@link #offset()}, {@link #payloadOffset()} and the offsets of the other views are
 * indexes into {@link #buffer()}, so a payload can be handed straight to the next view:
 * {@code Ipv4Packet.wrapChecked(f.buffer(), f.payloadOffset(), f.payloadLength())}. Received frames may carry
 * padding up to the 60-byte minimum; it is part of the payload here, and the IPv4 total length cuts it off.
 *
 * <p>{@link #wrap} checks nothing (for emitting into a buffer the caller sized); {@link #wrapChecked} checks
 * the length, after which no accessor can fail. A view is not thread-safe and never travels on a channel.
 */
public final class EthernetFrame extends WireView<EthernetFrame> {

    /** Offset of the destination address. */
    public static final int DESTINATION = 0;
    /** Offset of the source address. */
    public static final int SOURCE = 6;
    /** Offset of the EtherType. */
    public static final int ETHER_TYPE = 12;
    /** Header length; also the offset of the payload. */
    public static final int HEADER_LENGTH = 14;
    /** Largest payload on a standard (non-jumbo) Ethernet. */
    public static final int MTU = 1500;

    /** An unwrapped view over no bytes, to be {@link #rewrap rewrapped} before use. */
    public EthernetFrame() {
    }

    /** A view of {@code b[off, off+len)} without any check, for emitting. */
    public static EthernetFrame wrap(byte[] b, int off, int len) {
        return new EthernetFrame().rewrap(b, off, len);
    }

    /**
     * A view of received bytes {@code b[off, off+len)}.
     *
     * @throws MalformedPacketException TRUNCATED if shorter than {@value #HEADER_LENGTH} bytes
     */
    public static EthernetFrame wrapChecked(byte[] b, int off, int len) throws MalformedPacketException {
        return new EthernetFrame().rewrapChecked(b, off, len);
    }

    /**
     * Points this view at received bytes {@code b[off, off+len)} after the checks of {@link #wrapChecked};
     * returns this. On failure the view is left unchanged.
     *
     * @throws IndexOutOfBoundsException if the range is not inside {@code b} (a caller's bug, not bad input)
     */
    public EthernetFrame rewrapChecked(byte[] b, int off, int len) throws MalformedPacketException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len < HEADER_LENGTH) {
            throw new MalformedPacketException(MalformedPacketException.Reason.TRUNCATED,
                    "Ethernet frame of " + len + " bytes, header needs " + HEADER_LENGTH);
        }
        return rewrap(b, off, len);
    }

    /** Length of the frame in bytes, header and payload (and any padding). */
    public int length() {
        return length;
    }

    public MacAddress destination() {
        return MacAddress.read(buffer, offset + DESTINATION);
    }

    /** The destination as in {@link MacAddress#toLong()}, without allocating. */
    public long destinationAsLong() {
        return MacAddress.readLong(buffer, offset + DESTINATION);
    }

    public MacAddress source() {
        return MacAddress.read(buffer, offset + SOURCE);
    }

    /** The source as in {@link MacAddress#toLong()}, without allocating. */
    public long sourceAsLong() {
        return MacAddress.readLong(buffer, offset + SOURCE);
    }

    /** The EtherType, e.g. {@link EtherType#IPV4}. */
    public int etherType() {
        return Bytes.u16(buffer, offset + ETHER_TYPE);
    }

    /** Index in {@link #buffer()} of the first payload byte. */
    public int payloadOffset() {
        return offset + HEADER_LENGTH;
    }

    /** Bytes after the header, padding included. */
    public int payloadLength() {
        return length - HEADER_LENGTH;
    }

    public void setDestination(MacAddress mac) {
        mac.write(buffer, offset + DESTINATION);
    }

    public void setSource(MacAddress mac) {
        mac.write(buffer, offset + SOURCE);
    }

    public void setEtherType(int etherType) {
        Bytes.putU16(buffer, offset + ETHER_TYPE, etherType);
    }

    /** For logs: addresses, type and length. */
    @Override
    public String toString() {
        return "EthernetFrame[" + source() + " > " + destination() + ", " + EtherType.name(etherType())
                + ", " + length + " bytes]";
    }
}
