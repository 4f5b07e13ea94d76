package org.cspstack.protocols.stack;

import java.util.List;

import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.csp.Chan;
import org.cspstack.core.csp.Counters;
import org.cspstack.core.csp.ProcessNetwork;
import org.cspstack.core.link.FrameObserver;
import org.cspstack.core.link.Link;
import org.cspstack.core.link.LinkCounters;
import org.cspstack.core.wire.IpProtocol;
import org.cspstack.protocols.arp.ArpCounters;
import org.cspstack.protocols.arp.ArpLayer;
import org.cspstack.protocols.arp.RoutedPacket;
import org.cspstack.protocols.ethernet.EthernetCounters;
import org.cspstack.protocols.ethernet.EthernetLayer;
import org.cspstack.protocols.ethernet.EthernetTx;
import org.cspstack.protocols.icmp.IcmpCounters;
import org.cspstack.protocols.icmp.IcmpLayer;
import org.cspstack.protocols.icmp.PingRequest;
import org.cspstack.protocols.icmp.Pinger;
import org.cspstack.protocols.ipv4.IpDatagram;
import org.cspstack.protocols.ipv4.IpSend;
import org.cspstack.protocols.ipv4.Ipv4Counters;
import org.cspstack.protocols.ipv4.Ipv4Layer;
import org.cspstack.protocols.ipv4.ReassemblyEvent;
import org.cspstack.protocols.ipv4.Transport;
import org.jcsp.lang.Any2OneChannel;

/**
 * One host's stack, wired into a {@link ProcessNetwork}: a process per layer, a channel per direction.
 *
 * <pre>
 *                    apps (Pinger: request + own reply channel)
 *                           | appsToIcmp (rendezvous, shared)
 *                           v
 *                        [ icmp ]
 *              ipToIcmp  ^      | icmpToIp
 *                 (up)   |      v (down)
 *                        [  ip  ]
 *        ethToIp (up)    ^      | ipToArp (down)
 *                        |      v
 *                        |   [ arp ]
 *                        |   ^     | arpToEth (down)
 *                        | ethToArp (up)
 *                        |   |     v
 *                        [   eth   ]
 *        linkToEth (up)  ^         | ethToLink (down)
 *                   [ link-rx ] [ link-tx ]
 *                        ^         v
 *                          medium
 * </pre>
 *
 * Upward channels are buffered and drop (counted) when full; downward channels block (STYLE.md §4). No
 * process ever waits on a channel going up, so no cycle of waiting can form: the wiring is deadlock-free by
 * construction, and {@code cspstack model} lets spin check it.
 *
 * <p>Every process and channel name starts with {@code prefix} (such as {@code "a."}), so two stacks can
 * share one network (the demo). The network is run by a {@link org.cspstack.core.csp.ProcessRunner}; build
 * first, then start.
 */
public final class HostStack {
    private final String prefix;
    private final StackConfig config;
    private final Link link;
    private final Any2OneChannel<PingRequest> appsToIcmp;
    private final LinkCounters linkCounters;
    private final EthernetCounters ethCounters;
    private final ArpCounters arpCounters;
    private final Ipv4Counters ipCounters;
    private final IcmpCounters icmpCounters;

    private HostStack(String prefix, StackConfig config, Link link, Any2OneChannel<PingRequest> appsToIcmp,
                      LinkCounters linkCounters, EthernetCounters ethCounters, ArpCounters arpCounters,
                      Ipv4Counters ipCounters, IcmpCounters icmpCounters) {
        this.prefix = prefix;
        this.config = config;
        this.link = link;
        this.appsToIcmp = appsToIcmp;
        this.linkCounters = linkCounters;
        this.ethCounters = ethCounters;
        this.arpCounters = arpCounters;
        this.ipCounters = ipCounters;
        this.icmpCounters = icmpCounters;
    }

    /** Builds the stack's processes and channels into {@code net}. */
    public static HostStack build(ProcessNetwork net, String prefix, StackConfig config, Link link) {
        return build(net, prefix, config, link, null);
    }

