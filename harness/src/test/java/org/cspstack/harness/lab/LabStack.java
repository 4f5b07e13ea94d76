package org.cspstack.harness.lab;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.cspstack.core.csp.ProcessNetwork;
import org.cspstack.core.csp.ProcessRunner;
import org.cspstack.core.csp.Threading;
import org.cspstack.core.link.LinkException;
import org.cspstack.core.link.PcapConfig;
import org.cspstack.core.link.PcapLink;
import org.cspstack.core.wire.Ipv4Address;
import org.cspstack.core.wire.Ipv4Cidr;
import org.cspstack.protocols.stack.HostStack;
import org.cspstack.protocols.stack.StackConfig;

/** A stack on the lab's csplab0, run in the test's JVM: start in {@code @BeforeAll}, stop in {@code @AfterAll}. */
final class LabStack implements AutoCloseable {
    final HostStack stack;
    final ProcessRunner runner;
    private final PcapLink link;

    private LabStack(HostStack stack, ProcessRunner runner, PcapLink link) {
        this.stack = stack;
        this.runner = runner;
        this.link = link;
    }

    /** The lab's configuration: 198.18.0.2/24, gateway 198.18.0.1. */
    static StackConfig labConfig() {
        return StackConfig.of(Ipv4Cidr.parse(Lab.STACK_CIDR)).withGateway(Ipv4Address.parse(Lab.PEER_IP));
    }

    static LabStack start(StackConfig config) throws LinkException {
        return start(config, java.util.Set.of());
    }

    static LabStack start(StackConfig config, java.util.Set<org.cspstack.protocols.services.Service> services)
            throws LinkException {
        return start(config, services, org.cspstack.core.csp.FaultSettings.none());
    }

    static LabStack start(StackConfig config, java.util.Set<org.cspstack.protocols.services.Service> services,
                          org.cspstack.core.csp.FaultSettings faults) throws LinkException {
        Lab.requireUp();
        // Forget what the kernel learned from earlier runs, so that ARP resolution is exercised each time.
        Lab.inNamespace(Duration.ofSeconds(5), "ip", "neigh", "flush", "dev", "csplab1");
        PcapLink link = PcapLink.open(PcapConfig.defaults(Lab.NIC));
        ProcessNetwork net = new ProcessNetwork("lab");
        HostStack stack = HostStack.build(net, "", config, link, null, faults);
        stack.addServices(services);
        ProcessRunner runner = new ProcessRunner(net, Threading.forLayers());
        runner.start();
        return new LabStack(stack, runner, link);
    }

    /** A counter of the stack's layers by owner and name, e.g. {@code counter("ip", "reassembled")}. */
    long counter(String owner, String name) {
        return stack.counters().stream().filter(c -> c.owner().equals(owner)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no counters for " + owner)).get(name);
    }

    /** Packets dropped so far because an upward channel of the stack was full. */
    long upwardDrops() {
        return runner.network().channels().stream()
                .filter(c -> c.kind() == org.cspstack.core.csp.ChannelKind.UPWARD_DROPPING)
                .mapToLong(c -> c.stats().queueFullDropped.get()).sum();
    }

    /**
     * Waits, at most {@code timeout}, for an outcome that a process other than the one the test talks to
     * produces asynchronously (a reassembly process's report): a bounded wait on a condition, never a fixed
     * sleep. Fails with {@code what} when the deadline passes.
     */
    static void await(String what, BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            Thread.sleep(5);
        }
    }

    @Override
    public void close() throws InterruptedException {
        boolean ended = runner.stop(Duration.ofSeconds(2));
        link.close();
        assertThat("every process ends within 2 s of poison: " + runner.alive(), ended, is(true));
        assertThat("no process failed: " + runner.failure(), runner.exitCode(), is(0));
    }
}
