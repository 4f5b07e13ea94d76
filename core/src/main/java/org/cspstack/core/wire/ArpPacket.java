package org.cspstack.core.wire;

import java.util.Objects;

/**
 * A re-wrappable view of an ARP packet (RFC 826) for Ethernet hardware and IPv4 protocol addresses, the only
 * combination this stack handles (the fixed 28-byte form).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Hardware Type (ar$hrd)    |    Protocol Type (ar$pro)     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | HLEN (ar$hln) | PLEN (ar$pln) |      Operation (ar$op)        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |              Sender Hardware Address (ar$sha)                 |
 * +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                               | Sender Protocol Address (spa) |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |    (ar$spa, continued)        | Target Hardware Address (tha) |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 * |                     (ar$tha, continued)                       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                Target Protocol Address (ar$tpa)               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Offsets are indexes into {@link #buffer()} (see {@link EthernetFrame}). A received ARP packet usually
 * sits in a padded 60-byte frame, so {@code len} may exceed {@value #LENGTH}; the padding is ignored.
 * {@link #wrap} checks nothing; {@link #wrapChecked} checks the length and the four type/length fields.
 */
public final class ArpPacket extends WireView<ArpPacket> {

    /** Offset of the hardware type (1 = Ethernet). */
    public static final int HARDWARE_TYPE = 0;
    /** Offset of the protocol type (an EtherType, 0x0800 = IPv4). */
    public static final int PROTOCOL_TYPE = 2;
    /** Offset of the hardware address length (6). */
    public static final int HARDWARE_LENGTH = 4;
    /** Offset of the protocol address length (4). */
    public static final int PROTOCOL_LENGTH = 5;
    /** Offset of the operation (1 request, 2 reply). */
    public static final int OPERATION = 6;
    /** Offset of the sender hardware address. */
    public static final int SENDER_HARDWARE_ADDRESS = 8;
    /** Offset of the sender protocol address. */
    public static final int SENDER_PROTOCOL_ADDRESS = 14;
    /** Offset of the target hardware address. */
    public static final int TARGET_HARDWARE_ADDRESS = 18;
    /** Offset of the target protocol address. */
    public static final int TARGET_PROTOCOL_ADDRESS = 24;
    /** Length of an Ethernet/IPv4 ARP packet. */
    public static final int LENGTH = 28;

    /** Hardware type value for Ethernet (RFC 826 "ares_hrd$Ethernet"). */
    public static final int HTYPE_ETHERNET = 1;

    /** An unwrapped view over no bytes, to be {@link #rewrap rewrapped} before use. */
    public ArpPacket() {
    }

    /** A view of {@code b[off, off+len)} without any check, for emitting. */
    public static ArpPacket wrap(byte[] b, int off, int len) {
        return new ArpPacket().rewrap(b, off, len);
    }

    /**
     * A view of received bytes {@code b[off, off+len)}.
     *
     * @throws MalformedPacketException TRUNCATED if shorter than {@value #LENGTH} bytes; UNSUPPORTED unless
     *                                  hardware type 1 (Ethernet), protocol type 0x0800 (IPv4), hardware
     *                                  length 6 and protocol length 4
     */
    public static ArpPacket wrapChecked(byte[] b, int off, int len) throws MalformedPacketException {
        return new ArpPacket().rewrapChecked(b, off, len);
    }

