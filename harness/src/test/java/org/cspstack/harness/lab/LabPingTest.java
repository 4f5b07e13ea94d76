package org.cspstack.harness.lab;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import java.time.Duration;

import org.cspstack.core.wire.Ipv4Address;
import org.cspstack.protocols.icmp.PingResult;
import org.cspstack.protocols.icmp.Pinger;
import org.cspstack.protocols.stack.HostStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The Linux kernel in the lab namespace and the stack on csplab0 ping each other. */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabPingTest {
    private static LabStack lab;
    private static HostStack stack;

    @BeforeAll
    static void startStack() throws Exception {
        lab = LabStack.start(LabStack.labConfig());
        stack = lab.stack;
    }

    @AfterAll
    static void stopStack() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    @Order(1)
    void linuxPingsTheStackAndLearnsItsMac() {
        Lab.Result r = Lab.inNamespace(Duration.ofSeconds(30), "ping", "-c", "20", "-i", "0.05", "-W", "2",
                Lab.STACK_IP);
        assertThat(r.out(), Lab.received(r.out()), is(20));
        Lab.Result neigh = Lab.inNamespace(Duration.ofSeconds(5), "ip", "neigh", "show", Lab.STACK_IP);
        assertThat(neigh.out(), containsString("lladdr " + Lab.STACK_MAC));
        assertThat(stack.arpCounters().get("repliesSent"), greaterThanOrEqualTo(1L));
        assertThat(stack.icmpCounters().get("echoRepliesSent"), greaterThanOrEqualTo(20L));
    }

    @Test
    @Order(2)
    void theStackPingsLinux() {
        Pinger pinger = stack.pinger();
        for (int seq = 1; seq <= 5; seq++) {
            PingResult r = pinger.ping(Ipv4Address.parse(Lab.PEER_IP), 0x1ab, seq, 56, Duration.ofSeconds(2));
            assertThat(r.toString(), r.status(), is(PingResult.Status.REPLY));
            assertThat(r.from(), is(Ipv4Address.parse(Lab.PEER_IP)));
            assertThat(r.dataLength(), is(56));
        }
    }

    @Test
    @Order(3)
    void linuxPingsFastWithoutLoss() {
        Lab.Result r = Lab.inNamespace(Duration.ofSeconds(30), "ping", "-c", "50", "-i", "0.01", "-W", "2",
                Lab.STACK_IP);
        assertThat(r.out(), Lab.received(r.out()), is(50));
    }

    @Test
    @Order(4)
    void floodPingLosesAtMostOneInTenThousand() {
        long before = stack.icmpCounters().get("echoRepliesSent");
        Lab.Result r = Lab.inNamespace(Duration.ofSeconds(120), "ping", "-f", "-c", "20000", "-W", "1",
                Lab.STACK_IP);
        int received = Lab.received(r.out());
        assertThat(r.out(), received, greaterThanOrEqualTo(19_998));
        assertThat(stack.icmpCounters().get("echoRepliesSent") - before, greaterThanOrEqualTo(19_998L));
        assertThat(stack.linkCounters().get("captureDropped"), lessThanOrEqualTo(2L));
    }

    @Test
    @Order(5)
    void malformedFramesAreCountedByReasonAndTheStackKeepsAnswering() {
        long truncated = stack.ipv4Counters().get("truncatedDropped");
        long badChecksum = stack.ipv4Counters().get("badChecksumDropped");
        long badIhl = stack.ipv4Counters().get("badHeaderLengthDropped");
        long badTotal = stack.ipv4Counters().get("badTotalLengthDropped");
        // Raw frames to the stack's MAC: an IPv4 header cut at 12 bytes, a bad header checksum,
        // IHL 4, and a total length beyond the frame. Then one good ping proves the stack still answers and,
        // since frames are handled in order, that every bad one has been looked at. (A frame shorter than an
        // Ethernet header cannot be sent through a veth: the kernel refuses it, so EthernetLayerTest covers it.)
        String script = """
                eth = Ether(dst='%s', src=get_if_hwaddr('csplab1'), type=0x0800)
                good = IP(src='198.18.0.1', dst='198.18.0.2')/ICMP(id=9, seq=1)/(b'x'*32)
                raw_good = bytearray(bytes(good))
                frames = []
                frames.append(bytes(eth) + bytes(raw_good[:12]))
                bad_sum = bytearray(raw_good); bad_sum[10] ^= 0xff; frames.append(bytes(eth) + bytes(bad_sum))
                frames.append(bytes(eth/IP(src='198.18.0.1', dst='198.18.0.2', ihl=4)/ICMP()))
                frames.append(bytes(eth/IP(src='198.18.0.1', dst='198.18.0.2', len=1400)/ICMP()))
                for f in frames:
                    sendp(Raw(f), iface='csplab1')
                """.formatted(Lab.STACK_MAC);
        Lab.Result sent = Lab.scapy(Duration.ofSeconds(60), script);
        assertThat(sent.out(), sent.exitCode(), is(0));
        Lab.Result ping = Lab.inNamespace(Duration.ofSeconds(10), "ping", "-c", "1", "-W", "2", Lab.STACK_IP);
        assertThat(ping.out(), Lab.received(ping.out()), is(1));

        assertThat(stack.ipv4Counters().get("truncatedDropped") - truncated, is(1L));
        assertThat(stack.ipv4Counters().get("badChecksumDropped") - badChecksum, is(1L));
        assertThat(stack.ipv4Counters().get("badHeaderLengthDropped") - badIhl, is(1L));
        assertThat(stack.ipv4Counters().get("badTotalLengthDropped") - badTotal, is(1L));
    }
}
