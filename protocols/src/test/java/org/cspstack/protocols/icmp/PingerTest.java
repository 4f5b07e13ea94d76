package org.cspstack.protocols.icmp;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.cspstack.core.csp.Batch;
import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.csp.Chan;
import org.cspstack.core.csp.ProcessTestKit;
import org.cspstack.core.wire.IcmpPacket;
import org.cspstack.core.wire.IcmpType;
import org.cspstack.core.wire.IpProtocol;
import org.cspstack.core.wire.Ipv4Address;
import org.cspstack.core.wire.Ipv4Cidr;
import org.cspstack.core.wire.Ipv4Packet;
import org.cspstack.core.wire.Ipv4Repr;
import org.cspstack.protocols.icmp.PingResult.Status;
import org.cspstack.protocols.ipv4.IpDatagram;
import org.cspstack.protocols.ipv4.IpSend;
import org.cspstack.protocols.stack.StackConfig;
import org.jcsp.lang.Any2OneChannel;
import org.jcsp.lang.PoisonException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The blocking client against a running ICMP layer; the test plays the IP layer and the peer. */
class PingerTest {

    private static final Ipv4Address OURS = Ipv4Address.parse("198.18.0.2");
    private static final Ipv4Address PEER = Ipv4Address.parse("198.18.0.1");
    private static final StackConfig CONFIG = StackConfig.of(Ipv4Cidr.parse("198.18.0.2/24"));
    private static final Duration LONG = Duration.ofSeconds(30);

    private final ProcessTestKit kit = new ProcessTestKit("pinger-test");
    private final IcmpCounters counters = new IcmpCounters("icmp");
    private Chan<Batch<IpDatagram>> fromIp;
    private Chan<Batch<IpSend>> toIp;
    private Pinger pinger;

    @BeforeEach
    void start() {
        fromIp = kit.input("ipToIcmp");
        Any2OneChannel<PingRequest> apps = kit.network().requests("appsToIcmp", "icmp");
        toIp = kit.output("icmpToIp");
        kit.start("icmp", new IcmpLayer(fromIp.in(), apps.in(), toIp.out(), CONFIG, counters), counters);
        pinger = new Pinger(apps.out());
    }

    @AfterEach
    void stop() throws InterruptedException {
        kit.close();
    }

    /** Plays the peer: turns the echo request that went down into the reply that comes back up. */
    private void answer(IpSend request) {
        byte[] icmp = request.payload().toByteArray();
        IcmpPacket view = IcmpPacket.wrap(icmp, 0, icmp.length);
        view.setType(IcmpType.ECHO_REPLY);
        view.fillChecksum();
        PacketBuffer buf = PacketBuffer.allocate(14, Ipv4Packet.MIN_HEADER_LENGTH + icmp.length);
        int headerOffset = buf.start();
        Ipv4Repr.of(request.destination(), OURS, IpProtocol.ICMP, 64, icmp.length)
                .emit(Ipv4Packet.wrap(buf.array(), headerOffset, buf.length()));
        System.arraycopy(icmp, 0, buf.array(), headerOffset + Ipv4Packet.MIN_HEADER_LENGTH, icmp.length);
        buf.consume(Ipv4Packet.MIN_HEADER_LENGTH);
        fromIp.out().write(Batch.of(new IpDatagram(request.destination(), OURS, IpProtocol.ICMP, 64, headerOffset,
                Ipv4Packet.MIN_HEADER_LENGTH, buf)));
    }

    /** Runs a blocking client call on a thread of its own, as an application thread would. */
    private static <T> CompletableFuture<T> client(Supplier<T> call) {
        return CompletableFuture.supplyAsync(call, r -> new Thread(r, "client").start());
    }

    private static int sequenceOf(IpSend request) {
        PacketBuffer p = request.payload();
        return IcmpPacket.wrap(p.array(), p.start(), p.length()).sequenceNumber();
    }

    @Test
    void returnsTheReplyToABlockingPing() throws Exception {
        CompletableFuture<PingResult> result = client(() -> pinger.ping(PEER, 100, 1, 56, LONG));
        answer(kit.expectOne(toIp));

        PingResult r = result.get(5, TimeUnit.SECONDS);
        assertThat(r.status(), is(Status.REPLY));
        assertThat(r.from(), is(PEER));
        assertThat(r.dataLength(), is(56));
    }

    @Test
    void returnsATimeoutWithTheRequestedTtl() throws Exception {
        CompletableFuture<PingResult> result = client(() -> pinger.ping(PEER, 100, 2, 0, 5, Duration.ofMillis(50)));
        assertThat(kit.expectOne(toIp).ttl(), is(5));
        assertThat(result.get(5, TimeUnit.SECONDS).status(), is(Status.TIMEOUT));
    }

    @Test
    void servesManyClientThreadsEachWithItsOwnResult() throws Exception {
        List<CompletableFuture<PingResult>> results = new ArrayList<>();
        for (int seq = 1; seq <= 4; seq++) {
            int s = seq;
            results.add(client(() -> pinger.ping(PEER, 200, s, 8, LONG)));
        }
        for (int i = 0; i < 4; i++) {
            answer(kit.expectOne(toIp));
        }
        List<Integer> sequences = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            PingResult r = results.get(i).get(5, TimeUnit.SECONDS);
            assertThat(r.status(), is(Status.REPLY));
            assertThat(r.sequence(), is(i + 1));
            sequences.add(r.sequence());
        }
        assertThat(sequences, containsInAnyOrder(1, 2, 3, 4));
        assertThat(counters.echoRepliesReceived.get(), is(4L));
    }

    @Test
    void anOutstandingPingFailsWhenTheStackShutsDown() {
        CompletableFuture<PingResult> result = client(() -> pinger.ping(PEER, 300, 1, 0, LONG));
        assertThat(sequenceOf(kit.expectOne(toIp)), is(1));
        kit.runner().shutdown();

        ExecutionException e = assertThrows(ExecutionException.class, () -> result.get(5, TimeUnit.SECONDS));
        assertThat(e.getCause(), instanceOf(IllegalStateException.class));
        assertThat(e.getCause().getMessage(), containsString("the stack has shut down"));
        assertThat(e.getCause().getCause(), instanceOf(PoisonException.class));
    }

    @Test
    void aPingAfterShutdownFailsAtOnce() throws InterruptedException {
        kit.runner().stop(Duration.ofSeconds(5));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> pinger.ping(PEER, 301, 1, 0, LONG));
        assertThat(e.getMessage(), containsString("the stack has shut down"));
    }

    @Test
    void rejectsBadArgumentsBeforeAskingTheLayer() {
        assertThrows(IllegalArgumentException.class, () -> pinger.ping(PEER, 0x10000, 1, 0, LONG));
        assertThrows(IllegalArgumentException.class, () -> pinger.ping(PEER, 1, -1, 0, LONG));
        assertThrows(IllegalArgumentException.class, () -> pinger.ping(PEER, 1, 1, 65508, LONG));
        assertThrows(IllegalArgumentException.class, () -> pinger.ping(PEER, 1, 1, 0, 0, LONG));
        assertThrows(IllegalArgumentException.class, () -> pinger.ping(PEER, 1, 1, 0, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> pinger.ping(PEER, 1, 1, 0, Duration.ofDays(2)));
        assertThrows(NullPointerException.class, () -> pinger.ping(null, 1, 1, 0, LONG));
        assertThat(kit.pendingOne(toIp), is(false));
    }
}
