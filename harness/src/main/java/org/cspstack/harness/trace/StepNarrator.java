package org.cspstack.harness.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.csp.ChannelKind;
import org.cspstack.core.csp.ChannelObserver;
import org.cspstack.core.csp.ChannelSpec;
import org.cspstack.core.csp.FaultPlan;
import org.cspstack.core.csp.FaultSettings;
import org.cspstack.core.wire.Bytes;
import org.cspstack.core.wire.IpProtocol;
import org.cspstack.protocols.ipv4.IpDatagram;
import org.cspstack.protocols.ipv4.IpSend;
import org.cspstack.protocols.ipv4.ReassemblyEvent;

/**
 * Classroom mode ({@code cspstack demo --step}): narrates every communication of the network, one at a time,
 * and pauses after each until Enter (or a fixed delay, or not at all when stdin is not a terminal):
 * <pre>
 *   12 [a.ip -> a.icmp] ipToIcmp: 198.18.0.2 &gt; 198.18.0.1 ICMP echo reply id 32343 seq 1, 56 bytes of data
 *        (up: buffered, drops when full)
 *        why: ...
 * </pre>
 * A "why" line explains the interesting ones: the first use of a channel, an ARP request because the cache
 * misses, a fragment held for reassembly, a frame the fault injector will lose, a TCP retransmission (after
 * the retransmission timeout, or fast after three duplicate ACKs).
 *
 * <p><b>How pausing keeps the channel rules.</b> The narrator runs on the writer's thread before the message
 * is handed over and holds its own lock while it prints and waits, so the network advances one communication
 * per step: every other writer waits in its own write. Only writers wait (never a reader on a channel), and
 * the narrator waits for nothing in the network, so no cycle of waiting can form; but stepping slows every
 * process, and timers still run: a retransmission timer may fire while the class reads, so step mode uses
 * generous timeouts for pings and connections.
 *
 * <p>The fault injectors' decisions are mirrored here: the same settings and seed give the same decision for
 * the n-th frame, so the narrator can say which frame the simulated link will lose.
 */
public final class StepNarrator implements ChannelObserver {
    private final PrintStream out;
    private final Pause pause;
    /** Channels (by name without prefix) already explained: each is explained on first use only. */
    private final Set<String> used = new HashSet<>();
    private final Map<String, FaultPlan> faults = new HashMap<>();
    /** Per connection (channel prefix + local port + peer): the highest sequence number sent, plus one. */
    private final Map<String, Long> sentUpTo = new HashMap<>();
    /** Per connection: the last ACK number received and how many pure ACKs repeated it. */
    private final Map<String, long[]> acks = new HashMap<>();
    private long step;
    private long retransmissions;

    /** How the narrator waits after each communication. */
    public interface Pause {
        void await(PrintStream out) throws InterruptedException;

        /**
         * Waits {@code delayMillis} when given (0: not at all); otherwise for Enter when {@code interactive}
         * (end of input: no more waiting), and not at all when not.
         */
        static Pause of(Long delayMillis, InputStream stdin, boolean interactive) {
            if (delayMillis != null) {
                long d = delayMillis;
                // Pacing a projection, not synchronising: the pause is the point.
                return out -> {
                    if (d > 0) {
                        Thread.sleep(d);
                    }
                };
            }
            if (!interactive) {
                return out -> { };
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
            boolean[] ended = {false};
            return out -> {
                if (ended[0]) {
                    return;
                }
                out.print("      [Enter] ");
                out.flush();
                try {
                    if (in.readLine() == null) {
                        ended[0] = true;
                        out.println();
                    }
                } catch (IOException e) {
                    ended[0] = true;
                }
            };
        }
    }

    public StepNarrator(PrintStream out, Pause pause) {
        this.out = out;
        this.pause = pause;
    }

    /**
     * The fault injectors of the network about to run, by stack prefix ({@code "b."}): their decisions are
     * mirrored from now on (call before each network starts; it forgets the previous one's).
     */
    public synchronized void faults(Map<String, FaultSettings> byPrefix) {
        faults.clear();
        byPrefix.forEach((prefix, settings) -> faults.put(prefix, new FaultPlan(settings)));
        sentUpTo.clear();
        acks.clear();
    }

    /** TCP retransmissions narrated so far. */
    public synchronized long retransmissions() {
        return retransmissions;
    }

