package org.cspstack.harness.lab;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import java.io.InputStream;
import java.time.Duration;
import java.util.EnumSet;

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
        LabTransfers.linuxEchoesThroughTheStack(50_000_000, Duration.ofSeconds(300));
    }

    @Test
    @Order(4)
    void theStackSendsFiftyMegabytesToLinuxIntact() throws Exception {
        LabTransfers.stackSendsToLinux(lab, 5001, 50_000_000, 7, Duration.ofSeconds(200));
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
