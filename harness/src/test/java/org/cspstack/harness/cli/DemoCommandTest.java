package org.cspstack.harness.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.cspstack.core.csp.FaultPlan;
import org.cspstack.core.csp.FaultSettings;
import org.cspstack.core.link.PcapFileWriter;
import org.cspstack.harness.trace.ChannelWatch;
import org.cspstack.harness.trace.StepNarrator;
import org.cspstack.harness.trace.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's trace, pcap taps and classroom mode, on two stacks in this JVM (no root, no NIC). */
class DemoCommandTest {
    @TempDir
    Path dir;

    private static int jqCount(Path trace, String filter) throws Exception {
        return Integer.parseInt(Tools.run("jq", "-s", "[.[] | select(" + filter + ")] | length", trace.toString())
                .strip());
    }

    /** The packets of a pcap file: link type and record count, read the way libpcap does. */
    private static int[] pcap(Path file) throws Exception {
        ByteBuffer bb = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int linkType = bb.getInt(20);
        bb.position(PcapFileWriter.GLOBAL_HEADER_LENGTH);
        int records = 0;
        while (bb.remaining() > 0) {
            bb.position(bb.position() + 8);
            int captured = bb.getInt();
            bb.getInt();
            bb.position(bb.position() + captured);
            records++;
        }
        return new int[] {linkType, records};
    }

    @Test
    void traceAndPcapTapsMatchTheTrafficOfNEchoRequests() throws Exception {
        Path trace = dir.resolve("demo.jsonl");
        Path icmp = dir.resolve("icmp.pcap");
        Path frames = dir.resolve("frames.pcap");
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        int code;
        try (ChannelWatch watch = ChannelWatch.of(trace, 1_000_000,
                List.of("a.ipToIcmp=" + icmp, "a.linkToEth=" + frames))) {
            DemoCommand.Demo demo = new DemoCommand.Demo(3, 0, null, true, false, null, false, 0, null,
                    watch.observer(), watch);
            code = DemoCommand.run(new PrintStream(text, true, StandardCharsets.UTF_8), demo);
        }
        assertThat(text.toString(StandardCharsets.UTF_8), code, equalTo(0));

        assertThat(jqCount(trace, ".channel == \"a.appsToIcmp\""), equalTo(3));
        assertThat(jqCount(trace, ".channel == \"a.icmpToIp\" and (.summary | test(\"echo request\"))"), equalTo(3));
        assertThat(jqCount(trace, ".channel == \"a.icmpToIp\""), equalTo(3));
        assertThat(jqCount(trace, ".channel == \"b.ipToIcmp\" and (.summary | test(\"echo request\"))"), equalTo(3));
        assertThat(jqCount(trace, ".channel == \"a.ipToIcmp\" and (.summary | test(\"echo reply\"))"), equalTo(3));
        assertThat(jqCount(trace, ".channel == \"b.appsToUdp\" and (.summary | test(\"bind port 7\"))"), equalTo(1));
        assertThat(jqCount(trace, ".dropped"), equalTo(0));

        int[] icmpPcap = pcap(icmp);
        assertThat(icmpPcap[0], equalTo(PcapFileWriter.LINKTYPE_RAW));
        assertThat(icmpPcap[1], equalTo(3));
        String listed = Tools.run("tcpdump", "-nn", "-r", icmp.toString());
        assertThat(listed.split("ICMP echo reply", -1).length - 1, equalTo(3));
        int[] framePcap = pcap(frames);
        assertThat(framePcap[0], equalTo(PcapFileWriter.LINKTYPE_ETHERNET));
        assertThat(framePcap[1], equalTo(jqCount(trace, ".channel == \"a.linkToEth\"")));
        assertThat(framePcap[1], greaterThan(3));
        assertThat(Tools.run("tcpdump", "-nn", "-r", frames.toString()), containsString("ARP, Reply 198.18.0.2 is-at"));
    }

    @Test
    void stepModeNarratesAPingAUdpExchangeAndATcpTransferWithARetransmission() throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8);
        StepNarrator narrator = new StepNarrator(out, StepNarrator.Pause.of(0L, null, false));
        DemoCommand.Demo demo = new DemoCommand.Demo(1, 3000, null, false, true, narrator, false, 0, null,
                narrator, null);
        int code = DemoCommand.run(out, demo);
        String s = text.toString(StandardCharsets.UTF_8);
        assertThat(s, code, equalTo(0));
        assertThat(s, containsString("[a.ip -> a.icmp] ipToIcmp: 198.18.0.2 > 198.18.0.1 ICMP echo reply id 32343 seq 1"));
        assertThat(s, containsString("(up: buffered, drops when full)"));
        assertThat(s, containsString("why: a.arp has no MAC for that address in its cache"));
        assertThat(s, containsString("IP fragment id"));
        assertThat(s, containsString("holds it until the datagram is whole"));
        assertThat(s, containsString("appsToUdp: send from port"));
        assertThat(s, containsString("UDP 198.18.0.1:"));
        assertThat(s, containsString("\"hello from a, over UDP\""));
        assertThat(s, containsString("why: b.faults will LOSE this frame"));
        assertThat(s, containsString("why: RETRANSMISSION of 1460 bytes"));
        assertThat(s, containsString("4000 bytes sent, 4000 came back intact"));
        assertThat(narrator.retransmissions(), greaterThan(0L));
    }

    @Test
    void stepModeWithFaultOptionsFromTheCommandLineShowsARetransmission() throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        int code;
        try {
            System.setOut(new PrintStream(text, true, StandardCharsets.UTF_8));
            code = Main.execute("demo", "--step", "--step-delay", "0", "-c", "1", "-s", "0", "--loss", "20%",
                    "--seed", "3");
        } finally {
            System.setOut(saved);
        }
        String s = text.toString(StandardCharsets.UTF_8);
        assertThat(s, code, equalTo(0));
        assertThat(s, containsString("b receives through a fault injector: loss 20% seed 3"));
        assertThat(s, containsString("ICMP echo request"));
        assertThat(s, containsString("hello from a, over UDP"));
        assertThat(s, containsString("why: RETRANSMISSION of"));
        assertThat(s, containsString("4000 bytes sent, 4000 came back intact"));
    }

    @Test
    void theDefaultStepFaultsLoseTheFirstDataSegmentAndNothingNearIt() {
        FaultPlan plan = new FaultPlan(DemoCommand.STEP_TCP_FAULTS);
        // b receives: ARP request, SYN, ACK, then the first data segment (index 3), which is lost.
        for (int i = 0; i < 41; i++) {
            assertThat("frame " + i, plan.decide(1514).drop(), equalTo(i == 3));
        }
        assertThat(FaultSettings.formatProbability(DemoCommand.STEP_TCP_FAULTS.loss()), equalTo("10%"));
    }

    @Test
    void aTapOnAnUnknownChannelIsAUserErrorThatNamesTheTappableOnes() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = Main.execute("demo", "--quiet", "--pcap-tap", "a.icmpToIp=" + dir.resolve("x.pcap"));
        } finally {
            System.setErr(saved);
        }
        String e = err.toString(StandardCharsets.UTF_8);
        assertThat(code, equalTo(2));
        assertThat(e, containsString("cspstack: --pcap-tap a.icmpToIp: this channel carries no whole packets; "
                + "channels that can be tapped: a.wire->b., b.wire->a., a.linkToEth, b.linkToEth"));
        assertThat(e, containsString("a.ipToIcmp"));
    }
}
