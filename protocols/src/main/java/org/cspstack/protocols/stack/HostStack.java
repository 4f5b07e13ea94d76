package org.cspstack.protocols.stack;

import java.util.List;
import java.util.Set;

import org.cspstack.core.buffer.BufferPool;
import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.csp.Batch;
import org.cspstack.core.csp.Chan;
import org.cspstack.core.csp.Counters;
import org.cspstack.core.csp.FaultCounters;
import org.cspstack.core.csp.FaultInjector;
import org.cspstack.core.csp.FaultSettings;
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
import org.cspstack.protocols.icmp.IcmpCounters;
import org.cspstack.protocols.icmp.IcmpLayer;
import org.cspstack.protocols.icmp.PingRequest;
import org.cspstack.protocols.icmp.Pinger;
import org.cspstack.protocols.ipv4.IpDatagram;
import org.cspstack.protocols.ipv4.IpSend;
import org.cspstack.protocols.ipv4.Ipv4Counters;
import org.cspstack.protocols.ipv4.Ipv4Layer;
import org.cspstack.protocols.ipv4.ReassemblyEvent;
import org.cspstack.protocols.ipv4.ReassemblyStrategy;
import org.cspstack.protocols.ipv4.Transport;
import org.cspstack.protocols.services.Service;
import org.cspstack.protocols.services.ServiceCounters;
import org.cspstack.protocols.services.TcpService;
import org.cspstack.protocols.services.UdpService;
import org.cspstack.protocols.tcp.ConnectionEvent;
import org.cspstack.protocols.tcp.Tcp;
import org.cspstack.protocols.tcp.TcpCounters;
import org.cspstack.protocols.tcp.TcpLayer;
import org.cspstack.protocols.tcp.TcpRequest;
import org.cspstack.protocols.udp.Udp;
import org.cspstack.protocols.udp.UdpCounters;
import org.cspstack.protocols.udp.UdpLayer;
import org.cspstack.protocols.udp.UdpRequest;
import org.jcsp.lang.Any2OneChannel;
import org.jcsp.lang.ChannelOutput;

/**
 * One host's stack, wired into a {@link ProcessNetwork}: a process per layer, a channel per direction.
 *
 * <pre>
 *        apps (Pinger)                    apps (Udp: endpoints, sockets, services)
 *            | appsToIcmp (shared)             | appsToUdp (shared)   ^ one receive channel per port (up)
 *            v                                 v                      |
 *         [ icmp ]                          [ udp ]-------------------+
 *   ipToIcmp ^  | icmpToIp             ipToUdp ^  | udpToIp
 *     (up)   |  v (down)                 (up)  |  v (down)
 *        [                        ip                          ]  (+ a reasm-N process per fragmented datagram,
 *                                                               or one reasm process: config.process("reassembly"))
 *   and TCP: ip --ipToTcp (up)--> [ tcp ] --(up)--> one tcp:PORT-ADDR:PORT process per connection, which sends
 *   down on the shared tcpToIp and reports on connToTcp; apps talk to [ tcp ] on appsToTcp and to each
 *   connection on its own request channel.
 *        ethToIp (up)    ^      | ipToArp (down)
 *                        |      v
 *                        |   [ arp ]  (resolves the next hop and frames)
 *                        |   ^     |
 *                        | ethToArp (up)
 *                        |   |     | arpToLink (down: frames)
 *                        [ eth ]   |
 *        linkToEth (up)  ^         v
 *                   [ link-rx ] [ link-tx ]
 *                        ^         v
 *                          medium
 * </pre>
 *
 * Packet channels carry {@link Batch}es (what a process produced in one turn, up to {@link Batch#LIMIT}), and
 * the stack's packet buffers come from one {@link org.cspstack.core.buffer.BufferPool}, given back by their
 * last owner. Upward channels are buffered and drop (counted) when full; downward channels block (STYLE.md §4). No
 * process ever waits on a channel going up, so no cycle of waiting can form: the wiring is deadlock-free by
 * construction, and {@code cspstack model} lets spin check it.
 *
 * <p>Every process and channel name starts with {@code prefix} (such as {@code "a."}), so two stacks can
 * share one network (the demo). The network is run by a {@link org.cspstack.core.csp.ProcessRunner}; build
 * first, then start.
 */
public final class HostStack {
    private final ProcessNetwork net;
    private final String prefix;
    private final Udp udp;
    private final UdpCounters udpCounters;
    private final Tcp tcp;
    private final TcpCounters tcpCounters;
    private final List<Counters> serviceCounters = new java.util.ArrayList<>();
    private final StackConfig config;
    private final Link link;
    private final Any2OneChannel<PingRequest> appsToIcmp;
    private final LinkCounters linkCounters;
    private final EthernetCounters ethCounters;
    private final ArpCounters arpCounters;
    private final Ipv4Counters ipCounters;
    private final IcmpCounters icmpCounters;
    private final BufferPool buffers;

