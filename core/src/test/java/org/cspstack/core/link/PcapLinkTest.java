package org.cspstack.core.link;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.csp.Batch;
import org.jcsp.lang.AltingChannelInput;
import org.jcsp.lang.Alternative;
import org.jcsp.lang.CSProcess;
import org.jcsp.lang.CSTimer;
import org.jcsp.lang.Channel;
import org.jcsp.lang.Guard;
import org.jcsp.lang.One2OneChannel;
import org.jcsp.lang.PoisonException;
import org.jcsp.util.Buffer;
import org.jcsp.util.OverFlowingBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * PcapLink on a real veth. Needs root; builds its own namespace and veth and removes them afterwards:
 *
 * <pre>
 *   this JVM: PcapLink on csptst0 (no IP, IPv6 off)  ==veth==  csptst1 198.18.2.1/24 in namespace csptest
 * </pre>
 *
 * Run with {@code mvn -q -o -B -pl core test -Dgroups=lab -DexcludedGroups= -Dtest=PcapLinkTest}.
 */
@Tag("lab")
class PcapLinkTest {

    static final String NS = "csptest";
    static final String ROOT_IF = "csptst0";
    static final String NS_IF = "csptst1";
    static final String PEER_IP = "198.18.2.1";
    static final String STACK_IP = "198.18.2.2";
    /** Generous bounds: every wait in this class ends by itself. */
    static final long WAIT_MS = 5_000;
    /** Debian's python3 (another python3 earlier on PATH may lack modules; only the standard library is used). */
    static final String PYTHON = "/usr/bin/python3";

    static byte[] peerMac;

