package org.cspstack.harness.lab;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.util.EnumSet;

import org.cspstack.protocols.services.Service;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** UDP against the Linux kernel's sockets in the lab namespace. */
@Tag("lab")
class LabUdpTest {
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

    /** A Python program on the kernel's UDP sockets in csplab. */
    private static Lab.Result python(String program) {
        return Lab.inNamespace(Duration.ofSeconds(60), "/usr/bin/python3", "-c", program);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 512, 1472, 8000, 60000})
    void theEchoServiceReturnsExactlyWhatLinuxSends(int size) {
        Lab.Result r = python("""
                import socket, os, hashlib
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.settimeout(3)
                data = os.urandom(%d)
                s.sendto(data, ('198.18.0.2', 7))
                back, src = s.recvfrom(65535)
                print('same' if back == data else 'DIFFERENT', len(back), src[0], src[1],
                      hashlib.sha256(back).hexdigest() == hashlib.sha256(data).hexdigest())
                """.formatted(size));
        assertThat(r.out(), r.exitCode(), is(0));
        assertThat(r.out(), containsString("same " + size + " 198.18.0.2 7 True"));
    }

    @Test
    void aDatagramToAClosedPortMakesLinuxSeePortUnreachable() {
        long before = lab.counter("udp", "portUnreachableSent");
        Lab.Result r = python("""
                import socket
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.settimeout(3)
                s.connect(('198.18.0.2', 9999))
                s.send(b'anyone there?')
                try:
                    s.recv(100)
                    print('ANSWERED')
                except ConnectionRefusedError:
                    print('refused: ICMP port unreachable')
                """);
        assertThat(r.out(), containsString("refused: ICMP port unreachable"));
        assertThat(lab.counter("udp", "portUnreachableSent") - before, is(1L));
    }

    @Test
    void aDatagramWithABadChecksumIsDroppedAndCounted() {
        long bad = lab.counter("udp", "badChecksumDropped");
        long discarded = lab.counter("udp-discard", "received");
        // A bad checksum to the discard service, then a good datagram to echo: the echo coming back proves the
        // bad one went through the layer first (one path, in order).
        Lab.Result sent = Lab.scapy(Duration.ofSeconds(30), """
                ip = IP(src='198.18.0.1', dst='198.18.0.2')
                sendp(Ether(dst='%s', src=get_if_hwaddr('csplab1'))/ip/UDP(sport=4000, dport=9, chksum=0x1234)/b'bad',
                      iface='csplab1')
                """.formatted(Lab.STACK_MAC));
        assertThat(sent.out(), sent.exitCode(), is(0));
        Lab.Result r = python("""
                import socket
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.settimeout(3)
                s.sendto(b'after', ('198.18.0.2', 7))
                print(s.recvfrom(100)[0])
                """);
        assertThat(r.out(), containsString("b'after'"));
        assertThat(lab.counter("udp", "badChecksumDropped") - bad, is(1L));
        assertThat(lab.counter("udp-discard", "received") - discarded, is(0L));
    }

    @Test
    void discardTakesAndChargenAnswers() throws InterruptedException {
        long discarded = lab.counter("udp-discard", "received");
        Lab.Result r = python("""
                import socket
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.settimeout(3)
                s.sendto(b'x' * 100, ('198.18.0.2', 9))
                s.sendto(b'?', ('198.18.0.2', 19))
                data, src = s.recvfrom(1000)
                ok = len(data) <= 512 and all(32 <= c < 127 or c in (13, 10) for c in data)
                print('chargen', len(data), 'printable' if ok else 'BAD', src[1])
                """);
        assertThat(r.out(), containsString("printable 19"));
        // The discard process counts on its own thread, after the layer handed it the datagram.
        LabStack.await("the discard service received the datagram",
                () -> lab.counter("udp-discard", "received") - discarded >= 1, Duration.ofSeconds(5));
    }
}
