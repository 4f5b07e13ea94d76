package org.cspstack.core.wire;

import java.util.Objects;

/**
 * A re-wrappable view of an ICMP message (RFC 792), the payload of an IPv4 packet with protocol 1.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Rest of Header                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Data ...
 * +-+-+-+-+-
 *
 * Rest of Header, by type:
 *   echo request / reply:         |   Identifier  (4-5)  | Sequence Number (6-7) |
 *   unreachable, fragm. needed:   |   unused = 0  (4-5)  | Next-Hop MTU    (6-7) |   (RFC 1191)
 *   other unreachable, time exc.: |              unused = 0 (4-7)                |
 *   parameter problem:            | Pointer (4) |        unused = 0 (5-7)        |
 * Data: echo payload, or for errors the original IP header + at least 8 bytes of its data.
 * </pre>
 *
 * <p>The checksum covers the whole message, so the view's {@link #length()} must be exactly the message
 * length (the IPv4 payload length). Offsets are indexes into {@link #buffer()} (see {@link EthernetFrame}).
 * Type and code constants are in {@link IcmpType}.
 */
public final class IcmpPacket extends WireView<IcmpPacket> {

    /** Offset of the type. */
    public static final int TYPE = 0;
    /** Offset of the code. */
    public static final int CODE = 1;
    /** Offset of the checksum. */
    public static final int CHECKSUM = 2;
    /** Offset of the 32-bit rest of header. */
    public static final int REST_OF_HEADER = 4;
    /** Offset of the echo identifier. */
    public static final int IDENTIFIER = 4;
    /** Offset of the echo sequence number. */
    public static final int SEQUENCE_NUMBER = 6;
    /** Offset of the parameter problem pointer. */
    public static final int POINTER = 4;
    /** Offset of the next-hop MTU of "fragmentation needed" (RFC 1191). */
    public static final int NEXT_HOP_MTU = 6;
    /** Header length; also the offset of the data. */
    public static final int HEADER_LENGTH = 8;

    /** An unwrapped view over no bytes, to be {@link #rewrap rewrapped} before use. */
    public IcmpPacket() {
    }

    /** A view of the message {@code b[off, off+len)} without any check, for emitting. */
    public static IcmpPacket wrap(byte[] b, int off, int len) {
        return new IcmpPacket().rewrap(b, off, len);
    }

    /**
     * A view of the received message {@code b[off, off+len)}.
     *
     * @throws MalformedPacketException TRUNCATED if shorter than {@value #HEADER_LENGTH} bytes; BAD_CHECKSUM if
     *                                  the checksum over the whole message is wrong
     */
    public static IcmpPacket wrapChecked(byte[] b, int off, int len) throws MalformedPacketException {
        return new IcmpPacket().rewrapChecked(b, off, len);
    }

    /**
     * Points this view at a received message after the checks of {@link #wrapChecked}; returns this. On
     * failure the view is left unchanged.
     *
     * @throws IndexOutOfBoundsException if the range is not inside {@code b} (a caller's bug, not bad input)
     */
    public IcmpPacket rewrapChecked(byte[] b, int off, int len) throws MalformedPacketException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len < HEADER_LENGTH) {
            throw new MalformedPacketException(MalformedPacketException.Reason.TRUNCATED,
                    "ICMP message of " + len + " bytes, header needs " + HEADER_LENGTH);
        }
        if (!Checksum.verify(b, off, len)) {
            throw new MalformedPacketException(MalformedPacketException.Reason.BAD_CHECKSUM, String.format(
                    "ICMP checksum 0x%04x is wrong for %d bytes", Bytes.u16(b, off + CHECKSUM), len));
        }
        return rewrap(b, off, len);
    }

    /** Length of the message in bytes, header and data. */
    public int length() {
        return length;
    }

    /** The message type, see {@link IcmpType}. */
    public int type() {
        return Bytes.u8(buffer, offset + TYPE);
    }

    /** The code, whose meaning depends on the type. */
    public int code() {
        return Bytes.u8(buffer, offset + CODE);
    }

    public int checksum() {
        return Bytes.u16(buffer, offset + CHECKSUM);
    }

    /** Bytes 4-5: the echo identifier. */
    public int identifier() {
        return Bytes.u16(buffer, offset + IDENTIFIER);
    }

    /** Bytes 6-7: the echo sequence number. */
    public int sequenceNumber() {
        return Bytes.u16(buffer, offset + SEQUENCE_NUMBER);
    }

    /** Bytes 6-7: the next-hop MTU of "fragmentation needed" (RFC 1191), 0 from routers that predate it. */
    public int nextHopMtu() {
        return Bytes.u16(buffer, offset + NEXT_HOP_MTU);
    }

    /** Byte 4: the parameter problem pointer. */
    public int pointer() {
        return Bytes.u8(buffer, offset + POINTER);
    }

    /** Bytes 4-7 as an unsigned 32-bit value. */
    public long restOfHeader() {
        return Bytes.u32(buffer, offset + REST_OF_HEADER);
    }

    /** Index in {@link #buffer()} of the first data byte. */
    public int dataOffset() {
        return offset + HEADER_LENGTH;
    }

    /** Bytes of data after the 8-byte header. */
    public int dataLength() {
        return length - HEADER_LENGTH;
    }

    /** True when the whole message, checksum included, sums to 0xffff. */
    public boolean verifyChecksum() {
        return Checksum.verify(buffer, offset, length);
    }

    /** Computes the checksum over the whole message ({@link #length()} bytes) and writes it; do this last. */
    public void fillChecksum() {
        setChecksum(0);
        setChecksum(Checksum.compute(buffer, offset, length));
    }

    public void setType(int type) {
        Bytes.putU8(buffer, offset + TYPE, type);
    }

    public void setCode(int code) {
        Bytes.putU8(buffer, offset + CODE, code);
    }

    /** Sets the checksum field as given; see {@link #fillChecksum()} to compute it. */
    public void setChecksum(int checksum) {
        Bytes.putU16(buffer, offset + CHECKSUM, checksum);
    }

    public void setIdentifier(int identifier) {
        Bytes.putU16(buffer, offset + IDENTIFIER, identifier);
    }

    public void setSequenceNumber(int sequenceNumber) {
        Bytes.putU16(buffer, offset + SEQUENCE_NUMBER, sequenceNumber);
    }

    public void setNextHopMtu(int mtu) {
        Bytes.putU16(buffer, offset + NEXT_HOP_MTU, mtu);
    }

    public void setPointer(int pointer) {
        Bytes.putU8(buffer, offset + POINTER, pointer);
    }

    /** Sets bytes 4-7 (low 32 bits of the argument). */
    public void setRestOfHeader(long restOfHeader) {
        Bytes.putU32(buffer, offset + REST_OF_HEADER, restOfHeader);
    }

    /** For logs: type, code and length. */
    @Override
    public String toString() {
        return "IcmpPacket[" + IcmpType.name(type()) + ", code " + code() + ", " + length + " bytes]";
    }
}
