package org.cspstack.core.csp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class PromelaModelTest {
    /**
     * A tiny stack: low (fed from outside, sending to outside) below high; high has clients and dynamic children
     * that share its downward channel; an application process with no recorded channel.
     */
    private static ProcessNetwork tiny() {
        ProcessNetwork net = new ProcessNetwork("tiny");
        net.upward("fromWire", "peer", "low", 16);
        net.downward("toWire", "low", "peer", 8);
        net.upward("lowToHigh", "low", "high", 512);
        net.downwardShared("highToLow", "high,high:*", "low", 64);
        net.upwardShared("childToHigh", "high:*", "high", 512);
        net.requests("appsToHigh", "high");
        net.process("low", () -> { }, null);
        net.process("high", () -> { }, null);
        net.process("app", () -> { }, null);
        return net;
    }

    private static List<String> lines(String model) {
        return List.of(model.split("\n"));
    }

    @Test
    void declaresEachChannelWithItsModelBufferingAndRealDescription() {
        List<String> l = lines(PromelaModel.promela(tiny(), PromelaModel.Options.defaults()));
        List<String> chans = l.stream().filter(s -> s.startsWith("chan ")).toList();
        assertEquals(List.of(
                "chan lowToHigh = [1] of { bit };   /* lowToHigh (low -> high, upward_dropping, capacity 512) */",
                "chan highToLow = [1] of { bit };   /* highToLow (high,high:* -> low, downward_blocking, capacity 64) */",
                "chan childToHigh = [1] of { bit };   /* childToHigh (high:* -> high, upward_dropping, capacity 512) */",
                "chan appsToHigh = [0] of { bit };   /* appsToHigh (clients -> high, rendezvous, rendezvous) */",
                "chan appsToHigh_reply = [1] of { bit };   /* replies to appsToHigh's client: one place per "
                        + "outstanding request */"), chans);
        assertTrue(l.contains("#define TOKENS 4   /* messages that enter the network in a run, from any sources */"));
        assertTrue(l.contains("byte budget = TOKENS;"));
    }

    @Test
    void capsBlockingBuffersAtTheOptionButNeverAboveTheRealCapacity() {
        ProcessNetwork net = new ProcessNetwork("caps");
        net.downward("aToB", "a", "b", 64);
        net.downward("aToC", "a", "c", 2);
        net.downward("aToD", "a", "d", 0);
        for (String p : List.of("a", "b", "c", "d")) {
            net.process(p, () -> { }, null);
        }
        List<String> l = lines(PromelaModel.promela(net, new PromelaModel.Options(2, 3)));
        assertTrue(l.contains("chan aToB = [3] of { bit };   /* aToB (a -> b, downward_blocking, capacity 64) */"));
        assertTrue(l.contains("chan aToC = [2] of { bit };   /* aToC (a -> c, downward_blocking, capacity 2) */"));
        assertTrue(l.contains("chan aToD = [0] of { bit };   /* aToD (a -> d, rendezvous, rendezvous) */"));
        assertTrue(l.contains("#define TOKENS 2   /* messages that enter the network in a run, from any sources */"));
    }

    @Test
    void upwardWritesDropAndBlockingWritesCommitBeforeTheyMayBlock() {
        String m = PromelaModel.promela(tiny(), PromelaModel.Options.defaults());
        String low = proctype(m, "low");
        assertTrue(low.contains("        :: up(lowToHigh)\n"), low);
        assertTrue(low.contains("        :: highToLow?_\n"), low);
        assertTrue(low.contains("        :: budget > 0 -> budget--   /* own step */\n"), low);
        assertFalse(low.contains("    xr highToLow;\n"), "shared channel: no xr assertion\n" + low);
        String high = proctype(m, "high");
        assertTrue(high.contains("        :: true -> highToLow!1\n"), high);
        assertTrue(high.contains("        :: appsToHigh?_ -> asked = 1\n"), high);
        assertTrue(high.contains("        :: asked == 1 -> asked = 0; appsToHigh_reply!1\n"), high);
        assertTrue(m.contains("#define up(c)  atomic { if :: nfull(c) -> c!1 :: full(c) -> skip fi }\n"));
        assertTrue(high.startsWith("active proctype high() {\n"), high);
        assertTrue(high.contains("end:\n    atomic {\n"), high);
    }

    @Test
    void modelsDynamicProcessesClientsAndTheOutside() {
        String m = PromelaModel.promela(tiny(), PromelaModel.Options.defaults());
        String child = proctype(m, "high_any");
        assertTrue(child.contains("        :: true -> highToLow!1\n"), child);
        assertTrue(child.contains("        :: up(childToHigh)\n"), child);
        String client = proctype(m, "client_appsToHigh");
        assertEquals("active proctype client_appsToHigh() {\n    xr appsToHigh_reply;\nend:\n"
                + "    atomic { budget > 0 -> budget--; appsToHigh!1 };\n    appsToHigh_reply?_;\n    goto end\n}\n",
                client);
        assertTrue(m.contains("/* low; from outside (own steps): fromWire; to outside (never blocks, not modelled): "
                + "toWire */\n"), m);
        assertFalse(m.contains("chan fromWire"), m);
        assertFalse(m.contains("chan toWire"), m);
        assertTrue(m.contains(" * Processes with no recorded channel (clients through the request channels):\n"
                + " *   app.\n"), m);
        assertFalse(m.contains("proctype app("), m);
    }

    @Test
    void miswireTurnsBothDirectionsBetweenTwoProcessesIntoRendezvous() {
        ProcessNetwork net = tiny();
        List<ChannelSpec> wrong = PromelaModel.miswire(net.channels(), "low", "high");
        String m = PromelaModel.promela("tiny", PromelaModel.processNames(net), wrong,
                PromelaModel.Options.defaults());
        assertTrue(m.contains("chan lowToHigh = [0] of { bit };   /* lowToHigh (low -> high, rendezvous, "
                + "rendezvous) */\n"), m);
        assertTrue(m.contains("chan highToLow = [0] of { bit };   /* highToLow (high,high:* -> low, rendezvous, "
                + "rendezvous) */\n"), m);
        assertTrue(proctype(m, "low").contains("        :: true -> lowToHigh!1\n"), m);
        assertTrue(m.contains("chan childToHigh = [1] of"), "other channels unchanged\n" + m);
        assertThrows(IllegalArgumentException.class, () -> PromelaModel.miswire(net.channels(), "low", "app"));
    }

    @Test
    void namesBecomeUniqueLegalPromelaIdentifiers() {
        ProcessNetwork net = new ProcessNetwork("names");
        net.upward("a.link->eth", "a.link-rx", "if", 4);
        net.downward("a_link__eth", "if", "a.link-rx", 4);
        net.process("a.link-rx", () -> { }, null);
        net.process("if", () -> { }, null);
        String m = PromelaModel.promela(net, PromelaModel.Options.defaults());
        assertTrue(m.contains("chan a_link__eth = [1] of"), m);
        assertTrue(m.contains("chan a_link__eth2 = [1] of"), m);
        assertTrue(m.contains("active proctype a_link_rx() {"), m);
        assertTrue(m.contains("active proctype if_() {"), m);
    }

    @Test
    void rejectsBudgetsOutsideOneToNine() {
        assertThrows(IllegalArgumentException.class, () -> new PromelaModel.Options(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new PromelaModel.Options(10, 1));
        assertThrows(IllegalArgumentException.class, () -> new PromelaModel.Options(4, 0));
    }

    /** The text of one proctype, from its "active proctype" line to its closing brace. */
    private static String proctype(String model, String id) {
        int start = model.indexOf("active proctype " + id + "() {");
        assertTrue(start >= 0, "no proctype " + id + " in\n" + model);
        int end = model.indexOf("\n}\n", start);
        return model.substring(start, end + 3);
    }
}
