package org.cspstack.core.csp;

/**
 * One named count, written by one process and read by anyone at any time (the harness, a stats printer).
 * Single-writer: {@link #increment()} is a plain read-modify-write of a volatile field, which is exact as long
 * as only the owning process writes, and always gives readers a value that was current at some instant.
 */
public final class Counter {
    private static final java.lang.invoke.VarHandle VALUE;

    static {
        try {
            VALUE = java.lang.invoke.MethodHandles.lookup().findVarHandle(Counter.class, "value", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;
    private volatile long value;

    Counter(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public long get() {
        return value;
    }

    public void increment() {
        value = value + 1;
    }

    public void add(long n) {
        value = value + n;
    }

    /**
     * An atomic add, for the few counts with many writers (the time the writers of a shared channel spend
     * blocked). Costs a locked instruction; single-writer counts use {@link #add(long)}.
     */
    public void addConcurrently(long n) {
        VALUE.getAndAdd(this, n);
    }

    /** For gauges such as "bytes held now": the owner sets the current value. */
    public void set(long v) {
        value = v;
    }

    /** For high-water marks: keeps the larger of the current and the given value. */
    public void max(long v) {
        if (v > value) {
            value = v;
        }
    }

    @Override
    public String toString() {
        return name + "=" + value;
    }
}
