package org.cspstack.protocols.stack;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.cspstack.protocols.ipv4.PerDatagramReassembly;
import org.cspstack.protocols.ipv4.ReassemblyStrategy;
import org.cspstack.protocols.ipv4.SingleReassembly;

/**
 * Which implementations can fill a role of the stack, by name: (role, name) to a factory. A role is a place in
 * the network with a fixed channel contract (for {@code reassembly}: {@link ReassemblyStrategy}); each entry
 * builds a different process structure behind that contract. The command line selects one per role
 * ({@code --process reassembly=single}), {@link StackConfig#withProcess} records it, {@link HostStack} builds it
 * and records it in the network's description, so graphs say what is wired.
 *
 * <p>The first entry of each role is its default.
 */
public final class ProcessRegistry {
    /** IPv4 reassembly ({@link ReassemblyStrategy}). */
    public static final String REASSEMBLY = "reassembly";

    /** One implementation of a role. */
    public record Entry(String role, String name, String description, Object factory) {
    }

    private static final Map<String, Map<String, Entry>> ROLES = new LinkedHashMap<>();

    static {
        register(REASSEMBLY, "per-datagram", "a process per datagram being reassembled (reasm-N), started by its "
                + "first fragment, ended when whole, dropped or late (GoNet-style)", PerDatagramReassembly.FACTORY);
        register(REASSEMBLY, "single", "one long-lived process (reasm) with a table of the datagrams in progress "
                + "and a timer at the earliest deadline (lwIP-style)", SingleReassembly.FACTORY);
    }

    private ProcessRegistry() {
    }

    private static void register(String role, String name, String description, Object factory) {
        ROLES.computeIfAbsent(role, r -> new LinkedHashMap<>()).put(name, new Entry(role, name, description, factory));
    }

    /** Every role, in registration order. */
    public static List<String> roles() {
        return List.copyOf(ROLES.keySet());
    }

    /** The implementations of {@code role}, the default first. */
    public static List<Entry> choices(String role) {
        return List.copyOf(entries(role).values());
    }

    /** The default implementation of {@code role}. */
    public static String defaultFor(String role) {
        return entries(role).keySet().iterator().next();
    }

    /**
     * The entry for (role, name); throws {@link IllegalArgumentException} naming the choices for an unknown
     * role or name.
     */
    public static Entry entry(String role, String name) {
        Entry e = entries(role).get(name);
        if (e == null) {
            throw new IllegalArgumentException("no " + role + " implementation '" + name + "'; choose one of: "
                    + String.join(", ", entries(role).keySet()));
        }
        return e;
    }

    /** The reassembly factory called {@code name}. */
    public static ReassemblyStrategy.Factory reassembly(String name) {
        return (ReassemblyStrategy.Factory) entry(REASSEMBLY, name).factory();
    }

    /**
     * Parses {@code ROLE=NAME}, checking both: returns the pair, or throws {@link IllegalArgumentException}
     * listing the choices.
     */
    public static Map.Entry<String, String> parse(String choice) {
        int eq = choice.indexOf('=');
        if (eq < 0) {
            throw new IllegalArgumentException("expected ROLE=NAME, such as reassembly=single; " + summary());
        }
        String role = choice.substring(0, eq).trim();
        String name = choice.substring(eq + 1).trim();
        entry(role, name);
        return Map.entry(role, name);
    }

    /** One line per role: {@code reassembly=per-datagram (default)|single}. */
    public static String summary() {
        List<String> lines = new ArrayList<>();
        for (String role : ROLES.keySet()) {
            lines.add(role + "=" + entries(role).keySet().stream()
                    .collect(Collectors.joining("|", "", "")).replaceFirst("^([^|]+)", "$1 (default)"));
        }
        return "roles: " + String.join("; ", lines);
    }

    /** Every role and implementation with its description, for help texts and the README. */
    public static String describe() {
        StringBuilder sb = new StringBuilder();
        for (String role : ROLES.keySet()) {
            for (Entry e : entries(role).values()) {
                sb.append(role).append('=').append(e.name())
                        .append(e.name().equals(defaultFor(role)) ? " (default)" : "").append(": ")
                        .append(e.description()).append('\n');
            }
        }
        return sb.toString();
    }

    private static Map<String, Entry> entries(String role) {
        Map<String, Entry> m = ROLES.get(role);
        if (m == null) {
            throw new IllegalArgumentException("no role '" + role + "'; roles: " + String.join(", ", ROLES.keySet()));
        }
        return Collections.unmodifiableMap(m);
    }
}