    /**
     * Builds the stack's processes and channels into {@code net}; {@code tap}, when not null, sees every frame
     * received from and sent to the link (for {@code --pcap}).
     */
    public static HostStack build(ProcessNetwork net, String prefix, StackConfig config, Link link,
                                  FrameObserver tap) {
        if (link.mtu() < config.mtu()) {
            throw new IllegalArgumentException("the stack's MTU " + config.mtu() + " exceeds the link's "
                    + link.mtu() + " (" + link.name() + ")");
        }
        String p = prefix;
        int up = config.upwardCapacity();
        int down = config.downwardCapacity();

        Chan<PacketBuffer> linkToEth = net.upward(p + "linkToEth", p + "link-rx", p + "eth", up);
        Chan<PacketBuffer> ethToLink = net.downward(p + "ethToLink", p + "eth", p + "link-tx", down);
        Chan<PacketBuffer> ethToArp = net.upward(p + "ethToArp", p + "eth", p + "arp", up);
        Chan<PacketBuffer> ethToIp = net.upward(p + "ethToIp", p + "eth", p + "ip", up);
        Chan<EthernetTx> arpToEth = net.downward(p + "arpToEth", p + "arp", p + "eth", down);
        Chan<RoutedPacket> ipToArp = net.downward(p + "ipToArp", p + "ip", p + "arp", down);
        Chan<IpDatagram> ipToIcmp = net.upward(p + "ipToIcmp", p + "ip", p + "icmp", up);
        Chan<IpSend> icmpToIp = net.downward(p + "icmpToIp", p + "icmp", p + "ip", down);
        Any2OneChannel<PingRequest> appsToIcmp = net.requests(p + "appsToIcmp", p + "icmp");

        LinkCounters linkCounters = new LinkCounters(p + "link");
        EthernetCounters ethCounters = new EthernetCounters(p + "eth");
        ArpCounters arpCounters = new ArpCounters(p + "arp");
        Ipv4Counters ipCounters = new Ipv4Counters(p + "ip");
        IcmpCounters icmpCounters = new IcmpCounters(p + "icmp");

        net.nativeProcess(p + "link-rx", link.receiver(
                FrameObserver.tap(linkToEth.out(), "link", p + "eth", tap), linkCounters), linkCounters);
        net.process(p + "link-tx", link.transmitter(ethToLink.in(), linkCounters), null);
        net.process(p + "eth", new EthernetLayer(linkToEth.in(), arpToEth.in(), ethToArp.out(), ethToIp.out(),
                FrameObserver.tap(ethToLink.out(), p + "eth", "link", tap), config.mac(), ethCounters), ethCounters);
        net.process(p + "arp", new ArpLayer(ethToArp.in(), ipToArp.in(), arpToEth.out(), config, arpCounters),
                arpCounters);
        Any2OneChannel<ReassemblyEvent> reasmToIp = net.upwardShared(p + "reasmToIp", p + "reasm-*", p + "ip", up);
        net.process(p + "ip", new Ipv4Layer(ethToIp.in(),
                List.of(new Transport(IpProtocol.ICMP, "icmp", icmpToIp.in(), ipToIcmp.out())),
                ipToArp.out(), new Ipv4Layer.Reassembly(net, p, reasmToIp), config, ipCounters), ipCounters);
        net.process(p + "icmp", new IcmpLayer(ipToIcmp.in(), appsToIcmp.in(), icmpToIp.out(), config, icmpCounters),
                icmpCounters);
        net.onShutdown(link::interrupt);

        return new HostStack(p, config, link, appsToIcmp, linkCounters, ethCounters, arpCounters, ipCounters,
                icmpCounters);
    }

    /** A new blocking ping client (safe to share between threads: each call has its own reply channel). */
    public Pinger pinger() {
        return new Pinger(appsToIcmp.out());
    }

    public String prefix() {
        return prefix;
    }

    public StackConfig config() {
        return config;
    }

    public Link link() {
        return link;
    }

    public LinkCounters linkCounters() {
        return linkCounters;
    }

    public EthernetCounters ethernetCounters() {
        return ethCounters;
    }

    public ArpCounters arpCounters() {
        return arpCounters;
    }

    public Ipv4Counters ipv4Counters() {
        return ipCounters;
    }

    public IcmpCounters icmpCounters() {
        return icmpCounters;
    }

    /** Every counter set, from the link up. */
    public List<Counters> counters() {
        return List.of(linkCounters, ethCounters, arpCounters, ipCounters, icmpCounters);
    }
}
