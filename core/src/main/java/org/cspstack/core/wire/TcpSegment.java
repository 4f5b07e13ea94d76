package org.cspstack.core.wire;

import java.util.Objects;

/**
 * A re-wrappable view of a TCP segment (RFC 9293 §3.1), the payload of an IPv4 packet with protocol 6.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Sequence Number                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Acknowledgment Number                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Data |       |C|E|U|A|P|R|S|F|                               |
 * | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
 * |       |       |R|E|G|K|H|T|N|N|                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Checksum            |         Urgent Pointer        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           [Options]                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                             data ...                          |
 * </pre>
 *
 * Data Offset counts 32-bit words (5..15). The checksum covers the IPv4 pseudo-header (with the segment's
 * length, which IP gives), the header and the data. Offsets are indexes into {@link #buffer()}.
 *
 * <p>{@link #wrap} checks nothing; {@link #wrapChecked} checks the lengths (at least 20 bytes, a data offset
 * of 5 to 15 words within the segment), after which no accessor can fail. The checksum needs the addresses
 * and is checked apart, by {@link #verifyChecksum}.
 */
public final class TcpSegment extends WireView<TcpSegment> {
    public static final int SOURCE_PORT = 0;
    public static final int DESTINATION_PORT = 2;
    public static final int SEQUENCE = 4;
    public static final int ACKNOWLEDGMENT = 8;
    /** Data offset (high nibble) and the reserved bits. */
    public static final int DATA_OFFSET = 12;
    public static final int FLAGS = 13;
    public static final int WINDOW = 14;
    public static final int CHECKSUM = 16;
    public static final int URGENT_POINTER = 18;
    public static final int OPTIONS = 20;
    public static final int MIN_HEADER_LENGTH = 20;
    public static final int MAX_HEADER_LENGTH = 60;

    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;
    public static final int ECE = 0x40;
    public static final int CWR = 0x80;

    public TcpSegment() {
    }

    public static TcpSegment wrap(byte[] b, int off, int len) {
        return new TcpSegment().rewrap(b, off, len);
    }

    public static TcpSegment wrapChecked(byte[] b, int off, int len) throws MalformedPacketException {
        return new TcpSegment().rewrapChecked(b, off, len);
    }

    /**
     * Wraps and checks: TRUNCATED below 20 bytes; BAD_HEADER_LENGTH when the data offset is below 5 words
     * or beyond the segment. On failure the view is left unchanged.
     *
     * @throws IndexOutOfBoundsException if the range is not inside {@code b} (a caller's bug, not bad input)
     */
    public TcpSegment rewrapChecked(byte[] b, int off, int len) throws MalformedPacketException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len < MIN_HEADER_LENGTH) {
            throw new MalformedPacketException(MalformedPacketException.Reason.TRUNCATED,
                    "TCP segment of " + len + " bytes is shorter than its 20-byte header");
        }
        int h = (Bytes.u8(b, off + DATA_OFFSET) >> 4) * 4;
        if (h < MIN_HEADER_LENGTH || h > len) {
            throw new MalformedPacketException(MalformedPacketException.Reason.BAD_HEADER_LENGTH,
                    "TCP data offset " + h + " bytes in a segment of " + len);
        }
        return rewrap(b, off, len);
    }

    /** The segment's length (header and data), as IP delivered it. */
    public int length() {
        return length;
    }

    public int sourcePort() {
        return Bytes.u16(buffer, offset + SOURCE_PORT);
    }

    public int destinationPort() {
        return Bytes.u16(buffer, offset + DESTINATION_PORT);
    }

    public long sequence() {
        return Bytes.u32(buffer, offset + SEQUENCE);
    }

    public long acknowledgment() {
        return Bytes.u32(buffer, offset + ACKNOWLEDGMENT);
    }

    /** Header length in bytes (data offset × 4). */
    public int headerLength() {
        return (Bytes.u8(buffer, offset + DATA_OFFSET) >> 4) * 4;
    }

    public int flags() {
        return Bytes.u8(buffer, offset + FLAGS);
    }

    public boolean has(int flag) {
        return (flags() & flag) != 0;
    }

    public int window() {
        return Bytes.u16(buffer, offset + WINDOW);
    }

    public int checksum() {
        return Bytes.u16(buffer, offset + CHECKSUM);
    }

    public int urgentPointer() {
        return Bytes.u16(buffer, offset + URGENT_POINTER);
    }

    public int optionsOffset() {
        return offset + OPTIONS;
    }

    public int optionsLength() {
        return headerLength() - MIN_HEADER_LENGTH;
    }

    public int payloadOffset() {
        return offset + headerLength();
    }

    public int payloadLength() {
        return length - headerLength();
    }

    /** True when the checksum over pseudo-header, header and data is right. */
    public boolean verifyChecksum(Ipv4Address src, Ipv4Address dst) {
        long sum = Checksum.pseudoHeaderIpv4(src, dst, IpProtocol.TCP, length);
        return Checksum.fold(Checksum.add(sum, buffer, offset, length)) == 0xffff;
    }

    /** Computes and writes the checksum over the whole segment. */
    public void fillChecksum(Ipv4Address src, Ipv4Address dst) {
        Bytes.putU16(buffer, offset + CHECKSUM, 0);
        long sum = Checksum.pseudoHeaderIpv4(src, dst, IpProtocol.TCP, length);
        Bytes.putU16(buffer, offset + CHECKSUM, Checksum.finish(Checksum.add(sum, buffer, offset, length)));
    }

    public void setSourcePort(int port) {
        Bytes.putU16(buffer, offset + SOURCE_PORT, port);
    }

    public void setDestinationPort(int port) {
        Bytes.putU16(buffer, offset + DESTINATION_PORT, port);
    }

    public void setSequence(long seq) {
        Bytes.putU32(buffer, offset + SEQUENCE, seq);
    }

    public void setAcknowledgment(long ack) {
        Bytes.putU32(buffer, offset + ACKNOWLEDGMENT, ack);
    }

    /** Sets the header length in bytes (a multiple of 4, 20..60); clears the reserved bits. */
    public void setHeaderLength(int bytes) {
        if (bytes < MIN_HEADER_LENGTH || bytes > MAX_HEADER_LENGTH || bytes % 4 != 0) {
            throw new IllegalArgumentException("TCP header length " + bytes + " is not a multiple of 4 in 20..60");
        }
        Bytes.putU8(buffer, offset + DATA_OFFSET, (bytes / 4) << 4);
    }

    public void setFlags(int flags) {
        Bytes.putU8(buffer, offset + FLAGS, flags);
    }

    public void setWindow(int window) {
        Bytes.putU16(buffer, offset + WINDOW, window);
    }

    public void setUrgentPointer(int p) {
        Bytes.putU16(buffer, offset + URGENT_POINTER, p);
    }

    @Override
    public String toString() {
        return "TcpSegment[" + sourcePort() + " > " + destinationPort() + " flags 0x" + Integer.toHexString(flags())
                + " seq " + sequence() + " ack " + acknowledgment() + " win " + window() + ", " + payloadLength()
                + " bytes]";
    }
}
