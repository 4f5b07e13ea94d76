package org.cspstack.harness.lab;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

import java.io.OutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;

import org.cspstack.core.wire.Ipv4Address;
import org.cspstack.harness.experiments.Shell;
import org.cspstack.protocols.tcp.TcpSocket;

/** Whole TCP transfers between the lab's Linux and a stack, checked by sha256 at both ends. */
final class LabTransfers {
    private LabTransfers() {
    }

    /** Linux's nc sends {@code bytes} random bytes through the stack's echo service and compares what returns. */
    static void linuxEchoesThroughTheStack(long bytes, Duration timeout) {
        Lab.Result r = Lab.inNamespace(timeout, "sh", "-c",
                "f=$(mktemp) && o=$(mktemp) && head -c " + bytes + " /dev/urandom > $f && "
                        + "nc -N " + Lab.STACK_IP + " 7 < $f > $o && sha256sum < $f && sha256sum < $o && wc -c < $o; "
                        + "rm -f $f $o");
        String[] lines = r.out().trim().split("\n");
        assertThat(r.out(), lines.length, greaterThanOrEqualTo(3));
        assertThat(r.out(), lines[lines.length - 3], is(lines[lines.length - 2]));
        assertThat(r.out(), lines[lines.length - 1].trim(), is(Long.toString(bytes)));
    }

    /** The stack connects to Linux's {@code nc -l port} and sends {@code bytes} seeded random bytes. */
    static void stackSendsToLinux(LabStack lab, int port, long bytes, long seed, Duration timeout) throws Exception {
        Process nc = new ProcessBuilder("ip", "netns", "exec", Lab.NAMESPACE, "timeout",
                Long.toString(timeout.toSeconds()), "sh", "-c", "nc -l " + port + " | sha256sum")
                .redirectErrorStream(true).start();
        try {
            Shell.awaitListening(Lab.NAMESPACE, "tcp", port, Duration.ofSeconds(10));
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] block = new byte[65_536];
            Random random = new Random(seed);
            try (TcpSocket s = TcpSocket.connect(lab.stack.tcp(), Ipv4Address.parse(Lab.PEER_IP), port,
                    Duration.ofSeconds(5))) {
                OutputStream out = s.getOutputStream();
                for (long left = bytes; left > 0; left -= block.length) {
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
}
