package org.cspstack.harness.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.cspstack.core.csp.NetworkGraph;
import org.cspstack.core.csp.ProcessNetwork;
import org.cspstack.core.link.MemoryLink;
import org.cspstack.protocols.services.Service;
import org.cspstack.protocols.stack.HostStack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cspstack graph}: the default stack's process network, drawn from its real wiring. */
@Command(name = "graph", mixinStandardHelpOptions = true,
        description = {"Prints the process network of the default stack (as 'run --services echo,discard,chargen' "
                + "builds it) from its own record of the wiring: text, Graphviz DOT, or SVG through 'dot'.",
            "With --live, asks a running 'cspstack run' instead (through its control socket): the same formats "
                + "with the dynamic processes alive now (reasm-N, tcp:PORT-...) and live channel counts."})
final class GraphCommand implements Callable<Integer> {
    @Option(names = "--format", defaultValue = "text", paramLabel = "text|dot|svg",
            description = "text (default), dot, or svg (needs Graphviz: apt-get install graphviz)")
    String format;

    @Option(names = "--live", arity = "0..1", paramLabel = "PID", fallbackValue = "0",
            description = "describe a running stack: the one with this PID, or the only one running when omitted")
    Long live;

    @picocli.CommandLine.Mixin
    KnobOptions knobs = new KnobOptions();

    @Override
    public Integer call() throws Exception {
        if (!java.util.List.of("text", "dot", "svg").contains(format)) {
            throw new Main.UserError("--format " + format + ": one of text, dot, svg");
        }
        if (live != null) {
            java.nio.file.Path socket = ControlEndpoint.find(ControlEndpoint.searchDirectories(),
                    live == 0 ? null : live);
            String snapshot;
            try {
                snapshot = ControlEndpoint.fetch(socket, format.equals("text") ? "text" : "dot");
            } catch (IOException e) {
                throw new Main.UserError("cannot read the snapshot from " + socket + ": " + e.getMessage()
                        + " (is the stack still running, and may this user open its socket?)");
            }
            System.out.print(format.equals("svg") ? svg(snapshot) : snapshot);
            return 0;
        }
        ProcessNetwork net = new ProcessNetwork("cspstack");
        MemoryLink wire = MemoryLink.create(net, "", "peer.");
        HostStack stack = HostStack.build(net, "", knobs.apply(DemoCommand.B), wire.endA());
        stack.addServices(EnumSet.allOf(Service.class));
        switch (format) {
            case "text" -> System.out.print(NetworkGraph.text(net));
            case "dot" -> System.out.print(NetworkGraph.dot(net));
            case "svg" -> System.out.print(svg(NetworkGraph.dot(net)));
            default -> throw new Main.UserError("--format " + format + ": one of text, dot, svg");
        }
        return 0;
    }

    static String svg(String dot) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("dot", "-Tsvg").start();
        } catch (IOException e) {
            throw new Main.UserError("SVG needs Graphviz's 'dot', which is not installed; install it (Debian: "
                    + "apt-get install graphviz) or use --format dot");
        }
        p.getOutputStream().write(dot.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new Main.UserError("dot failed: " + new String(p.getErrorStream().readAllBytes(),
                    StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
