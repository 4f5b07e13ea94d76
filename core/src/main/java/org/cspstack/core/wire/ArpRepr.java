package org.cspstack.core.wire;

import java.util.Objects;

/**
 * An Ethernet/IPv4 ARP request or reply (RFC 826) as a value.
 *
 * @param operation {@link #REQUEST} or {@link #REPLY}
 * @param senderMac the sender's hardware address
 * @param senderIp  the sender's protocol address (0.0.0.0 in an RFC 5227 probe)
 * @param targetMac the target's hardware address ({@link MacAddress#ZERO} in a request: unknown)
 * @param targetIp  the target's protocol address (the address being resolved, in a request)
 */
public record ArpRepr(int operation, MacAddress senderMac, Ipv4Address senderIp, MacAddress targetMac,
                      Ipv4Address targetIp) {

    /** Operation code of a request ("who has targetIp? tell senderIp"). */
    public static final int REQUEST = 1;
    /** Operation code of a reply ("senderIp is at senderMac"). */
    public static final int REPLY = 2;

    /** Checks that the operation is a request or reply and every address is present. */
    public ArpRepr {
        if (operation != REQUEST && operation != REPLY) {
            throw new IllegalArgumentException("ARP operation must be 1 (request) or 2 (reply), got " + operation);
        }
        Objects.requireNonNull(senderMac, "senderMac");
        Objects.requireNonNull(senderIp, "senderIp");
        Objects.requireNonNull(targetMac, "targetMac");
        Objects.requireNonNull(targetIp, "targetIp");
    }

    /** A request from {@code ourMac}/{@code ourIp} asking for the hardware address of {@code target}. */
    public static ArpRepr request(MacAddress ourMac, Ipv4Address ourIp, Ipv4Address target) {
        return new ArpRepr(REQUEST, ourMac, ourIp, MacAddress.ZERO, target);
    }

    /** A reply telling {@code theirMac}/{@code theirIp} that {@code ourIp} is at {@code ourMac}. */
    public static ArpRepr reply(MacAddress ourMac, Ipv4Address ourIp, MacAddress theirMac, Ipv4Address theirIp) {
        return new ArpRepr(REPLY, ourMac, ourIp, theirMac, theirIp);
    }

    /** The reply to this request, sent by the owner of {@link #targetIp()}, whose address is {@code ourMac}. */
    public ArpRepr replyFrom(MacAddress ourMac) {
        return reply(ourMac, targetIp, senderMac, senderIp);
    }

    /**
     * Reads a packet from {@link ArpPacket#wrapChecked}.
     *
     * @throws MalformedPacketException UNSUPPORTED for operations other than request and reply, or (for a view
     *                                  from {@link ArpPacket#wrap}) other hardware or protocol types
     */
    public static ArpRepr parse(ArpPacket packet) throws MalformedPacketException {
        if (packet.hardwareType() != ArpPacket.HTYPE_ETHERNET || packet.protocolType() != EtherType.IPV4
                || packet.hardwareLength() != MacAddress.LENGTH || packet.protocolLength() != Ipv4Address.LENGTH) {
            throw new MalformedPacketException(MalformedPacketException.Reason.UNSUPPORTED,
                    "ARP packet is not Ethernet/IPv4");
        }
        int op = packet.operation();
        if (op != REQUEST && op != REPLY) {
            throw new MalformedPacketException(MalformedPacketException.Reason.UNSUPPORTED,
                    "ARP operation " + op + ", only 1 (request) and 2 (reply) are handled");
        }
        return new ArpRepr(op, packet.senderHardwareAddress(), packet.senderProtocolAddress(),
                packet.targetHardwareAddress(), packet.targetProtocolAddress());
    }

    /** Writes all {@value ArpPacket#LENGTH} bytes of the packet. */
    public void emit(ArpPacket packet) {
        packet.setHardwareType(ArpPacket.HTYPE_ETHERNET);
        packet.setProtocolType(EtherType.IPV4);
        packet.setHardwareLength(MacAddress.LENGTH);
        packet.setProtocolLength(Ipv4Address.LENGTH);
        packet.setOperation(operation);
        packet.setSenderHardwareAddress(senderMac);
        packet.setSenderProtocolAddress(senderIp);
        packet.setTargetHardwareAddress(targetMac);
        packet.setTargetProtocolAddress(targetIp);
    }

    /** Always {@value ArpPacket#LENGTH}. */
    public int length() {
        return ArpPacket.LENGTH;
    }
}
