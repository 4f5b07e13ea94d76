package org.cspstack.core.csp;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.jcsp.lang.CSProcess;
import org.jcsp.lang.PoisonException;

/**
 * Runs a {@link ProcessNetwork}: one thread per process, platform or virtual.
 *
 * <p>Unlike JCSP's {@code Parallel}, which prints and swallows an exception thrown by a process body (the
 * network then looks deadlocked), the runner wraps every body:
 * <ul>
 *   <li>{@link PoisonException} is the normal end of a process;</li>
 *   <li>any other exception or error is logged with the process's name, remembered as the network's failure,
 *       and the whole network is shut down by poison; {@link #exitCode()} is then 1.</li>
 * </ul>
 * {@link #shutdown()} poisons every channel of the network and runs its shutdown hooks (which wake a link's
 * receiver from native code); {@link #awaitTermination(Duration)} joins every thread, static and dynamic.
 */
public final class ProcessRunner {
    private static final System.Logger LOG = System.getLogger(ProcessRunner.class.getName());

    private final ProcessNetwork network;
    private final Threading threading;
    private final Threading dynamicThreading;
    private final List<Thread> threads = new ArrayList<>();
    private final Map<Long, DynamicProcess> dynamic = new ConcurrentHashMap<>();
    private final AtomicLong dynamicIds = new AtomicLong();
    private final AtomicLong dynamicStarted = new AtomicLong();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean shutdown = new AtomicBoolean();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile String failedProcess;

    /** A process started while the network runs: its name, kind of work and thread. */
    public record DynamicProcess(long id, String name, String kind, Thread thread) {
    }

    /**
     * Runs the network's processes on {@code threading}, and the dynamic ones: long-lived ones (a TCP connection)
     * on {@code threading} too, short-lived ones (a reassembly) on {@link Threading#forDynamic()}.
     */
    public ProcessRunner(ProcessNetwork network, Threading threading) {
        this(network, threading, Threading.forDynamic());
    }

    /**
     * Static and long-lived dynamic processes on {@code threading}, short-lived dynamic ones on
     * {@code dynamicThreading}.
     */
    public ProcessRunner(ProcessNetwork network, Threading threading, Threading dynamicThreading) {
        this.network = network;
        this.threading = threading;
        this.dynamicThreading = dynamicThreading;
    }

    /** What short-lived dynamic processes run on. */
    public Threading dynamicThreading() {
        return dynamicThreading;
    }

    public ProcessNetwork network() {
        return network;
    }

    public Threading threading() {
        return threading;
    }

    /** Starts every process of the network, once. */
    public void start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("network " + network.name() + " already started");
        }
        network.attach(this);
        synchronized (threads) {
            for (ProcessSpec p : network.processes()) {
                Threading kind = p.blocksInNative() ? Threading.PLATFORM : threading;
                Thread t = kind.newThread(p.name(), () -> body(p.name(), p.process()));
                threads.add(t);
            }
            for (Thread t : threads) {
                t.start();
            }
        }
    }

    /**
     * Starts a short-lived process while the network runs (a reassembly), on {@link #dynamicThreading()}.
     * {@code kind} groups such processes in descriptions. Returns false, starting nothing, once the network is
     * shutting down.
     */
    public boolean spawn(String name, String kind, CSProcess process) {
        return spawn(name, kind, process, false);
    }

    /**
     * Starts a process while the network runs; a {@code longLived} one (a TCP connection, which carries every
     * segment of its flow for as long as it lasts) on the layers' {@link #threading()}, since it is as busy as a
     * layer, a short-lived one on {@link #dynamicThreading()}, where starting is cheap. Why: a bulk TCP receive
     * with the connection and its reader on virtual threads ran 6-12 % slower than on platform threads (4 A/B
     * pairs, papers/perf): every channel hand-over between a layer's platform thread and a virtual thread that
     * waits on the channel's monitor goes through the JDK's unblocker thread.
     */
    public boolean spawn(String name, String kind, CSProcess process, boolean longLived) {
        if (shutdown.get()) {
            return false;
        }
        long id = dynamicIds.incrementAndGet();
        Thread t = (longLived ? threading : dynamicThreading).newThread(name, () -> {
            try {
                body(name, process);
            } finally {
                dynamic.remove(id);
            }
        });
        dynamic.put(id, new DynamicProcess(id, name, kind, t));
        dynamicStarted.incrementAndGet();
        t.start();
        return true;
    }

    /** The dynamic processes alive now. */
    public List<DynamicProcess> liveDynamic() {
        return List.copyOf(dynamic.values());
    }

    /** How many dynamic processes were ever started. */
    public long dynamicStarted() {
        return dynamicStarted.get();
    }

    private void body(String name, CSProcess process) {
        try {
            process.run();
        } catch (PoisonException normalEnd) {
            // The network is shutting down; the process has poisoned what it holds.
        } catch (Throwable t) {
            if (failure.compareAndSet(null, t)) {
                failedProcess = name;
            }
            LOG.log(Level.ERROR, "process " + name + " of " + network.name() + " failed; shutting the network down", t);
            shutdown();
        }
    }

    /** Poisons the whole network and wakes its links. Idempotent, callable from any thread. */
    public void shutdown() {
        if (shutdown.compareAndSet(false, true)) {
            network.poisonAll();
        }
    }

    public boolean isShuttingDown() {
        return shutdown.get();
    }

    /**
     * Waits until every process (static and dynamic) has ended, at most {@code timeout}.
     * Returns true when all have ended.
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Thread> all;
        synchronized (threads) {
            all = new ArrayList<>(threads);
        }
        for (Thread t : all) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !join(t, left)) {
                return false;
            }
        }
        while (!dynamic.isEmpty()) {
            for (DynamicProcess d : List.copyOf(dynamic.values())) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !join(d.thread(), left)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean join(Thread t, long nanos) throws InterruptedException {
        t.join(Math.max(1, nanos / 1_000_000));
        return !t.isAlive();
    }

    /** Shuts down and waits; returns true when every process ended within {@code timeout}. */
    public boolean stop(Duration timeout) throws InterruptedException {
        shutdown();
        boolean done = awaitTermination(timeout);
        if (!done) {
            LOG.log(Level.WARNING, "network " + network.name() + ": processes still running after " + timeout
                    + ": " + alive());
        }
        return done;
    }

    /** Names of the threads still alive, for diagnostics. */
    public List<String> alive() {
        List<String> names = new ArrayList<>();
        synchronized (threads) {
            for (Thread t : threads) {
                if (t.isAlive()) {
                    names.add(t.getName());
                }
            }
        }
        for (DynamicProcess d : dynamic.values()) {
            names.add(d.name());
        }
        return names;
    }

    /** The first failure of a process, or null. */
    public Throwable failure() {
        return failure.get();
    }

    /** The name of the process that failed first, or null. */
    public String failedProcess() {
        return failedProcess;
    }

    /** 0 when no process failed, 1 otherwise. */
    public int exitCode() {
        return failure.get() == null ? 0 : 1;
    }
}
