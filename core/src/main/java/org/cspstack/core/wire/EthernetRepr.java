package org.cspstack.core.wire;

import java.util.Objects;

/**
 * The fields of an Ethernet II header as a value.
 *
 * @param source      the sender's address
 * @param destination the receiver's address (unicast, multicast or broadcast)
 * @param etherType   the payload's type, {@value EtherType#MIN_ETHER_TYPE} (0x0600) or more: smaller values are
 *                    IEEE 802.3 length fields, which this stack does not handle
 */
public record EthernetRepr(MacAddress source, MacAddress destination, int etherType) {

    /** Checks that the addresses are present and {@code etherType} is a 16-bit EtherType (not an 802.3 length). */
    public EthernetRepr {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        if (etherType < EtherType.MIN_ETHER_TYPE || etherType > 0xffff) {
            throw new IllegalArgumentException(String.format(
                    "EtherType 0x%04x is not in 0x0600..0xffff (smaller values are 802.3 lengths)", etherType));
        }
    }

    /**
     * Reads the header of a frame from {@link EthernetFrame#wrapChecked}.
     *
     * @throws MalformedPacketException UNSUPPORTED for an IEEE 802.3 frame (type field below 0x0600)
     */
    public static EthernetRepr parse(EthernetFrame frame) throws MalformedPacketException {
        int type = frame.etherType();
        if (type < EtherType.MIN_ETHER_TYPE) {
            throw new MalformedPacketException(MalformedPacketException.Reason.UNSUPPORTED,
                    "IEEE 802.3 frame (length field " + type + "), only Ethernet II is handled");
        }
        return new EthernetRepr(frame.source(), frame.destination(), type);
    }

    /** Writes the header into the first {@value EthernetFrame#HEADER_LENGTH} bytes of {@code frame}. */
    public void emit(EthernetFrame frame) {
        frame.setDestination(destination);
        frame.setSource(source);
        frame.setEtherType(etherType);
    }

    /** Always {@value EthernetFrame#HEADER_LENGTH}. */
    public int headerLength() {
        return EthernetFrame.HEADER_LENGTH;
    }
}
