package org.cspstack.protocols.stack;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import org.cspstack.core.wire.Ipv4Address;
import org.cspstack.core.wire.Ipv4Cidr;
import org.cspstack.core.wire.MacAddress;
import org.cspstack.protocols.tcp.TcpConfig;

/**
 * How one host stack is configured: its MAC and IPv4 address, the default gateway, the link MTU, ARP's
 * timing and the buffer sizes of its channels.
 *
 * @param mac            our MAC address; the default is locally administered ({@link #DEFAULT_MAC})
 * @param address        our address and prefix, such as 198.18.0.2/24
 * @param gateway        the default gateway, or null for on-link traffic only
 * @param mtu            the largest IP datagram the link carries (1500 on Ethernet)
 * @param arp            ARP cache and resolution settings
 * @param reassembly     IPv4 reassembly limits and timeout
 * @param tcp            TCP connection settings (buffers, timers, Nagle)
 * @param maxConnections TCP connections at most, all states together (a SYN flood cannot go beyond)
 * @param upwardCapacity capacity of every upward (dropping) channel, in packets
 * @param downwardCapacity capacity of every downward (blocking) channel, in packets
 * @param processes      role to implementation, from {@link ProcessRegistry}; roles not named get the default
 */
public record StackConfig(MacAddress mac, Ipv4Cidr address, Ipv4Address gateway, int mtu, ArpSettings arp,
                          ReassemblySettings reassembly, TcpConfig tcp, int maxConnections, int upwardCapacity,
                          int downwardCapacity, Map<String, String> processes) {

    /** The stack's default MAC: locally administered (bit 1 of the first byte), unicast. */
    public static final MacAddress DEFAULT_MAC = MacAddress.parse("02:c5:70:00:00:02");
    /**
     * Packets an upward channel holds before it drops. Deep, because the reader is a thread that the OS may
     * leave unscheduled for milliseconds on a busy 2-core machine: at 100,000 datagrams/s, 512 packets are
     * 5 ms. Measured (bench, UDP at 100,000/s for 10 s into discard): 15-29% lost with 512 here and 256 at the
     * socket, none with 4,096 at both. Worst case a full channel holds 4,096 frames (about 6 MiB).
     */
    public static final int DEFAULT_UPWARD_CAPACITY = 4096;
    public static final int DEFAULT_DOWNWARD_CAPACITY = 64;
    public static final int DEFAULT_MAX_CONNECTIONS = 4096;

    public StackConfig {
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(arp, "arp");
        Objects.requireNonNull(reassembly, "reassembly");
        Objects.requireNonNull(tcp, "tcp");
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1");
        }
        if (!mac.isUnicast()) {
            throw new IllegalArgumentException("the stack's MAC must be unicast, not " + mac);
        }
        if (mtu < 68 || mtu > 65535) {
            throw new IllegalArgumentException("MTU " + mtu + " is outside 68..65535 (RFC 791 minimum is 68)");
        }
        if (gateway != null && !address.contains(gateway)) {
            throw new IllegalArgumentException("gateway " + gateway + " is not on the link " + address);
        }
        if (upwardCapacity < 1 || downwardCapacity < 1) {
            throw new IllegalArgumentException("channel capacities must be at least 1");
        }
        processes = Map.copyOf(processes);
        processes.forEach(ProcessRegistry::entry);
    }

    /** As the canonical constructor, every role with its default implementation. */
    public StackConfig(MacAddress mac, Ipv4Cidr address, Ipv4Address gateway, int mtu, ArpSettings arp,
                       ReassemblySettings reassembly, TcpConfig tcp, int maxConnections, int upwardCapacity,
                       int downwardCapacity) {
        this(mac, address, gateway, mtu, arp, reassembly, tcp, maxConnections, upwardCapacity, downwardCapacity,
                Map.of());
    }

    /**
     * The same with {@code name} filling {@code role} (see {@link ProcessRegistry}); throws
     * {@link IllegalArgumentException} naming the choices for an unknown role or name.
     */
    public StackConfig withProcess(String role, String name) {
        ProcessRegistry.entry(role, name);
        Map<String, String> m = new java.util.HashMap<>(processes);
        m.put(role, name);
        return new StackConfig(mac, address, gateway, mtu, arp, reassembly, tcp, maxConnections, upwardCapacity,
                downwardCapacity, m);
    }

    /** The implementation chosen for {@code role}, or its default. */
    public String process(String role) {
        String name = processes.get(role);
        return name != null ? name : ProcessRegistry.defaultFor(role);
    }

    /** Defaults for an address: the default MAC, no gateway, MTU 1500, default ARP settings and buffers. */
    public static StackConfig of(Ipv4Cidr address) {
        return new StackConfig(DEFAULT_MAC, address, null, 1500, ArpSettings.defaults(),
                ReassemblySettings.defaults(), TcpConfig.defaults(), DEFAULT_MAX_CONNECTIONS, DEFAULT_UPWARD_CAPACITY,
                DEFAULT_DOWNWARD_CAPACITY);
    }

    public StackConfig withMac(MacAddress m) {
        return new StackConfig(m, address, gateway, mtu, arp, reassembly, tcp, maxConnections,
                upwardCapacity, downwardCapacity, processes);
    }

    public StackConfig withGateway(Ipv4Address g) {
        return new StackConfig(mac, address, g, mtu, arp, reassembly, tcp, maxConnections,
                upwardCapacity, downwardCapacity, processes);
    }

    public StackConfig withMtu(int m) {
        return new StackConfig(mac, address, gateway, m, arp, reassembly, tcp, maxConnections,
                upwardCapacity, downwardCapacity, processes);
    }

    public StackConfig withArp(ArpSettings a) {
        return new StackConfig(mac, address, gateway, mtu, a, reassembly, tcp, maxConnections,
                upwardCapacity, downwardCapacity, processes);
    }

    public StackConfig withCapacities(int upward, int downward) {
        return new StackConfig(mac, address, gateway, mtu, arp, reassembly, tcp, maxConnections, upward, downward,
                processes);
    }

    public StackConfig withReassembly(ReassemblySettings r) {
        return new StackConfig(mac, address, gateway, mtu, arp, r, tcp, maxConnections,
                upwardCapacity, downwardCapacity, processes);
    }

    public StackConfig withTcp(TcpConfig t) {
        return new StackConfig(mac, address, gateway, mtu, arp, reassembly, t, maxConnections, upwardCapacity,
                downwardCapacity, processes);
    }

    public StackConfig withMaxConnections(int n) {
        return new StackConfig(mac, address, gateway, mtu, arp, reassembly, tcp, n, upwardCapacity,
                downwardCapacity, processes);
    }

    /** Our own address, without the prefix. */
    public Ipv4Address ip() {
        return address.address();
    }

    /**
     * ARP settings.
     *
     * @param entryLifetime   how long a learned entry stays valid (Linux: base_reachable_time 30 s)
     * @param retryInterval   time between requests for an unresolved address (Linux: retrans_time 1 s)
     * @param maxRequests     requests sent before giving up on an address (RFC 1122 suggests a few; 3)
     * @param maxEntries      cache size; the least recently learned entry is evicted beyond it
     * @param maxPendingPerAddress packets held per unresolved address: 64 holds a whole 64 KiB datagram in
     *                        1500-byte fragments (Linux holds about 200 KiB per neighbour)
     * @param maxPendingTotal packets held for all unresolved addresses together
     */
    public record ArpSettings(Duration entryLifetime, Duration retryInterval, int maxRequests, int maxEntries,
                              int maxPendingPerAddress, int maxPendingTotal) {
        public ArpSettings {
            if (maxRequests < 1 || maxEntries < 1 || maxPendingPerAddress < 1 || maxPendingTotal < 1) {
                throw new IllegalArgumentException("ARP limits must be at least 1");
            }
            if (entryLifetime.isNegative() || entryLifetime.isZero() || retryInterval.isNegative()
                    || retryInterval.isZero()) {
                throw new IllegalArgumentException("ARP durations must be positive");
            }
        }

        public static ArpSettings defaults() {
            return new ArpSettings(Duration.ofSeconds(60), Duration.ofSeconds(1), 3, 1024, 64, 512);
        }
    }

    /**
     * IPv4 reassembly settings.
     *
     * @param timeout       how long a datagram may take to arrive whole after its first fragment (RFC 791
     *                      suggests 15 s, RFC 1122 60-120 s; Linux uses 30 s, as do we)
     * @param maxDatagrams  datagrams in reassembly at once; the oldest is evicted beyond it (lwIP: 10, ours 64)
     * @param maxBytes      fragment data held at once, for all datagrams; the oldest are evicted beyond it
     * @param fragmentQueue fragments queued to one reassembly process before it drops (counted)
     */
    public record ReassemblySettings(Duration timeout, int maxDatagrams, long maxBytes, int fragmentQueue) {
        public ReassemblySettings {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("reassembly timeout must be positive, not " + timeout);
            }
            if (maxDatagrams < 1 || maxBytes < 65_535 || fragmentQueue < 1) {
                throw new IllegalArgumentException("reassembly limits too small: " + maxDatagrams + " datagrams, "
                        + maxBytes + " bytes (at least 65535), queue " + fragmentQueue);
            }
        }

        public static ReassemblySettings defaults() {
            return new ReassemblySettings(Duration.ofSeconds(30), 64, 4L << 20, 256);
        }

        public ReassemblySettings withTimeout(Duration t) {
            return new ReassemblySettings(t, maxDatagrams, maxBytes, fragmentQueue);
        }
    }
}
