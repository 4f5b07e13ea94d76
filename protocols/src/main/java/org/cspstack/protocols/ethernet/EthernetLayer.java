package org.cspstack.protocols.ethernet;

import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.csp.Batch;
import org.cspstack.core.csp.Outbox;
import org.cspstack.core.csp.Poison;
import org.cspstack.core.wire.EtherType;
import org.cspstack.core.wire.EthernetFrame;
import org.cspstack.core.wire.MacAddress;
import org.jcsp.lang.AltingChannelInput;
import org.jcsp.lang.Alternative;
import org.jcsp.lang.CSProcess;
import org.jcsp.lang.ChannelOutput;
import org.jcsp.lang.Guard;
import org.jcsp.lang.PoisonException;

/**
 * The Ethernet II layer: filters and demultiplexes frames coming up, frames packets going down.
 *
 * <pre>
 *            toArp (up)     toIp (up)         fromArp (down: EthernetTx)
 *               ^              ^                  |
 *               |              |                  v
 *           +---------------------------------------+
 *           |             EthernetLayer             |
 *           +---------------------------------------+
 *               ^ fromLink (up: frames)           | toLink (down: frames)
 * </pre>
 *
 * <table>
 *   <caption>Channels</caption>
 *   <tr><th>end</th><th>carries</th><th>buffering</th><th>meaning</th></tr>
 *   <tr><td>fromLink</td><td>PacketBuffers, whole frames</td><td>upward, drops when full</td>
 *       <td>frames from the link's receiver</td></tr>
 *   <tr><td>fromArp</td><td>{@link EthernetTx}s</td><td>downward, blocking</td>
 *       <td>ARP packets and resolved IP datagrams to frame and send</td></tr>
 *   <tr><td>toArp</td><td>PacketBuffers at the ARP header</td><td>upward</td><td>EtherType 0x0806</td></tr>
 *   <tr><td>toIp</td><td>PacketBuffers at the IPv4 header</td><td>upward</td><td>EtherType 0x0800</td></tr>
 *   <tr><td>toLink</td><td>PacketBuffers, whole frames</td><td>downward, blocking</td>
 *       <td>frames for the link's transmitter</td></tr>
 * </table>
 * Every channel carries {@link Batch}es: what one batch in brings goes out as one batch per output, written
 * when the input batch is done. Every buffer's ownership passes with the write. The layer accepts frames to our MAC and broadcast; others
 * (the capture is promiscuous) are dropped and counted. Frames carry no FCS and are not padded here (the
 * link pads to the 60-byte minimum).
 *
 * <p><b>Limitations.</b> No VLAN tags, no multicast groups, no 802.3/LLC frames, no IPv6 (counted as unknown
 * EtherType). <b>Termination:</b> on poison from any end it poisons all its ends and returns.
 */
public final class EthernetLayer implements CSProcess {
    private static final int FROM_ARP = 0;
    private static final int FROM_LINK = 1;

    private final AltingChannelInput<Batch<PacketBuffer>> fromLink;
    private final AltingChannelInput<Batch<EthernetTx>> fromArp;
    private final Outbox<PacketBuffer> toArp;
    private final Outbox<PacketBuffer> toIp;
    private final Outbox<PacketBuffer> toLink;
    private final MacAddress mac;
    private final long macBits;
    private final EthernetCounters counters;
    private final EthernetFrame frame = new EthernetFrame();

    public EthernetLayer(AltingChannelInput<Batch<PacketBuffer>> fromLink, AltingChannelInput<Batch<EthernetTx>> fromArp,
                         ChannelOutput<Batch<PacketBuffer>> toArp, ChannelOutput<Batch<PacketBuffer>> toIp,
                         ChannelOutput<Batch<PacketBuffer>> toLink, MacAddress mac, EthernetCounters counters) {
        this.fromLink = fromLink;
        this.fromArp = fromArp;
        this.toArp = new Outbox<>(toArp);
        this.toIp = new Outbox<>(toIp);
        this.toLink = new Outbox<>(toLink);
        this.mac = mac;
        this.macBits = mac.toLong();
        this.counters = counters;
    }

    @Override
    public void run() {
        // Going down first: sending frees buffers and never waits on anything going up.
        Alternative alt = new Alternative(new Guard[] {fromArp, fromLink});
        try {
            while (true) {
                switch (alt.priSelect()) {
                    case FROM_ARP -> {
                        Batch<EthernetTx> down = fromArp.read();
                        for (EthernetTx tx : down) {
                            send(tx);
                        }
                        down.recycle(); // handled: the writer reuses it
                        toLink.flush();
                    }
                    case FROM_LINK -> {
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
                    default -> throw new IllegalStateException("unknown guard");
                }
            }
        } catch (PoisonException e) {
            Poison.all(fromLink, fromArp, toArp, toIp, toLink);
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

    private void send(EthernetTx tx) {
        PacketBuffer buf = tx.payload().prepend(EthernetFrame.HEADER_LENGTH);
        frame.rewrap(buf.array(), buf.start(), buf.length());
        frame.setDestination(tx.destination());
        frame.setSource(mac);
        frame.setEtherType(tx.etherType());
        counters.framesSent.increment();
        toLink.add(buf);
    }
}
