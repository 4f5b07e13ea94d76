package org.cspstack.harness.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;

import org.cspstack.core.csp.ChannelSpec;
import org.cspstack.core.csp.NetworkGraph;
import org.cspstack.core.csp.ProcessNetwork;
import org.cspstack.core.csp.ProcessSpec;
import org.cspstack.core.link.MemoryLink;
import org.cspstack.protocols.services.Service;
import org.cspstack.protocols.stack.HostStack;
import org.junit.jupiter.api.Test;

/**
 * {@code cspstack graph --format svg} draws every process and every channel of the default stack. Needs
 * Graphviz's {@code dot}: without it this fails under CI=true (scripts/test.sh installs graphviz) and is
 * skipped, loudly, elsewhere.
 */
class GraphCommandTest {

    private static boolean dotInstalled() {
        try {
            Process p = new ProcessBuilder("dot", "-V").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void requireDot() {
        String message = "Graphviz's dot not found: the SVG graph cannot be drawn; apt-get install graphviz"
                + " (scripts/test.sh installs it as root)";
        RequiredTool.require(dotInstalled(), message);
    }

    /** A name as Graphviz writes it in SVG text (it escapes '-' and the XML specials). */
    private static String inSvg(String name) {
        return name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("-", "&#45;");
    }

    @Test
    void svgOfTheDefaultStackNamesEveryProcessAndChannel() throws Exception {
        requireDot();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        int code;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            code = Main.execute("graph", "--format", "svg");
        } finally {
            System.setOut(saved);
        }
        assertEquals(0, code);
        String svg = bytes.toString(StandardCharsets.UTF_8);
        assertThat(svg, containsString("<svg"));
        assertThat(svg, containsString("</svg>"));

        // The same network the command draws: every process and channel appears in the picture.
        ProcessNetwork net = new ProcessNetwork("cspstack");
        MemoryLink wire = MemoryLink.create(net, "", "peer.");
        HostStack stack = HostStack.build(net, "", DemoCommand.B, wire.endA());
        stack.addServices(EnumSet.allOf(Service.class));
        for (ProcessSpec p : net.processes()) {
            assertThat("process " + p.name(), svg, containsString(">" + inSvg(p.name()) + "<"));
        }
        for (ChannelSpec c : net.channels()) {
            if (c.writer().startsWith("peer.") || c.reader().startsWith("peer.")) {
                continue; // the simulated medium's own channel, outside the stack
            }
            assertThat("channel " + c.name(), svg, containsString(">" + inSvg(c.name()) + "<"));
        }
        assertEquals(svg, svg.strip() + "\n", "one SVG document, nothing else on stdout");
        assertThat(NetworkGraph.dot(net), containsString("digraph"));
    }
}
