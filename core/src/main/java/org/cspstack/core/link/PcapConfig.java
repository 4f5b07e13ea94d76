package org.cspstack.core.link;

import java.util.Objects;

/**
 * How {@link PcapLink} opens an interface.
 *
 * <p><b>Immediate mode: latency against throughput.</b> In immediate mode libpcap hands every frame to the
 * receiver as soon as the kernel has it. That gives the lowest latency (a responder's ping RTT averaged 0.35 ms on
 * the lab veth, against 1.3 ms non-immediate with a 1 ms timeout and 4.4 ms with 10 ms), but one wake-up per frame:
 * under a flood the receive thread falls behind and the kernel ring drops frames (20-44% measured at 113k-235k
 * frames/s, counted in {@link LinkCounters#captureDropped}). Without immediate mode the kernel fills whole ring
 * blocks and wakes the receiver when a block is full or the 1 ms timeout expires: several frames per wake-up, so
 * higher throughput (335k-390k frames/s with no drops measured) at the price of up to a timeout of added latency.
 * Choose immediate mode for request/response work and latency experiments (the {@link #defaults default}), and
 * turn it off for bulk transfers and floods.
 *
 * @param interfaceName the interface to capture on and send through, such as {@code csplab0}
 * @param immediate     deliver each frame at once (low latency); otherwise batch with a 1 ms timeout (throughput)
 * @param snapLength    the most bytes captured of a frame; at least {@code mtu + 14} so that no frame is cut
 * @param bufferBytes   the kernel capture ring, in bytes; a larger ring absorbs longer bursts
 * @param mtu           the largest IP datagram the link carries; the transmitter drops longer frames
 */
public record PcapConfig(String interfaceName, boolean immediate, int snapLength, int bufferBytes, int mtu) {

    /** Ethernet header without FCS or VLAN tag. */
    static final int ETHERNET_HEADER = 14;
    /** libpcap's largest snapshot length. */
    public static final int MAX_SNAP_LENGTH = 262_144;
    public static final int DEFAULT_SNAP_LENGTH = 65_535;
    public static final int DEFAULT_BUFFER_BYTES = 32 << 20;
    public static final int DEFAULT_MTU = 1500;

    public PcapConfig {
        Objects.requireNonNull(interfaceName, "interfaceName");
        if (interfaceName.isBlank()) {
            throw new IllegalArgumentException("interface name is empty; pass an interface such as csplab0");
        }
        if (mtu < 68 || mtu > MAX_SNAP_LENGTH - ETHERNET_HEADER) {
            throw new IllegalArgumentException("mtu " + mtu + " is outside 68.." + (MAX_SNAP_LENGTH - ETHERNET_HEADER)
                    + "; Ethernet uses 1500");
        }
        if (snapLength < mtu + ETHERNET_HEADER || snapLength > MAX_SNAP_LENGTH) {
            throw new IllegalArgumentException("snap length " + snapLength + " is outside " + (mtu + ETHERNET_HEADER)
                    + ".." + MAX_SNAP_LENGTH + " (mtu " + mtu + " + 14 .. libpcap's maximum); use "
                    + DEFAULT_SNAP_LENGTH);
        }
        if (bufferBytes < 64 * 1024) {
            throw new IllegalArgumentException("capture buffer of " + bufferBytes + " bytes is below 64 KiB; use "
                    + DEFAULT_BUFFER_BYTES);
        }
    }

    /** Immediate mode, snap length 65535, a 32 MiB capture ring and an MTU of 1500. */
    public static PcapConfig defaults(String interfaceName) {
        return new PcapConfig(interfaceName, true, DEFAULT_SNAP_LENGTH, DEFAULT_BUFFER_BYTES, DEFAULT_MTU);
    }

    /** The same configuration with immediate mode switched on or off. */
    public PcapConfig withImmediate(boolean on) {
        return new PcapConfig(interfaceName, on, snapLength, bufferBytes, mtu);
    }

    /** The longest frame the link sends or expects: {@code mtu + 14} (no FCS, no VLAN tag). */
    public int maxFrameLength() {
        return mtu + ETHERNET_HEADER;
    }
}
