package org.cspstack.core.csp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Generates a Promela model (for the spin model checker) of a {@link ProcessNetwork}'s wiring from its own
 * record: a process per process, a channel per channel with its real direction and kind, and messages abstracted
 * to a single token. {@link SpinCheck} runs spin on it to show that no deadlock (an invalid end state) is
 * reachable.
 *
 * <p><b>What is modelled, and why it is sound for deadlock.</b> A deadlock of the stack is a set of processes
 * each waiting, mid-step, to write to a channel that its reader will never read. The model keeps exactly what
 * decides that, the wiring, and abstracts everything else, so that spin explores it in seconds:
 * <ul>
 *   <li><b>Messages are one token type</b>, since whether a write waits depends only on the channel's kind and
 *       how full it is, never on the packet. Contents, protocol state and counters are gone.</li>
 *   <li><b>Bounded sources.</b> At most {@link Options#tokens} messages enter the network in a run (default
 *       4), from any sources in any order: a client's request, or a process's own step (a timer firing, a frame
 *       from outside the network, or a message on a channel the record does not hold, such as a dynamic
 *       process's input from its parent, which is always an upward channel that cannot block the parent). So
 *       the state space is finite and small, and every process eventually waits, at the top of its loop or
 *       blocked. Letting every process with an output take own steps, not only those with timers, only adds
 *       runs: a run in which fewer processes originate messages is still a run. The check is bounded: it covers
 *       every wiring state reachable with that many messages in flight. A deadlock that needs more (a cycle of
 *       k one-place blocking buffers needs 2k: a token in each buffer and one in each writer) is beyond it;
 *       raise the budget to look further (each extra token costs about five times the states).</li>
 *   <li><b>One write per read at most</b>: after each read (or own step) a process writes one token to any one
 *       of its outputs, chosen nondeterministically, or to none (the packet was consumed or dropped); a server
 *       also answers a request. Tokens are conserved or consumed, never multiplied. Every choice the real
 *       process can make about where a packet goes is among these.</li>
 *   <li><b>A step is atomic</b> (read, choice, write), which spares spin the interleavings of choices no other
 *       process can see. Promela ends an atomic sequence where it blocks, so a process that chose a write that
 *       cannot proceed stays blocked mid-step exactly as the real one does; and since a process never reads and
 *       writes the same channel, any other process's action between its read and its write could equally have
 *       happened before the read.</li>
 *   <li><b>Upward dropping writes never block</b>: {@code atomic { if :: nfull(c) -> c!1 :: full(c) -> skip
 *       fi }}, and the buffer has one place: the capacity only decides which token is dropped.</li>
 *   <li><b>Downward blocking buffers</b> are capped at {@link Options#blockingCapacity} places (default 1)
 *       instead of 64 or so: with a handful of tokens a writer then meets a full buffer, which in the real stack
 *       takes a full buffer of packets in flight. A smaller blocking buffer only makes its writer wait in more
 *       states (every state where the larger buffer is full has the smaller one full too), which is the
 *       conservative direction for a deadlock search. Rendezvous channels stay rendezvous.</li>
 *   <li><b>Clients and replies</b> (STYLE.md rule 3): a channel whose writer is {@code clients} gets one client
 *       process that writes a request and waits for the reply on its own reply channel, buffered with one
 *       place (its one outstanding request), so the server's reply never blocks.</li>
 *   <li><b>Dynamic processes</b> ({@code tcp:*}, {@code reasm-*}, named with a {@code *} in the record) are
 *       modelled as one instance each: they only ever write to shared channels, so more instances add writers
 *       of the same kinds to the same channels.</li>
 *   <li><b>Outside the network.</b> A channel whose other end is not a process of the network (the medium of a
 *       link) is the environment: writing to it never waits (the medium takes frames or loses them), reading
 *       from it is the process's own budget. Processes with no recorded channel (applications such as the
 *       services) act only through the client channels, and are listed in a comment.</li>
 *   <li><b>End states.</b> A process waiting at the top of its loop for its next input is a valid end state
 *       (the {@code end} label); a process blocked anywhere else, on a write, is an invalid end state: the
 *       deadlock spin looks for.</li>
 * </ul>
 * What the model does not check: liveness (that a packet is ever delivered), poison and termination, the
 * native receive call, and the number of dynamic processes.
 */
public final class PromelaModel {
    /** Writer name used by {@link ProcessNetwork#requests} for request channels. */
    public static final String CLIENTS = "clients";

    /** How hard to abstract. */
    public record Options(int tokens, int blockingCapacity) {
        public Options {
            if (tokens < 1 || tokens > 9) {
                throw new IllegalArgumentException("tokens (messages in a run) must be 1..9, not " + tokens);
            }
            if (blockingCapacity < 1 || blockingCapacity > 9) {
                throw new IllegalArgumentException("blocking capacity must be 1..9, not " + blockingCapacity);
            }
        }

        /** Four messages, one place per blocking buffer: verifies the default stack in seconds. */
        public static Options defaults() {
            return new Options(4, 1);
        }
    }

    private PromelaModel() {
    }

    /** The model of {@code net}'s wiring. */
    public static String promela(ProcessNetwork net, Options options) {
        return promela(net.name(), processNames(net), net.channels(), options);
    }

    /** The names of {@code net}'s static processes, in the order they were added. */
    public static List<String> processNames(ProcessNetwork net) {
        List<String> names = new ArrayList<>();
        for (ProcessSpec p : net.processes()) {
            names.add(p.name());
        }
        return names;
    }

    /**
     * The channels with the two between processes {@code a} and {@code b} (either direction) turned into
     * rendezvous: the wiring STYLE.md §4 forbids, for showing that the checker finds its deadlock.
     *
     * @throws IllegalArgumentException when no channel joins {@code a} to {@code b} in either direction
     */
    public static List<ChannelSpec> miswire(List<ChannelSpec> channels, String a, String b) {
        List<ChannelSpec> out = new ArrayList<>();
        boolean aToB = false;
        boolean bToA = false;
        for (ChannelSpec c : channels) {
            boolean ab = writers(c).contains(a) && c.reader().equals(b);
            boolean ba = writers(c).contains(b) && c.reader().equals(a);
            aToB |= ab;
            bToA |= ba;
            out.add(ab || ba ? new ChannelSpec(c.name(), c.writer(), c.reader(), ChannelKind.RENDEZVOUS, 0,
                    c.stats()) : c);
        }
        if (!aToB || !bToA) {
            throw new IllegalArgumentException("no channel " + (aToB ? b + " -> " + a : a + " -> " + b)
                    + " in the network; --miswire takes two processes joined both ways, such as ip,tcp");
        }
        return out;
    }

    /** The writer process names of a channel ({@code "tcp,tcp:*"} has two). */
    static List<String> writers(ChannelSpec c) {
        List<String> w = new ArrayList<>();
        for (String s : c.writer().split(",")) {
            if (!s.isBlank()) {
                w.add(s.trim());
            }
        }
        return w;
    }

    /** A modelled process: its inputs and outputs among the modelled channels. */
    private static final class Proc {
        final String name;
        final String id;
        final List<ChannelSpec> inputs = new ArrayList<>();
        final List<ChannelSpec> requests = new ArrayList<>();
        final List<ChannelSpec> outputs = new ArrayList<>();
        final List<ChannelSpec> toOutside = new ArrayList<>();
        final List<ChannelSpec> fromOutside = new ArrayList<>();

        Proc(String name, String id) {
            this.name = name;
            this.id = id;
        }
    }

    /** The model of a wiring given as process names and channels (the record, or a variant of it). */
    public static String promela(String networkName, List<String> staticProcesses, List<ChannelSpec> channels,
                                 Options options) {
        Names names = new Names();
        Map<String, Proc> procs = new LinkedHashMap<>();
        Set<String> known = new LinkedHashSet<>(staticProcesses);
        // Processes that are an end of some channel: static ones in their order, then dynamic ones (name with *).
        Set<String> ends = new LinkedHashSet<>();
        for (ChannelSpec c : channels) {
            ends.addAll(writers(c));
            ends.add(c.reader());
        }
        for (String p : staticProcesses) {
            if (ends.contains(p)) {
                procs.put(p, new Proc(p, names.id(p)));
            }
        }
        for (String e : ends) {
            if (e.contains("*") && !procs.containsKey(e)) {
                procs.put(e, new Proc(e, names.id(e)));
                known.add(e);
            }
        }
        Map<ChannelSpec, String> chanIds = new LinkedHashMap<>();
        Map<ChannelSpec, String> replyIds = new LinkedHashMap<>();
        List<ChannelSpec> clientChannels = new ArrayList<>();
        for (ChannelSpec c : channels) {
            Proc reader = procs.get(c.reader());
            List<Proc> ws = new ArrayList<>();
            for (String w : writers(c)) {
                if (procs.containsKey(w)) {
                    ws.add(procs.get(w));
                }
            }
            boolean fromClients = writers(c).equals(List.of(CLIENTS));
            if (reader == null) {
                for (Proc w : ws) {
                    w.toOutside.add(c);
                }
                continue;
            }
            if (fromClients) {
                chanIds.put(c, names.id(c.name()));
                replyIds.put(c, names.id(chanIds.get(c) + "_reply"));
                clientChannels.add(c);
                reader.requests.add(c);
                continue;
            }
            if (ws.isEmpty()) {
                reader.fromOutside.add(c);
                continue;
            }
            chanIds.put(c, names.id(c.name()));
            reader.inputs.add(c);
            for (Proc w : ws) {
                w.outputs.add(c);
            }
        }
        List<String> unmodelled = new ArrayList<>();
        for (String p : staticProcesses) {
            if (!procs.containsKey(p)) {
                unmodelled.add(p);
            }
        }

        StringBuilder sb = new StringBuilder();
        header(sb, networkName, options, unmodelled);
        sb.append("#define TOKENS ").append(options.tokens())
                .append("   /* messages that enter the network in a run, from any sources */\n");
        sb.append("byte budget = TOKENS;\n\n");
        sb.append("/* an upward write (rule 1) never blocks: it drops the token when the buffer is full */\n");
        sb.append("#define up(c)  atomic { if :: nfull(c) -> c!1 :: full(c) -> skip fi }\n\n");
        sb.append("/* channels: name (writer -> reader, kind, real capacity) */\n");
        for (Map.Entry<ChannelSpec, String> e : chanIds.entrySet()) {
            ChannelSpec c = e.getKey();
            sb.append("chan ").append(e.getValue()).append(" = [").append(modelCapacity(c, options))
                    .append("] of { bit };   /* ").append(describe(c)).append(" */\n");
            if (clientChannels.contains(c)) {
                sb.append("chan ").append(replyIds.get(c)).append(" = [1] of { bit };   /* replies to ")
                        .append(c.name()).append("'s client: one place per outstanding request */\n");
            }
        }
        for (Proc p : procs.values()) {
            sb.append('\n');
            process(sb, p, chanIds, replyIds);
        }
        for (ChannelSpec c : clientChannels) {
            sb.append('\n');
            client(sb, c, chanIds.get(c), replyIds.get(c), names);
        }
        return sb.toString();
    }

    private static void header(StringBuilder sb, String networkName, Options o, List<String> unmodelled) {
        sb.append("/*\n");
        sb.append(" * Promela model of the wiring of process network '").append(networkName)
                .append("', generated by cspstack\n");
        sb.append(" * (org.cspstack.core.csp.PromelaModel) from the network's own record of its channels.\n");
        sb.append(" * Check: spin -a model.pml && gcc -O1 -DSAFETY -o pan pan.c && ./pan -m200000\n");
        sb.append(" * (errors: 0: no invalid end state, that is no deadlock, is reachable), or cspstack model --check.\n");
        sb.append(" *\n");
        sb.append(" * Abstractions (each keeps every deadlock of the real wiring reachable here):\n");
        sb.append(" * - messages are one token type: whether a write waits depends on the channel, not the packet;\n");
        sb.append(" * - at most TOKENS messages enter the network in a run, from any sources in any order: a client's\n");
        sb.append(" *   request or a process's own step (a timer, a frame from outside, a message on a channel the record\n");
        sb.append(" *   does not hold, such as a dynamic process's input from its parent, which is upward and cannot block\n");
        sb.append(" *   the parent): the state space is finite, and the check covers every state reachable with TOKENS\n");
        sb.append(" *   messages;\n");
        sb.append(" * - each read or own step writes one token to one output of the process's choice, or to none;\n");
        sb.append(" * - a step (read, choice, write) is atomic: Promela ends the atomic sequence where the write\n");
        sb.append(" *   blocks, so the process stays blocked mid-step as the real one does; only interleavings of\n");
        sb.append(" *   invisible local choices are spared;\n");
        sb.append(" * - upward dropping writes never block (macro up); their buffers have 1 place (the capacity only\n");
        sb.append(" *   decides which token is dropped);\n");
        sb.append(" * - downward blocking buffers have ").append(o.blockingCapacity())
                .append(" place(s) instead of their real capacity: a smaller blocking buffer\n");
        sb.append(" *   only makes its writer wait in more states; rendezvous channels stay rendezvous;\n");
        sb.append(" * - a request channel from clients gets one client process and a reply channel with one place per\n");
        sb.append(" *   outstanding request (1), so the server's reply never blocks (rule 3);\n");
        sb.append(" * - a dynamic process (name with *) is one instance: more instances only add writers of the same\n");
        sb.append(" *   kinds to the same shared channels;\n");
        sb.append(" * - a channel to or from outside the network (a link's medium) never blocks its writer here;\n");
        sb.append(" * - waiting for input at the top of the loop (label end) is a valid end state; waiting anywhere\n");
        sb.append(" *   else (blocked on a write) is an invalid end state, which spin reports: a deadlock.\n");
        if (!unmodelled.isEmpty()) {
            sb.append(" * Processes with no recorded channel (clients through the request channels):\n *   ")
                    .append(String.join(", ", unmodelled)).append(".\n");
        }
        sb.append(" */\n\n");
    }

    private static int modelCapacity(ChannelSpec c, Options o) {
        return switch (c.kind()) {
            case RENDEZVOUS -> 0;
            case UPWARD_DROPPING, REPLY -> 1;
            case DOWNWARD_BLOCKING -> Math.min(c.capacity(), o.blockingCapacity());
        };
    }

    private static String describe(ChannelSpec c) {
        return c.name() + " (" + c.writer() + " -> " + c.reader() + ", " + c.kind().name().toLowerCase(Locale.ROOT)
                + ", " + (c.capacity() == 0 ? "rendezvous" : "capacity " + c.capacity()) + ")";
    }

    private static void process(StringBuilder sb, Proc p, Map<ChannelSpec, String> chanIds,
                                Map<ChannelSpec, String> replyIds) {
        sb.append("/* ").append(p.name);
        if (!p.fromOutside.isEmpty()) {
            sb.append("; from outside (own steps): ").append(names(p.fromOutside));
        }
        if (!p.toOutside.isEmpty()) {
            sb.append("; to outside (never blocks, not modelled): ").append(names(p.toOutside));
        }
        sb.append(" */\n");
        boolean own = !p.outputs.isEmpty();
        if (!own && p.inputs.isEmpty() && p.requests.isEmpty()) {
            sb.append("/* nothing to model: no input and no output within the network */\n");
            return;
        }
        sb.append("active proctype ").append(p.id).append("() {\n");
        if (!p.requests.isEmpty()) {
            sb.append("    byte asked = 0;   /* which request awaits its reply */\n");
        }
        // Channel assertions (this process is the only reader / writer) help spin's partial-order reduction;
        // spin allows them only on buffered channels whose writer does not test full() (so not on rendezvous
        // or upward dropping ones) and with a single writer.
        for (ChannelSpec c : p.inputs) {
            if (assertable(c)) {
                sb.append("    xr ").append(chanIds.get(c)).append(";\n");
            }
        }
        for (ChannelSpec c : p.outputs) {
            if (assertable(c)) {
                sb.append("    xs ").append(chanIds.get(c)).append(";\n");
            }
        }
        for (ChannelSpec c : p.requests) {
            sb.append("    xs ").append(replyIds.get(c)).append(";\n");
        }
        sb.append("end:\n    atomic {\n        if\n");
        for (ChannelSpec c : p.inputs) {
            sb.append("        :: ").append(chanIds.get(c)).append("?_\n");
        }
        for (int i = 0; i < p.requests.size(); i++) {
            sb.append("        :: ").append(chanIds.get(p.requests.get(i))).append("?_ -> asked = ").append(i + 1)
                    .append('\n');
        }
        if (own) {
            sb.append("        :: budget > 0 -> budget--   /* own step */\n");
        }
        sb.append("        fi;\n");
        if (!p.outputs.isEmpty()) {
            // 'true ->' commits to the output first: the write may then block, mid-step (not an end state).
            sb.append("        if\n        :: skip   /* consumed or dropped */\n");
            for (ChannelSpec c : p.outputs) {
                String id = chanIds.get(c);
                sb.append("        :: ").append(c.kind() == ChannelKind.UPWARD_DROPPING ? "up(" + id + ")"
                        : "true -> " + id + "!1").append('\n');
            }
            sb.append("        fi;\n");
        }
        if (!p.requests.isEmpty()) {
            // The reply comes after the write, so a client also waits while its server is blocked.
            sb.append("        if\n");
            for (int i = 0; i < p.requests.size(); i++) {
                sb.append("        :: asked == ").append(i + 1).append(" -> asked = 0; ")
                        .append(replyIds.get(p.requests.get(i))).append("!1\n");
            }
            sb.append("        :: else -> skip\n        fi\n");
        }
        sb.append("    };\n    goto end\n}\n");
    }

    private static boolean assertable(ChannelSpec c) {
        return writers(c).size() == 1 && c.kind() != ChannelKind.UPWARD_DROPPING && c.kind() != ChannelKind.RENDEZVOUS
                && c.capacity() > 0;
    }

    private static void client(StringBuilder sb, ChannelSpec c, String id, String replyId, Names names) {
        sb.append("/* a client of ").append(c.reader()).append(": a request on ").append(c.name())
                .append(", then wait for the reply */\n");
        sb.append("active proctype ").append(names.id("client_" + c.name())).append("() {\n");
        sb.append("    xr ").append(replyId).append(";\n");
        sb.append("end:\n    atomic { budget > 0 -> budget--; ").append(id).append("!1 };\n    ")
                .append(replyId).append("?_;\n    goto end\n}\n");
    }

    private static String names(List<ChannelSpec> cs) {
        List<String> n = new ArrayList<>();
        for (ChannelSpec c : cs) {
            n.add(c.name());
        }
        return String.join(", ", n);
    }

    /** Promela identifiers: unique, legal, not keywords. */
    private static final class Names {
        private static final Set<String> KEYWORDS = Set.of("active", "assert", "atomic", "bit", "bool", "break",
                "byte", "chan", "d_step", "D_proctype", "do", "else", "empty", "enabled", "eval", "false", "fi",
                "for", "full", "get_priority", "goto", "hidden", "if", "in", "init", "inline", "int", "len",
                "local", "ltl", "mtype", "nempty", "never", "nfull", "notrace", "np_", "od", "of", "pc_value",
                "pid", "print", "printf", "printm", "priority", "proctype", "provided", "run", "select",
                "set_priority", "short", "show", "skip", "timeout", "trace", "true", "typedef", "unless",
                "unsigned", "xr", "xs", "end", "asked", "budget", "up", "TOKENS");
        private final Set<String> used = new LinkedHashSet<>();

        String id(String name) {
            StringBuilder sb = new StringBuilder();
            for (char ch : name.toCharArray()) {
                if (ch == '*') {
                    sb.append("any");
                } else if (Character.isLetterOrDigit(ch) && ch < 128 || ch == '_') {
                    sb.append(ch);
                } else {
                    sb.append('_');
                }
            }
            String base = sb.length() == 0 || Character.isDigit(sb.charAt(0)) ? "p_" + sb : sb.toString();
            if (KEYWORDS.contains(base)) {
                base = base + "_";
            }
            String id = base;
            for (int i = 2; !used.add(id); i++) {
                id = base + i;
            }
            return id;
        }
    }
}
