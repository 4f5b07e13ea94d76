package org.cspstack.harness.bench;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.csp.Batch;
import org.cspstack.core.csp.BatchReader;
import org.cspstack.core.csp.Chan;
import org.cspstack.core.csp.Outbox;
import org.cspstack.core.csp.ChannelSpec;
import org.cspstack.core.csp.Poison;
import org.cspstack.core.csp.ProcessNetwork;
import org.cspstack.core.csp.ProcessRunner;
import org.cspstack.core.csp.Threading;
import org.cspstack.core.link.LinkCounters;
import org.cspstack.core.link.MemoryLink;
import org.cspstack.core.wire.Checksum;
import org.cspstack.core.wire.EthernetFrame;
import org.cspstack.core.wire.EthernetRepr;
import org.cspstack.core.wire.Ipv4Cidr;
import org.cspstack.core.wire.Ipv4Packet;
import org.cspstack.core.wire.MutableTcpHeader;
import org.cspstack.core.wire.Ipv4Repr;
import org.cspstack.core.wire.MalformedPacketException;
import org.cspstack.core.wire.TcpRepr;
import org.cspstack.core.wire.TcpSegment;
import org.cspstack.core.wire.UdpPacket;
import org.cspstack.core.wire.UdpRepr;
import org.cspstack.protocols.stack.HostStack;
import org.cspstack.protocols.stack.StackConfig;
import org.cspstack.protocols.tcp.ConnRequest;
import org.cspstack.protocols.tcp.TcpConnectionHandle;
import org.cspstack.protocols.udp.UdpDatagram;
import org.cspstack.protocols.udp.UdpEndpoint;
import org.jcsp.lang.AltingChannelInput;
import org.jcsp.lang.Channel;
import org.jcsp.lang.ChannelOutput;
import org.jcsp.lang.One2OneChannel;
import org.jcsp.lang.PoisonException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The receive path's hot spots, cheapest first, each in nanoseconds per operation (and, with JMH's gc
 * profiler, bytes allocated per operation: {@code gc.alloc.rate.norm}), to prove or disprove "no garbage per
 * packet on the receive path":
 *
 * <ul>
 *   <li>{@link #checksum}: RFC 1071 over 20 bytes (an IPv4 header) and 1480 (a full UDP payload).</li>
 *   <li>{@link #parseUdpFrame}, {@link #parseTcpFrame}: a whole Ethernet + IPv4 + UDP (64 bytes of data) or
 *       TCP (ACK, 64 bytes) frame through {@code wrapChecked} and {@code Repr.parse} at every level, with the
 *       IPv4 header checksum (inside {@code wrapChecked}) and the UDP/TCP checksum verified: the public
 *       parsing API, fresh views and records per frame.</li>
 *   <li>{@link #parseUdpFrameAsLayers}, {@link #parseTcpFrameAsLayers}: the same frames parsed as the layers
 *       parse them: views reused with {@code rewrapChecked}, the TCP header parsed in place into a kept
 *       {@code MutableTcpHeader} (what {@code EthernetLayer}, {@code Ipv4Layer}, {@code UdpLayer} and
 *       {@code TcpLayer} do).</li>
 *   <li>{@link #layerHop}: one hop through a {@link ProcessNetwork} upward channel (capacity {@link StackConfig#DEFAULT_UPWARD_CAPACITY}, as between
 *       the stack's layers) from the JMH thread to a layer-shaped process on a platform thread, per packet,
 *       in batches of {@value #BATCH} so the reader keeps up (the "buffered hop" of STYLE.md §4).</li>
 *   <li>{@link #receivePath}: a whole {@link HostStack} on a {@link MemoryLink}, fed UDP frames (64 bytes of
 *       data) in batches of {@value #BATCH} and read back from a bound UDP endpoint: frames delivered per
 *       second is 1e9 / score. The path is bench -&gt; peer's link-tx -&gt; wire -&gt; link-rx -&gt; eth -&gt;
 *       ip -&gt; udp -&gt; endpoint -&gt; bench, every process on a platform thread (the layers' default).</li>
 *   <li>{@link #tcpReceivePath}: two stacks on a memory link and one connection; per full-size segment sent
 *       from one to the other and read by the application.</li>
 * </ul>
 *
 * Buffers are not allocated per packet by the benchmarks: the channel and receive-path benchmarks reuse a pool
 * of {@value #BATCH} {@link PacketBuffer}s (a datagram's payload is the frame's buffer, so once a batch is read
 * back every buffer is free again), so {@code gc.alloc.rate.norm} counts what the stack itself allocates, on
 * every thread. The batch never exceeds any channel's capacity, so nothing may be dropped; tear-down fails
 * the run if anything was, and a read that waits more than {@value #READ_TIMEOUT_MS} ms fails the
 * invocation instead of hanging.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HotPaths {
    /** Packets per invocation of the channel and receive-path benchmarks. */
    public static final int BATCH = 64;
    /** UDP/TCP data bytes in the parsed and received frames. */
    public static final int PAYLOAD = 64;
    /** The longest a benchmark waits for one packet before it fails. */
    public static final int READ_TIMEOUT_MS = 5000;
    /** Inputs per parse and checksum benchmark, used in turn (a power of two). */
    public static final int COPIES = 16;
    static final int UDP_PORT = 5001;
    static final int STOP_SECONDS = 10;

    // ---- checksum -------------------------------------------------------------------------------------------

    /**
     * Bytes to sum: {@value #COPIES} arrays of different content, taken in turn, so that the JIT cannot hoist
     * the sum of an unchanging array out of JMH's measurement loop.
     */
    @State(Scope.Thread)
    public static class ChecksumState {
        @Param({"20", "1480"})
        public int bytes;

        final byte[][] data = new byte[COPIES][];
        int next;

        @Setup
        public void setUp() {
            for (int c = 0; c < COPIES; c++) {
                data[c] = new byte[bytes];
                for (int i = 0; i < bytes; i++) {
                    data[c][i] = (byte) (i * 131 + c * 17 + 7);
                }
            }
        }
    }

    @Benchmark
    public int checksum(ChecksumState s) {
        byte[] b = s.data[s.next++ & (COPIES - 1)];
        return Checksum.compute(b, 0, b.length);
    }

    // ---- parse ----------------------------------------------------------------------------------------------

    /**
     * {@value #COPIES} UDP and TCP frames (different source ports and payloads), taken in turn so that nothing
     * can be hoisted out of the measurement loop, and views to reuse.
     */
    @State(Scope.Thread)
    public static class Frames {
        final byte[][] udps = new byte[COPIES][];
        final byte[][] tcps = new byte[COPIES][];
        int next;
        final EthernetFrame eth = new EthernetFrame();
        final Ipv4Packet ip = new Ipv4Packet();
        final UdpPacket udpView = new UdpPacket();
        final TcpSegment tcpView = new TcpSegment();
        /** The TCP layer's in-place header (a segment's TcpIn carries one). */
        final MutableTcpHeader tcpHeader = new MutableTcpHeader();

        @Setup
        public void setUp() {
            for (int c = 0; c < COPIES; c++) {
                udps[c] = BenchFrames.udp(40_000 + c, UDP_PORT, PAYLOAD);
                tcps[c] = BenchFrames.tcp(40_000 + c, 5002, PAYLOAD);
            }
        }

        byte[] udp() {
            return udps[next++ & (COPIES - 1)];
        }

        byte[] tcp() {
            return tcps[next++ & (COPIES - 1)];
        }
    }

    @Benchmark
    public void parseUdpFrame(Frames f, Blackhole bh) throws MalformedPacketException {
        byte[] b = f.udp();
        EthernetFrame eth = EthernetFrame.wrapChecked(b, 0, b.length);
        bh.consume(EthernetRepr.parse(eth));
        Ipv4Packet ip = Ipv4Packet.wrapChecked(b, eth.payloadOffset(), eth.payloadLength());
        Ipv4Repr ipr = Ipv4Repr.parse(ip);
        bh.consume(ipr);
        UdpPacket udp = UdpPacket.wrapChecked(b, ip.payloadOffset(), ip.payloadLength());
        if (!udp.verifyChecksum(ipr.source(), ipr.destination())) {
            throw new IllegalStateException("bad UDP checksum in the benchmark frame");
        }
        bh.consume(UdpRepr.parse(udp));
    }

    @Benchmark
    public void parseTcpFrame(Frames f, Blackhole bh) throws MalformedPacketException {
        byte[] b = f.tcp();
        EthernetFrame eth = EthernetFrame.wrapChecked(b, 0, b.length);
        bh.consume(EthernetRepr.parse(eth));
        Ipv4Packet ip = Ipv4Packet.wrapChecked(b, eth.payloadOffset(), eth.payloadLength());
        Ipv4Repr ipr = Ipv4Repr.parse(ip);
        bh.consume(ipr);
        TcpSegment tcp = TcpSegment.wrapChecked(b, ip.payloadOffset(), ip.payloadLength());
        if (!tcp.verifyChecksum(ipr.source(), ipr.destination())) {
            throw new IllegalStateException("bad TCP checksum in the benchmark frame");
        }
        bh.consume(f.tcpHeader.parse(tcp));
    }

    @Benchmark
    public int parseUdpFrameAsLayers(Frames f) throws MalformedPacketException {
        byte[] b = f.udp();
        EthernetFrame eth = f.eth.rewrapChecked(b, 0, b.length);
        int sum = eth.etherType();
        Ipv4Packet ip = f.ip.rewrapChecked(b, eth.payloadOffset(), eth.payloadLength());
        sum += ip.sourceAsInt() + ip.destinationAsInt() + ip.protocol();
        UdpPacket udp = f.udpView.rewrapChecked(b, ip.payloadOffset(), ip.payloadLength());
        if (!udp.verifyChecksum(ip.source(), ip.destination())) {
            throw new IllegalStateException("bad UDP checksum in the benchmark frame");
        }
        return sum + udp.destinationPort() + udp.sourcePort();
    }

    @Benchmark
    public void parseTcpFrameAsLayers(Frames f, Blackhole bh) throws MalformedPacketException {
        byte[] b = f.tcp();
        EthernetFrame eth = f.eth.rewrapChecked(b, 0, b.length);
        int sum = eth.etherType();
        Ipv4Packet ip = f.ip.rewrapChecked(b, eth.payloadOffset(), eth.payloadLength());
        sum += ip.sourceAsInt() + ip.destinationAsInt() + ip.protocol();
        TcpSegment tcp = f.tcpView.rewrapChecked(b, ip.payloadOffset(), ip.payloadLength());
        if (!tcp.verifyChecksum(ip.source(), ip.destination())) {
            throw new IllegalStateException("bad TCP checksum in the benchmark frame");
        }
        bh.consume(sum);
        bh.consume(f.tcpHeader.parse(tcp));
    }

    // ---- one layer hop --------------------------------------------------------------------------------------

    /**
     * The JMH thread writes {@value #BATCH} buffers into an upward channel ({@code benchToLayer}, capacity
     * {@link StackConfig#DEFAULT_UPWARD_CAPACITY}); a layer process reads them one by one and, after the
     * batch, answers on a rendezvous channel ({@code layerToBench}). Terminates by poison.
     */
    @State(Scope.Benchmark)
    public static class HopState {
        ProcessNetwork net;
        ProcessRunner runner;
        Chan<PacketBuffer> toLayer;
        One2OneChannel<PacketBuffer> done;
        final PacketBuffer[] pool = new PacketBuffer[BATCH];

        @Setup(Level.Trial)
        public void setUp() {
            net = new ProcessNetwork("layer-hop");
            toLayer = net.upward("benchToLayer", "bench", "layer", StackConfig.DEFAULT_UPWARD_CAPACITY);
            done = Channel.one2one(0);
            One2OneChannel<PacketBuffer> doneChannel = done;
            net.onShutdown(() -> doneChannel.out().poison(Poison.STRENGTH));
            AltingChannelInput<PacketBuffer> in = toLayer.in();
            ChannelOutput<PacketBuffer> out = done.out();
            net.process("layer", () -> {
                try {
                    while (true) {
                        PacketBuffer last = null;
                        for (int i = 0; i < BATCH; i++) {
                            last = in.read();
                            last.consume(EthernetFrame.HEADER_LENGTH);
                        }
                        out.write(last);
                    }
                } catch (PoisonException e) {
                    Poison.all(in, out);
                }
            }, null);
            for (int i = 0; i < BATCH; i++) {
                pool[i] = PacketBuffer.allocate(PAYLOAD + 42);
            }
            runner = new ProcessRunner(net, Threading.PLATFORM);
            runner.start();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            stop(runner, net);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public PacketBuffer layerHop(HopState s) {
        ChannelOutput<PacketBuffer> out = s.toLayer.out();
        PacketBuffer[] pool = s.pool;
        for (int i = 0; i < BATCH; i++) {
            PacketBuffer b = pool[i];
            b.setBounds(PacketBuffer.DEFAULT_HEADROOM, PacketBuffer.DEFAULT_HEADROOM + PAYLOAD + 42);
            out.write(b);
        }
        return s.done.in().read();
    }

    // ---- the whole receive path -----------------------------------------------------------------------------

    /**
     * A stack ("b.", 198.18.0.2) on a memory link whose other end is only a transmitter fed by the JMH thread
     * through {@code bench->a.link-tx} (downward, capacity {@value #BATCH}); a UDP endpoint bound on port
     * {@value #UDP_PORT} with a queue of 256 is read by the JMH thread.
     */
    @State(Scope.Benchmark)
    public static class StackState {
        ProcessNetwork net;
        ProcessRunner runner;
        HostStack stack;
        Chan<Batch<PacketBuffer>> feed;
        /** The JMH thread's outbox on {@code feed}: kept, so that the batches the link returns are reused. */
        Outbox<PacketBuffer> feedBox;
        UdpEndpoint endpoint;
        BatchReader<UdpDatagram> received;
        byte[] frame;
        final PacketBuffer[] pool = new PacketBuffer[BATCH];
        long sent;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            net = new ProcessNetwork("receive-path");
            MemoryLink wire = MemoryLink.create(net, "a.", "b.");
            feed = net.downward("bench->a.link-tx", "bench", "a.link-tx", BATCH);
            feedBox = new Outbox<>(feed.out());
            net.process("a.link-tx", wire.endA().transmitter(feed.in(), new LinkCounters("a.link")), null);
            StackConfig config = StackConfig.of(Ipv4Cidr.parse(BenchFrames.STACK_IP + "/24"))
                    .withMac(BenchFrames.STACK_MAC);
            stack = HostStack.build(net, "b.", config, wire.endB());
            runner = new ProcessRunner(net, Threading.PLATFORM);
            runner.start();
            endpoint = stack.udp().bind(UDP_PORT, 256);
            received = new BatchReader<>(endpoint.received());
            frame = BenchFrames.udp(40_000, UDP_PORT, PAYLOAD);
            for (int i = 0; i < BATCH; i++) {
                pool[i] = PacketBuffer.copyOf(frame, 0, frame.length, PacketBuffer.DEFAULT_HEADROOM);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            endpoint.close();
            stop(runner, net);
            // Read after the stop: the layer counts a batch as delivered once its write has returned, which
            // can be after this thread has read the batch's last datagram.
            long delivered = stack.udpCounters().get("delivered");
            if (delivered != sent) {
                throw new IllegalStateException("sent " + sent + " frames, the UDP layer delivered " + delivered
                        + ": " + stack.counters());
            }
        }

        UdpDatagram read() {
            UdpDatagram d = received.poll(READ_TIMEOUT_MS);
            if (d == null) {
                throw new IllegalStateException("no datagram within " + READ_TIMEOUT_MS + " ms: " + stack.counters());
            }
            return d;
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int receivePath(StackState s) {
        Outbox<PacketBuffer> out = s.feedBox;
        PacketBuffer[] pool = s.pool;
        byte[] frame = s.frame;
        int start = PacketBuffer.DEFAULT_HEADROOM;
        for (int i = 0; i < BATCH; i++) {
            PacketBuffer b = pool[i];
            System.arraycopy(frame, 0, b.array(), start, frame.length);
            b.setBounds(start, start + frame.length);
            out.add(b); // a burst: batches of Batch.LIMIT, as a busy link's receiver writes them
        }
        out.flush();
        s.sent += BATCH;
        int bytes = 0;
        for (int i = 0; i < BATCH; i++) {
            bytes += s.read().payload().length();
        }
        return bytes;
    }

    // ---- a TCP connection's receive path ---------------------------------------------------------------------

    /** Full-size segments per invocation of {@link #tcpReceivePath}: 62,780 bytes, within every window. */
    public static final int TCP_SEGMENTS = 43;
    static final int TCP_PORT = 5002;

    /**
     * Two stacks ("a." 198.18.0.1 and "b." 198.18.0.2) on a memory link with one established connection from a
     * to b (default {@link org.cspstack.protocols.tcp.TcpConfig}: MSS 1460, 256 KiB buffers); the JMH thread is
     * both applications.
     */
    @State(Scope.Benchmark)
    public static class TcpState {
        ProcessNetwork net;
        ProcessRunner runner;
        HostStack a;
        HostStack b;
        TcpConnectionHandle sender;
        TcpConnectionHandle receiver;
        final byte[] chunk = new byte[TCP_SEGMENTS * 1460];
        final byte[] into = new byte[TCP_SEGMENTS * 1460];

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            net = new ProcessNetwork("tcp-receive-path");
            MemoryLink wire = MemoryLink.create(net, "a.", "b.");
            a = HostStack.build(net, "a.", StackConfig.of(Ipv4Cidr.parse(BenchFrames.PEER_IP + "/24"))
                    .withMac(BenchFrames.PEER_MAC), wire.endA());
            b = HostStack.build(net, "b.", StackConfig.of(Ipv4Cidr.parse(BenchFrames.STACK_IP + "/24"))
                    .withMac(BenchFrames.STACK_MAC), wire.endB());
            runner = new ProcessRunner(net, Threading.PLATFORM);
            runner.start();
            b.tcp().listen(TCP_PORT, 1);
            sender = a.tcp().connect(BenchFrames.STACK_IP, TCP_PORT, Duration.ofSeconds(5), false);
            receiver = b.tcp().accept(TCP_PORT, Duration.ofSeconds(5));
            for (int i = 0; i < chunk.length; i++) {
                chunk[i] = (byte) (i * 31 + 7);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            sender.abort();
            stop(runner, net);
        }
    }

    /**
     * A whole TCP transfer, per full-size segment: the JMH thread writes {@value #TCP_SEGMENTS} segments' worth on
     * a's connection (it fits the send buffer, so the write returns at once) and reads them all back on b's. The
     * path is a's connection -&gt; ip -&gt; arp -&gt; link-tx -&gt; wire -&gt; b's link-rx -&gt; eth -&gt; ip
     * -&gt; tcp -&gt; connection (and b's ACKs back the same way), every process on a platform thread. Besides the
     * stacks, {@code gc.alloc.rate.norm} counts the applications' side: each thread keeps one Write and one Read
     * request, aimed anew at each call, with reply channels whose ends are taken once, and the reads fill one
     * reused array, so neither the requests nor the data make garbage.
     */
    @Benchmark
    @OperationsPerInvocation(TCP_SEGMENTS)
    public int tcpReceivePath(TcpState s) {
        if (!s.sender.write(s.chunk, 0, s.chunk.length)) {
            throw new IllegalStateException("the connection cannot send: " + s.a.tcpCounters());
        }
        int got = 0;
        while (got < s.chunk.length) {
            ConnRequest.ReadResult r = s.receiver.read(s.into, got, s.chunk.length - got);
            if (r.data() == null) {
                throw new IllegalStateException("the connection ended after " + got + " bytes");
            }
            got += r.length();
        }
        return got;
    }

    // ---- shared ---------------------------------------------------------------------------------------------

    /** Stops a benchmark's network; fails when a process failed, did not end, or a channel dropped. */
    static void stop(ProcessRunner runner, ProcessNetwork net) throws InterruptedException {
        boolean ended = runner.stop(Duration.ofSeconds(STOP_SECONDS));
        if (runner.failure() != null) {
            throw new IllegalStateException("process " + runner.failedProcess() + " failed", runner.failure());
        }
        if (!ended) {
            throw new IllegalStateException(net.name() + ": processes did not end within " + STOP_SECONDS
                    + " s of poison: " + runner.alive());
        }
        for (ChannelSpec c : net.channels()) {
            if (c.stats().queueFullDropped.get() != 0) {
                throw new IllegalStateException(net.name() + ": channel " + c.name() + " dropped "
                        + c.stats().queueFullDropped.get() + " packets: the measurement is void");
            }
        }
    }
}
