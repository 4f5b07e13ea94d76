package org.cspstack.harness.cli;

import java.nio.file.Path;

import org.cspstack.core.csp.Threading;
import org.cspstack.core.wire.Ipv4Address;
import org.cspstack.core.wire.Ipv4Cidr;
import org.cspstack.core.wire.MacAddress;
import org.cspstack.protocols.stack.StackConfig;
import picocli.CommandLine.Option;

/** The options every command that runs a stack on a NIC shares; the defaults are the lab's. */
public final class StackOptions {
    @Option(names = "--nic", paramLabel = "IF", defaultValue = "csplab0",
            description = "interface to capture on and send through (default: ${DEFAULT-VALUE}, the lab's)")
    String nic;

    @Option(names = "--ip", paramLabel = "A/N", defaultValue = "198.18.0.2/24",
            description = "the stack's address and prefix (default: ${DEFAULT-VALUE})")
    String ip;

    @Option(names = "--gw", paramLabel = "G", defaultValue = "198.18.0.1",
            description = "default gateway; 'none' for on-link only (default: ${DEFAULT-VALUE})")
    String gateway;

    @Option(names = "--mac", paramLabel = "M", description = "the stack's MAC (default: "
            + "02:c5:70:00:00:02, locally administered)")
    String mac;

    @Option(names = "--mtu", paramLabel = "BYTES", defaultValue = "1500", description = "IP MTU (default: 1500)")
    int mtu;

    @Option(names = "--pcap", paramLabel = "FILE", description = "write every frame in and out to a pcap file")
    Path pcap;

    @Option(names = "--threads", paramLabel = "platform|virtual",
            description = "what the layer processes run on (default: platform, measured faster per packet)")
    String threads;

    @Option(names = "--immediate", paramLabel = "true|false", defaultValue = "true", arity = "1",
            description = "libpcap immediate mode: lowest latency (true, default) or higher throughput (false)")
    boolean immediate;

    @Option(names = "--reassembly-timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "how long a fragmented datagram may take to arrive whole (default: 30)")
    double reassemblyTimeout;

    @picocli.CommandLine.Mixin
    KnobOptions knobs = new KnobOptions();

    @picocli.CommandLine.ArgGroup(exclusive = false, heading = "Fault injection on what the stack receives:%n")
    FaultOptions faultOptions = new FaultOptions();

    /** Loss, duplication, reordering, corruption and delay of received frames, seeded (tc netem is not here). */
    static final class FaultOptions {
        @Option(names = "--loss", paramLabel = "P", description = "drop this share of frames (2%% or 0.02)")
        String loss;
        @Option(names = "--dup", paramLabel = "P", description = "duplicate this share of frames")
        String dup;
        @Option(names = "--reorder", paramLabel = "P", description = "hold back this share of frames (10 ms)")
        String reorder;
        @Option(names = "--corrupt", paramLabel = "P", description = "flip bits in this share of frames")
        String corrupt;
        @Option(names = "--delay", paramLabel = "D", description = "delay every frame (5ms, 250us, 1s)")
        String delay;
        @Option(names = "--seed", paramLabel = "N", description = "seed of the fault injector (default 1)")
        Long seed;

        org.cspstack.core.csp.FaultSettings settings() {
            try {
                return org.cspstack.core.csp.FaultSettings.parse(loss, dup, reorder, corrupt, delay, seed);
            } catch (IllegalArgumentException e) {
                throw new Main.UserError(e.getMessage());
            }
        }
    }

    org.cspstack.core.csp.FaultSettings faults() {
        return faultOptions == null ? org.cspstack.core.csp.FaultSettings.none() : faultOptions.settings();
    }

    StackConfig config() {
        Ipv4Cidr address = parse("--ip", ip, Ipv4Cidr::parse);
        StackConfig c = StackConfig.of(address);
        if (mac != null) {
            c = c.withMac(parse("--mac", mac, MacAddress::parse));
        }
        if (gateway != null && !gateway.equalsIgnoreCase("none")) {
            Ipv4Address gw = parse("--gw", gateway, Ipv4Address::parse);
            if (!address.contains(gw)) {
                throw new Main.UserError("--gw " + gw + " is not on the stack's subnet " + address
                        + "; pass --gw none or a gateway inside it");
            }
            c = c.withGateway(gw);
        }
        try {
            c = c.withReassembly(c.reassembly().withTimeout(
                    java.time.Duration.ofMillis(Math.round(reassemblyTimeout * 1000))));
        } catch (IllegalArgumentException e) {
            throw new Main.UserError("--reassembly-timeout " + reassemblyTimeout + ": " + e.getMessage());
        }
        try {
            c = c.withMtu(mtu);
        } catch (IllegalArgumentException e) {
            throw new Main.UserError("--mtu: " + e.getMessage());
        }
        return knobs.apply(c);
    }

    Threading threading() {
        if (threads == null) {
            return Threading.forLayers();
        }
        return parse("--threads", threads, Threading::parse);
    }

    static <T> T parse(String option, String value, java.util.function.Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw new Main.UserError(option + " " + value + ": " + e.getMessage());
        }
    }
}
