package org.cspstack.core.wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * An ICMP message (RFC 792) of one of the types this stack handles, as a value: echo request and reply,
 * destination unreachable (with the RFC 1191 next-hop MTU) and time exceeded.
 *
 * <p><b>Byte arrays.</b> The records hold their data (echo payload, quoted datagram) in a {@code byte[]} that
 * they own: {@link #parse} copies it out of the packet, a constructor takes the caller's array without
 * copying, and nobody may modify it afterwards. {@code equals}, {@code hashCode} and {@code toString} look at
 * the contents.
 *
 * <p>{@code quoted} is the start of the datagram that caused an error: its IP header and, as RFC 792 asks, at
 * least the first 8 bytes of its data (which hold the UDP or TCP ports); see {@link #quote}. Its length is
 * not checked against the quoted header, because a datagram may itself be shorter than that.
 */
public sealed interface IcmpRepr {

    /** The largest data that fits an ICMP message in an IPv4 datagram: 65535 - 20 - 8. */
    int MAX_DATA_LENGTH = Ipv4Packet.MAX_TOTAL_LENGTH - Ipv4Packet.MIN_HEADER_LENGTH - IcmpPacket.HEADER_LENGTH;

    /** The ICMP type, see {@link IcmpType}. */
    int type();

    /** The ICMP code. */
    int code();

    /** Length of the message, header and data. */
    int length();

    /**
     * Writes the whole message, checksum included, into the first {@link #length()} bytes of {@code packet}.
     *
     * @throws IllegalArgumentException if the view is shorter than {@link #length()}
     */
    void emit(IcmpPacket packet);

    /**
     * Reads a message from {@link IcmpPacket#wrapChecked} (the checksum is not checked again), copying its data.
     *
     * @throws MalformedPacketException UNSUPPORTED for other types, for echo with a non-zero code, and for
     *                                  unassigned unreachable or time exceeded codes
     */
    static IcmpRepr parse(IcmpPacket packet) throws MalformedPacketException {
        int type = packet.type();
        int code = packet.code();
        int from = packet.dataOffset();
        byte[] data = Arrays.copyOfRange(packet.buffer(), from, from + packet.dataLength());
        switch (type) {
            case IcmpType.ECHO_REQUEST:
                requireCode(type, code, 0);
                return new EchoRequest(packet.identifier(), packet.sequenceNumber(), data);
            case IcmpType.ECHO_REPLY:
                requireCode(type, code, 0);
                return new EchoReply(packet.identifier(), packet.sequenceNumber(), data);
            case IcmpType.DESTINATION_UNREACHABLE:
                requireCode(type, code, IcmpType.UNREACHABLE_MAX_CODE);
                int mtu = code == IcmpType.UNREACHABLE_FRAGMENTATION_NEEDED ? packet.nextHopMtu() : 0;
                return new DestinationUnreachable(code, mtu, data);
            case IcmpType.TIME_EXCEEDED:
                requireCode(type, code, IcmpType.TIME_EXCEEDED_REASSEMBLY);
                return new TimeExceeded(code, data);
            default:
                throw new MalformedPacketException(MalformedPacketException.Reason.UNSUPPORTED,
                        "ICMP " + IcmpType.name(type) + " (code " + code + ") is not handled");
        }
    }

    /**
     * The RFC 792 quote of a datagram for an error message about it: its IP header and up to the first 8
     * bytes of its payload, copied.
     */
    static byte[] quote(Ipv4Packet original) {
        return quote(original, 0);
    }

    /**
     * A quote of a datagram for an error message about it: as much of it as fits in {@code maxLength} bytes
     * (RFC 1812 suggests keeping the whole ICMP datagram within 576 bytes, i.e. {@code maxLength} 548), but
     * never less than its IP header and up to 8 bytes of its payload. Copied.
     */
    static byte[] quote(Ipv4Packet original, int maxLength) {
        int minimum = original.headerLength() + Math.min(8, original.payloadLength());
        int n = Math.min(original.totalLength(), Math.max(minimum, maxLength));
        return Arrays.copyOfRange(original.buffer(), original.offset(), original.offset() + n);
    }

    private static void requireCode(int type, int code, int max) throws MalformedPacketException {
        if (code > max) {
            throw new MalformedPacketException(MalformedPacketException.Reason.UNSUPPORTED,
                    "ICMP " + IcmpType.name(type) + " with code " + code + " (handled: 0.." + max + ")");
        }
    }

    private static void checkRange(String name, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException("ICMP " + name + " must be 0.." + max + ", got " + value);
        }
    }

    private static void checkData(String name, byte[] data) {
        Objects.requireNonNull(data, name);
        if (data.length > MAX_DATA_LENGTH) {
            throw new IllegalArgumentException(
                    "ICMP " + name + " of " + data.length + " bytes, at most " + MAX_DATA_LENGTH + " fit");
        }
    }

    private static void write(IcmpPacket packet, int type, int code, long restOfHeader, byte[] data) {
        int length = IcmpPacket.HEADER_LENGTH + data.length;
        if (packet.length() < length) {
            throw new IllegalArgumentException(
                    "ICMP view of " + packet.length() + " bytes is too short for a " + length + "-byte message");
        }
        packet.setType(type);
        packet.setCode(code);
        packet.setChecksum(0);
        packet.setRestOfHeader(restOfHeader);
        System.arraycopy(data, 0, packet.buffer(), packet.dataOffset(), data.length);
        packet.setChecksum(Checksum.compute(packet.buffer(), packet.offset(), length));
    }

    private static String describe(byte[] data) {
        int shown = Math.min(data.length, 64);
        return data.length + " bytes " + Bytes.hex(data, 0, shown) + (shown < data.length ? "..." : "");
    }

    /**
     * An echo request ("ping").
     *
     * @param identifier 0..65535, chosen by the sender to match replies
     * @param sequence   0..65535, counts the requests
     * @param data       the payload, echoed back unchanged; owned by the record
     */
    record EchoRequest(int identifier, int sequence, byte[] data) implements IcmpRepr {

        /** Checks the ranges and the data length. */
        public EchoRequest {
            checkRange("identifier", identifier, 0xffff);
            checkRange("sequence", sequence, 0xffff);
            checkData("echo data", data);
        }

        /** The reply to this request: same identifier, sequence and data (the array is shared). */
        public EchoReply reply() {
            return new EchoReply(identifier, sequence, data);
        }

        @Override
        public int type() {
            return IcmpType.ECHO_REQUEST;
        }

        @Override
        public int code() {
            return 0;
        }

        @Override
        public int length() {
            return IcmpPacket.HEADER_LENGTH + data.length;
        }

        @Override
        public void emit(IcmpPacket packet) {
            write(packet, IcmpType.ECHO_REQUEST, 0, (long) identifier << 16 | sequence, data);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof EchoRequest e && e.identifier == identifier && e.sequence == sequence
                    && Arrays.equals(e.data, data);
        }

        @Override
        public int hashCode() {
            return (identifier * 31 + sequence) * 31 + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "EchoRequest[identifier=" + identifier + ", sequence=" + sequence + ", data=" + describe(data)
                    + "]";
        }
    }

    /**
     * An echo reply.
     *
     * @param identifier 0..65535, copied from the request
     * @param sequence   0..65535, copied from the request
     * @param data       the request's payload; owned by the record
     */
    record EchoReply(int identifier, int sequence, byte[] data) implements IcmpRepr {

        /** Checks the ranges and the data length. */
        public EchoReply {
            checkRange("identifier", identifier, 0xffff);
            checkRange("sequence", sequence, 0xffff);
            checkData("echo data", data);
        }

        @Override
        public int type() {
            return IcmpType.ECHO_REPLY;
        }

        @Override
        public int code() {
            return 0;
        }

        @Override
        public int length() {
            return IcmpPacket.HEADER_LENGTH + data.length;
        }

        @Override
        public void emit(IcmpPacket packet) {
            write(packet, IcmpType.ECHO_REPLY, 0, (long) identifier << 16 | sequence, data);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof EchoReply e && e.identifier == identifier && e.sequence == sequence
                    && Arrays.equals(e.data, data);
        }

        @Override
        public int hashCode() {
            return (identifier * 31 + sequence) * 31 + Arrays.hashCode(data) + 1;
        }

        @Override
        public String toString() {
            return "EchoReply[identifier=" + identifier + ", sequence=" + sequence + ", data=" + describe(data) + "]";
        }
    }

    /**
     * Destination unreachable.
     *
     * @param code       0..15, e.g. {@link IcmpType#UNREACHABLE_PORT}
     * @param nextHopMtu for {@link IcmpType#UNREACHABLE_FRAGMENTATION_NEEDED}: the MTU of the next hop (RFC
     *                   1191), 0..65535 (0 if unknown); must be 0 for every other code
     * @param quoted     the start of the datagram that could not be delivered; owned by the record
     */
    record DestinationUnreachable(int code, int nextHopMtu, byte[] quoted) implements IcmpRepr {

        /** Checks the code, the MTU and the quote length. */
        public DestinationUnreachable {
            checkRange("destination unreachable code", code, IcmpType.UNREACHABLE_MAX_CODE);
            checkRange("next-hop MTU", nextHopMtu, 0xffff);
            if (nextHopMtu != 0 && code != IcmpType.UNREACHABLE_FRAGMENTATION_NEEDED) {
                throw new IllegalArgumentException(
                        "ICMP next-hop MTU " + nextHopMtu + " given for unreachable code " + code
                                + "; only code 4 (fragmentation needed) carries one");
            }
            checkData("quoted datagram", quoted);
        }

        @Override
        public int type() {
            return IcmpType.DESTINATION_UNREACHABLE;
        }

        @Override
        public int length() {
            return IcmpPacket.HEADER_LENGTH + quoted.length;
        }

        @Override
        public void emit(IcmpPacket packet) {
            write(packet, IcmpType.DESTINATION_UNREACHABLE, code, nextHopMtu, quoted);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof DestinationUnreachable d && d.code == code && d.nextHopMtu == nextHopMtu
                    && Arrays.equals(d.quoted, quoted);
        }

        @Override
        public int hashCode() {
            return (code * 31 + nextHopMtu) * 31 + Arrays.hashCode(quoted);
        }

        @Override
        public String toString() {
            return "DestinationUnreachable[code=" + code + ", nextHopMtu=" + nextHopMtu + ", quoted="
                    + describe(quoted) + "]";
        }
    }

    /**
     * Time exceeded.
     *
     * @param code   {@link IcmpType#TIME_EXCEEDED_TTL} or {@link IcmpType#TIME_EXCEEDED_REASSEMBLY}
     * @param quoted the start of the datagram that was dropped (for reassembly: of its first fragment); owned
     *               by the record
     */
    record TimeExceeded(int code, byte[] quoted) implements IcmpRepr {

        /** Checks the code and the quote length. */
        public TimeExceeded {
            checkRange("time exceeded code", code, IcmpType.TIME_EXCEEDED_REASSEMBLY);
            checkData("quoted datagram", quoted);
        }

        @Override
        public int type() {
            return IcmpType.TIME_EXCEEDED;
        }

        @Override
        public int length() {
            return IcmpPacket.HEADER_LENGTH + quoted.length;
        }

        @Override
        public void emit(IcmpPacket packet) {
            write(packet, IcmpType.TIME_EXCEEDED, code, 0, quoted);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TimeExceeded t && t.code == code && Arrays.equals(t.quoted, quoted);
        }

        @Override
        public int hashCode() {
            return code * 31 + Arrays.hashCode(quoted);
        }

        @Override
        public String toString() {
            return "TimeExceeded[code=" + code + ", quoted=" + describe(quoted) + "]";
        }
    }
}
