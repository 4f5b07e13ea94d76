package org.cspstack.harness.experiments;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of {@code cspstack bench} and their targets: plain values and arithmetic, no I/O. A {@link Line}
 * is one figure, the stack's value beside Linux's, their ratio (stack / Linux) and a {@link Target}; the
 * renderers make the console table, the Markdown table and the CSV rows.
 */
public final class BenchReport {
    private BenchReport() {
    }

    /** Whether a figure meets its target. */
    public enum Verdict {
        MET("yes"), STRETCH("yes, stretch too"), NOT_MET("no"), NONE("-"), UNKNOWN("n/a");

        private final String label;

        Verdict(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * One bound of a target: on the stack's own value or on the ratio stack / Linux; {@code atLeast} or at most
     * {@code value}; {@code stretch} is the harder value of a stretch goal (NaN: none).
     */
    public record Bound(boolean onRatio, boolean atLeast, double value, double stretch) {
        boolean holds(double x, double limit) {
            return atLeast ? x >= limit : x <= limit;
        }
    }

    /** A target as written ({@code text}) and as checked: every bound must hold. No bounds: no target. */
    public record Target(String text, List<Bound> bounds) {
        public static final Target NONE = new Target("-", List.of());

        public static Target atLeast(double value, String text) {
            return new Target(text, List.of(new Bound(false, true, value, Double.NaN)));
        }

        public static Target atMost(double value, String text) {
            return new Target(text, List.of(new Bound(false, false, value, Double.NaN)));
        }

        public static Target ratioAtLeast(double value, double stretch, String text) {
            return new Target(text, List.of(new Bound(true, true, value, stretch)));
        }

        public static Target ratioAtMost(double value, double stretch, String text) {
            return new Target(text, List.of(new Bound(true, false, value, stretch)));
        }

        /** This target and {@code other}'s bounds together, under {@code text}. */
        public Target and(Target other, String text) {
            List<Bound> all = new ArrayList<>(bounds);
            all.addAll(other.bounds);
            return new Target(text, List.copyOf(all));
        }

        /**
         * NONE without bounds; UNKNOWN when a bounded value is NaN; NOT_MET when a bound fails; STRETCH when
         * every bound holds and every stretch value given holds too (at least one given); MET otherwise.
         */
        public Verdict evaluate(double stack, double ratio) {
            if (bounds.isEmpty()) {
                return Verdict.NONE;
            }
            boolean stretch = false;
            boolean allStretch = true;
            for (Bound b : bounds) {
                double x = b.onRatio() ? ratio : stack;
                if (Double.isNaN(x)) {
                    return Verdict.UNKNOWN;
                }
                if (!b.holds(x, b.value())) {
                    return Verdict.NOT_MET;
                }
                if (!Double.isNaN(b.stretch())) {
                    stretch = true;
                    allStretch &= b.holds(x, b.stretch());
                }
            }
            return stretch && allStretch ? Verdict.STRETCH : Verdict.MET;
        }
    }

    /** One figure: {@code linux} is NaN where Linux has no such figure. */
    public record Line(String figure, double stack, double linux, Target target) {
        /** stack / Linux; NaN when either is missing or Linux's is 0. */
        public double ratio() {
            return LatencyStats.ratio(stack, linux);
        }

        public Verdict verdict() {
            return target.evaluate(stack, ratio());
        }
    }

    /**
     * Sums two windows of the same part: times, bytes, packets, what each kept and what its caller allocated add
     * up, the heap figures take the larger.
     */
    public static JvmMeter.Usage plus(JvmMeter.Usage a, JvmMeter.Usage b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return new JvmMeter.Usage(a.wallNs() + b.wallNs(), a.cpuNs() < 0 || b.cpuNs() < 0 ? -1 : a.cpuNs() + b.cpuNs(),
                a.allocatedBytes() < 0 || b.allocatedBytes() < 0 ? -1 : a.allocatedBytes() + b.allocatedBytes(),
                a.packets() + b.packets(), Math.max(a.heapAfterGcBytes(), b.heapAfterGcBytes()),
                Math.max(a.heapPeakBytes(), b.heapPeakBytes()), a.keptBytes() + b.keptBytes(),
                a.callerBytes() + b.callerBytes());
    }

    /** A figure for people: "-" for NaN, then 3 significant digits or whole numbers with thousands separators. */
    public static String num(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        double a = Math.abs(v);
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 100 || v == 0) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        if (a >= 0.01) {
            return String.format(Locale.ROOT, "%.3f", v);
        }
        return String.format(Locale.ROOT, "%.4f", v);
    }

    /** The ratio column: "0.16x"; "-" for NaN. */
    public static String ratio(double r) {
        return Double.isNaN(r) ? "-" : num(r) + "x";
    }

    private static final List<String> HEADER = List.of("figure", "stack", "Linux", "ratio", "target", "met?");