    private HostStack(ProcessNetwork net, String prefix, StackConfig config, Link link,
                      Any2OneChannel<PingRequest> appsToIcmp, Udp udp, Tcp tcp, LinkCounters linkCounters,
                      EthernetCounters ethCounters, ArpCounters arpCounters, Ipv4Counters ipCounters,
                      IcmpCounters icmpCounters, UdpCounters udpCounters, TcpCounters tcpCounters,
                      BufferPool buffers) {
        this.buffers = buffers;
        this.tcp = tcp;
        this.tcpCounters = tcpCounters;
        this.net = net;
        this.udp = udp;
        this.udpCounters = udpCounters;
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
        return build(net, prefix, config, link, tap, FaultSettings.none());
    }

    /**
     * As above, with a seeded fault injector spliced between the link's receiver and Ethernet when
     * {@code faults} is not none: what this stack receives is lost, duplicated, reordered, corrupted or delayed
     * as the settings say (STYLE: since tc netem is not available, our own process does it).
     */
    public static HostStack build(ProcessNetwork net, String prefix, StackConfig config, Link link,
                                  FrameObserver tap, FaultSettings faults) {
        if (link.mtu() < config.mtu()) {
            throw new IllegalArgumentException("the stack's MTU " + config.mtu() + " exceeds the link's "
                    + link.mtu() + " (" + link.name() + ")");
        }
        String p = prefix;
        int up = config.upwardCapacity();
        int down = config.downwardCapacity();

        Chan<Batch<PacketBuffer>> linkToEth = net.upward(p + "linkToEth", p + "link-rx", p + "eth", up);
        Chan<Batch<PacketBuffer>> ethToArp = net.upward(p + "ethToArp", p + "eth", p + "arp", up);
        Chan<Batch<PacketBuffer>> ethToIp = net.upward(p + "ethToIp", p + "eth", p + "ip", up);
        Chan<Batch<PacketBuffer>> arpToLink = net.downward(p + "arpToLink", p + "arp", p + "link-tx", down);
        Chan<Batch<RoutedPacket>> ipToArp = net.downward(p + "ipToArp", p + "ip", p + "arp", down);
        Chan<Batch<IpDatagram>> ipToIcmp = net.upward(p + "ipToIcmp", p + "ip", p + "icmp", up);
        Chan<Batch<IpSend>> icmpToIp = net.downward(p + "icmpToIp", p + "icmp", p + "ip", down);
        Chan<Batch<IpDatagram>> ipToUdp = net.upward(p + "ipToUdp", p + "ip", p + "udp", up);
        Chan<Batch<IpSend>> udpToIp = net.downward(p + "udpToIp", p + "udp", p + "ip", down);
        Any2OneChannel<UdpRequest> appsToUdp = net.requests(p + "appsToUdp", p + "udp");
        Chan<Batch<IpDatagram>> ipToTcp = net.upward(p + "ipToTcp", p + "ip", p + "tcp", up);
        Any2OneChannel<Batch<IpSend>> tcpToIp = net.downwardShared(p + "tcpToIp", p + "tcp,tcp:*", p + "ip", down);
        Any2OneChannel<ConnectionEvent> connToTcp = net.upwardShared(p + "connToTcp", p + "tcp:*", p + "tcp", up);
        Any2OneChannel<TcpRequest> appsToTcp = net.requests(p + "appsToTcp", p + "tcp");
        Any2OneChannel<PingRequest> appsToIcmp = net.requests(p + "appsToIcmp", p + "icmp");

        LinkCounters linkCounters = new LinkCounters(p + "link");
        EthernetCounters ethCounters = new EthernetCounters(p + "eth");
        ArpCounters arpCounters = new ArpCounters(p + "arp");
        Ipv4Counters ipCounters = new Ipv4Counters(p + "ip");
        IcmpCounters icmpCounters = new IcmpCounters(p + "icmp");
        UdpCounters udpCounters = new UdpCounters(p + "udp");
        TcpCounters tcpCounters = new TcpCounters(p + "tcp");

        // One pool per stack: one memory budget per host, sized by the link's largest frame. The link's receiver
        // and the TCP connections take from it; whoever is last releases to it (a buffer knows its pool, so one
        // that crossed a MemoryLink goes home).
        BufferPool buffers = BufferPool.forMtu(p + "buffers", link.mtu());
        ChannelOutput<Batch<PacketBuffer>> received = linkToEth.out();
        FaultCounters faultCounters = null;
        if (!faults.isNone()) {
            Chan<Batch<PacketBuffer>> linkToFaults = net.upward(p + "linkToFaults", p + "link-rx", p + "faults", up);
            faultCounters = new FaultCounters(p + "faults");
            net.process(p + "faults", new FaultInjector(linkToFaults.in(), linkToEth.out(), faults, faultCounters),
                    faultCounters);
            received = linkToFaults.out();
        }
        net.nativeProcess(p + "link-rx", link.receiver(
                FrameObserver.tap(received, "link", p + "eth", tap), linkCounters, buffers), linkCounters);
        net.process(p + "link-tx", link.transmitter(arpToLink.in(), linkCounters), null);
        net.process(p + "eth", new EthernetLayer(linkToEth.in(), ethToArp.out(), ethToIp.out(), config.mac(),
                ethCounters), ethCounters);
        net.process(p + "arp", new ArpLayer(ethToArp.in(), ipToArp.in(),
                FrameObserver.tap(arpToLink.out(), p + "arp", "link", tap), config, arpCounters), arpCounters);
        String reassembler = config.process(ProcessRegistry.REASSEMBLY);
        ReassemblyStrategy.Factory reassembly = ProcessRegistry.reassembly(reassembler);
        Any2OneChannel<ReassemblyEvent> reasmToIp = net.upwardShared(p + "reasmToIp", reassembly.eventWriters(p),
                p + "ip", up);
        net.implementation(p + ProcessRegistry.REASSEMBLY, reassembler);
        ReassemblyStrategy reassemblyStrategy = reassembly.build(net, p, config, reasmToIp);
        net.process(p + "ip", new Ipv4Layer(ethToIp.in(),
                List.of(new Transport(IpProtocol.ICMP, "icmp", icmpToIp.in(), ipToIcmp.out()),
                        new Transport(IpProtocol.UDP, "udp", udpToIp.in(), ipToUdp.out()),
                        new Transport(IpProtocol.TCP, "tcp", tcpToIp.in(), ipToTcp.out())),
                ipToArp.out(), new Ipv4Layer.Reassembly(net, p, reasmToIp, reassemblyStrategy), config, ipCounters), ipCounters);
        net.process(p + "icmp", new IcmpLayer(ipToIcmp.in(), appsToIcmp.in(), icmpToIp.out(), config, icmpCounters),
                icmpCounters);
        net.process(p + "udp", new UdpLayer(ipToUdp.in(), appsToUdp.in(), udpToIp.out(), net, p, config, udpCounters),
                udpCounters);
        net.process(p + "tcp", new TcpLayer(ipToTcp.in(), appsToTcp.in(), tcpToIp, connToTcp, net, p, config,
                config.tcp(), config.maxConnections(), buffers, tcpCounters), tcpCounters);
        net.onShutdown(link::interrupt);

        HostStack stack = new HostStack(net, p, config, link, appsToIcmp, new Udp(appsToUdp.out()), new Tcp(appsToTcp.out()),
                linkCounters, ethCounters, arpCounters, ipCounters, icmpCounters, udpCounters, tcpCounters, buffers);
        if (faultCounters != null) {
            stack.serviceCounters.add(0, faultCounters);
        }
        return stack;
    }

