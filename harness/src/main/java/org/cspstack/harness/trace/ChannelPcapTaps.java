package org.cspstack.harness.trace;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.cspstack.core.csp.ChannelObserver;
import org.cspstack.core.csp.ChannelSpec;
import org.cspstack.core.link.PcapFileWriter;

/**
 * {@code --pcap-tap CHANNEL=FILE} (repeatable): the packets crossing one channel, written to a pcap file that
 * {@code tcpdump -r} and Wireshark open: Ethernet frames (LINKTYPE_ETHERNET) on the channels next to the link,
 * IPv4 packets from their header on (LINKTYPE_RAW, 101) above Ethernet. Packets an upward channel dropped
 * (queue full) did not cross it and are not written.
 *
 * <p>Made from the options before the stack is built (it must be the network's observer from the start),
 * then {@link #open} checks the channel names against the built network and creates the files. Each file is
 * written under its own lock; the bytes are copied on the writer's thread before the hand-over.
 */
public final class ChannelPcapTaps implements ChannelObserver, AutoCloseable {
    private final Map<String, Path> wanted;
    private final Map<String, Tap> taps = new ConcurrentHashMap<>();

    /** One file. After close, or after a write failed, it takes nothing more (the stack goes on). */
    private static final class Tap {
        final PcapFileWriter writer;
        long packets;
        boolean closed;
        RuntimeException failure;

        Tap(PcapFileWriter writer) {
            this.writer = writer;
        }

        synchronized void write(long epochNanos, byte[] packet) {
            if (closed || failure != null) {
                return;
            }
            try {
                writer.write(epochNanos, packet, 0, packet.length);
                packets++;
            } catch (RuntimeException e) {
                failure = e;
            }
        }

        synchronized void close() {
            if (!closed) {
                closed = true;
                writer.close();
            }
        }
    }

    private ChannelPcapTaps(Map<String, Path> wanted) {
        this.wanted = wanted;
    }

    /** Parses {@code CHANNEL=FILE} options; throws IllegalArgumentException naming a malformed one. */
    public static ChannelPcapTaps parse(List<String> options) {
        Map<String, Path> wanted = new LinkedHashMap<>();
        for (String o : options) {
            int eq = o.indexOf('=');
            if (eq <= 0 || eq == o.length() - 1) {
                throw new IllegalArgumentException("--pcap-tap " + o + ": expected CHANNEL=FILE, such as "
                        + "ipToIcmp=icmp.pcap");
            }
            String channel = o.substring(0, eq);
            if (wanted.put(channel, Path.of(o.substring(eq + 1))) != null) {
                throw new IllegalArgumentException("--pcap-tap " + channel + " is given twice");
            }
        }
        return new ChannelPcapTaps(wanted);
    }

    public boolean isEmpty() {
        return wanted.isEmpty();
    }

    /**
     * Checks every tapped name against {@code channels} (the built network's) and creates the files. An
     * unknown name, or a channel that carries no whole packets, is an IllegalArgumentException that lists
     * the channels that can be tapped.
     */
    public void open(List<ChannelSpec> channels) {
        Map<String, ChannelSpec> byName = new LinkedHashMap<>();
        for (ChannelSpec c : channels) {
            byName.put(c.name(), c);
        }
        for (String name : wanted.keySet()) {
            ChannelSpec c = byName.get(name);
            if (c == null || Messages.carries(name).linkType() < 0) {
                throw new IllegalArgumentException("--pcap-tap " + name + ": "
                        + (c == null ? "no such channel" : "this channel carries no whole packets")
                        + "; channels that can be tapped: " + String.join(", ", tappable(channels)));
            }
        }
        for (Map.Entry<String, Path> e : wanted.entrySet()) {
            taps.put(e.getKey(), new Tap(PcapFileWriter.open(e.getValue(), Messages.carries(e.getKey()).linkType())));
        }
    }

    /** The names of {@code channels} whose packets can be written to a pcap file, in wiring order. */
    public static List<String> tappable(List<ChannelSpec> channels) {
        List<String> names = new ArrayList<>();
        for (ChannelSpec c : channels) {
            if (Messages.isWire(c.name())) {
                names.add(c.name());
            }
        }
        for (String base : Messages.TAPPABLE) {
            for (ChannelSpec c : channels) {
                if (Messages.baseName(c.name()).equals(base) && c.name().endsWith(base)) {
                    names.add(c.name());
                }
            }
        }
        return names;
    }

    @Override
    public void written(ChannelSpec channel, Object message, boolean dropped) {
        if (dropped) {
            return;
        }
        Tap tap = taps.get(channel.name());
        if (tap == null) {
            return;
        }
        byte[] packet = Messages.packet(channel, message);
        if (packet == null) {
            return;
        }
        Instant now = Instant.now();
        long epochNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        tap.write(epochNanos, packet);
    }

    /** One line per tap: how many packets went to which file. */
    public List<String> report() {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, Path> e : wanted.entrySet()) {
            Tap tap = taps.get(e.getKey());
            if (tap != null) {
                synchronized (tap) {
                    lines.add("pcap tap " + e.getKey() + ": " + tap.packets + " packets written to " + e.getValue()
                            + (tap.writer.linkType() == PcapFileWriter.LINKTYPE_RAW ? " (raw IPv4)" : " (Ethernet)"));
                }
            }
        }
        return lines;
    }

    /** Packets written so far for the tap on {@code channel} (0 when there is none). */
    public long packets(String channel) {
        Tap tap = taps.get(channel);
        if (tap == null) {
            return 0;
        }
        synchronized (tap) {
            return tap.packets;
        }
    }

    /** Closes every file; throws the first write error any of them had. */
    @Override
    public void close() {
        RuntimeException first = null;
        for (Tap tap : taps.values()) {
            try {
                tap.close();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
            synchronized (tap) {
                if (tap.failure != null && first == null) {
                    first = tap.failure;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
