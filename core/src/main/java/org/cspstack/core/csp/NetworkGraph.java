package org.cspstack.core.csp;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Renders a {@link ProcessNetwork}'s own record of its wiring (not a hand-kept list): processes, channels with
 * their direction, kind and buffering, and the dynamic processes alive when asked. Text for terminals, DOT for
 * Graphviz.
 */
public final class NetworkGraph {
    private NetworkGraph() {
    }

    /** One line per process, then one per channel. */
    public static String text(ProcessNetwork net) {
        return text(net, false);
    }

    /**
     * One line per process, then one per channel; with {@code counts}, each channel's live counts too
     * (written, dropped when full, time its writers spent blocked), as a running network's snapshot.
     */
    public static String text(ProcessNetwork net, boolean counts) {
        StringBuilder sb = new StringBuilder("network ").append(net.name()).append('\n');
        if (!net.implementations().isEmpty()) {
            sb.append("implementations:\n");
            net.implementations().forEach((role, impl) -> sb.append("  ").append(role).append(" = ").append(impl)
                    .append('\n'));
        }
        sb.append("processes:\n");
        for (ProcessSpec p : net.processes()) {
            sb.append("  ").append(p.name())
                    .append(p.blocksInNative() ? "  (blocks in native code: platform thread)" : "").append('\n');
        }
        List<ProcessRunner.DynamicProcess> live = net.liveDynamic();
        if (!live.isEmpty()) {
            sb.append("dynamic processes alive now:\n");
            for (ProcessRunner.DynamicProcess d : live) {
                sb.append("  ").append(d.name()).append("  (").append(d.kind()).append(")\n");
            }
        }
        sb.append("channels:\n");
        for (ChannelSpec c : net.channels()) {
            sb.append("  ").append(c);
            if (counts) {
                sb.append("  ").append(counts(c));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * Graphviz DOT: a box per process, an edge per channel from writer to reader, solid for channels whose writer
     * may block (downward, rendezvous), dashed for upward channels that drop when full, labelled with the name
     * and capacity. Dynamic processes alive now are drawn as ellipses.
     */
    public static String dot(ProcessNetwork net) {
        return dot(net, false);
    }

    /** As {@link #dot(ProcessNetwork)}; with {@code counts}, each edge's label carries its live counts. */
    public static String dot(ProcessNetwork net, boolean counts) {
        StringBuilder sb = new StringBuilder("digraph \"").append(net.name()).append("\" {\n");
        sb.append("  rankdir=BT;\n  node [shape=box, fontname=\"Helvetica\", fontsize=10];\n");
        if (!net.implementations().isEmpty()) {
            StringBuilder label = new StringBuilder();
            net.implementations().forEach((role, impl) -> label.append(role).append(" = ").append(impl)
                    .append("\\l"));
            sb.append("  labelloc=t;\n  label=\"").append(label).append("\";\n");
        }
        sb.append("  edge [fontname=\"Helvetica\", fontsize=8];\n");
        Set<String> nodes = new LinkedHashSet<>();
        for (ProcessSpec p : net.processes()) {
            nodes.add(p.name());
            sb.append("  \"").append(p.name()).append("\"").append(p.blocksInNative() ? " [style=bold]" : "")
                    .append(";\n");
        }
        for (ProcessRunner.DynamicProcess d : net.liveDynamic()) {
            sb.append("  \"").append(d.name()).append("\" [shape=ellipse, style=dashed];\n");
        }
        for (ChannelSpec c : net.channels()) {
            for (String end : new String[] {c.writer(), c.reader()}) {
                if (nodes.add(end)) {
                    sb.append("  \"").append(end).append("\" [shape=plaintext];\n");
                }
            }
            String style = switch (c.kind()) {
                case UPWARD_DROPPING -> "dashed";
                case DOWNWARD_BLOCKING -> "solid";
                case RENDEZVOUS -> "bold";
                case REPLY -> "dotted";
            };
            sb.append("  \"").append(c.writer()).append("\" -> \"").append(c.reader()).append("\" [style=")
                    .append(style).append(", label=\"").append(c.name()).append("\\n")
                    .append(c.capacity() == 0 ? "rendezvous" : (c.kind() == ChannelKind.UPWARD_DROPPING
                            ? "drops at " : "blocks at ") + c.capacity())
                    .append(counts ? "\\n" + counts(c) : "")
                    .append("\"];\n");
        }
        sb.append("}\n");
        return sb.toString();
    }

    /**
     * A channel's live counts: {@code written 12, dropped 3, blocked 1.250 ms}; dropped only for channels that
     * drop, blocked only for channels whose writer may block.
     */
    public static String counts(ChannelSpec c) {
        ChannelStats s = c.stats();
        StringBuilder sb = new StringBuilder("written ").append(s.written.get());
        if (c.kind() == ChannelKind.UPWARD_DROPPING) {
            sb.append(", dropped ").append(s.queueFullDropped.get());
        }
        if (c.kind().mayBlockWriter()) {
            sb.append(", blocked ").append(millis(s.blockedNanos.get()));
        }
        return sb.toString();
    }

    /** Nanoseconds as milliseconds with three decimals: {@code 1.250 ms}. */
    public static String millis(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.3f ms", nanos / 1e6);
    }
}
