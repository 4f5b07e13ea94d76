package org.cspstack.harness.cli;

import static org.cspstack.protocols.testing.DatagramBuilder.datagram;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.csp.Batch;
import org.cspstack.core.csp.Chan;
import org.cspstack.core.csp.ProcessNetwork;
import org.cspstack.core.csp.ProcessRunner;
import org.cspstack.core.csp.Threading;
import org.cspstack.core.link.LinkCounters;
import org.cspstack.core.link.MemoryLink;
import org.cspstack.core.wire.EthernetFrame;
import org.cspstack.core.wire.IpProtocol;
import org.cspstack.protocols.stack.HostStack;
import org.cspstack.protocols.stack.ProcessRegistry;
import org.cspstack.protocols.stack.StackConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live snapshot through the control socket: a stack on a {@link MemoryLink} receives the first fragment of
 * a ping whose last fragment never comes, and the snapshot fetched through the socket shows the datagram in
 * reassembly (a reasm-N process, or the single reasm process's queue), with live channel counts.
 */
class LiveSnapshotTest {
    private static final StackConfig B = DemoCommand.B;

    @TempDir
    Path dir;

    private ProcessRunner runner;
    private ControlEndpoint endpoint;

    /** Stack b, and a raw sender on the wire's other end: frames written to the returned channel reach b. */
    private Chan<Batch<PacketBuffer>> stack(ProcessNetwork net, StackConfig config, HostStack[] built) {
        MemoryLink wire = MemoryLink.create(net, "peer.", "");
        built[0] = HostStack.build(net, "", config, wire.endB());
        Chan<Batch<PacketBuffer>> toWire = net.downward("testToWire", "test", "peer.link-tx", 16);
        net.process("peer.link-tx", wire.endA().transmitter(toWire.in(), new LinkCounters("peer.link")), null);
        return toWire;
    }

    /** Fragment 0 of an ICMP datagram of 2,000 data bytes (MF set): its second fragment is withheld. */
    private static PacketBuffer firstFragmentOnly() {
        byte[] ip = datagram().protocol(IpProtocol.ICMP).identification(0x4242).moreFragments()
                .payload(new byte[1480]).build();
        byte[] frame = new byte[EthernetFrame.HEADER_LENGTH + ip.length];
        System.arraycopy(B.mac().toBytes(), 0, frame, 0, 6);
        System.arraycopy(new byte[] {2, (byte) 0xc5, 0x70, 0, 0, 1}, 0, frame, 6, 6);
        frame[12] = 0x08;
        System.arraycopy(ip, 0, frame, EthernetFrame.HEADER_LENGTH, ip.length);
        return PacketBuffer.copyOf(frame, 0, frame.length, 0);
    }

    private static void awaitReassemblyStarted(HostStack b) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (b.ipv4Counters().get("reassembliesStarted") == 0 && System.nanoTime() < deadline) {
            Thread.sleep(1); // polls a state, bounded
        }
        assertThat(b.ipv4Counters().get("reassembliesStarted"), is(1L));
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (endpoint != null) {
            endpoint.close();
            assertThat("socket removed", Files.exists(endpoint.path()), is(false));
        }
        if (runner != null) {
            assertThat(runner.stop(Duration.ofSeconds(2)), is(true));
        }
    }

    @Test
    void aLiveSnapshotDuringAFragmentedPingShowsTheReassemblyProcess() throws Exception {
        ProcessNetwork net = new ProcessNetwork("cspstack");
        HostStack[] b = new HostStack[1];
        Chan<Batch<PacketBuffer>> toWire = stack(net, B, b);
        runner = new ProcessRunner(net, Threading.PLATFORM);
        runner.start();
        endpoint = ControlEndpoint.start(net, ControlEndpoint.socketPath(dir, 4242));

        toWire.out().write(Batch.of(firstFragmentOnly()));
        awaitReassemblyStarted(b[0]);

        String text = ControlEndpoint.fetch(endpoint.path(), "text");
        assertThat(text, startsWith("live snapshot of pid " + ProcessHandle.current().pid()));
        assertThat(text, containsString("reassembly = per-datagram"));
        assertThat(text, containsString("dynamic processes alive now:\n  reasm-1  (reassembly)\n"));
        assertThat(text, containsString("linkToEth (link-rx -> eth, upward_dropping, capacity 4096)  written 1, "
                + "dropped 0"));
        assertThat(text, containsString("ethToIp (eth -> ip, upward_dropping, capacity 4096)  written 1, dropped 0"));
        assertThat(text, containsString("ipToArp (ip -> arp, downward_blocking, capacity 64)  written 0, "
                + "blocked 0.000 ms"));
        assertThat(text, containsString("statistics:\n  process "));

        String dot = ControlEndpoint.fetch(endpoint.path(), "dot");
        assertThat(dot, containsString("\"reasm-1\" [shape=ellipse, style=dashed];"));
        assertThat(dot, containsString("written 1, dropped 0"));
        assertThat(ControlEndpoint.fetch(endpoint.path(), "svg?"), startsWith("error: unknown request 'svg?'"));
    }

    @Test
    void withTheSingleImplementationTheSnapshotShowsItsProcessAndQueue() throws Exception {
        ProcessNetwork net = new ProcessNetwork("cspstack");
        HostStack[] b = new HostStack[1];
        Chan<Batch<PacketBuffer>> toWire = stack(net, B.withProcess(ProcessRegistry.REASSEMBLY, "single"), b);
        runner = new ProcessRunner(net, Threading.PLATFORM);
        runner.start();
        endpoint = ControlEndpoint.start(net, ControlEndpoint.socketPath(dir, 4343));

        toWire.out().write(Batch.of(firstFragmentOnly()));
        awaitReassemblyStarted(b[0]);

        String text = ControlEndpoint.fetch(endpoint.path(), "text");
        assertThat(text, containsString("reassembly = single"));
        assertThat(text, containsString("\n  reasm\n"));
        assertThat(text, containsString("ipToReasm (ip -> reasm, upward_dropping, capacity 4096)  written 1, "
                + "dropped 0"));
        assertThat(text, containsString("reasmToIp (reasm -> ip, upward_dropping"));
    }

    @Test
    void graphLiveFindsTheOnlyRunningStackOrSaysWhatToDo() throws Exception {
        assertThat(assertThrows(Main.UserError.class, () -> ControlEndpoint.find(List.of(dir), null)).getMessage(),
                is("no running cspstack found (looked for cspstack-<pid>.sock in " + dir + "); start one with "
                        + "'cspstack run', or pass its PID to --live"));
        long pid = ProcessHandle.current().pid();
        ProcessNetwork net = new ProcessNetwork("cspstack");
        endpoint = ControlEndpoint.start(net, ControlEndpoint.socketPath(dir, pid));
        // A socket whose process is gone is ignored.
        Files.createFile(dir.resolve("cspstack-999999999.sock"));
        assertThat(ControlEndpoint.find(List.of(dir), null), is(endpoint.path()));
        assertThat(ControlEndpoint.find(List.of(dir), pid), is(endpoint.path()));
        assertThat(assertThrows(Main.UserError.class, () -> ControlEndpoint.find(List.of(dir), 999999999L))
                .getMessage(), startsWith("no running cspstack with pid 999999999"));
    }

    @Test
    void graphLiveOnTheCommandLinePrintsTheSnapshotOfTheRunningStack() throws Exception {
        ProcessNetwork net = new ProcessNetwork("cspstack");
        HostStack[] b = new HostStack[1];
        stack(net, B, b);
        runner = new ProcessRunner(net, Threading.PLATFORM);
        runner.start();
        long pid = ProcessHandle.current().pid();
        endpoint = ControlEndpoint.start(net);
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            code = Main.execute("graph", "--live", Long.toString(pid));
        } finally {
            System.setOut(saved);
        }
        assertThat(code, is(0));
        String out = captured.toString(StandardCharsets.UTF_8);
        assertThat(out, startsWith("live snapshot of pid " + pid));
        assertThat(out, containsString("\n  linkToEth (link-rx -> eth, upward_dropping, capacity 4096)  written 0"));
    }

    @Test
    void knobsAreValidatedWithClearErrors() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(Main.execute("graph", "--up-buffer", "0"), is(2));
            assertThat(Main.execute("graph", "--process", "reassembly=lazy"), is(2));
            assertThat(Main.execute("graph", "--process", "routing=fast"), is(2));
        } finally {
            System.setErr(saved);
        }
        String e = err.toString(StandardCharsets.UTF_8);
        assertThat(e, containsString("cspstack: --up-buffer 0: a channel's capacity must be 1..65536 messages"));
        assertThat(e, containsString("cspstack: --process reassembly=lazy: no reassembly implementation 'lazy'; "
                + "choose one of: per-datagram, single"));
        assertThat(e, containsString("cspstack: --process routing=fast: no role 'routing'; roles: reassembly"));
    }

    @Test
    void graphDrawsTheImplementationThatIsWired() throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            assertThat(Main.execute("graph", "--process", "reassembly=single", "--up-buffer", "100"), is(0));
        } finally {
            System.setOut(saved);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertThat(out, containsString("implementations:\n  reassembly = single\n"));
        assertThat(out, containsString("ipToReasm (ip -> reasm, upward_dropping, capacity 100)"));
    }
}
