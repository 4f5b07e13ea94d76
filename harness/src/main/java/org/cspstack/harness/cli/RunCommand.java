package org.cspstack.harness.cli;

import java.util.concurrent.CountDownLatch;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import sun.misc.Signal;

/** {@code cspstack run}: the stack on a NIC until SIGINT or SIGTERM. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs the stack on a NIC (the lab's csplab0 by default) until SIGINT or SIGTERM, then shuts "
                + "it down by poison, prints its counters and exits 0.",
            "Needs root (or CAP_NET_RAW and CAP_NET_ADMIN) and the lab: scripts/lab.sh up"})
final class RunCommand implements java.util.concurrent.Callable<Integer> {
    @Mixin
    StackOptions options;

    @Mixin
    TraceOptions traceOptions = new TraceOptions();

    @picocli.CommandLine.Option(names = "--services", paramLabel = "LIST", defaultValue = "",
            description = "classic services to run: any of echo, discard, chargen (UDP and TCP ports 7, 9, 19), "
                    + "comma-separated")
    String services;

    @picocli.CommandLine.Option(names = "--stats", paramLabel = "SECONDS",
            description = "print a table of every process (messages in/out, drops by reason) and of the channels that "
                    + "carried anything (written, dropped, time writers spent blocked) this often, and at exit")
    Double stats;

    /** The live snapshot's endpoint, or null (with a warning) when the socket cannot be made. */
    private static ControlEndpoint serve(NicStack s) {
        try {
            return ControlEndpoint.start(s.runner.network());
        } catch (java.io.IOException | UnsupportedOperationException e) {
            System.err.println("cspstack: no live snapshot endpoint: " + e.getMessage());
            return null;
        }
    }

    @Override
    public Integer call() throws Exception {
        CountDownLatch stopRequested = new CountDownLatch(1);
        Signal.handle(new Signal("INT"), s -> stopRequested.countDown());
        Signal.handle(new Signal("TERM"), s -> stopRequested.countDown());
        java.util.Set<org.cspstack.protocols.services.Service> chosen =
                StackOptions.parse("--services", services, org.cspstack.protocols.services.Service::parseList);
        try (org.cspstack.harness.trace.ChannelWatch watch = traceOptions.watch();
             NicStack s = NicStack.start(options, chosen, watch.isEmpty() ? null : watch);
             ControlEndpoint control = serve(s)) {
            System.out.println("cspstack: " + s.stack.config().ip() + "/" + s.stack.config().address().prefixLength()
                    + " (" + s.stack.config().mac() + ") on " + options.nic + ", "
                    + s.runner.threading() + " threads"
                    + (chosen.isEmpty() ? "" : "; services: " + chosen.stream()
                            .map(x -> x.label() + " udp+tcp/" + x.port()).collect(java.util.stream.Collectors.joining(", ")))
                    + (options.faults().isNone() ? "" : "; faults on receive: " + options.faults())
                    + "; Ctrl-C stops");
            System.out.println("cspstack: " + s.runner.network().implementations().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(java.util.stream.Collectors.joining(", "))
                    + "; channels: up " + s.stack.config().upwardCapacity() + ", down "
                    + s.stack.config().downwardCapacity()
                    + (control == null ? "" : "; live snapshot: cspstack graph --live " + ProcessHandle.current().pid()
                            + " (socket " + control.path() + ")"));
            // Wake on a signal, or when the network ends by itself (a process failed).
            Thread watcher = new Thread(() -> {
                try {
                    s.runner.awaitTermination(java.time.Duration.ofDays(3650));
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
                stopRequested.countDown();
            }, "network-watcher");
            watcher.setDaemon(true);
            watcher.start();
            Thread printer = null;
            if (stats != null && stats > 0) {
                long period = (long) (stats * 1000);
                printer = new Thread(() -> {
                    try {
                        while (!Thread.currentThread().isInterrupted()) {
                            // A monitoring thread outside the network, not a process of it: sleeping is its job.
                            Thread.sleep(period);
                            System.out.println("statistics:");
                            s.printStats(System.out);
                        }
                    } catch (InterruptedException stopped) {
                        Thread.currentThread().interrupt();
                    }
                }, "stats-printer");
                printer.setDaemon(true);
                printer.start();
            }
            stopRequested.await();
            if (printer != null) {
                printer.interrupt();
            }
            boolean ended = s.stop();
            s.printCounters(System.out);
            watch.close();
            for (String line : watch.report()) {
                System.out.println("  " + line);
            }
            if (stats != null) {
                System.out.println("statistics at exit:");
                s.printStats(System.out);
            }
            if (s.runner.exitCode() != 0) {
                System.err.println("cspstack: process " + s.runner.failedProcess() + " failed: "
                        + s.runner.failure());
                return 1;
            }
            if (!ended) {
                System.err.println("cspstack: processes still running after " + NicStack.STOP_TIMEOUT + ": "
                        + s.runner.alive());
                return 1;
            }
            return 0;
        }
    }
}
