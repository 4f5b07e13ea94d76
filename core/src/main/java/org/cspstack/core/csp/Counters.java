package org.cspstack.core.csp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The counters of one process (or one channel), in the order they were declared. A layer declares its own as
 * fields, {@code final Counter malformedDropped = counter("malformedDropped");}, so code names them directly
 * and printers list them all without reflection.
 */
public class Counters {
    private final String owner;
    private final List<Counter> all = new ArrayList<>();

    public Counters(String owner) {
        this.owner = owner;
    }

    /** Declares a counter; call from field initialisers only (before the process starts). */
    protected final Counter counter(String name) {
        Counter c = new Counter(name);
        all.add(c);
        return c;
    }

    public String owner() {
        return owner;
    }

    public List<Counter> all() {
        return Collections.unmodifiableList(all);
    }

    /** The value of a counter by name; throws for an unknown name so that a typo in a test fails loudly. */
    public long get(String name) {
        for (Counter c : all) {
            if (c.name().equals(name)) {
                return c.get();
            }
        }
        throw new IllegalArgumentException(owner + " has no counter '" + name + "'");
    }

    /** A snapshot, name to value, in declaration order. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Counter c : all) {
            m.put(c.name(), c.get());
        }
        return m;
    }

    /** The non-zero counters as {@code owner: a=1 b=2}, or {@code owner: -} when all are zero. */
    public String summary() {
        StringBuilder sb = new StringBuilder(owner).append(':');
        boolean any = false;
        for (Counter c : all) {
            if (c.get() != 0) {
                sb.append(' ').append(c.name()).append('=').append(c.get());
                any = true;
            }
        }
        if (!any) {
            sb.append(" -");
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return summary();
    }
}
