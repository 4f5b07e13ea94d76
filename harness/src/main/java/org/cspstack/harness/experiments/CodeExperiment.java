package org.cspstack.harness.experiments;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The GoNet study compared its reassembly code with lwIP's C. This measures the three side by side with the
 * same lexical rules ({@link CodeMetrics}): our reassembly (the pure logic, the process, its messages and the
 * IP layer's reassembly section), lwIP's {@code src/core/ipv4/ip4_frag.c} and GoNet's {@code ipv4/frag_asm.go},
 * from checkouts given by path. Without a path the row says "not measured".
 */
public final class CodeExperiment {
    /** One implementation's figures, or a note when it was not measured. */
    public record Row(String implementation, String files, CodeMetrics.Metrics metrics, String note) {
    }

    /** Our reassembly, as measured: whole files, and the IP layer's section between two markers. */
    static final String[] OURS = {
        "protocols/src/main/java/org/cspstack/protocols/ipv4/FragmentAssembly.java",
        "protocols/src/main/java/org/cspstack/protocols/ipv4/ReassemblyProcess.java",
        "protocols/src/main/java/org/cspstack/protocols/ipv4/ReassemblyEvent.java",
        "protocols/src/main/java/org/cspstack/protocols/ipv4/FragmentKey.java",
    };
    static final String OUR_IP_LAYER = "protocols/src/main/java/org/cspstack/protocols/ipv4/Ipv4Layer.java";
    static final String SECTION_START = "// ---- reassembly";
    static final String SECTION_END = "/** Hands a whole datagram";
    static final String LWIP = "src/core/ipv4/ip4_frag.c";
    static final String GONET = "ipv4/frag_asm.go";

    private CodeExperiment() {
    }

    public static List<Row> run(ExperimentOutput out, Path ourRoot, Path lwip, Path gonet, PrintStream console)
            throws IOException {
        List<Row> rows = new ArrayList<>();
        CodeMetrics.Metrics ours = CodeMetrics.ZERO;
        for (String f : OURS) {
            ours = ours.plus(CodeMetrics.measure(Files.readString(ourRoot.resolve(f)), CodeMetrics.Language.JAVA));
        }
        String ip = Files.readString(ourRoot.resolve(OUR_IP_LAYER));
        int a = ip.indexOf(SECTION_START);
        int b = ip.indexOf(SECTION_END, Math.max(a, 0));
        if (a < 0 || b < 0) {
            throw new IllegalStateException(OUR_IP_LAYER + " lost its reassembly section markers");
        }
        ours = ours.plus(CodeMetrics.measure(ip.substring(a, b), CodeMetrics.Language.JAVA));
        rows.add(new Row("cspstack (Java, JCSP)", String.join(" ", OURS) + " + Ipv4Layer reassembly section", ours,
                ""));
        rows.add(measure("lwIP (C)", lwip, LWIP, "includes lwIP's fragmentation on send (ip4_frag)"));
        rows.add(measure("GoNet (Go)", gonet, GONET, ""));

        List<List<Object>> csv = new ArrayList<>();
        for (Row r : rows) {
            CodeMetrics.Metrics m = r.metrics();
            csv.add(m == null ? List.of(r.implementation(), "", "", "", "", "", "", "", r.note())
                    : List.of(r.implementation(), m.lines(), m.functions(), m.decisions(), m.cyclomatic(), m.memory(),
                            m.casts(), m.shared(), r.note()));
            console.println(m == null ? String.format("  %-22s not measured (%s)", r.implementation(), r.note())
                    : String.format("  %-22s lines %4d  functions %3d  cyclomatic %4d  memory ops %3d  casts %3d  "
                    + "shared state %2d", r.implementation(), m.lines(), m.functions(), m.cyclomatic(), m.memory(),
                    m.casts(), m.shared()));
        }
        out.csv("code.csv", List.of("implementation", "lines", "functions", "decisions", "cyclomatic",
                "memory_ops", "casts", "shared_state", "note"), csv);
        Plot plot = new Plot("Reassembly code (1 lines/10, 2 functions, 3 cyclomatic, 4 memory ops, 5 casts, "
                + "6 shared state)", "metric", "count", false, false);
        for (Row r : rows) {
            CodeMetrics.Metrics m = r.metrics();
            if (m != null) {
                plot.add(r.implementation(), List.of(new double[] {1, m.lines() / 10.0},
                        new double[] {2, m.functions()}, new double[] {3, m.cyclomatic()},
                        new double[] {4, m.memory()}, new double[] {5, m.casts()}, new double[] {6, m.shared()}));
            }
        }
        plot.write(out.dir().resolve("code.png"));
        return rows;
    }

    private static Row measure(String name, Path root, String file, String note) throws IOException {
        if (root == null) {
            return new Row(name, file, null, "not measured: pass a checkout with --"
                    + (name.startsWith("lwIP") ? "lwip" : "gonet") + " DIR");
        }
        Path p = root.resolve(file);
        if (!Files.exists(p)) {
            return new Row(name, file, null, "not measured: " + p + " does not exist");
        }
        return new Row(name, file, CodeMetrics.measure(Files.readString(p), CodeMetrics.languageOf(file)), note);
    }
}
