package org.cspstack.harness.experiments;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one step of a longer job on a thread of its own and stops it when its time is up (the shell of
 * {@link TimeBudget}). Stopping is clean in the sense that matters for the lab: the step's thread is interrupted,
 * every process this JVM started and that still runs (the step's {@code ping}, {@code nc}, senders, receivers and
 * servers, in whatever namespace) gets SIGTERM, then SIGKILL {@value #KILL_GRACE_SECONDS} s later, and the step's
 * own {@code finally} blocks then stop its stack and close its pcap handle. The namespaces and links are left as
 * {@code scripts/lab.sh} made them. Steps run one at a time, so every child process of the JVM is the running
 * step's.
 *
 * <p>Limitation: a step that ignores interrupts and waits on nothing this class can kill (a busy loop in the JVM)
 * keeps running on its daemon thread after {@value #JOIN_GRACE_SECONDS} s; the caller is told and goes on.
 */
public final class BoundedStep {
    static final long KILL_GRACE_SECONDS = 3;
    static final long JOIN_GRACE_SECONDS = 20;

    private BoundedStep() {
    }

    /** The step's work. */
    @FunctionalInterface
    public interface Body<T> {
        T run() throws Exception;
    }

    /** What a step came to: its value, or stopped at its time limit (value null). */
    public record Outcome<T>(T value, boolean stopped) {
    }

    /**
     * Runs {@code body} on a thread named {@code name} for at most {@code allowance}. Returns its value, or an
     * outcome marked stopped when the allowance ran out; an exception of the body that ends it in time is thrown
     * here (with the step's stack trace as its cause when it is not an {@link Exception}).
     */
    public static <T> Outcome<T> run(String name, Duration allowance, Body<T> body, PrintStream console)
            throws Exception {
        AtomicReference<T> value = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                value.set(body.run());
            } catch (Throwable e) {
                failure.set(e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        t.join(Math.max(1, allowance.toMillis()));
        if (!t.isAlive()) {
            Throwable e = failure.get();
            if (e instanceof Exception x) {
                throw x;
            }
            if (e != null) {
                throw new IllegalStateException("step " + name + " failed: " + e, e);
            }
            return new Outcome<>(value.get(), false);
        }
        console.println(name + ": time is up after " + TimeBudget.text(allowance) + "; stopping it");
        t.interrupt();
        // Kill again while the step unwinds: it may start a process between two checks of its interrupt.
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(JOIN_GRACE_SECONDS);
        int killed = 0;
        do {
            killed += killChildProcesses();
            t.join(1000);
        } while (t.isAlive() && System.nanoTime() - end < 0);
        console.println(name + ": stopped (" + killed + " child process" + (killed == 1 ? "" : "es") + " ended)"
                + (t.isAlive() ? "; its thread did not end within " + JOIN_GRACE_SECONDS + " s and is left behind"
                        : ""));
        return new Outcome<>(null, true);
    }

    /** Ends every live descendant of this JVM: SIGTERM, then SIGKILL for those still alive. Returns how many. */
    static int killChildProcesses() throws InterruptedException {
        List<ProcessHandle> all = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList();
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(KILL_GRACE_SECONDS);
        for (ProcessHandle p : all) {
            try {
                p.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                p.destroyForcibly();
            }
        }
        return all.size();
    }
}
