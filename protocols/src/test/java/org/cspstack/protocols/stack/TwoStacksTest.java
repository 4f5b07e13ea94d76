package org.cspstack.protocols.stack;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.util.List;

import org.cspstack.core.csp.ProcessNetwork;
import org.cspstack.core.csp.ProcessRunner;
import org.cspstack.core.csp.Threading;
import org.cspstack.core.link.MemoryLink;
import org.cspstack.core.wire.Ipv4Address;
import org.cspstack.core.wire.Ipv4Cidr;
import org.cspstack.core.wire.MacAddress;
import org.cspstack.protocols.icmp.PingResult;
import org.cspstack.protocols.icmp.Pinger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Two whole stacks on a {@link MemoryLink}, black-box through the public API. */
class TwoStacksTest {
    static final StackConfig A = StackConfig.of(Ipv4Cidr.parse("198.18.0.1/24"))
            .withMac(MacAddress.parse("02:c5:70:00:00:01"));
    static final StackConfig B = StackConfig.of(Ipv4Cidr.parse("198.18.0.2/24"))
            .withMac(MacAddress.parse("02:c5:70:00:00:02"));

    static List<Threading> threadings() {
        return Threading.virtualAvailable() ? List.of(Threading.PLATFORM, Threading.VIRTUAL)
                : List.of(Threading.PLATFORM);
    }

    @ParameterizedTest
    @MethodSource("threadings")
    void stacksPingEachOtherOverAMemoryLinkAndShutDownCleanly(Threading threading) throws Exception {
        ProcessNetwork net = new ProcessNetwork("two");
        MemoryLink wire = MemoryLink.create(net, "a.", "b.");
        HostStack a = HostStack.build(net, "a.", A, wire.endA());
        HostStack b = HostStack.build(net, "b.", B, wire.endB());
        ProcessRunner runner = new ProcessRunner(net, threading);
        runner.start();
        try {
            Pinger fromA = a.pinger();
            for (int seq = 1; seq <= 5; seq++) {
                PingResult r = fromA.ping(B.ip(), 42, seq, 56, Duration.ofSeconds(5));
                assertThat(r.toString(), r.status(), is(PingResult.Status.REPLY));
                assertThat(r.from(), is(B.ip()));
                assertThat(r.sequence(), is(seq));
            }
            PingResult back = b.pinger().ping(A.ip(), 43, 1, 1000, Duration.ofSeconds(5));
            assertThat(back.status(), is(PingResult.Status.REPLY));
            assertThat(back.dataLength(), is(1000));
        } finally {
            assertThat(runner.stop(Duration.ofSeconds(2)), is(true));
        }
        assertThat(runner.exitCode(), is(0));
        assertThat(runner.alive(), empty());
        // a asked once for b's MAC; b learned a's from that request and never had to ask.
        assertThat(a.arpCounters().get("requestsSent"), is(1L));
        assertThat(b.arpCounters().get("requestsSent"), is(0L));
        assertThat(b.icmpCounters().get("echoRepliesSent"), is(5L));
        assertThat(a.icmpCounters().get("echoRepliesSent"), is(1L));
    }

    static List<String> reassemblers() {
        return ProcessRegistry.choices(ProcessRegistry.REASSEMBLY).stream().map(ProcessRegistry.Entry::name).toList();
    }

    /** Fragmented pings both ways, with each reassembly implementation of the registry on both stacks. */
    @ParameterizedTest
    @MethodSource("reassemblers")
    void fragmentedPingsGoThroughWithEachReassemblyImplementation(String reassembler) throws Exception {
        ProcessNetwork net = new ProcessNetwork("two");
        MemoryLink wire = MemoryLink.create(net, "a.", "b.");
        HostStack a = HostStack.build(net, "a.", A.withProcess(ProcessRegistry.REASSEMBLY, reassembler), wire.endA());
        HostStack b = HostStack.build(net, "b.", B.withProcess(ProcessRegistry.REASSEMBLY, reassembler), wire.endB());
        assertThat(net.implementations().get("b.reassembly"), is(reassembler));
        assertThat("the single implementation is a static process of the network",
                net.processes().stream().anyMatch(p -> p.name().equals("b.reasm")), is(reassembler.equals("single")));
        ProcessRunner runner = new ProcessRunner(net, Threading.PLATFORM);
        runner.start();
        try {
            for (int seq = 1; seq <= 3; seq++) {
                PingResult r = a.pinger().ping(B.ip(), 44, seq, 3000 + seq * 1000, Duration.ofSeconds(5));
                assertThat(r.toString(), r.status(), is(PingResult.Status.REPLY));
                assertThat(r.dataLength(), is(3000 + seq * 1000));
            }
            PingResult back = b.pinger().ping(A.ip(), 45, 1, 65000, Duration.ofSeconds(5));
            assertThat(back.toString(), back.status(), is(PingResult.Status.REPLY));
            assertThat(back.dataLength(), is(65000));
        } finally {
            assertThat(runner.stop(Duration.ofSeconds(2)), is(true));
        }
        assertThat(runner.exitCode(), is(0));
        assertThat(b.ipv4Counters().get("reassembled"), is(4L));
        assertThat(a.ipv4Counters().get("reassembled"), is(4L));
        assertThat(b.ipv4Counters().get("reassemblyTimeouts"), is(0L));
    }

    @ParameterizedTest
    @MethodSource("threadings")
    void aPingToAnAddressNobodyHasTimesOut(Threading threading) throws Exception {
        ProcessNetwork net = new ProcessNetwork("two");
        MemoryLink wire = MemoryLink.create(net, "a.", "b.");
        StackConfig fastArp = A.withArp(new StackConfig.ArpSettings(Duration.ofSeconds(60), Duration.ofMillis(50),
                3, 16, 4, 16));
        HostStack a = HostStack.build(net, "a.", fastArp, wire.endA());
        HostStack.build(net, "b.", B, wire.endB());
        ProcessRunner runner = new ProcessRunner(net, threading);
        runner.start();
        try {
            PingResult r = a.pinger().ping(Ipv4Address.parse("198.18.0.99"), 1, 1, 56, Duration.ofMillis(500));
            assertThat(r.status(), is(PingResult.Status.TIMEOUT));
        } finally {
            assertThat(runner.stop(Duration.ofSeconds(2)), is(true));
        }
        assertThat(a.arpCounters().get("requestsSent"), is(3L));
    }
}
