package org.cspstack.protocols.stack;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.cspstack.core.csp.FaultSettings;
import org.cspstack.core.csp.ProcessNetwork;
import org.cspstack.core.csp.ProcessRunner;
import org.cspstack.core.csp.Threading;
import org.cspstack.core.link.MemoryLink;
import org.cspstack.protocols.services.Service;
import org.cspstack.protocols.tcp.ConnRequest;
import org.cspstack.protocols.tcp.TcpConnectionHandle;
import org.cspstack.protocols.tcp.TcpSocket;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/** Two whole stacks talking TCP over a MemoryLink, through the public socket API. */
class TwoStacksTcpTest {
    private static final StackConfig A = TwoStacksTest.A;
    private static final StackConfig B = TwoStacksTest.B;

    private record Pair(ProcessRunner runner, HostStack a, HostStack b) {
    }

    private static Pair start(StackConfig a, StackConfig b, FaultSettings faults) {
        ProcessNetwork net = new ProcessNetwork("tcp");
        MemoryLink wire = MemoryLink.create(net, "a.", "b.");
        HostStack sa = HostStack.build(net, "a.", a, wire.endA(), null, faults);
        HostStack sb = HostStack.build(net, "b.", b, wire.endB(), null, faults);
        sb.addServices(EnumSet.of(Service.ECHO, Service.DISCARD));
        ProcessRunner runner = new ProcessRunner(net, Threading.PLATFORM);
        runner.start();
        return new Pair(runner, sa, sb);
    }

