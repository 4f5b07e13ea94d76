package org.cspstack.harness.lab;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import java.io.OutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Random;

import org.cspstack.core.csp.FaultSettings;
import org.cspstack.core.wire.Ipv4Address;
import org.cspstack.protocols.services.Service;
import org.cspstack.protocols.tcp.TcpSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
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
        Lab.Result r = Lab.inNamespace(Duration.ofSeconds(300), "sh", "-c",
                "f=$(mktemp) && o=$(mktemp) && head -c 50000000 /dev/urandom > $f && "
                        + "nc -N 198.18.0.2 7 < $f > $o && sha256sum < $f && sha256sum < $o && wc -c < $o; "
                        + "rm -f $f $o");
        String[] lines = r.out().trim().split("\n");
        assertThat(r.out(), lines.length, greaterThanOrEqualTo(3));
        assertThat(r.out(), lines[lines.length - 3], is(lines[lines.length - 2]));
        assertThat(r.out(), lines[lines.length - 1].trim(), is("50000000"));
        assertThat(lab.counter("faults", "dropped"), greaterThan(100L));
        System.out.println("echo under loss: " + lab.stack.tcpCounters().summary());
    }

    @Test
    @Order(2)
    void theStackSendsFiftyMegabytesToLinuxIntactDespiteLoss() throws Exception {
        Process nc = new ProcessBuilder("ip", "netns", "exec", Lab.NAMESPACE, "timeout", "600", "sh", "-c",
                "nc -l 5011 | sha256sum").redirectErrorStream(true).start();
        try {
            LabStack.await("Linux nc listens on tcp/5011", () -> Lab.inNamespace(Duration.ofSeconds(5),
                    "ss", "-tln", "sport = :5011").out().contains(":5011"), Duration.ofSeconds(10));
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] block = new byte[65_536];
            Random random = new Random(11);
            try (TcpSocket s = TcpSocket.connect(lab.stack.tcp(), Ipv4Address.parse(Lab.PEER_IP), 5011,
                    Duration.ofSeconds(5))) {
                OutputStream out = s.getOutputStream();
                for (long left = 50_000_000; left > 0; left -= block.length) {
                    random.nextBytes(block);
                    int n = (int) Math.min(block.length, left);
                    out.write(block, 0, n);
                    sha.update(block, 0, n);
                }
                s.shutdownOutput();
                assertThat(s.getInputStream().read(), is(-1));
            }
            assertThat(nc.waitFor(), is(0));
            String linux = new String(nc.getInputStream().readAllBytes()).trim().split("\\s+")[0];
            assertThat(linux, is(HexFormat.of().formatHex(sha.digest())));
        } finally {
            nc.destroy();
        }
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
