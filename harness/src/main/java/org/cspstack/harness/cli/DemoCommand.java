package org.cspstack.harness.cli;

import java.io.PrintStream;
import java.time.Duration;

import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.csp.ChannelSpec;
import org.cspstack.core.csp.Counters;
import org.cspstack.core.csp.ProcessNetwork;
import org.cspstack.core.csp.ProcessRunner;
import org.cspstack.core.csp.ProcessSpec;
import org.cspstack.core.link.FrameObserver;
import org.cspstack.core.link.MemoryLink;
import org.cspstack.core.wire.FrameSummary;
import org.cspstack.core.wire.Ipv4Cidr;
import org.cspstack.core.wire.MacAddress;
import org.cspstack.protocols.icmp.PingResult;
import org.cspstack.protocols.icmp.Pinger;
import org.cspstack.protocols.stack.HostStack;
import org.cspstack.protocols.stack.StackConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cspstack demo}: two stacks on a simulated link, narrated. No root, no NIC. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Two stacks (a: 198.18.0.1, b: 198.18.0.2) on a simulated link in this JVM; a pings b while "
                + "every frame is narrated. Needs no root and no NIC.")
final class DemoCommand implements java.util.concurrent.Callable<Integer> {
    static final StackConfig A = StackConfig.of(Ipv4Cidr.parse("198.18.0.1/24"))
            .withMac(MacAddress.parse("02:c5:70:00:00:01"));
    static final StackConfig B = StackConfig.of(Ipv4Cidr.parse("198.18.0.2/24"))
            .withMac(MacAddress.parse("02:c5:70:00:00:02"));

    @Option(names = "-c", paramLabel = "N", defaultValue = "3", description = "echo requests (default 3)")
    int count;

    @Option(names = "-s", paramLabel = "SIZE", defaultValue = "3000",
            description = "data bytes of the last, fragmented echo request (default 3000; 0 skips it)")
    int bigSize;

    @Option(names = "--threads", paramLabel = "platform|virtual",
            description = "what the layer processes run on (default: platform, measured faster per packet)")
    String threads;

    @Option(names = "--quiet", description = "no per-frame narration")
    boolean quiet;

    @picocli.CommandLine.Mixin
    KnobOptions knobs = new KnobOptions();

    @Override
    public Integer call() throws Exception {
        if (bigSize < 0 || bigSize > 65507) {
            throw new Main.UserError("-s " + bigSize + ": data size must be 0..65507");
        }
        knobs.apply(A); // refuses bad values before anything starts
        return run(System.out, count, bigSize, threads == null ? null : StackOptions.parse("--threads", threads,
                org.cspstack.core.csp.Threading::parse), quiet, true, knobs::apply);
    }

    static int run(PrintStream out, int count, int bigSize, org.cspstack.core.csp.Threading threading,
                   boolean quiet) throws InterruptedException {
        return run(out, count, bigSize, threading, quiet, true);
    }

    static int run(PrintStream out, int count, int bigSize, org.cspstack.core.csp.Threading threading,
                   boolean quiet, boolean tcp) throws InterruptedException {
        return run(out, count, bigSize, threading, quiet, tcp, c -> c);
    }