    /**
     * Points this view at received bytes after the checks of {@link #wrapChecked}; returns this. On failure
     * the view is left unchanged.
     *
     * @throws IndexOutOfBoundsException if the range is not inside {@code b} (a caller's bug, not bad input)
     */
    public ArpPacket rewrapChecked(byte[] b, int off, int len) throws MalformedPacketException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len < LENGTH) {
            throw new MalformedPacketException(MalformedPacketException.Reason.TRUNCATED,
                    "ARP packet of " + len + " bytes, Ethernet/IPv4 ARP needs " + LENGTH);
        }
        int htype = Bytes.u16(b, off + HARDWARE_TYPE);
        int ptype = Bytes.u16(b, off + PROTOCOL_TYPE);
        int hlen = Bytes.u8(b, off + HARDWARE_LENGTH);
        int plen = Bytes.u8(b, off + PROTOCOL_LENGTH);
        if (htype != HTYPE_ETHERNET || ptype != EtherType.IPV4 || hlen != MacAddress.LENGTH
                || plen != Ipv4Address.LENGTH) {
            throw new MalformedPacketException(MalformedPacketException.Reason.UNSUPPORTED, String.format(
                    "ARP for hardware type %d / protocol 0x%04x with address lengths %d/%d;"
                            + " only Ethernet (1) / IPv4 (0x0800) with 6/4 is handled", htype, ptype, hlen, plen));
        }
        return rewrap(b, off, len);
    }

    /** Length of the view in bytes (may include link padding after the {@value #LENGTH} ARP bytes). */
    public int length() {
        return length;
    }

    public int hardwareType() {
        return Bytes.u16(buffer, offset + HARDWARE_TYPE);
    }

    public int protocolType() {
        return Bytes.u16(buffer, offset + PROTOCOL_TYPE);
    }

    public int hardwareLength() {
        return Bytes.u8(buffer, offset + HARDWARE_LENGTH);
    }

    public int protocolLength() {
        return Bytes.u8(buffer, offset + PROTOCOL_LENGTH);
    }

    /** The operation, {@link ArpRepr#REQUEST} or {@link ArpRepr#REPLY} (others are possible on the wire). */
    public int operation() {
        return Bytes.u16(buffer, offset + OPERATION);
    }

    public MacAddress senderHardwareAddress() {
        return MacAddress.read(buffer, offset + SENDER_HARDWARE_ADDRESS);
    }

    public Ipv4Address senderProtocolAddress() {
        return Ipv4Address.read(buffer, offset + SENDER_PROTOCOL_ADDRESS);
    }

    /** The sender protocol address as in {@link Ipv4Address#toInt()}, without allocating. */
    public int senderProtocolAddressAsInt() {
        return Bytes.i32(buffer, offset + SENDER_PROTOCOL_ADDRESS);
    }

    public MacAddress targetHardwareAddress() {
        return MacAddress.read(buffer, offset + TARGET_HARDWARE_ADDRESS);
    }

    public Ipv4Address targetProtocolAddress() {
        return Ipv4Address.read(buffer, offset + TARGET_PROTOCOL_ADDRESS);
    }

    /** The target protocol address as in {@link Ipv4Address#toInt()}, without allocating. */
    public int targetProtocolAddressAsInt() {
        return Bytes.i32(buffer, offset + TARGET_PROTOCOL_ADDRESS);
    }

    public void setHardwareType(int hardwareType) {
        Bytes.putU16(buffer, offset + HARDWARE_TYPE, hardwareType);
    }

    public void setProtocolType(int protocolType) {
        Bytes.putU16(buffer, offset + PROTOCOL_TYPE, protocolType);
    }

    public void setHardwareLength(int hardwareLength) {
        Bytes.putU8(buffer, offset + HARDWARE_LENGTH, hardwareLength);
    }

    public void setProtocolLength(int protocolLength) {
        Bytes.putU8(buffer, offset + PROTOCOL_LENGTH, protocolLength);
    }

    public void setOperation(int operation) {
        Bytes.putU16(buffer, offset + OPERATION, operation);
    }

    public void setSenderHardwareAddress(MacAddress mac) {
        mac.write(buffer, offset + SENDER_HARDWARE_ADDRESS);
    }

    public void setSenderProtocolAddress(Ipv4Address ip) {
        ip.write(buffer, offset + SENDER_PROTOCOL_ADDRESS);
    }

    public void setTargetHardwareAddress(MacAddress mac) {
        mac.write(buffer, offset + TARGET_HARDWARE_ADDRESS);
    }

    public void setTargetProtocolAddress(Ipv4Address ip) {
        ip.write(buffer, offset + TARGET_PROTOCOL_ADDRESS);
    }

    /** For logs: operation and the four addresses. */
    @Override
    public String toString() {
        return "ArpPacket[op " + operation() + ", " + senderHardwareAddress() + " " + senderProtocolAddress()
                + " > " + targetHardwareAddress() + " " + targetProtocolAddress() + "]";
    }
}