    /**
     * Connects to B's {@code port}. The services listen from processes of their own, started with the stacks, so a
     * test's first connect can come before the listen and be refused (a RST, a full round trip, no timer): tried
     * again, up to 100 times.
     */
    static TcpConnectionHandle connectToService(HostStack from, int port) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return from.tcp().connect(B.ip(), port, Duration.ofSeconds(5), true);
            } catch (ConnectException refused) {
                if (attempt == 100) {
                    throw refused;
                }
            }
        }
    }

    /** Sends {@code data} to B's TCP echo service from {@code from} and reads back all that comes. */
    static byte[] echo(HostStack from, byte[] data) throws Exception {
        try (TcpSocket s = new TcpSocket(connectToService(from, 7))) {
            Thread writer = new Thread(() -> {
                try {
                    s.getOutputStream().write(data);
                    s.shutdownOutput();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            writer.start();
            InputStream in = s.getInputStream();
            byte[] back = in.readAllBytes();
            writer.join(30_000);
            return back;
        }
    }

    @Test
    void aMegabyteEchoesIntactOverALinkThatLosesDuplicatesReordersAndCorrupts() throws Exception {
        FaultSettings faults = FaultSettings.parse("3%", "1%", "2%", "0.5%", null, 7L);
        Pair p = start(A, B, faults);
        try {
            byte[] data = new byte[1 << 20];
            new Random(3).nextBytes(data);
            assertThat(Arrays.equals(echo(p.a(), data), data), is(true));
        } finally {
            assertThat(p.runner().stop(Duration.ofSeconds(2)), is(true));
        }
        assertThat(p.runner().exitCode(), is(0));
    }

    @Test
    void aThousandSequentialConnectionsLeaveNoProcessBehind() throws Exception {
        StackConfig shortTimeWait = A.withTcp(A.tcp().withTimeWait(Duration.ofMillis(50)));
        Pair p = start(shortTimeWait, B.withTcp(B.tcp().withTimeWait(Duration.ofMillis(50))), FaultSettings.none());
        try {
            int baseline = p.runner().liveDynamic().size();
            byte[] hello = "hello".getBytes();
            for (int i = 0; i < 1000; i++) {
                assertThat(new String(echo(p.a(), hello)), is("hello"));
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            // TIME_WAIT (50 ms) has to pass for the last connections, and each layer has to read the Ended event
            // a connection's process writes just before it ends (the layer counts it then, a moment later).
            while ((p.runner().liveDynamic().size() > baseline
                    || p.a().tcpCounters().get("connectionsEnded") != p.a().tcpCounters().get("connectionsOpened")
                    || p.b().tcpCounters().get("connectionsNow") != 0)
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(p.runner().liveDynamic().toString(), p.runner().liveDynamic().size(), is(baseline));
            // Every connection ended: the thousand, and any refused before the echo service listened.
            assertThat(p.a().tcpCounters().get("connectionsEnded"), is(p.a().tcpCounters().get("connectionsOpened")));
            assertThat(p.a().tcpCounters().get("connectionsOpened") >= 1000, is(true));
            assertThat(p.a().tcpCounters().get("connectionsNow"), is(0L));
            assertThat(p.b().tcpCounters().get("connectionsNow"), is(0L));
        } finally {
            assertThat(p.runner().stop(Duration.ofSeconds(2)), is(true));
        }
    }

    @Test
    void readsIntoALentArrayComeBackInTheThreadsOwnResultAndRequest() throws Exception {
        Pair p = start(A, B, FaultSettings.none());
        try {
            TcpConnectionHandle c = connectToService(p.a(), 7);
            byte[] into = new byte[16];
            assertThat(c.write(new byte[] {1}, 0, 1), is(true));
            ConnRequest.ReadResult first = c.read(into, 0, into.length);
            assertThat(first.length(), is(1));
            assertThat(into[0], is((byte) 1));
            assertThat(c.write(new byte[] {2, 3}, 0, 2), is(true));
            int got = 0;
            ConnRequest.ReadResult again = null;
            while (got < 2) {
                again = c.read(into, got, into.length - got);
                assertThat("the same result object, filled again", again == first, is(true));
                got += again.length();
            }
            assertThat(into[0], is((byte) 2));
            assertThat(into[1], is((byte) 3));
            assertThat(c.write(new byte[] {4}, 0, 1), is(true));
            ConnRequest.ReadResult fresh = c.read(1);
            assertThat("a read for a new array gets a new result", fresh == first, is(false));
            assertThat(fresh.data()[0], is((byte) 4));
            c.close();
        } finally {
            assertThat(p.runner().stop(Duration.ofSeconds(2)), is(true));
        }
    }

    @Test
    void aReadIntoALentArrayFillsItAtTheOffsetAndSaysHowMuch() throws Exception {
        Pair p = start(A, B, FaultSettings.none());
        try {
            TcpConnectionHandle c = connectToService(p.a(), 7);
            byte[] hello = "hello, echo".getBytes();
            assertThat(c.write(hello, 0, hello.length), is(true));
            byte[] into = new byte[4 + hello.length];
            int got = 0;
            while (got < hello.length) {
                ConnRequest.ReadResult r = c.read(into, 4 + got, hello.length - got);
                assertThat(r.data() == into, is(true));
                got += r.length();
            }
            assertThat(new String(into, 4, hello.length), is("hello, echo"));
            c.shutdownOutput();
            assertThat(c.read(into, 0, into.length).endOfStream(), is(true));
            c.close();
        } finally {
            assertThat(p.runner().stop(Duration.ofSeconds(2)), is(true));
        }
    }

    @Test
    void connectingToAClosedPortIsRefused() throws Exception {
        Pair p = start(A, B, FaultSettings.none());
        try {
            ConnectException e = org.junit.jupiter.api.Assertions.assertThrows(ConnectException.class,
                    () -> TcpSocket.connect(p.a().tcp(), B.ip(), 4444, Duration.ofSeconds(5)));
            assertThat(e.getMessage().contains("refused"), is(true));
        } finally {
            assertThat(p.runner().stop(Duration.ofSeconds(2)), is(true));
        }
    }

    @Test
    void eachAcceptTimesOutAtItsOwnDeadlineAndNotAfterAnotherIsAnswered() throws Exception {
        Pair p = start(A, B, FaultSettings.none());
        try {
            p.b().tcp().listen(9_000, 4);
            CompletableFuture<TcpConnectionHandle> patient =
                    CompletableFuture.supplyAsync(() -> {
                        try {
                            return p.b().tcp().accept(9_000, Duration.ofSeconds(20));
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    });
            assertTimesOut(p.b(), Duration.ofMillis(200)); // while the patient accept waits
            TcpConnectionHandle client = p.a().tcp().connect(B.ip(), 9_000, Duration.ofSeconds(5), true);
            TcpConnectionHandle server = patient.get(5, TimeUnit.SECONDS);
            assertThat(server.remote().port(), is(client.local().port()));
            assertTimesOut(p.b(), Duration.ofMillis(200)); // after an accept was answered
            client.abort();
        } finally {
            assertThat(p.runner().stop(Duration.ofSeconds(2)), is(true));
        }
    }

    /** An accept on port 9000 times out after {@code timeout}, and not 3 s later (which fails the test). */
    private static void assertTimesOut(HostStack stack, Duration timeout) {
        long start = System.nanoTime();
        Assertions.assertTimeoutPreemptively(timeout.plusSeconds(3), () -> Assertions.assertThrows(
                SocketTimeoutException.class, () -> stack.tcp().accept(9_000, timeout)));
        assertThat(System.nanoTime() - start >= timeout.toNanos(), is(true));
    }
}