    /** {@code knobs} adjusts both stacks' configuration (buffer sizes, implementations). */
    static int run(PrintStream out, int count, int bigSize, org.cspstack.core.csp.Threading threading,
                   boolean quiet, boolean tcp, java.util.function.UnaryOperator<StackConfig> knobs)
            throws InterruptedException {
        boolean tcpOk = true;
        long t0 = System.nanoTime();
        FrameObserver narrator = quiet ? null : (from, to, frame) -> narrate(out, t0, from, to, frame);
        ProcessNetwork net = new ProcessNetwork("demo");
        MemoryLink wire = MemoryLink.create(net, "a.", "b.", 1500, MemoryLink.DEFAULT_CAPACITY, narrator);
        HostStack a = HostStack.build(net, "a.", knobs.apply(A), wire.endA());
        HostStack b = HostStack.build(net, "b.", knobs.apply(B), wire.endB());
        b.addServices(java.util.EnumSet.of(org.cspstack.protocols.services.Service.ECHO));
        ProcessRunner runner = new ProcessRunner(net,
                threading == null ? org.cspstack.core.csp.Threading.forLayers() : threading);

        out.println("cspstack demo: two host stacks joined by a simulated Ethernet link (no root, no NIC)");
        out.println("  implementations: " + net.implementations() + "; channel capacities: up "
                + b.config().upwardCapacity() + ", down " + b.config().downwardCapacity());
        out.println("  a = " + A.address() + " " + A.mac() + "    b = " + B.address() + " " + B.mac());
        out.println("  each stack is a network of processes (" + runner.threading() + " threads):");
        out.println("    " + String.join(" ", net.processes().stream().filter(p -> p.name().startsWith("a."))
                .map(ProcessSpec::name).toList()) + "   (and the same for b.)");
        out.println("  joined by channels; going up they buffer and drop when full, going down they block:");
        for (ChannelSpec c : net.channels()) {
            if (c.name().startsWith("a.")) {
                out.println("    " + c);
            }
        }
        runner.start();
        try {
            out.println();
            out.println("a pings b. a knows b's address but not its MAC, so a.arp holds the echo request and "
                    + "asks first:");
            Pinger pinger = a.pinger();
            int replies = 0;
            for (int seq = 1; seq <= count; seq++) {
                PingResult r = pinger.ping(B.ip(), 0x7e57, seq, 56, Duration.ofSeconds(2));
                if (r.status() == PingResult.Status.REPLY) {
                    replies++;
                    out.printf("  => reply from %s: icmp_seq=%d ttl=%d time=%.3f ms%n", r.from(), seq, r.ttl(),
                            r.rttNanos() / 1e6);
                } else {
                    out.println("  => icmp_seq=" + seq + ": " + r.status() + " " + r.detail());
                }
                if (seq == 1 && count > 1) {
                    out.println("b's MAC is now in a's ARP cache, so the next requests go straight out:");
                }
            }
            if (bigSize > 0) {
                out.println();
                boolean single = "single".equals(b.config().process(
                        org.cspstack.protocols.stack.ProcessRegistry.REASSEMBLY));
                out.println("a pings b with " + bigSize + " bytes of data: more than the 1500-byte MTU, so a.ip sends "
                        + "fragments; " + (single
                                ? "b.ip hands them to b.reasm, the one process that holds every datagram in "
                                        + "reassembly in a table (--process reassembly=single), which puts it"
                                : "b.ip starts a process of its own for the datagram (b.reasm-N), which puts it")
                        + " back together, or gives up after the reassembly timeout. The reply comes back the same "
                        + "way:");
                PingResult r = pinger.ping(B.ip(), 0x7e57, count + 1, bigSize, Duration.ofSeconds(2));
                if (r.status() == PingResult.Status.REPLY) {
                    replies++;
                    out.printf("  => reply from %s: %d bytes, time=%.3f ms%n", r.from(), r.dataLength(),
                            r.rttNanos() / 1e6);
                } else {
                    out.println("  => " + r.status() + " " + r.detail());
                }
                count++;
                out.println("  reassemblies started: a " + a.ipv4Counters().get("reassembliesStarted")
                        + ", b " + b.ipv4Counters().get("reassembliesStarted")
                        + (single ? " (entries in each stack's reasm table, removed once whole)"
                                : " (each a process that ends as soon as its datagram is whole)"));
            }
            out.println();
            out.println(replies + " of " + count + " echo requests answered.");
            udpExchange(out, a);
        } finally {
            boolean ended = runner.stop(Duration.ofSeconds(2));
            out.println();
            out.println("counters (non-zero), after shutting both stacks down by poison"
                    + (ended ? "" : " (some processes did not end: " + runner.alive() + ")") + ":");
            for (HostStack s : new HostStack[] {a, b}) {
                for (Counters c : s.counters()) {
                    out.println("  " + c.summary());
                }
            }
        }
        if (tcp) {
            tcpOk = tcpOverALossyLink(out, threading, knobs);
        }
        return runner.exitCode() != 0 || !tcpOk ? 1 : 0;
    }

