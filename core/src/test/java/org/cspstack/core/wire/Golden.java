package org.cspstack.core.wire;

/**
 * Golden packets for the wire tests, made with Scapy 2.5.0 (Debian's {@code /usr/bin/python3}) as
 * {@code bytes(packet).hex()} and pasted here unchanged (only split into groups). Each constant says the
 * Scapy expression that made it. Shorthands used below:
 * <pre>
 * from scapy.all import *
 * A = "02:00:5e:10:00:01"; B = "02:00:5e:10:00:02"
 * orig = IP(src="198.18.0.2", dst="198.18.0.1", id=0x4242, ttl=64)/UDP(sport=40000, dport=33434)/b"probe"
 * </pre>
 * Every byte array returned is a fresh copy, so tests may modify it.
 */
final class Golden {

    static final MacAddress MAC_A = MacAddress.parse("02:00:5e:10:00:01");
    static final MacAddress MAC_B = MacAddress.parse("02:00:5e:10:00:02");
    static final Ipv4Address IP_A = Ipv4Address.parse("198.18.0.1");
    static final Ipv4Address IP_B = Ipv4Address.parse("198.18.0.2");

    /** The payload of the echo request and reply below. */
    static final String PING_DATA = "cspstack ping!!!";

    private Golden() {
    }

    /**
     * {@code Ether(src=A, dst=B)/IP(src="198.18.0.1", dst="198.18.0.2", id=0x1234, flags="DF", ttl=64)
     * /ICMP(id=0x4d2, seq=1)/b"cspstack ping!!!"}: 58 bytes, IPv4 at 14, ICMP at 34.
     */
    static byte[] echoRequestFrame() {
        return Bytes.fromHex("02005e100002 02005e100001 0800"
                + " 4500 002c 1234 4000 4001 9c75 c6120001 c6120002"
                + " 0800 3558 04d2 0001 637370737461636b2070696e67212121");
    }

    /**
     * {@code Ether(src=B, dst=A)/IP(src="198.18.0.2", dst="198.18.0.1", id=0x5678, ttl=64)
     * /ICMP(type=0, id=0x4d2, seq=1)/b"cspstack ping!!!"}: 58 bytes, IPv4 at 14, ICMP at 34.
     */
    static byte[] echoReplyFrame() {
        return Bytes.fromHex("02005e100001 02005e100002 0800"
                + " 4500 002c 5678 0000 4001 9831 c6120002 c6120001"
                + " 0000 3d58 04d2 0001 637370737461636b2070696e67212121");
    }

    /**
     * {@code Ether(src=A, dst="ff:ff:ff:ff:ff:ff")/ARP(op=1, hwsrc=A, psrc="198.18.0.1", pdst="198.18.0.2")}:
     * 42 bytes, ARP at 14 (Scapy leaves hwdst 00:00:00:00:00:00).
     */
    static byte[] arpRequestFrame() {
        return Bytes.fromHex("ffffffffffff 02005e100001 0806"
                + " 0001 0800 06 04 0001 02005e100001 c6120001 000000000000 c6120002");
    }

    /**
     * {@code Ether(src=B, dst=A)/ARP(op=2, hwsrc=B, psrc="198.18.0.2", hwdst=A, pdst="198.18.0.1")}: 42 bytes,
     * ARP at 14.
     */
    static byte[] arpReplyFrame() {
        return Bytes.fromHex("02005e100001 02005e100002 0806"
                + " 0001 0800 06 04 0002 02005e100002 c6120002 02005e100001 c6120001");
    }

    /**
     * {@code arpRequestFrame/Padding(b"\0"*18)}: the same request padded to the 60-byte Ethernet minimum.
     */
    static byte[] arpRequestFramePadded() {
        return Bytes.fromHex("ffffffffffff 02005e100001 0806"
                + " 0001 0800 06 04 0001 02005e100001 c6120001 000000000000 c6120002"
                + " 000000000000000000000000000000000000");
    }

    /**
     * {@code IP(src="198.18.0.1", dst="198.18.0.2", id=1, ttl=64)/UDP(sport=40000, dport=53)/b"hello"}:
     * 33 bytes, UDP checksum 0x9364 at 26.
     */
    static byte[] ipv4Udp() {
        return Bytes.fromHex("4500 0021 0001 0000 4011 eea3 c6120001 c6120002"
                + " 9c40 0035 000d 9364 68656c6c6f");
    }

