package org.cspstack.harness.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.cspstack.core.wire.Ipv4Address;
import org.cspstack.protocols.icmp.PingResult;
import org.cspstack.protocols.icmp.Pinger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cspstack ping}: the stack pings a host, printing lines like Linux's ping. */
@Command(name = "ping", mixinStandardHelpOptions = true,
        description = "Starts the stack on a NIC and pings HOST from it (needs root and the lab, like run).")
final class PingCommand implements java.util.concurrent.Callable<Integer> {
    @Mixin
    StackOptions options;

    @Parameters(index = "0", paramLabel = "HOST", description = "IPv4 address to ping")
    String host;

    @Option(names = "-c", paramLabel = "N", defaultValue = "4", description = "echo requests to send (default 4)")
    int count;

    @Option(names = "-s", paramLabel = "SIZE", defaultValue = "56",
            description = "data bytes per request (default 56; above MTU-28 the request is fragmented)")
    int size;

    @Option(names = "-i", paramLabel = "SECONDS", defaultValue = "1",
            description = "interval between requests in seconds (default 1)")
    double interval;

    @Option(names = "-W", paramLabel = "SECONDS", defaultValue = "2", description = "reply timeout (default 2)")
    double timeout;

    @Override
    public Integer call() throws Exception {
        Ipv4Address dst = StackOptions.parse("HOST", host, Ipv4Address::parse);
        if (size < 0 || size > 65507) {
            throw new Main.UserError("-s " + size + ": data size must be 0..65507");
        }
        if (count < 1) {
            throw new Main.UserError("-c " + count + ": count must be at least 1");
        }
        try (NicStack s = NicStack.start(options)) {
            int received = run(s.stack.pinger(), dst);
            s.stop();
            s.printCounters(System.out);
            return received > 0 && s.runner.exitCode() == 0 ? 0 : 1;
        }
    }

    private int run(Pinger pinger, Ipv4Address dst) throws InterruptedException {
        System.out.println("PING " + dst + " " + size + "(" + (size + 28) + ") bytes of data, from the stack.");
        int id = (int) (ProcessHandle.current().pid() & 0xffff);
        List<Double> rtts = new ArrayList<>();
        long intervalNanos = (long) (interval * 1e9);
        long next = System.nanoTime();
        for (int seq = 1; seq <= count; seq++) {
            PingResult r = pinger.ping(dst, id, seq, size, Duration.ofMillis((long) (timeout * 1000)));
            switch (r.status()) {
                case REPLY -> {
                    double ms = r.rttNanos() / 1e6;
                    rtts.add(ms);
                    System.out.printf("%d bytes from %s: icmp_seq=%d ttl=%d time=%.3f ms%n", r.dataLength() + 8,
                            r.from(), seq, r.ttl(), ms);
                }
                case TIMEOUT -> System.out.println("no reply for icmp_seq=" + seq);
                default -> System.out.println("From " + r.from() + " icmp_seq=" + seq + " " + r.detail());
            }
            next += intervalNanos;
            long wait = next - System.nanoTime();
            if (seq < count && wait > 0) {
                // Pacing the requests of an interactive command, not synchronising processes.
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }
        System.out.println("--- " + dst + " ping statistics ---");
        System.out.printf("%d packets transmitted, %d received, %.1f%% packet loss%n", count, rtts.size(),
                100.0 * (count - rtts.size()) / count);
        if (!rtts.isEmpty()) {
            double min = rtts.stream().mapToDouble(d -> d).min().orElse(0);
            double max = rtts.stream().mapToDouble(d -> d).max().orElse(0);
            double avg = rtts.stream().mapToDouble(d -> d).average().orElse(0);
            System.out.printf("rtt min/avg/max = %.3f/%.3f/%.3f ms%n", min, avg, max);
        }
        return rtts.size();
    }
}