    /** A new blocking ping client (safe to share between threads: each call has its own reply channel). */
    public Pinger pinger() {
        return new Pinger(appsToIcmp.out());
    }

    /** The stack's UDP, for applications: bind ports (CSP endpoints or blocking sockets). */
    public Udp udp() {
        return udp;
    }

    /**
     * Adds the classic services as application processes of the network ({@code udp-echo} on port 7, ...);
     * before the network starts.
     */
    public void addServices(Set<Service> services) {
        for (Service s : services) {
            ServiceCounters c = new ServiceCounters(prefix + "udp-" + s.label());
            net.process(prefix + "udp-" + s.label(), new UdpService(s, udp, c), c);
            serviceCounters.add(c);
            ServiceCounters t = new ServiceCounters(prefix + "tcp-" + s.label());
            net.process(prefix + "tcp-" + s.label(), new TcpService(s, tcp, net, prefix, t), null);
        }
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

    /** The stack's TCP, for applications: listen, accept, connect (handles or blocking sockets). */
    public Tcp tcp() {
        return tcp;
    }

    /** The stack's buffer pool (its counters show how much is reused). */
    public BufferPool buffers() {
        return buffers;
    }

    public TcpCounters tcpCounters() {
        return tcpCounters;
    }

    public UdpCounters udpCounters() {
        return udpCounters;
    }

    /** Every counter set, from the link up, then the buffer pool's, then the services'. */
    public List<Counters> counters() {
        List<Counters> all = new java.util.ArrayList<>(List.of(linkCounters, ethCounters, arpCounters, ipCounters,
                icmpCounters, udpCounters, tcpCounters, buffers.counters()));
        all.addAll(serviceCounters);
        return all;
    }
}