    /**
     * {@code IP(src="198.18.0.1", dst="198.18.0.2", id=2, ttl=1, options=[IPOption_Router_Alert()])
     * /UDP(sport=1000, dport=2000)/b"x"}: a 24-byte header (IHL 6) with the 4-byte router alert option.
     */
    static byte[] ipv4WithOptions() {
        return Bytes.fromHex("4600 0021 0002 0000 0111 989e c6120001 c6120002 94040000"
                + " 03e8 07d0 0009 effb 78");
    }

    /**
     * {@code IP(src="198.18.0.1", dst="198.18.0.2", id=0xabcd, flags="MF", frag=185, ttl=64, proto=17)
     * /(b"F"*16)}: a middle fragment at byte offset 185 * 8 = 1480.
     */
    static byte[] ipv4Fragment() {
        return Bytes.fromHex("4500 0024 abcd 20b9 4011 221b c6120001 c6120002"
                + " 46464646464646464646464646464646");
    }

    /**
     * {@code IP(src="198.18.0.1", dst="198.18.0.2", id=7, tos=0xb8, ttl=255, proto=6)/(b"\0"*4)}: DSCP 46 (EF).
     */
    static byte[] ipv4Dscp() {
        return Bytes.fromHex("45b8 0018 0007 0000 ff06 2ef9 c6120001 c6120002 00000000");
    }

    /** {@code bytes(orig)}: a 33-byte UDP datagram, the one the ICMP errors below quote. */
    static byte[] originalDatagram() {
        return Bytes.fromHex("4500 0021 4242 0000 4011 ac62 c6120002 c6120001"
                + " 9c40 829a 000d 0ffc 70726f6265");
    }

    /** {@code bytes(orig)[:28]}: its IP header and first 8 bytes of data (the UDP header). */
    static byte[] quotedDatagram() {
        return Bytes.fromHex("4500 0021 4242 0000 4011 ac62 c6120002 c6120001 9c40 829a 000d 0ffc");
    }

    /**
     * {@code IP(src="198.18.0.1", dst="198.18.0.2", id=3, ttl=64)/ICMP(type=3, code=3)/bytes(orig)[:28]}:
     * port unreachable, ICMP at 20.
     */
    static byte[] portUnreachablePacket() {
        return Bytes.fromHex("4500 0038 0003 0000 4001 ee9a c6120001 c6120002"
                + " 0303 ce18 00000000"
                + " 4500 0021 4242 0000 4011 ac62 c6120002 c6120001 9c40 829a 000d 0ffc");
    }

    /** {@code ICMP(type=3, code=4, nexthopmtu=1400)/bytes(orig)[:28]}: fragmentation needed, MTU 1400. */
    static byte[] fragmentationNeeded() {
        return Bytes.fromHex("0304 c89f 0000 0578"
                + " 4500 0021 4242 0000 4011 ac62 c6120002 c6120001 9c40 829a 000d 0ffc");
    }

    /** {@code ICMP(type=11, code=0)/bytes(orig)[:28]}: TTL exceeded in transit. */
    static byte[] timeExceeded() {
        return Bytes.fromHex("0b00 c61b 00000000"
                + " 4500 0021 4242 0000 4011 ac62 c6120002 c6120001 9c40 829a 000d 0ffc");
    }

    /** {@code ICMP(type=12, code=0, ptr=1)/bytes(orig)[:28]}: parameter problem, which IcmpRepr does not handle. */
    static byte[] parameterProblem() {
        return Bytes.fromHex("0c00 c41b 01000000"
                + " 4500 0021 4242 0000 4011 ac62 c6120002 c6120001 9c40 829a 000d 0ffc");
    }

    /** {@code ICMP(id=7, seq=9)/b"abc"}: an 11-byte (odd length) echo request. */
    static byte[] echoRequestOddLength() {
        return Bytes.fromHex("0800 338d 0007 0009 616263");
    }

    /** A copy of {@code b[from, to)}. */
    static byte[] slice(byte[] b, int from, int to) {
        return java.util.Arrays.copyOfRange(b, from, to);
    }
}
