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
import org.cspstack.protocols.stack.StackConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Fragmentation and reassembly against the Linux kernel, and hostile fragments sent with scapy. */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabFragmentationTest {
    /** Short, so that the Time Exceeded test is quick; the default is 30 s. */
    static final Duration REASSEMBLY_TIMEOUT = Duration.ofSeconds(1);
    private static LabStack lab;

    @BeforeAll
    static void startStack() throws Exception {
        StackConfig config = LabStack.labConfig();
        lab = LabStack.start(config.withReassembly(config.reassembly().withTimeout(REASSEMBLY_TIMEOUT)));
    }

    @AfterAll
    static void stopStack() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    private long ip(String counter) {
        return lab.counter("ip", counter);
    }

    private void stackStillAnswers() {
        Lab.Result ping = Lab.inNamespace(Duration.ofSeconds(10), "ping", "-c", "2", "-i", "0.2", "-W", "2",
                Lab.STACK_IP);
        assertThat(ping.out(), Lab.received(ping.out()), is(2));
    }

    @Test
    @Order(2)
    void linuxPingsWith8000BytesAndEveryReplyComesBack() {
        long reassembled = ip("reassembled");
        Lab.Result r = Lab.inNamespace(Duration.ofSeconds(30), "ping", "-c", "10", "-i", "0.2", "-s", "8000", "-W",
                "2", Lab.STACK_IP);
        assertThat(r.out(), Lab.received(r.out()), is(10));
        assertThat(r.out(), containsString("8008 bytes from " + Lab.STACK_IP));
        assertThat(ip("reassembled") - reassembled, is(10L));
        assertThat(ip("fragmentsSent"), greaterThanOrEqualTo(60L));
    }

    /** First, while the stack does not know Linux's MAC yet: ARP must hold all 21 fragments of the first one. */
    @Test
    @Order(1)
    void theStackPingsLinuxWith30000Bytes() {
        Pinger pinger = lab.stack.pinger();
        long reassembled = ip("reassembled");
        for (int seq = 1; seq <= 3; seq++) {
            PingResult r = pinger.ping(Ipv4Address.parse(Lab.PEER_IP), 0x30, seq, 30_000, Duration.ofSeconds(3));
            assertThat(r.toString(), r.status(), is(PingResult.Status.REPLY));
            assertThat(r.dataLength(), is(30_000));
        }
        assertThat(ip("reassembled") - reassembled, is(3L));
    }

    @Test
    @Order(3)
    void overlappingTeardropAndOversizedFragmentsAreDroppedAndCounted() throws Exception {
        long overlaps = ip("reassemblyOverlaps");
        long tooLong = ip("reassemblyTooLong");
        long bad = ip("badFragments");
        String script = """
                ip = dict(src='198.18.0.1', dst='198.18.0.2', proto=1)
                eth = Ether(dst='%s', src=get_if_hwaddr('csplab1'))
                frames = [
                    # partial overlap: 0-47, then 40-87
                    eth/IP(id=101, flags='MF', frag=0, **ip)/(b'a'*48),
                    eth/IP(id=101, frag=5, **ip)/(b'b'*48),
                    # teardrop: 0-39 with MF, then a last fragment 24-27 that ends inside the data already there
                    eth/IP(id=102, flags='MF', frag=0, **ip)/(b'c'*40),
                    eth/IP(id=102, frag=3, **ip)/(b'd'*4),
                    # ping of death: a fragment that would end beyond 65,535 bytes
                    eth/IP(id=103, frag=8191, **ip)/(b'e'*16),
                ]
                sendp(frames, iface='csplab1')
                """.formatted(Lab.STACK_MAC);
        Lab.Result sent = Lab.scapy(Duration.ofSeconds(60), script);
        assertThat(sent.out(), sent.exitCode(), is(0));
        LabStack.await("overlap, teardrop and oversized fragments counted",
                () -> ip("reassemblyOverlaps") > overlaps && ip("badFragments") > bad && ip("reassemblyTooLong") > tooLong,
                Duration.ofSeconds(10));
        assertThat(ip("reassemblyOverlaps") - overlaps, is(1L));
        assertThat(ip("reassemblyTooLong") - tooLong, is(1L));
        assertThat(ip("badFragments") - bad, is(1L));
        stackStillAnswers();
    }

    @Test
    @Order(4)
    void tenThousandIncompleteDatagramsStayUnderTheMemoryCap() throws Exception {
        long started = ip("reassembliesStarted");
        long fragments = ip("fragmentsReceived");
        long ingressDrops = lab.upwardDrops();
        long captureDrops = lab.stack.linkCounters().get("captureDropped");
        String script = """
                ip = dict(src='198.18.0.1', dst='198.18.0.2', proto=1)
                eth = Ether(dst='%s', src=get_if_hwaddr('csplab1'))
                frames = [eth/IP(id=i, flags='MF', frag=0, **ip)/(b'f'*1480) for i in range(10000)]
                sendp(frames, iface='csplab1')
                """.formatted(Lab.STACK_MAC);
        Lab.Result sent = Lab.scapy(Duration.ofSeconds(120), script);
        assertThat(sent.out(), sent.exitCode(), is(0));
        stackStillAnswers();
        long cap = LabStack.labConfig().reassembly().maxBytes();
        assertThat(ip("reassemblyBytesHeldMax"), lessThanOrEqualTo(cap));
        assertThat(ip("reassembliesInFlight"), lessThanOrEqualTo(64L));
        // Every one of the 10,000 frames is accounted for: it reached IP (and got a reassembly process of its
        // own, the ids being distinct), or it was dropped and counted on the way (a full upward channel when
        // scapy's burst outran the stack, or the capture).
        long reachedIp = ip("fragmentsReceived") - fragments;
        assertThat(ip("reassembliesStarted") - started, is(reachedIp));
        assertThat(reachedIp + (lab.upwardDrops() - ingressDrops)
                + (lab.stack.linkCounters().get("captureDropped") - captureDrops), greaterThanOrEqualTo(10_000L));
        System.out.println("10,000 incomplete datagrams: " + reachedIp + " reached IP, " + ip("reassemblyEvictions")
                + " evictions in all, bytes held at most " + ip("reassemblyBytesHeldMax") + " of " + cap);
        assertThat(lab.runner.liveDynamic().size(), lessThanOrEqualTo(64));
    }

    @Test
    @Order(5)
    void anIncompleteDatagramBringsTimeExceededBackToLinuxAfterTheTimeout() {
        String script = """
                ip = dict(src='198.18.0.1', dst='198.18.0.2', proto=1)
                eth = Ether(dst='%s', src=get_if_hwaddr('csplab1'))
                # only the answer about this datagram: an earlier test's withheld fragment may time out meanwhile
                sniffer = AsyncSniffer(iface='csplab1', filter='icmp and icmp[0] == 11', count=1, timeout=%d,
                                       lfilter=lambda p: IPerror in p and p[IPerror].id == 4242)
                sniffer.start()
                import time
                time.sleep(0.5)
                t0 = time.time()
                sendp(eth/IP(id=4242, flags='MF', frag=0, **ip)/ICMP(id=7, seq=7)/(b'g'*64), iface='csplab1')
                sniffer.join()
                got = sniffer.results
                if not got:
                    print('NO-TIME-EXCEEDED'); raise SystemExit(3)
                p = got[0]
                print('TIME-EXCEEDED type=%%d code=%%d after=%%.2f quoted-id=%%d' %% (p[ICMP].type, p[ICMP].code,
                      p.time - t0, p[IPerror].id))
                """.formatted(Lab.STACK_MAC, REASSEMBLY_TIMEOUT.toSeconds() + 6);
        Lab.Result r = Lab.scapy(Duration.ofSeconds(30), script);
        assertThat(r.out(), r.exitCode(), is(0));
        assertThat(r.out(), containsString("TIME-EXCEEDED type=11 code=1"));
        assertThat(r.out(), containsString("quoted-id=4242"));
        double after = Double.parseDouble(r.out().replaceAll("(?s).*after=([0-9.]+).*", "$1"));
        assertThat("Time Exceeded came after the configured timeout, not before: " + r.out(),
                after, greaterThanOrEqualTo(REASSEMBLY_TIMEOUT.toMillis() / 1000.0 - 0.05));
    }
}
