package org.cspstack.core.wire;

/**
 * A UDP header (RFC 768) as a value: the ports and the payload length. The checksum is not represented: it is
 * checked by {@link UdpPacket#verifyChecksum} and written by {@link #emit}. The payload stays in the
 * packet's buffer; this record only says how long it is.
 *
 * @param sourcePort      0..65535; 0 means "no port to reply to" (RFC 768)
 * @param destinationPort 0..65535 (0 is reserved, but a received datagram may carry it)
 * @param payloadLength   data bytes after the header, 0..{@value #MAX_PAYLOAD_LENGTH} (so that the length
 *                        field fits 16 bits); over IPv4 at most {@value #MAX_IPV4_PAYLOAD_LENGTH}
 */
public record UdpRepr(int sourcePort, int destinationPort, int payloadLength) {

    /** The largest payload the 16-bit length field can describe: 65535 - 8. */
    public static final int MAX_PAYLOAD_LENGTH = UdpPacket.MAX_LENGTH - UdpPacket.HEADER_LENGTH;

    /** The largest payload that fits one IPv4 datagram (20-byte header, no options): 65535 - 20 - 8 = 65507. */
    public static final int MAX_IPV4_PAYLOAD_LENGTH =
            Ipv4Packet.MAX_TOTAL_LENGTH - Ipv4Packet.MIN_HEADER_LENGTH - UdpPacket.HEADER_LENGTH;

    /** Checks that every number fits its field. */
    public UdpRepr {
        checkRange("sourcePort", sourcePort, 0xffff);
        checkRange("destinationPort", destinationPort, 0xffff);
        checkRange("payloadLength", payloadLength, MAX_PAYLOAD_LENGTH);
    }

    private static void checkRange(String name, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException("UDP " + name + " must be 0.." + max + ", got " + value);
        }
    }

    /**
     * Reads the header of a datagram from {@link UdpPacket#wrapChecked}. The length field is checked again,
     * so that a view from {@link UdpPacket#wrap} cannot yield an impossible value; the checksum is not
     * (see {@link UdpPacket#verifyChecksum}).
     *
     * @throws MalformedPacketException BAD_LENGTH if the length field is below {@value UdpPacket#HEADER_LENGTH}
     */
    public static UdpRepr parse(UdpPacket packet) throws MalformedPacketException {
        int length = packet.length();
        if (length < UdpPacket.HEADER_LENGTH) {
            throw new MalformedPacketException(MalformedPacketException.Reason.BAD_LENGTH,
                    "UDP length " + length + ", below the " + UdpPacket.HEADER_LENGTH + "-byte header");
        }
        return new UdpRepr(packet.sourcePort(), packet.destinationPort(), length - UdpPacket.HEADER_LENGTH);
    }

    /** {@value UdpPacket#HEADER_LENGTH}: UDP has no options. */
    public int headerLength() {
        return UdpPacket.HEADER_LENGTH;
    }

    /** Header and payload length: the value of the length field. */
    public int length() {
        return UdpPacket.HEADER_LENGTH + payloadLength;
    }

    /**
     * Writes the header into {@code packet}, whose payload ({@link #payloadLength()} bytes after the header)
     * must already be in place, and fills the checksum over the pseudo-header of {@code src} and {@code dst},
     * the header and the payload.
     *
     * @throws IllegalArgumentException if the view is shorter than {@link #length()}
     */
    public void emit(UdpPacket packet, Ipv4Address src, Ipv4Address dst) {
        if (packet.viewLength() < length()) {
            throw new IllegalArgumentException(
                    "UDP view of " + packet.viewLength() + " bytes is too short for a " + length() + "-byte datagram");
        }
        packet.setSourcePort(sourcePort);
        packet.setDestinationPort(destinationPort);
        packet.setLength(length());
        packet.fillChecksum(src, dst);
    }
}
