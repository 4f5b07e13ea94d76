package org.cspstack.protocols.testing;

import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.wire.EthernetFrame;
import org.cspstack.core.wire.MacAddress;

/** Ethernet II frames for tests, built byte by byte (not through the code under test). */
public final class Frames {
    private Frames() {
    }

    /** {@code dst | src | etherType | payload}, no FCS, no padding. */
    public static byte[] ethernet(MacAddress dst, MacAddress src, int etherType, byte[] payload) {
        byte[] f = new byte[EthernetFrame.HEADER_LENGTH + payload.length];
        System.arraycopy(dst.toBytes(), 0, f, 0, 6);
        System.arraycopy(src.toBytes(), 0, f, 6, 6);
        f[12] = (byte) (etherType >>> 8);
        f[13] = (byte) etherType;
        System.arraycopy(payload, 0, f, EthernetFrame.HEADER_LENGTH, payload.length);
        return f;
    }

    /** A buffer holding {@code bytes} behind {@code headroom} free bytes, as a link receiver might hand it up. */
    public static PacketBuffer buffer(byte[] bytes, int headroom) {
        return PacketBuffer.copyOf(bytes, 0, bytes.length, headroom);
    }
}
