package org.cspstack.harness.experiments;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.EnumSet;

import org.cspstack.core.csp.ProcessNetwork;
import org.cspstack.core.csp.ProcessRunner;
import org.cspstack.core.csp.Threading;
import org.cspstack.core.link.PcapConfig;
import org.cspstack.core.link.PcapLink;
import org.cspstack.core.wire.Ipv4Address;
import org.cspstack.core.wire.Ipv4Cidr;
import org.cspstack.protocols.services.Service;
import org.cspstack.protocols.stack.HostStack;
import org.cspstack.protocols.stack.StackConfig;
import org.cspstack.protocols.tcp.TcpSocket;

/**
 * Bulk TCP throughput in the lab, stack against Linux in one run, MTU 1500, offloads off on every veth:
 * <ol>
 *   <li>Linux to Linux: {@code nc} in csplabref to {@code nc -l} in csplab over the cspref veth;</li>
 *   <li>Linux to stack: {@code nc} in csplab to the stack's discard service on csplab0;</li>
 *   <li>stack to Linux: the stack's {@link TcpSocket} to {@code nc -l} in csplab.</li>
 * </ol>
 * Each figure is bytes over the sender's wall time from its first write to the receiver's close, so it includes
 * the handshakes; with 100 MB that is noise.
 */
public final class TcpThroughput {
    private TcpThroughput() {
    }

    public record Result(double linuxToLinux, double linuxToStack, double stackToLinux) {
    }

    public static Result run(long bytes, Threading threading, boolean immediate, PrintStream console)
            throws Exception {
        try (Progress progress = Progress.start("tcp bulk", 3, "transfers", console)) {
            return run(bytes, threading, immediate, progress);
        }
    }

    private static Result run(long bytes, Threading threading, boolean immediate, Progress progress)
            throws Exception {
        PrintStream out = progress.console();
        Duration bound = Duration.ofSeconds(300);
        out.println("tcp throughput: " + bytes + " bytes each way, MTU 1500; JDK " + Runtime.version() + ", "
                + Runtime.getRuntime().availableProcessors() + " CPUs, layers on " + threading
                + " threads, pcap immediate " + immediate);

        // 1. Linux to Linux.
        Process sink = Shell.start("csplab", "nc -l 5003 > /dev/null", bound);
        Shell.awaitListening("csplab", "tcp", 5003, Duration.ofSeconds(10));
        double ll = rate(bytes, Shell.run("csplabref", "t0=$(date +%s%N); head -c " + bytes
                + " /dev/zero | nc -N 198.18.1.1 5003; t1=$(date +%s%N); echo NS $((t1-t0))", bound));
        sink.waitFor();
        out.printf("  Linux -> Linux  %8.1f Mbit/s%n", ll / 1e6);
        progress.advance();

        PcapLink link = PcapLink.open(PcapConfig.defaults("csplab0").withImmediate(immediate));
        ProcessNetwork net = new ProcessNetwork("bench");
        HostStack stack = HostStack.build(net, "", StackConfig.of(Ipv4Cidr.parse("198.18.0.2/24"))
                .withGateway(Ipv4Address.parse("198.18.0.1")), link);
        stack.addServices(EnumSet.of(Service.DISCARD));
        ProcessRunner runner = new ProcessRunner(net, threading);
        runner.start();
        double ls;
        double sl;
        try {
            // 2. Linux to stack (discard).
            ls = rate(bytes, Shell.run("csplab", "t0=$(date +%s%N); head -c " + bytes
                    + " /dev/zero | nc -N 198.18.0.2 9; t1=$(date +%s%N); echo NS $((t1-t0))", bound));
            out.printf("  Linux -> stack  %8.1f Mbit/s  (%.3f of Linux -> Linux)%n", ls / 1e6, ls / ll);
            progress.advance();

            // 3. Stack to Linux.
            Process sink2 = Shell.start("csplab", "nc -l 5004 > /dev/null", bound);
            Shell.awaitListening("csplab", "tcp", 5004, Duration.ofSeconds(10));
            long t0 = System.nanoTime();
            try (TcpSocket s = TcpSocket.connect(stack.tcp(), Ipv4Address.parse("198.18.0.1"), 5004,
                    Duration.ofSeconds(5), true)) {
                OutputStream o = s.getOutputStream();
                byte[] block = new byte[64 * 1024];
                for (long left = bytes; left > 0; left -= block.length) {
                    o.write(block, 0, (int) Math.min(block.length, left));
                }
                s.shutdownOutput();
                s.getInputStream().read();
            }
            sl = bytes * 8.0 / ((System.nanoTime() - t0) / 1e9);
            sink2.waitFor();
            out.printf("  stack -> Linux  %8.1f Mbit/s  (%.3f of Linux -> Linux)%n", sl / 1e6, sl / ll);
            progress.advance();
            out.println("  stack counters: " + stack.tcpCounters().summary());
        } finally {
            runner.stop(Duration.ofSeconds(2));
            link.close();
        }
        return new Result(ll, ls, sl);
    }

    private static double rate(long bytes, String output) {
        for (String line : output.split("\n")) {
            if (line.startsWith("NS ")) {
                return bytes * 8.0 / (Long.parseLong(line.substring(3).trim()) / 1e9);
            }
        }
        throw new IllegalStateException("no timing in: " + output);
    }
}
