package org.cspstack.protocols.testing;

import java.util.Arrays;

import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.wire.Checksum;
import org.cspstack.core.wire.IpProtocol;
import org.cspstack.core.wire.Ipv4Address;

/**
 * Builds IPv4 datagrams for tests field by field, including broken ones (wrong version, IHL, total length or
 * checksum), without going through {@code Ipv4Repr.emit}, so that a test does not check the code under test
 * against itself. Defaults: a UDP datagram from the peer (198.18.0.1) to us (198.18.0.2), TTL 64,
 * identification 0x1234, no flags, no options, no payload.
 */
public final class DatagramBuilder {
    private int version = 4;
    private Integer ihlOverride;
    private Integer totalLengthOverride;
    private int dscpEcn;
    private int identification = 0x1234;
    private int flagsAndOffset;
    private int ttl = 64;
    private int protocol = IpProtocol.UDP;
    private Ipv4Address source = TestNet.PEER_IP;
    private Ipv4Address destination = TestNet.OUR_IP;
    private byte[] options = new byte[0];
    private byte[] payload = new byte[0];
    private byte[] padding = new byte[0];
    private boolean corruptChecksum;

    private DatagramBuilder() {
    }

    public static DatagramBuilder datagram() {
        return new DatagramBuilder();
    }

    public DatagramBuilder version(int v) {
        version = v;
        return this;
    }

    /** Writes this IHL (in 32-bit words) instead of the one the options imply. */
    public DatagramBuilder ihl(int words) {
        ihlOverride = words;
        return this;
    }

    /** Writes this total length instead of the real one. */
    public DatagramBuilder totalLength(int bytes) {
        totalLengthOverride = bytes;
        return this;
    }

    public DatagramBuilder dscpEcn(int v) {
        dscpEcn = v;
        return this;
    }

    public DatagramBuilder identification(int id) {
        identification = id;
        return this;
    }

    public DatagramBuilder dontFragment() {
        flagsAndOffset |= 0x4000;
        return this;
    }

    public DatagramBuilder moreFragments() {
        flagsAndOffset |= 0x2000;
        return this;
    }

    /** The fragment offset in bytes (a multiple of 8). */
    public DatagramBuilder fragmentOffset(int bytes) {
        flagsAndOffset = (flagsAndOffset & 0xe000) | (bytes >>> 3);
        return this;
    }

    public DatagramBuilder ttl(int t) {
        ttl = t;
        return this;
    }

    public DatagramBuilder protocol(int p) {
        protocol = p;
        return this;
    }

    public DatagramBuilder source(Ipv4Address a) {
        source = a;
        return this;
    }

    public DatagramBuilder destination(Ipv4Address a) {
        destination = a;
        return this;
    }

    /** Options (with their padding): a multiple of 4 bytes, at most 40. */
    public DatagramBuilder options(byte[] o) {
        if (o.length % 4 != 0 || o.length > 40) {
            throw new IllegalArgumentException("options must be a multiple of 4 bytes up to 40, got " + o.length);
        }
        options = o.clone();
        return this;
    }

    public DatagramBuilder payload(byte[] p) {
        payload = p.clone();
        return this;
    }

    /** Bytes after the datagram, beyond its total length (Ethernet pads short frames to 60 bytes). */
    public DatagramBuilder padding(byte[] p) {
        padding = p.clone();
        return this;
    }

    /** Writes a header checksum that is off by one. */
    public DatagramBuilder badChecksum() {
        corruptChecksum = true;
        return this;
    }

    /** The real header length: 20 plus the options. */
    public int headerLength() {
        return 20 + options.length;
    }

    /** Header, payload and padding. */
    public byte[] build() {
        int headerLength = headerLength();
        int total = headerLength + payload.length;
        byte[] b = new byte[total + padding.length];
        int ihl = ihlOverride != null ? ihlOverride : headerLength / 4;
        b[0] = (byte) (version << 4 | ihl);
        b[1] = (byte) dscpEcn;
        putU16(b, 2, totalLengthOverride != null ? totalLengthOverride : total);
        putU16(b, 4, identification);
        putU16(b, 6, flagsAndOffset);
        b[8] = (byte) ttl;
        b[9] = (byte) protocol;
        source.write(b, 12);
        destination.write(b, 16);
        System.arraycopy(options, 0, b, 20, options.length);
        System.arraycopy(payload, 0, b, headerLength, payload.length);
        System.arraycopy(padding, 0, b, total, padding.length);
        // Checksum over the header the IHL declares, as far as the bytes go (a broken IHL fails earlier).
        int checksummed = Math.min(Math.max(ihl * 4, 0), headerLength);
        int checksum = Checksum.compute(b, 0, checksummed);
        putU16(b, 10, corruptChecksum ? checksum ^ 0x0001 : checksum);
        return b;
    }

    /** The datagram in a buffer behind 14 bytes of headroom, as the Ethernet layer hands it up. */
    public PacketBuffer buffer() {
        return Frames.buffer(build(), 14);
    }

    /** The first {@code n} bytes of the datagram (to make truncated ones). */
    public byte[] firstBytes(int n) {
        return Arrays.copyOf(build(), n);
    }

    private static void putU16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }
}
