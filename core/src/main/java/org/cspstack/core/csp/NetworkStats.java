package org.cspstack.core.csp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A running network's statistics as two compact tables, built from its own record of the wiring: one row per
 * process (messages in and out, drops by reason) and one per channel that carried anything (kind, capacity,
 * written, dropped when full, time its writers spent blocked), then the dynamic processes alive by kind.
 *
 * <p>A process's <em>in</em> is what was written on the channels it reads, its <em>out</em> what was written on
 * the channels it writes ({@code -} when it has none: a link's receiver reads the medium). Its drops are the
 * full-queue drops of the channels it reads ({@code queueFull}) and its own non-zero counters named
 * {@code ...Dropped}, by reason. Reads only volatile counters: callable from any thread at any time.
 */
public final class NetworkStats {
    private NetworkStats() {
    }

    /** Both tables and the dynamic processes alive, as lines without a trailing newline. */
    public static String table(ProcessNetwork net) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"process", "in", "out", "drops"});
        for (ProcessSpec p : net.processes()) {
            long in = 0;
            long out = 0;
            long queueFull = 0;
            boolean reads = false;
            boolean writes = false;
            for (ChannelSpec c : net.channels()) {
                if (c.reader().equals(p.name())) {
                    reads = true;
                    in += c.stats().delivered();
                    queueFull += c.stats().queueFullDropped.get();
                }
                if (writtenBy(c, p.name())) {
                    writes = true;
                    out += c.stats().written.get();
                }
            }
            Map<String, Long> drops = new LinkedHashMap<>();
            if (queueFull != 0) {
                drops.put("queueFull", queueFull);
            }
            if (p.counters() != null) {
                for (Counter c : p.counters().all()) {
                    if (c.name().endsWith("Dropped") && c.get() != 0) {
                        drops.merge(c.name().substring(0, c.name().length() - "Dropped".length()), c.get(), Long::sum);
                    }
                }
            }
            StringBuilder d = new StringBuilder();
            drops.forEach((reason, n) -> d.append(d.length() == 0 ? "" : " ").append(reason).append('=').append(n));
            rows.add(new String[] {p.name(), reads ? Long.toString(in) : "-", writes ? Long.toString(out) : "-",
                d.length() == 0 ? "-" : d.toString()});
        }
        StringBuilder sb = new StringBuilder();
        format(sb, rows, false, true, true, false);

        List<String[]> channels = new ArrayList<>();
        channels.add(new String[] {"channel", "kind", "capacity", "written", "dropped", "blocked"});
        for (ChannelSpec c : net.channels()) {
            ChannelStats s = c.stats();
            if (s.written.get() == 0 && s.queueFullDropped.get() == 0 && s.blockedNanos.get() == 0) {
                continue;
            }
            channels.add(new String[] {c.name(), kind(c.kind()), Integer.toString(c.capacity()),
                Long.toString(s.written.get()),
                c.kind() == ChannelKind.UPWARD_DROPPING ? Long.toString(s.queueFullDropped.get()) : "-",
                c.kind().mayBlockWriter() ? NetworkGraph.millis(s.blockedNanos.get()) : "-"});
        }
        sb.append('\n');
        if (channels.size() == 1) {
            sb.append("channels: none carried anything yet");
        } else {
            format(sb, channels, false, false, true, true, true, true);
        }
        Map<String, Integer> byKind = new LinkedHashMap<>();
        for (ProcessRunner.DynamicProcess p : net.liveDynamic()) {
            byKind.merge(p.kind(), 1, Integer::sum);
        }
        sb.append("\ndynamic processes alive: ");
        if (byKind.isEmpty()) {
            sb.append('0');
        } else {
            StringBuilder k = new StringBuilder();
            byKind.forEach((kind, n) -> k.append(k.length() == 0 ? "" : ", ").append(n).append(' ').append(kind));
            sb.append(k);
        }
        return sb.toString();
    }

    /** True when {@code process} is among the channel's writers ({@code "tcp,tcp:*"} names two). */
    static boolean writtenBy(ChannelSpec c, String process) {
        for (String w : c.writer().split(",")) {
            if (w.equals(process)) {
                return true;
            }
        }
        return false;
    }

    private static String kind(ChannelKind k) {
        return switch (k) {
            case UPWARD_DROPPING -> "up";
            case DOWNWARD_BLOCKING -> "down";
            case RENDEZVOUS -> "rendezvous";
            case REPLY -> "reply";
        };
    }

    /** Columns padded to their widest cell, right-aligned where {@code right} says (numbers). */
    private static void format(StringBuilder sb, List<String[]> rows, boolean... right) {
        int[] width = new int[right.length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (int k = 0; k < rows.size(); k++) {
            String[] r = rows.get(k);
            StringBuilder line = new StringBuilder(" ");
            for (int i = 0; i < r.length; i++) {
                String pad = " ".repeat(width[i] - r[i].length());
                line.append(i == 0 ? " " : "  ").append(right[i] ? pad + r[i] : r[i] + pad);
            }
            sb.append(k == 0 ? "" : "\n").append(line.toString().stripTrailing());
        }
    }
}