    /**
     * A second pair of stacks whose link loses 2% of frames and reorders 1% (seeded): a sends 256 KiB to b's
     * TCP echo service and checks what comes back; the retransmissions are counted.
     */
    static boolean tcpOverALossyLink(PrintStream out, org.cspstack.core.csp.Threading threading,
                                     java.util.function.UnaryOperator<StackConfig> knobs)
            throws InterruptedException {
        out.println();
        out.println("TCP over a lossy link: a second pair of stacks, whose simulated link loses 2% and reorders 1% of "
                + "the frames each side receives (seed 42). a connects to b's TCP echo service, sends 256 KiB and "
                + "reads them back; every lost segment is retransmitted (fast retransmit on three duplicate ACKs, "
                + "or after the retransmission timeout):");
        org.cspstack.core.csp.FaultSettings lossy =
                org.cspstack.core.csp.FaultSettings.parse("2%", null, "1%", null, null, 42L);
        ProcessNetwork net = new ProcessNetwork("demo-lossy");
        MemoryLink wire = MemoryLink.create(net, "a.", "b.");
        HostStack a = HostStack.build(net, "a.", knobs.apply(A), wire.endA(), null, lossy);
        HostStack b = HostStack.build(net, "b.", knobs.apply(B), wire.endB(), null, lossy);
        b.addServices(java.util.EnumSet.of(org.cspstack.protocols.services.Service.ECHO));
        ProcessRunner runner = new ProcessRunner(net,
                threading == null ? org.cspstack.core.csp.Threading.forLayers() : threading);
        runner.start();
        boolean intact = false;
        long t0 = System.nanoTime();
        try (org.cspstack.protocols.tcp.TcpSocket s = org.cspstack.protocols.tcp.TcpSocket.connect(a.tcp(), B.ip(), 7,
                Duration.ofSeconds(10))) {
            byte[] data = new byte[256 * 1024];
            new java.util.Random(1).nextBytes(data);
            Thread writer = new Thread(() -> {
                try {
                    s.getOutputStream().write(data);
                    s.shutdownOutput();
                } catch (java.io.IOException e) {
                    out.println("  => write failed: " + e.getMessage());
                }
            }, "demo-writer");
            writer.start();
            byte[] back = s.getInputStream().readAllBytes();
            writer.join();
            intact = java.util.Arrays.equals(data, back);
            out.printf("  => %d bytes sent, %d came back %s, in %.0f ms%n", data.length, back.length,
                    intact ? "intact" : "DIFFERENT", (System.nanoTime() - t0) / 1e6);
        } catch (java.io.IOException e) {
            out.println("  => " + e.getMessage());
        } finally {
            // b's side ends after its LAST-ACK; its counts join b.tcp's then (a's waits in TIME-WAIT).
            long deadline = System.nanoTime() + 2_000_000_000L;
            while (b.tcpCounters().connectionsEnded.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            runner.stop(Duration.ofSeconds(2));
        }
        for (HostStack h : new HostStack[] {a, b}) {
            h.counters().stream().filter(c -> c.owner().endsWith("faults")).forEach(c -> out.println("  " + c.summary()));
            out.println("  " + h.tcpCounters().summary());
        }
        return intact;
    }

    /** a sends a datagram to b's UDP echo service and reads the answer through the blocking socket face. */
    private static void udpExchange(PrintStream out, HostStack a) {
        out.println();
        out.println("a sends a UDP datagram to b's echo service (port 7) from an ephemeral port; b.udp hands it to "
                + "the b.udp-echo process through that port's receive channel, and the echo comes back:");
        try (org.cspstack.protocols.udp.UdpSocket socket =
                     org.cspstack.protocols.udp.UdpSocket.bind(a.udp(), 0)) {
            byte[] hello = "hello from a, over UDP".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            socket.send(B.ip(), 7, hello);
            org.cspstack.protocols.udp.UdpDatagram reply = socket.receive(Duration.ofSeconds(2));
            if (reply == null) {
                out.println("  => no answer within 2 s");
            } else {
                out.println("  => " + reply.data().length + " bytes back from " + reply.source() + ":"
                        + reply.sourcePort() + " to port " + reply.destinationPort() + ": \""
                        + new String(reply.data(), java.nio.charset.StandardCharsets.US_ASCII) + "\"");
            }
        } catch (java.net.BindException e) {
            out.println("  => cannot bind a port: " + e.getMessage());
        }
    }

    private static void narrate(PrintStream out, long t0, String from, String to, PacketBuffer frame) {
        String summary = FrameSummary.describe(frame.array(), frame.start(), frame.length());
        out.printf("  [%8.3f ms] %s -> %s  %s%n", (System.nanoTime() - t0) / 1e6, from, to, summary);
        String why = explain(summary, from);
        if (why != null) {
            out.println("                  " + why);
        }
    }

    private static String explain(String summary, String from) {
        if (summary.startsWith("ARP who-has")) {
            return "(" + from + ".arp broadcasts a request: only the owner of that address will answer)";
        }
        if (summary.startsWith("ARP reply")) {
            return "(" + from + ".arp answers with its MAC; the asker caches it and sends what it held back)";
        }
        if (summary.contains("IP fragment") && !summary.contains("offset 0")) {
            return null;
        }
        if (summary.contains("IP fragment")) {
            return "(" + from + ".ip split the datagram: fragments share an id, carry their offset, MF on all but the last)";
        }
        if (summary.contains("UDP") && summary.contains("> 7,")) {
            return "(" + from + ".udp put an 8-byte header with ports and a checksum over the pseudo-header in front)";
        }
        if (summary.contains("echo request")) {
            return "(" + from + ".icmp -> ip -> arp -> eth -> link-tx: each hop a channel, each layer a process)";
        }
        if (summary.contains("echo reply")) {
            return "(" + from + ".icmp turned the request into a reply in place and sent it back down)";
        }
        return null;
    }
}