    @Override
    public synchronized void written(ChannelSpec channel, Object message, boolean dropped) {
        String summary = Messages.summary(channel, message);
        String label = Messages.isWire(channel.name()) ? "wire" : Messages.baseName(channel.name());
        out.printf("%5d [%s -> %s] %s: %s%n", ++step, writer(channel), channel.reader(), label, summary);
        out.println("        (" + kindNote(channel) + (dropped ? "; DROPPED: the buffer was full" : "") + ")");
        String why = dropped ? null : why(channel, label, message, summary);
        if (why == null && used.add(label)) {
            why = firstUse(channel, label);
        }
        if (why != null) {
            out.println("        why: " + why);
        }
        out.flush();
        try {
            pause.await(out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String writer(ChannelSpec c) {
        String w = c.writer();
        if (w.equals("clients")) {
            return "app " + Thread.currentThread().getName();
        }
        return w.contains("*") || w.contains(",") ? Thread.currentThread().getName() : w;
    }

    private static String kindNote(ChannelSpec c) {
        if (c.writer().equals("clients")) {
            return "request: rendezvous, the client then waits on its own reply channel";
        }
        if (c.kind() == ChannelKind.UPWARD_DROPPING) {
            return "up: buffered, drops when full";
        }
        if (c.kind() == ChannelKind.DOWNWARD_BLOCKING) {
            return "down: buffered, blocks the writer when full";
        }
        return c.kind() == ChannelKind.RENDEZVOUS ? "rendezvous: the writer waits for the reader" : "reply";
    }

    private String prefixOf(String channelName) {
        int dot = channelName.indexOf('.');
        return dot < 0 ? "" : channelName.substring(0, dot + 1);
    }

    private String why(ChannelSpec c, String label, Object m, String summary) {
        String p = prefixOf(c.name());
        if (label.equals("linkToFaults") && m instanceof PacketBuffer frame) {
            FaultPlan plan = faults.get(p);
            if (plan != null) {
                FaultPlan.Decision d = plan.decide(frame.length());
                if (d.drop()) {
                    return p + "faults will LOSE this frame: the simulated link drops it (--loss), so the sender "
                            + "must notice and send again";
                }
                if (d.duplicate() || d.reorder() || d.corrupts()) {
                    return p + "faults will " + (d.duplicate() ? "duplicate " : "") + (d.reorder() ? "hold back "
                            + "(later frames overtake) " : "") + (d.corrupts() ? "flip a bit in " : "") + "this frame";
                }
            }
            return null;
        }
        if (label.equals("arpToLink") && summary.startsWith("ARP")) {
            return summary.startsWith("ARP who-has")
                    ? p + "arp has no MAC for that address in its cache: it holds the packet and broadcasts a request"
                    : p + "arp owns the address asked for: it answers, and the asker caches the MAC and sends what "
                    + "it held";
        }
        if (label.equals("ethToIp") && summary.contains("IP fragment")) {
            return p + "ip cannot use a fragment alone: it hands it to the reassembly process of its datagram "
                    + "(started for the first fragment), which holds it until the datagram is whole";
        }
        if (label.equals("fragments")) {
            return c.reader() + " holds this fragment until every piece has arrived (or gives up after the "
                    + "reassembly timeout)";
        }
        if (m instanceof ReassemblyEvent.Complete) {
            return "the datagram is whole: " + Thread.currentThread().getName() + " hands it back to " + p
                    + "ip and ends";
        }
        if (label.equals("ipToArp") && summary.contains("IP fragment") && summary.contains("offset 0")) {
            return "too big for the 1500-byte MTU: " + p + "ip split the datagram; the fragments share an id, carry "
                    + "their offset, and all but the last have MF set";
        }
        if (m instanceof IpSend s && s.protocol() == IpProtocol.TCP) {
            return tcpSent(p, s);
        }
        if (m instanceof IpDatagram d && d.protocol() == IpProtocol.TCP) {
            tcpReceived(p, d);
        }
        return null;
    }

    /** Notes what a connection sends; a segment below what it already sent is a retransmission. */
    private String tcpSent(String prefix, IpSend s) {
        PacketBuffer b = s.payload();
        if (b.length() < 20) {
            return null;
        }
        byte[] a = b.array();
        int o = b.start();
        int flags = a[o + 13];
        int dataLength = b.length() - (Bytes.u8(a, o + 12) >> 4) * 4;
        long seq = Bytes.u32(a, o + 4);
        long length = dataLength + ((flags & 0x02) != 0 ? 1 : 0) + ((flags & 0x01) != 0 ? 1 : 0);
        if (length == 0) {
            return null;
        }
        String key = prefix + Bytes.u16(a, o) + "-" + s.destination() + ":" + Bytes.u16(a, o + 2);
        Long upTo = sentUpTo.get(key);
        long end = (seq + length) & 0xffff_ffffL;
        if (upTo == null || (int) (end - upTo) > 0) {
            sentUpTo.put(key, end);
        }
        if (upTo != null && (int) (seq - upTo) < 0) {
            retransmissions++;
            long[] ack = acks.get(key);
            boolean fast = ack != null && ack[0] == seq && ack[1] >= 3;
            String what = dataLength > 0 ? dataLength + " bytes from seq " + seq
                    : (flags & 0x02) != 0 ? ((flags & 0x10) != 0 ? "the SYN-ACK" : "the SYN") : "the FIN";
            return "RETRANSMISSION of " + what + ": "
                    + (fast ? "three duplicate ACKs for " + seq + " told the sender this segment was lost "
                            + "(fast retransmit)"
                            : "no ACK came for it before the retransmission timeout (RTO) ran out, so the "
                            + "connection's process sends it again (and doubles its timeout)");
        }
        return null;
    }

    /** Counts the duplicate ACKs a connection receives (for telling fast retransmits from timeouts). */
    private void tcpReceived(String prefix, IpDatagram d) {
        PacketBuffer b = d.payload();
        if (b.length() < 20) {
            return;
        }
        byte[] a = b.array();
        int o = b.start();
        int flags = a[o + 13];
        if ((flags & 0x10) == 0) {
            return;
        }
        boolean pure = b.length() == (Bytes.u8(a, o + 12) >> 4) * 4 && (flags & 0x07) == 0;
        String key = prefix + Bytes.u16(a, o + 2) + "-" + d.source() + ":" + Bytes.u16(a, o);
        long ack = Bytes.u32(a, o + 8);
        long[] seen = acks.computeIfAbsent(key, k -> new long[] {-1, 0});
        if (seen[0] == ack && pure) {
            seen[1]++;
        } else if (seen[0] != ack) {
            seen[0] = ack;
            seen[1] = 0;
        }
    }

    private static String firstUse(ChannelSpec c, String label) {
        String r = c.reader();
        return switch (label) {
            case "appsToIcmp" -> "a ping is a request from an application (a client) to " + r
                    + " (the server), carrying the client's own reply channel";
            case "icmpToIp" -> "ICMP hands its message down to IP with the destination; IP adds its header";
            case "ipToArp" -> "IP picked the next hop; ARP must find its MAC before the packet can be framed";
            case "arpToLink" -> "ARP knows the destination MAC, so it framed the packet (or its own request: MACs, "
                    + "EtherType) and hands it to the link's transmitter, which puts it on the wire";
            case "wire" -> "the simulated Ethernet link between the two stacks: a channel too";
            case "linkToEth" -> "the link's receiver hands every frame up to Ethernet, which checks the MAC";
            case "linkToFaults" -> "the fault injector sits between the link and Ethernet: it decides, frame by "
                    + "frame from its seed, what to lose, duplicate, reorder or corrupt";
            case "ethToArp" -> "an ARP packet goes up to ARP (EtherType 0x0806)";
            case "ethToIp" -> "an IPv4 packet goes up to IP (EtherType 0x0800), which checks and demultiplexes it";
            case "ipToIcmp" -> "IP hands the datagram to ICMP (protocol 1)";
            case "ipToUdp" -> "IP hands the datagram to UDP (protocol 17), which finds the port's socket";
            case "ipToTcp" -> "IP hands the segment to TCP (protocol 6), which finds the connection's process";
            case "udpToIp", "tcpToIp" -> "the transport hands its segment down to IP with the destination";
            case "appsToUdp" -> "a UDP request from an application: bind a port, send, or close";
            case "appsToTcp" -> "a TCP request from an application: listen, accept or connect";
            case "segments" -> c.writer() + " gives the segment to " + r + ", the process of this one connection";
            case "connToTcp" -> "a connection's process reports to " + r + " (established, ended)";
            case "reasmToIp" -> "reassembly processes report to IP on one shared upward channel";
            default -> label.startsWith("udp:") ? r + " reads the datagrams of its port on this channel" : null;
        };
    }
}
