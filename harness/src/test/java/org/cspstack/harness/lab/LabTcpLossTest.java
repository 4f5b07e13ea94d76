package org.cspstack.harness.lab;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import java.time.Duration;
import java.util.EnumSet;

import org.cspstack.core.csp.FaultSettings;
import org.cspstack.core.wire.Ipv4Address;
import org.cspstack.protocols.services.Service;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * TCP over a lossy lab: the stack's own fault injector loses 2% and reorders 1% of what it receives (seeded),
 * and iptables in csplab drops 2% of what Linux receives; 50 MB each way arrive intact. Then a SYN flood.
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabTcpLossTest {
    private static LabStack lab;

    @BeforeAll
    static void startStack() throws Exception {
        FaultSettings faults = FaultSettings.parse("2%", null, "1%", null, null, 42L);
        lab = LabStack.start(LabStack.labConfig(), EnumSet.allOf(Service.class), faults);
        iptables("-A", "INPUT", "-p", "tcp", "-m", "statistic", "--mode", "random", "--probability", "0.02",
                "-j", "DROP");
    }

    @AfterAll
    static void stopStack() throws Exception {
        iptables("-F", "INPUT");
        if (lab != null) {
            lab.close();
        }
    }

    private static void iptables(String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "iptables";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Lab.Result r = Lab.inNamespace(Duration.ofSeconds(10), cmd);
        assertThat(r.out(), r.exitCode(), is(0));
    }

    @Test
    @Order(1)
    void fiftyMegabytesThroughTheEchoServiceArriveIntactDespiteLoss() {
        LabTransfers.linuxEchoesThroughTheStack(50_000_000, Duration.ofSeconds(300));
        assertThat(lab.counter("faults", "dropped"), greaterThan(100L));
        System.out.println("echo under loss: " + lab.stack.tcpCounters().summary());
    }

    @Test
    @Order(2)
    void theStackSendsFiftyMegabytesToLinuxIntactDespiteLoss() throws Exception {
        LabTransfers.stackSendsToLinux(lab, 5011, 50_000_000, 11, Duration.ofSeconds(600));
    }

    @Test
    @Order(3)
    void aSynFloodStaysBoundedAndALegitimateConnectionIsStillAccepted() throws Exception {
        iptables("-F", "INPUT");
        // Linux must not answer the stack's SYN-ACKs to spoofed sources with RSTs: the flood comes from
        // addresses nobody has (198.18.0.100-199), as a real flood would.
        Lab.Result sent = Lab.scapy(Duration.ofSeconds(180), """
                import random
                eth = Ether(dst='%s', src=get_if_hwaddr('csplab1'))
                frames = [eth/IP(src='198.18.0.%%d' %% (100 + i %% 100), dst='198.18.0.2')/
                          TCP(sport=1024 + i, dport=7, flags='S', seq=random.randrange(2**32)) for i in range(10000)]
                sendp(frames, iface='csplab1')
                """.formatted(Lab.STACK_MAC));
        assertThat(sent.out(), sent.exitCode(), is(0));
        long flooded = lab.counter("tcp", "synBacklogDropped");
        assertThat("the backlog refused most of the flood", flooded, greaterThan(5000L));
        assertThat(lab.counter("tcp", "halfOpenNow"), lessThanOrEqualTo(128L));
        assertThat(lab.counter("tcp", "connectionsNow"), lessThanOrEqualTo(4096L));
        // A legitimate client still gets through: the echo service has its own backlog, so use discard... the
        // flood targeted echo; Linux's connect to discard must succeed at once.
        Lab.Result ok = Lab.inNamespace(Duration.ofSeconds(30), "/usr/bin/python3", "-c", """
                import socket
                s = socket.create_connection(('198.18.0.2', 9), timeout=5)
                s.sendall(b'still here')
                s.close()
                print('connected')
                """);
        assertThat(ok.out(), ok.out().contains("connected"), is(true));
    }
}
