package org.cspstack.harness.lab;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Random;

import org.cspstack.core.wire.Ipv4Address;
import org.cspstack.protocols.services.Service;
import org.cspstack.protocols.tcp.TcpServerSocket;
import org.cspstack.protocols.tcp.TcpSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** TCP against the Linux kernel in the lab: services, both directions, whole transfers checked by sha256. */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabTcpTest {
    private static LabStack lab;

    @BeforeAll
    static void startStack() throws Exception {
        lab = LabStack.start(LabStack.labConfig(), EnumSet.allOf(Service.class));
    }

    @AfterAll
    static void stopStack() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    private static Lab.Result python(Duration timeout, String program) {
        return Lab.inNamespace(timeout, "/usr/bin/python3", "-c", program);
    }

    @Test
    @Order(1)
    void linuxTalksToTheEchoService() {
        Lab.Result r = python(Duration.ofSeconds(30), """
                import socket
                s = socket.create_connection(('198.18.0.2', 7), timeout=5)
                s.sendall(b'hello over tcp')
                s.shutdown(socket.SHUT_WR)
                data = b''
                while True:
                    chunk = s.recv(100)
                    if not chunk: break
                    data += chunk
                print('got', data)
                """);
        assertThat(r.out(), containsString("got b'hello over tcp'"));
    }

    @Test
    @Order(2)
    void aSynToAClosedPortIsRefusedWithRst() {
        long resets = lab.counter("tcp", "resetsSent");
        Lab.Result r = python(Duration.ofSeconds(30), """
                import socket
                try:
                    socket.create_connection(('198.18.0.2', 1), timeout=5)
                    print('CONNECTED')
                except ConnectionRefusedError:
                    print('refused')
                """);
        assertThat(r.out(), containsString("refused"));
        assertThat(lab.counter("tcp", "resetsSent") - resets, is(1L));
    }

    @Test
    @Order(3)
    void fiftyMegabytesThroughTheEchoServiceArriveIntact() {
        Lab.Result r = Lab.inNamespace(Duration.ofSeconds(300), "sh", "-c",
                "f=$(mktemp) && o=$(mktemp) && head -c 50000000 /dev/urandom > $f && "
                        + "nc -N 198.18.0.2 7 < $f > $o && sha256sum < $f && sha256sum < $o && wc -c < $o; "
                        + "rm -f $f $o");
        String[] lines = r.out().trim().split("\n");
        assertThat(r.out(), lines.length, greaterThanOrEqualTo(3));
        assertThat(r.out(), lines[lines.length - 3], is(lines[lines.length - 2]));
        assertThat(r.out(), lines[lines.length - 1].trim(), is("50000000"));
    }

    @Test
    @Order(4)
    void theStackSendsFiftyMegabytesToLinuxIntact() throws Exception {
        Process nc = new ProcessBuilder("ip", "netns", "exec", Lab.NAMESPACE, "timeout", "200", "sh", "-c",
                "nc -l 5001 | sha256sum").redirectErrorStream(true).start();
        try {
            LabStack.await("Linux nc listens on tcp/5001", () -> Lab.inNamespace(Duration.ofSeconds(5),
                    "ss", "-tln", "sport = :5001").out().contains(":5001"), Duration.ofSeconds(10));
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] block = new byte[65_536];
            Random random = new Random(7);
            try (TcpSocket s = TcpSocket.connect(lab.stack.tcp(), Ipv4Address.parse(Lab.PEER_IP), 5001,
                    Duration.ofSeconds(5))) {
                OutputStream out = s.getOutputStream();
                long left = 50_000_000;
                while (left > 0) {
                    random.nextBytes(block);
                    int n = (int) Math.min(block.length, left);
                    out.write(block, 0, n);
                    sha.update(block, 0, n);
                    left -= n;
                }
                s.shutdownOutput();
                assertThat(s.getInputStream().read(), is(-1));
            }
            assertThat(nc.waitFor() , is(0));
            String linux = new String(nc.getInputStream().readAllBytes()).trim().split("\\s+")[0];
            assertThat(linux, is(HexFormat.of().formatHex(sha.digest())));
        } finally {
            nc.destroy();
        }
    }

    @Test
    @Order(5)
    void linuxConnectsToAStackServerSocketAndBothHalfClose() throws Exception {
        try (TcpServerSocket server = TcpServerSocket.bind(lab.stack.tcp(), 6000, 4)) {
            Thread client = new Thread(() -> python(Duration.ofSeconds(30), """
                    import socket
                    s = socket.create_connection(('198.18.0.2', 6000), timeout=5)
                    s.sendall(b'ping')
                    s.shutdown(socket.SHUT_WR)
                    print(s.recv(100))
                    """));
            client.start();
            try (TcpSocket s = server.accept(Duration.ofSeconds(10))) {
                InputStream in = s.getInputStream();
                byte[] got = in.readAllBytes();
                assertThat(new String(got), is("ping"));
                s.getOutputStream().write("pong".getBytes());
                s.shutdownOutput();
            }
            client.join(30_000);
        }
        assertThat(lab.counter("tcp", "connectionsNow"), lessThanOrEqualTo(10L));
    }
}