    /** Threads for reading the output of helper commands (they block; keep them off the common pool). */
    static final ExecutorService IO = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-io");
        t.setDaemon(true);
        return t;
    });

    private PcapLink link;
    private LinkCounters counters;
    private One2OneChannel<Batch<PacketBuffer>> up;    // receiver -> test: drops when full, never blocks the receiver
    private One2OneChannel<Batch<PacketBuffer>> down;  // test -> transmitter
    private final List<Runner> runners = new ArrayList<>();

    @BeforeAll
    static void makeVeth() throws Exception {
        removeVeth(); // leftovers of an earlier run that was killed
        sh("ip", "netns", "add", NS);
        sh("ip", "link", "add", ROOT_IF, "type", "veth", "peer", "name", NS_IF, "netns", NS);
        sh("sysctl", "-q", "-w", "net.ipv6.conf." + ROOT_IF + ".disable_ipv6=1");
        nsh("sysctl", "-q", "-w", "net.ipv6.conf." + NS_IF + ".disable_ipv6=1");
        sh("ethtool", "-K", ROOT_IF, "tx", "off", "rx", "off", "tso", "off", "gso", "off", "gro", "off");
        nsh("ethtool", "-K", NS_IF, "tx", "off", "rx", "off", "tso", "off", "gso", "off", "gro", "off");
        nsh("ip", "addr", "add", PEER_IP + "/24", "dev", NS_IF);
        nsh("ip", "link", "set", "lo", "up");
        nsh("ip", "link", "set", NS_IF, "up");
        sh("ip", "link", "set", ROOT_IF, "up");
        peerMac = parseMac(nsh("cat", "/sys/class/net/" + NS_IF + "/address").strip());
    }

    @AfterAll
    static void removeVeth() throws Exception {
        run(List.of("ip", "netns", "del", NS));       // takes csptst1, and with it csptst0
        run(List.of("ip", "link", "del", ROOT_IF));   // in case the namespace was never made
    }

    @BeforeEach
    void openLink() throws Exception {
        link = PcapLink.open(PcapConfig.defaults(ROOT_IF));
        counters = new LinkCounters(link.name());
        up = Channel.one2one(new OverFlowingBuffer<>(1024), 0);     // immunity 0: poisonable
        down = Channel.one2one(new Buffer<>(16), 0);
    }

    @AfterEach
    void closeLink() throws Exception {
        if (link == null) {
            return;
        }
        try {
            link.interrupt();
            down.out().poison(1);
            up.in().poison(1);
            for (Runner r : runners) {
                r.assertEndsWithin(WAIT_MS);
            }
        } finally {
            link.close();
            link.close(); // idempotent
        }
    }

    // (a)
    @Test
    void transmittedFramesAppearOnThePeerPaddedTo60Bytes() throws Exception {
        start(link.transmitter(down.in(), counters));
        byte[] oversize = PcapFileWriterTest.frame(1515, 9);
        byte[] full = PcapFileWriterTest.frame(64, 1);
        byte[] tiny = PcapFileWriterTest.frame(42, 2);
        PacketBuffer tinyWithHeadroom = PacketBuffer.copyOf(tiny, 0, tiny.length, 30); // start() 30: copy path

        try (Sniffer peer = Sniffer.start(2, "ether proto 0x88b5")) {
            down.out().write(Batch.of(PacketBuffer.wrap(oversize)));
            down.out().write(Batch.of(PacketBuffer.wrap(full)));
            down.out().write(Batch.of(tinyWithHeadroom));
            List<PcapFileWriterTest.TcpdumpFrame> seen = peer.frames();
            assertThat(seen, hasSize(2));
            assertArrayEquals(full, seen.get(0).bytes());
            assertArrayEquals(Arrays.copyOf(tiny, 60), seen.get(1).bytes());
        }
        assertThat(counters.get("framesSent"), equalTo(2L));
        assertThat(counters.get("bytesSent"), equalTo(64L + 60L));
        assertThat(counters.get("oversizeDropped"), equalTo(1L));
        assertThat(counters.get("sendErrors"), equalTo(0L));
    }

    // (b)
    @Test
    void arpRequestFromThePeerReachesTheReceiver() throws Exception {
        start(link.receiver(up.out(), counters));
        try (PeerPing ping = PeerPing.start()) {
            PacketBuffer arp = readUntil(up.in(), PcapLinkTest::isArpRequestForStack, WAIT_MS);
            assertNotNull(arp, "no ARP request for " + STACK_IP + " within " + WAIT_MS + " ms");
            assertThat(arp.start(), equalTo(0));
            assertArrayEquals(expectedArpRequest(), arp.toByteArray());
        }
        assertThat(counters.get("framesReceived"), greaterThanOrEqualTo(1L));
        assertThat(counters.get("bytesReceived"), greaterThanOrEqualTo(42L));
    }

    @Test
    void theFirstFrameAfterOpenIsDelivered() throws Exception {
        // One frame and no retries (unlike ARP): libpcap's user-space re-filtering of the first frame after a
        // filter change once dropped exactly this one.
        start(link.receiver(up.out(), counters));
        byte[] frame = PcapFileWriterTest.frame(60, 5);
        frame[13] = (byte) 0xb7;
        StringBuilder hex = new StringBuilder();
        for (byte x : frame) {
            hex.append(String.format("%02x", x & 0xff));
        }
        nsh(PYTHON, "-c", "import socket; s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW); s.bind(('" + NS_IF
                + "', 0)); s.send(bytes.fromhex('" + hex + "'))");
        PacketBuffer got = readUntil(up.in(), b -> b.length() >= 14 && b.array()[b.start() + 13] == (byte) 0xb7,
                WAIT_MS);
        assertNotNull(got, "the one frame sent from the peer did not arrive within " + WAIT_MS + " ms");
        assertArrayEquals(frame, got.toByteArray());
    }

    // (c)
    @Test
    void ownTransmittedFramesAreNotCapturedBack() throws Exception {
        start(link.receiver(up.out(), counters));
        start(link.transmitter(down.in(), counters));
        try (Sniffer peer = Sniffer.start(3, "ether proto 0x88b5")) {
            for (int i = 0; i < 3; i++) {
                down.out().write(Batch.of(PacketBuffer.wrap(PcapFileWriterTest.frame(60, i))));
            }
            assertThat("the peer received our frames", peer.frames(), hasSize(3));
        }
        // Anything we sent would have been queued to the capture before the peer saw it; the peer's ARP request
        // comes after. So every frame read before that request is a frame we might have seen looping back.
        try (PeerPing ping = PeerPing.start()) {
            List<PacketBuffer> before = new ArrayList<>();
            PacketBuffer arp = readUntil(up.in(), b -> {
                before.add(b);
                return isArpRequestForStack(b);
            }, WAIT_MS);
            assertNotNull(arp, "no ARP request for " + STACK_IP + " within " + WAIT_MS + " ms");
            for (PacketBuffer b : before) {
                byte[] f = b.toByteArray();
                boolean ours = f.length >= 14 && (f[12] & 0xff) == 0x88 && (f[13] & 0xff) == 0xb5;
                assertThat("captured our own frame " + b, ours, equalTo(false));
            }
        }
        assertThat(counters.get("framesSent"), equalTo(3L));
    }

    // (d)
    @Test
    void interruptStopsAReceiverBlockedOnAnIdleInterfaceWithinOneSecond() throws Exception {
        Runner rx = start(link.receiver(up.out(), counters));
        // One delivered frame proves the receiver is inside pcap_loop; then the veth is idle again.
        try (PeerPing ping = PeerPing.start(1)) {
            assertNotNull(readUntil(up.in(), PcapLinkTest::isArpRequestForStack, WAIT_MS), "no ARP request seen");
        }
        long t0 = System.nanoTime();
        link.interrupt();
        rx.assertEndsWithin(1_000);
        long tookMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat("ms from interrupt() to the receiver's end", tookMs, lessThan(1_000L));
        link.interrupt(); // again: harmless
        assertPoisonedWithin(up.in(), WAIT_MS);
    }

    // (e)
    @Test
    void poisoningTheTransmitterInputEndsIt() throws Exception {
        Runner tx = start(link.transmitter(down.in(), counters));
        down.out().write(Batch.of(PacketBuffer.wrap(PcapFileWriterTest.frame(60, 0))));
        down.out().poison(1);
        tx.assertEndsWithin(1_000);
    }

    @Test
    void poisonMetByTheReceiverEndsIt() throws Exception {
        Runner rx = start(link.receiver(up.out(), counters));
        up.in().poison(1);
        try (PeerPing ping = PeerPing.start(1)) { // the next frame's write meets the poison
            rx.assertEndsWithin(WAIT_MS);
        }
        assertThat(counters.get("framesReceived"), greaterThanOrEqualTo(1L));
    }

    @Test
    void sendErrorsAreCountedAndTheTransmitterCarriesOn() throws Exception {
        // A link configured for jumbo frames on a 1500-byte veth: the kernel refuses a 2000-byte frame (EMSGSIZE).
        LinkCounters jumboCounters = new LinkCounters("jumbo");
        One2OneChannel<Batch<PacketBuffer>> toJumbo = Channel.one2one(new Buffer<>(4), 0);
        try (PcapLink jumbo = PcapLink.open(new PcapConfig(ROOT_IF, true, 65_535, 1 << 20, 9000))) {
            Runner tx = start(jumbo.transmitter(toJumbo.in(), jumboCounters));
            byte[] after = PcapFileWriterTest.frame(60, 3);
            after[13] = (byte) 0xb6; // EtherType 0x88b6: only this frame matches the sniffer
            try (Sniffer peer = Sniffer.start(1, "ether proto 0x88b6")) {
                toJumbo.out().write(Batch.of(PacketBuffer.wrap(PcapFileWriterTest.frame(2000, 1))));
                toJumbo.out().write(Batch.of(PacketBuffer.wrap(after)));
                assertArrayEquals(after, peer.frames().get(0).bytes());
            } finally {
                toJumbo.out().poison(1);
            }
            tx.assertEndsWithin(1_000);
        }
        assertThat(jumboCounters.get("sendErrors"), equalTo(1L));
        assertThat(jumboCounters.get("framesSent"), equalTo(1L));
        assertThat(jumboCounters.get("oversizeDropped"), equalTo(0L));
    }

    // (f)
    @Test
    void openingAMissingInterfaceSaysWhatToDo() {
        LinkException e = assertThrows(LinkException.class, () -> PcapLink.open(PcapConfig.defaults("csptst9")));
        assertThat(e.getMessage(), containsString("interface csptst9 not found"));
        assertThat(e.getMessage(), containsString("scripts/lab.sh up"));
        assertThat(e.getMessage(), containsString(ROOT_IF)); // lists the interfaces that do exist
    }

    @Test
    void reportsItsNameAndMtu() {
        assertThat(link.name(), equalTo("pcap:" + ROOT_IF));
        assertThat(link.mtu(), equalTo(1500));
        assertThrows(IllegalStateException.class, () -> {
            link.receiver(up.out(), counters);
            link.receiver(up.out(), counters);
        });
    }

    // ---- helpers ----

    private Runner start(CSProcess p) {
        Runner r = new Runner(p);
        runners.add(r);
        r.thread.start();
        return r;
    }

    /** A process on its own thread; remembers what it threw so that nothing dies silently. */
    static final class Runner {
        final Thread thread;
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Runner(CSProcess p) {
            thread = new Thread(() -> {
                try {
                    p.run();
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, p.getClass().getSimpleName());
            thread.setDaemon(true);
        }

        void assertEndsWithin(long millis) throws InterruptedException {
            thread.join(millis);
            if (thread.isAlive()) {
                fail(thread.getName() + " did not end within " + millis + " ms");
            }
            if (failure.get() != null) {
                throw new AssertionError(thread.getName() + " failed", failure.get());
            }
        }
    }

    /** Reads until a buffer matches, or returns null when {@code millis} pass first. */
    static PacketBuffer readUntil(AltingChannelInput<Batch<PacketBuffer>> in, Predicate<PacketBuffer> wanted,
                                  long millis) {
        CSTimer timer = new CSTimer();
        Alternative alt = new Alternative(new Guard[] {in, timer});
        timer.setAlarm(timer.read() + millis);
        while (alt.priSelect() == 0) {
            for (PacketBuffer b : in.read()) {
                if (wanted.test(b)) {
                    return b;
                }
            }
        }
        return null;
    }

    static void assertPoisonedWithin(AltingChannelInput<Batch<PacketBuffer>> in, long millis) {
        try {
            readUntil(in, b -> false, millis); // drains frames delivered before the end
        } catch (PoisonException expected) {
            return;
        }
        fail("the channel was not poisoned within " + millis + " ms");
    }

    static boolean isArpRequestForStack(PacketBuffer b) {
        byte[] f = b.toByteArray();
        return f.length >= 42 && f[12] == 0x08 && f[13] == 0x06 && f[21] == 1
                && Arrays.equals(Arrays.copyOfRange(f, 38, 42), ipv4(STACK_IP));
    }

    static byte[] expectedArpRequest() {
        byte[] f = new byte[42];
        Arrays.fill(f, 0, 6, (byte) 0xff);                  // broadcast
        System.arraycopy(peerMac, 0, f, 6, 6);
        f[12] = 0x08;
        f[13] = 0x06;                                       // ARP
        f[14] = 0;
        f[15] = 1;                                          // hardware: Ethernet
        f[16] = 0x08;
        f[17] = 0x00;                                       // protocol: IPv4
        f[18] = 6;
        f[19] = 4;
        f[20] = 0;
        f[21] = 1;                                          // request
        System.arraycopy(peerMac, 0, f, 22, 6);
        System.arraycopy(ipv4(PEER_IP), 0, f, 28, 4);
        System.arraycopy(ipv4(STACK_IP), 0, f, 38, 4);      // target MAC stays zero
        return f;
    }

    static byte[] ipv4(String dotted) {
        String[] p = dotted.split("\\.");
        byte[] a = new byte[4];
        for (int i = 0; i < 4; i++) {
            a[i] = (byte) Integer.parseInt(p[i]);
        }
        return a;
    }

    static byte[] parseMac(String s) {
        String[] p = s.split(":");
        byte[] m = new byte[6];
        for (int i = 0; i < 6; i++) {
            m[i] = (byte) Integer.parseInt(p[i], 16);
        }
        return m;
    }

    /** {@code ping} from the namespace to the stack's address: the kernel broadcasts ARP requests for it. */
    static final class PeerPing implements AutoCloseable {
        private final Process process;

        private PeerPing(Process process) {
            this.process = process;
        }

        static PeerPing start() throws IOException, InterruptedException {
            return start(3);
        }

        static PeerPing start(int count) throws IOException, InterruptedException {
            nsh("ip", "neigh", "flush", "dev", NS_IF); // a fresh resolution, whatever earlier tests left
            Process p = new ProcessBuilder("ip", "netns", "exec", NS, "ping", "-c", String.valueOf(count), "-W", "1",
                    STACK_IP).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return new PeerPing(p);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(WAIT_MS, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** tcpdump in the namespace, listening on the peer's end before anything is sent. */
    static final class Sniffer implements AutoCloseable {
        private final Process process;
        private final CompletableFuture<String> stdout;

        private final StringBuffer printed = new StringBuffer();

        private Sniffer(Process process) {
            this.process = process;
            this.stdout = CompletableFuture.supplyAsync(() -> {
                try (BufferedReader r = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        printed.append(line).append('\n');
                    }
                } catch (IOException e) {
                    printed.append("(").append(e).append(")\n"); // destroy() closes the stream
                }
                return printed.toString();
            }, IO);
        }

        /** Starts tcpdump and returns once it says it is listening (its filter is in place by then). */
        static Sniffer start(int count, String filter) throws Exception {
            String tcpdump = PcapFileWriterTest.findTcpdump();
            List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", NS, tcpdump, "-i", NS_IF, "-c",
                    String.valueOf(count), "-tt", "-nn", "-xx", "-l", "--immediate-mode"));
            cmd.addAll(List.of(filter.split(" ")));
            Process p = new ProcessBuilder(cmd).start();
            Sniffer s = new Sniffer(p);
            BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
            CompletableFuture<String> listening = CompletableFuture.supplyAsync(() -> {
                try {
                    StringBuilder seen = new StringBuilder();
                    for (String line; (line = err.readLine()) != null; ) {
                        seen.append(line).append('\n');
                        if (line.contains("listening on")) {
                            return null;
                        }
                    }
                    return seen.toString();
                } catch (IOException e) {
                    return e.toString();
                }
            }, IO);
            try {
                String problem = listening.get(WAIT_MS, TimeUnit.MILLISECONDS);
                if (problem != null) {
                    s.close();
                    fail("tcpdump in " + NS + " ended before listening: " + problem);
                }
            } catch (TimeoutException e) {
                s.close();
                fail("tcpdump in " + NS + " did not start listening within " + WAIT_MS + " ms");
            }
            CompletableFuture.runAsync(() -> drain(p.getErrorStream()), IO);
            return s;
        }

        /** Waits for tcpdump to have seen its count of frames, and returns them. */
        List<PcapFileWriterTest.TcpdumpFrame> frames() throws Exception {
            if (!process.waitFor(WAIT_MS, TimeUnit.MILLISECONDS)) {
                String sofar = printed.toString();
                process.destroy();
                fail("tcpdump in " + NS + " did not see its frames within " + WAIT_MS + " ms; it printed:\n" + sofar);
            }
            return PcapFileWriterTest.parseTcpdump(stdout.get(WAIT_MS, TimeUnit.MILLISECONDS));
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(WAIT_MS, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    static CompletableFuture<String> readAllAsync(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        }, IO);
    }

    static void drain(InputStream in) {
        try (in) {
            in.transferTo(OutputStreamSink.INSTANCE);
        } catch (IOException ignored) {
            // the process ended
        }
    }

    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }

    /** Runs a command in the root namespace; fails the test when it fails. */
    static String sh(String... cmd) throws IOException, InterruptedException {
        Result r = run(List.of(cmd));
        if (r.exit != 0) {
            fail(String.join(" ", cmd) + " exited with " + r.exit + ": " + r.output
                    + (r.exit == 126 || r.output.contains("Operation not permitted") ? " (this test needs root)" : ""));
        }
        return r.output;
    }

    /** Runs a command inside the test namespace. */
    static String nsh(String... cmd) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", NS));
        all.addAll(List.of(cmd));
        return sh(all.toArray(new String[0]));
    }

    record Result(int exit, String output) {
    }

    static Result run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CompletableFuture<String> out = readAllAsync(p.getInputStream());
        if (!p.waitFor(WAIT_MS, TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", cmd) + " did not finish within " + WAIT_MS + " ms");
        }
        try {
            return new Result(p.exitValue(), out.get(WAIT_MS, TimeUnit.MILLISECONDS));
        } catch (ExecutionException | TimeoutException e) {
            return new Result(p.exitValue(), e.toString());
        }
    }
}