    private static List<List<String>> cells(List<Line> lines) {
        List<List<String>> rows = new ArrayList<>();
        for (Line l : lines) {
            rows.add(List.of(l.figure(), num(l.stack()), num(l.linux()), ratio(l.ratio()), l.target().text(),
                    l.verdict().label()));
        }
        return rows;
    }

    /** The console table: figure | stack | Linux | ratio | target | met?, columns aligned. */
    public static String table(List<Line> lines) {
        return aligned(HEADER, cells(lines), new boolean[] {false, true, true, true, false, false});
    }

    /** The same as a Markdown table. */
    public static String markdown(List<Line> lines) {
        return markdownTable(HEADER, cells(lines));
    }

    /** The same as CSV rows (full precision), header {@link #CSV_HEADER}. */
    public static List<List<Object>> csvRows(List<Line> lines) {
        List<List<Object>> rows = new ArrayList<>();
        for (Line l : lines) {
            rows.add(List.of(quote(l.figure()), l.stack(), l.linux(), l.ratio(), quote(l.target().text()),
                    l.verdict().label()));
        }
        return rows;
    }

    public static final List<String> CSV_HEADER = List.of("figure", "stack", "linux", "ratio", "target", "met");

    private static final List<String> JVM_HEADER = List.of("part", "packets", "packets/s", "CPU % of 1 core",
            "CPU us/packet", "alloc MB/s", "alloc B/packet", "garbage B/packet", "heap after GC MiB",
            "heap peak MiB");

    private static List<List<String>> jvmCells(Map<String, JvmMeter.Usage> parts) {
        List<List<String>> rows = new ArrayList<>();
        parts.forEach((name, u) -> rows.add(List.of(name, String.format(Locale.ROOT, "%,d", u.packets()),
                num(u.packetsPerSecond()), num(u.cpuPct()), num(u.cpuUsPerPacket()), num(u.allocMBps()),
                num(u.bytesPerPacket()), num(u.garbagePerPacket()), num(u.heapAfterGcMiB()), num(u.heapPeakMiB()))));
        return rows;
    }

    /** The JVM's costs per part of the run, one row each, columns aligned. */
    public static String jvmTable(Map<String, JvmMeter.Usage> parts) {
        boolean[] right = new boolean[JVM_HEADER.size()];
        Arrays.fill(right, true);
        right[0] = false;
        return aligned(JVM_HEADER, jvmCells(parts), right);
    }

    public static String jvmMarkdown(Map<String, JvmMeter.Usage> parts) {
        return markdownTable(JVM_HEADER, jvmCells(parts));
    }

    public static final List<String> JVM_CSV_HEADER = List.of("part", "wall_s", "cpu_s", "allocated_bytes",
            "packets", "packets_per_s", "cpu_pct", "cpu_us_per_packet", "alloc_mb_s", "alloc_b_per_packet",
            "kept_bytes", "caller_bytes", "garbage_b_per_packet", "heap_after_gc_mib", "heap_peak_mib");

    public static List<List<Object>> jvmCsvRows(Map<String, JvmMeter.Usage> parts) {
        List<List<Object>> rows = new ArrayList<>();
        parts.forEach((name, u) -> rows.add(List.of(name, u.wallNs() / 1e9, u.cpuNs() / 1e9, u.allocatedBytes(),
                u.packets(), u.packetsPerSecond(), u.cpuPct(), u.cpuUsPerPacket(), u.allocMBps(), u.bytesPerPacket(),
                u.keptBytes(), u.callerBytes(), u.garbagePerPacket(), u.heapAfterGcMiB(), u.heapPeakMiB())));
        return rows;
    }

    private static String aligned(List<String> header, List<List<String>> rows, boolean[] right) {
        int[] w = new int[header.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = header.get(i).length();
            for (List<String> r : rows) {
                w[i] = Math.max(w[i], r.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        appendRow(sb, header, w, right);
        int total = Arrays.stream(w).sum() + 3 * (w.length - 1);
        sb.append("-".repeat(total)).append('\n');
        for (List<String> r : rows) {
            appendRow(sb, r, w, right);
        }
        return sb.toString();
    }

    private static void appendRow(StringBuilder sb, List<String> cells, int[] w, boolean[] right) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                line.append(" | ");
            }
            String c = cells.get(i);
            String pad = " ".repeat(w[i] - c.length());
            line.append(right[i] ? pad + c : c + pad);
        }
        sb.append(line.toString().stripTrailing()).append('\n');
    }

    private static String markdownTable(List<String> header, List<List<String>> rows) {
        StringBuilder sb = new StringBuilder("| ").append(String.join(" | ", header)).append(" |\n|");
        sb.append("---|".repeat(header.size())).append('\n');
        for (List<String> r : rows) {
            sb.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        return sb.toString();
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
