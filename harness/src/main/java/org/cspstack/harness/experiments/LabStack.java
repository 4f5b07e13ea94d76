package org.cspstack.harness.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.cspstack.core.csp.Counters;
import org.cspstack.core.csp.ProcessNetwork;
import org.cspstack.core.csp.ProcessRunner;
import org.cspstack.core.csp.Threading;
import org.cspstack.core.link.LinkException;
import org.cspstack.core.link.PcapConfig;
import org.cspstack.core.link.PcapLink;
import org.cspstack.core.wire.Ipv4Address;
import org.cspstack.core.wire.Ipv4Cidr;
import org.cspstack.protocols.services.Service;
import org.cspstack.protocols.stack.HostStack;
import org.cspstack.protocols.stack.StackConfig;

/**
 * The stack as the experiments run it in the lab: in this JVM on {@value #NIC} through libpcap, at
 * {@value #STACK_CIDR} with the csplab kernel ({@value #GATEWAY_IP}) as gateway, optionally with the classic
 * services. {@link #close()} poisons the network, waits at most 2 s and closes the link.
 *
 * <p>The lab ({@code scripts/lab.sh up}): the stack's veth {@value #NIC}; namespace {@value #PEER_NS} (the kernel
 * the stack talks to, {@value #GATEWAY_IP}, and router to {@value #REF_NS} as {@value #ROUTER_REF_IP}); namespace
 * {@value #REF_NS}, the reference Linux host at {@value #REF_IP}.
 */
public final class LabStack implements AutoCloseable {
    public static final String NIC = "csplab0";
    public static final String PEER_NS = "csplab";
    public static final String REF_NS = "csplabref";
    public static final String STACK_IP = "198.18.0.2";
    public static final String STACK_CIDR = "198.18.0.2/24";
    public static final String GATEWAY_IP = "198.18.0.1";
    public static final String ROUTER_REF_IP = "198.18.1.1";
    public static final String REF_IP = "198.18.1.2";
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(2);

    /** The lab is not there (or we may not use it): the message says what to do. */
    public static final class LabDown extends IllegalStateException {
        public LabDown(String message) {
            super(message);
        }
    }

    private final PcapLink link;
    private final HostStack stack;
    private final ProcessRunner runner;

    private LabStack(PcapLink link, HostStack stack, ProcessRunner runner) {
        this.link = link;
        this.stack = stack;
        this.runner = runner;
    }

    /**
     * Checks that we are root and that the lab is up: {@value #NIC} and both namespaces.
     *
     * @throws LabDown saying what is missing and to run {@code scripts/lab.sh up} as root
     */
    public static void require() throws IOException, InterruptedException {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new LabDown("this needs root (pcap on " + NIC + ", ip netns exec); run it as root with the lab "
                    + "up (scripts/lab.sh up)");
        }
        if (!Files.exists(Path.of("/sys/class/net", NIC))) {
            throw new LabDown("the lab is down (no interface " + NIC + "); run scripts/lab.sh up as root");
        }
        String ns = Shell.run(null, "ip netns list", Duration.ofSeconds(5));
        for (String n : List.of(PEER_NS, REF_NS)) {
            if (!Pattern.compile("(?m)^" + n + "(\\s|$)").matcher(ns).find()) {
                throw new LabDown("the lab is down (namespace " + n + " is missing); run scripts/lab.sh up as root");
            }
        }
    }

    /** Opens {@value #NIC}, builds the stack with {@code services} and starts its network. */
    public static LabStack start(String name, PcapConfig pcap, Threading threading, Set<Service> services)
            throws LinkException {
        PcapLink link = PcapLink.open(pcap);
        try {
            ProcessNetwork net = new ProcessNetwork(name);
            HostStack stack = HostStack.build(net, "", StackConfig.of(Ipv4Cidr.parse(STACK_CIDR))
                    .withGateway(Ipv4Address.parse(GATEWAY_IP)), link);
            stack.addServices(services);
            ProcessRunner runner = new ProcessRunner(net, threading);
            runner.start();
            return new LabStack(link, stack, runner);
        } catch (RuntimeException | Error e) {
            link.close();
            throw e;
        }
    }

    public HostStack stack() {
        return stack;
    }

    public ProcessRunner runner() {
        return runner;
    }

    public ProcessNetwork network() {
        return runner.network();
    }

    /** The counters of the service process {@code udp-NAME} or {@code tcp-NAME}; null when there is none. */
    public Counters serviceCounters(String owner) {
        for (Counters c : stack.counters()) {
            if (c.owner().equals(stack.prefix() + owner)) {
                return c;
            }
        }
        return null;
    }

    /** Frames the stack's link has received and sent so far. */
    public long frames() {
        return stack.linkCounters().framesReceived.get() + stack.linkCounters().framesSent.get();
    }

    /** @throws IllegalStateException when a process of the stack has failed */
    public void requireHealthy() {
        if (runner.failure() != null) {
            throw new IllegalStateException("the stack failed in " + runner.failedProcess(), runner.failure());
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            runner.stop(STOP_TIMEOUT);
        } finally {
            link.close();
        }
    }
}
