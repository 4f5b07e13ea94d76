package org.cspstack.protocols.ethernet;

import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.csp.Batch;
import org.cspstack.core.csp.Outbox;
import org.cspstack.core.csp.Poison;
import org.cspstack.core.wire.EtherType;
import org.cspstack.core.wire.EthernetFrame;
import org.cspstack.core.wire.MacAddress;
import org.jcsp.lang.CSProcess;
import org.jcsp.lang.ChannelInput;
import org.jcsp.lang.ChannelOutput;
import org.jcsp.lang.PoisonException;

/**
 * The Ethernet II layer: filters and demultiplexes the frames coming up. Frames going down are not its
 * business: the ARP layer, which learns the destination MAC, frames them itself ({@link EthernetFramer}) and
 * hands them straight to the link's transmitter, so a datagram going down crosses one process fewer.
 *
 * <pre>
 *            toArp (up)     toIp (up)
 *               ^              ^
 *               |              |
 *           +----------------------+
 *           |    EthernetLayer     |
 *           +----------------------+
 *               ^ fromLink (up: frames)
 * </pre>
 *
 * <table>
 *   <caption>Channels</caption>
 *   <tr><th>end</th><th>carries</th><th>buffering</th><th>meaning</th></tr>
 *   <tr><td>fromLink</td><td>PacketBuffers, whole frames</td><td>upward, drops when full</td>
 *       <td>frames from the link's receiver</td></tr>
 *   <tr><td>toArp</td><td>PacketBuffers at the ARP header</td><td>upward</td><td>EtherType 0x0806</td></tr>
 *   <tr><td>toIp</td><td>PacketBuffers at the IPv4 header</td><td>upward</td><td>EtherType 0x0800</td></tr>
 * </table>
 * Every channel carries {@link Batch}es: what one batch in brings goes out as one batch per output, written
 * when the input batch is done. Every buffer's ownership passes with the write. The layer accepts frames to
 * our MAC and broadcast; others (the capture is promiscuous) are dropped and counted.
 *
 * <p><b>Limitations.</b> No VLAN tags, no multicast groups, no 802.3/LLC frames, no IPv6 (counted as unknown
 * EtherType). <b>Termination:</b> on poison from any end it poisons all its ends and returns.
 */
public final class EthernetLayer implements CSProcess {
    private final ChannelInput<Batch<PacketBuffer>> fromLink;
    private final Outbox<PacketBuffer> toArp;
    private final Outbox<PacketBuffer> toIp;
    private final long macBits;
    private final EthernetCounters counters;
    private final EthernetFrame frame = new EthernetFrame();

    public EthernetLayer(ChannelInput<Batch<PacketBuffer>> fromLink, ChannelOutput<Batch<PacketBuffer>> toArp,
                         ChannelOutput<Batch<PacketBuffer>> toIp, MacAddress mac, EthernetCounters counters) {
        this.fromLink = fromLink;
        this.toArp = new Outbox<>(toArp);
        this.toIp = new Outbox<>(toIp);
        this.macBits = mac.toLong();
        this.counters = counters;
    }

    @Override
    public void run() {
        try {
            while (true) {
                Batch<PacketBuffer> up = fromLink.read();
                for (PacketBuffer frame : up) {
                    if (!receive(frame)) {
                        frame.release();
                    }
                }
                up.recycle(); // handled: the writer reuses it
                toIp.flush();
                toArp.flush();
            }
        } catch (PoisonException e) {
            Poison.all(fromLink, toArp, toIp);
        }
    }

    /** Hands a frame up; false when it was dropped (the caller releases it). */
    private boolean receive(PacketBuffer buf) {
        counters.framesReceived.increment();
        if (buf.length() < EthernetFrame.HEADER_LENGTH) {
            counters.truncatedDropped.increment();
            return false;
        }
        frame.rewrap(buf.array(), buf.start(), buf.length());
        long dst = frame.destinationAsLong();
        if (dst != macBits && dst != MacAddress.BROADCAST.toLong()) {
            counters.notForUsDropped.increment();
            return false;
        }
        if (frame.sourceAsLong() == macBits) {
            counters.ownFrameDropped.increment();
            return false;
        }
        int type = frame.etherType();
        buf.consume(EthernetFrame.HEADER_LENGTH);
        switch (type) {
            case EtherType.IPV4 -> {
                counters.ipv4Delivered.increment();
                toIp.add(buf);
                return true;
            }
            case EtherType.ARP -> {
                counters.arpDelivered.increment();
                toArp.add(buf);
                return true;
            }
            default -> {
                counters.unknownEtherTypeDropped.increment();
                return false;
            }
        }
    }
}
