package org.cspstack.core.csp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jcsp.lang.AltingChannelInput;
import org.jcsp.lang.Any2OneChannel;
import org.jcsp.lang.CSProcess;
import org.jcsp.lang.Channel;
import org.jcsp.lang.ChannelOutput;
import org.jcsp.lang.One2OneChannel;
import org.jcsp.lang.SharedChannelOutput;

/**
 * A network of processes and the channels between them, built before it runs and able to describe itself:
 * every channel made here is recorded with its ends, kind and buffering, every process with its counters.
 * Graphs, statistics and models are generated from this record of the real wiring, not from a hand-kept list.
 *
 * <p>Building is single-threaded (before {@link ProcessRunner#start()}); reading the description is safe at
 * any time. Processes added while running (reassembly, connections) go through {@link ProcessRunner#spawn}.
 *
 * <p>A {@link ChannelObserver} given with {@link #observe} before the first channel is made sees every
 * message written on every channel made afterwards (traces, pcap taps, narration); without one, channels
 * have their plain counting ends.
 */
public final class ProcessNetwork {
    private final String name;
    private final Map<String, ProcessSpec> processes = new LinkedHashMap<>();
    private final List<ChannelSpec> channels = new ArrayList<>();
    private final List<Chan<?>> oneToOne = new ArrayList<>();
    private final List<Any2OneChannel<?>> shared = new ArrayList<>();
    private final Map<String, String> implementations = new LinkedHashMap<>();
    private final List<Runnable> shutdownHooks = new CopyOnWriteArrayList<>();
    private volatile ProcessRunner runner;
    private volatile ChannelObserver observer;

    public ProcessNetwork(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /**
     * Shows every communication of every channel made from now on, static or dynamic, to {@code o}; call
     * before the first channel is made (before building the stack), so that no channel escapes it.
     */
    public void observe(ChannelObserver o) {
        if (!channels.isEmpty() || runner != null) {
            throw new IllegalStateException("network " + name + ": set the channel observer before making channels");
        }
        observer = o;
    }

    /** The observer given to {@link #observe}, or null. */
    public ChannelObserver observer() {
        return observer;
    }

    /** An upward channel (rule 1): buffered, never blocks the writer, drops and counts when full. */
    public <T> Chan<T> upward(String channelName, String writer, String reader, int capacity) {
        return add(channelName, writer, reader, ChannelKind.UPWARD_DROPPING, capacity);
    }

    /** A downward channel (rule 2): blocks the writer when its buffer is full; capacity 0 is a rendezvous. */
    public <T> Chan<T> downward(String channelName, String writer, String reader, int capacity) {
        return add(channelName, writer, reader,
                capacity == 0 ? ChannelKind.RENDEZVOUS : ChannelKind.DOWNWARD_BLOCKING, capacity);
    }

    /**
     * A request channel from any number of clients to one server (rule 3): a shared rendezvous; each request
     * carries the client's own reply channel. Writers are not counted (a counter has a single writer).
     */
    public <T> Any2OneChannel<T> requests(String channelName, String reader) {
        ChannelSpec spec = new ChannelSpec(channelName, "clients", reader, ChannelKind.RENDEZVOUS, 0,
                new ChannelStats(channelName));
        return sharedBlocking(spec, Channel.any2one(0));
    }

    /**
     * An upward channel from any number of writers to one reader (rule 1: writers never block; drops are
     * counted). Dynamic processes report to their parent on such a channel. Counting happens in the buffer,
     * under the channel's lock, so the single-writer rule of counters still holds.
     */
    public <T> Any2OneChannel<T> upwardShared(String channelName, String writers, String reader, int capacity) {
        ChannelStats stats = new ChannelStats(channelName);
        ChannelSpec spec = new ChannelSpec(channelName, writers, reader, ChannelKind.UPWARD_DROPPING, capacity, stats);
        ChannelObserver o = observer;
        Any2OneChannel<T> c;
        if (o == null) {
            c = Channel.any2one(new RingStore<T>(capacity, true, true, stats), 0);
        } else {
            ObservedRingStore<T> store = new ObservedRingStore<>(capacity, true, stats);
            c = ObservedOutput.any2one(Channel.any2one(store, 0), spec, o, store.live());
        }
        return record(spec, c);
    }

    /**
     * A downward channel from any number of writers to one reader (rule 2: writers block when the buffer is
     * full). Connections share one such channel down to IP. Counting happens in the buffer, under the lock.
     */
    public <T> Any2OneChannel<T> downwardShared(String channelName, String writers, String reader, int capacity) {
        ChannelStats stats = new ChannelStats(channelName);
        ChannelSpec spec = new ChannelSpec(channelName, writers, reader, ChannelKind.DOWNWARD_BLOCKING, capacity, stats);
        return sharedBlocking(spec, Channel.any2one(new RingStore<T>(capacity, false, true, stats), 0));
    }

    /**
     * Records a shared channel whose writers may block: its writing end timed (blocked time) and, when the
     * network is observed, observing.
     */
    private <T> Any2OneChannel<T> sharedBlocking(ChannelSpec spec, Any2OneChannel<T> raw) {
        Any2OneChannel<T> c = timed(raw, spec.stats());
        ChannelObserver o = observer;
        if (o != null) {
            c = ObservedOutput.any2one(c, spec, o, null);
        }
        return record(spec, c);
    }

    /** Adds a shared channel to the description and to what shutdown poisons. */
    private <T> Any2OneChannel<T> record(ChannelSpec spec, Any2OneChannel<T> c) {
        channels.add(spec);
        shared.add(c);
        return c;
    }

    /**
     * An upward channel to a process started while the network runs. It is not part of the static
     * description and the network's shutdown does not poison it: the process that made it owns it, and
     * poisons it when it ends the dynamic process or itself.
     */
    public <T> Chan<T> dynamicUpward(String channelName, String writer, String reader, int capacity) {
        ChannelSpec spec = new ChannelSpec(channelName, writer, reader, ChannelKind.UPWARD_DROPPING, capacity,
                new ChannelStats(channelName));
        return one2one(spec);
    }

    /** A one-to-one channel as {@code spec} says, with a counting (and, when observed, observing) end. */
    private <T> Chan<T> one2one(ChannelSpec spec) {
        ChannelStats stats = spec.stats();
        ChannelObserver o = observer;
        if (o == null) {
            One2OneChannel<T> c = spec.kind() == ChannelKind.RENDEZVOUS
                    ? Channel.one2one(0)
                    : Channel.one2one(new RingStore<T>(spec.capacity(),
                            spec.kind() == ChannelKind.UPWARD_DROPPING, stats), 0);
            return new Chan<>(spec, c.in(), timedIfBlocking(spec, new CountingOutput<>(c.out(), stats)));
        }
        One2OneChannel<T> c;
        ObservedRingStore<T> dropping = null;
        if (spec.kind() == ChannelKind.RENDEZVOUS) {
            c = Channel.one2one(0);
        } else if (spec.kind() == ChannelKind.UPWARD_DROPPING) {
            ObservedRingStore<T> store = new ObservedRingStore<>(spec.capacity(), false, stats);
            c = Channel.one2one(store, 0);
            dropping = store.live();
        } else {
            c = Channel.one2one(new RingStore<T>(spec.capacity(), false, stats), 0);
        }
        return new Chan<>(spec, c.in(), new ObservedOutput<>(timedIfBlocking(spec, new CountingOutput<>(c.out(), stats)),
                spec, o, dropping));
    }

    /** The writing end, timed (blocked time) when its writer may block: upward ends get no clock reads. */
    private static <T> ChannelOutput<T> timedIfBlocking(ChannelSpec spec, ChannelOutput<T> out) {
        return spec.kind().mayBlockWriter() ? TimedOutput.single(out, spec.stats()) : out;
    }

    /**
     * Starts a process while the network runs (see {@link ProcessRunner#spawn}); false when the network is
     * not running or is shutting down.
     */
    public boolean spawn(String processName, String kind, CSProcess process) {
        return spawn(processName, kind, process, false);
    }

    /** As {@link #spawn(String, String, CSProcess)}, long-lived or not (see {@link ProcessRunner#spawn}). */
    public boolean spawn(String processName, String kind, CSProcess process, boolean longLived) {
        ProcessRunner r = runner;
        return r != null && r.spawn(processName, kind, process, longLived);
    }

    /** The dynamic processes alive now (empty before the network runs). */
    public List<ProcessRunner.DynamicProcess> liveDynamic() {
        ProcessRunner r = runner;
        return r == null ? List.of() : r.liveDynamic();
    }

    void attach(ProcessRunner r) {
        if (runner != null) {
            throw new IllegalStateException("network " + name + " is already run by another runner");
        }
        runner = r;
    }

    private <T> Chan<T> add(String channelName, String writer, String reader, ChannelKind kind, int capacity) {
        for (ChannelSpec c : channels) {
            if (c.name().equals(channelName)) {
                throw new IllegalArgumentException("channel " + channelName + " already exists in " + name);
            }
        }
        ChannelSpec spec = new ChannelSpec(channelName, writer, reader, kind, capacity, new ChannelStats(channelName));
        Chan<T> chan = one2one(spec);
        channels.add(spec);
        oneToOne.add(chan);
        return chan;
    }

    /** A shared channel whose writers may block, with their blocked time measured at its writing end. */
    private static <T> Any2OneChannel<T> timed(Any2OneChannel<T> c, ChannelStats stats) {
        return withOutput(c, TimedOutput.shared(c.out(), stats));
    }

    /** {@code c} with its writing end replaced by {@code out} (a wrapper that times or observes it). */
    static <T> Any2OneChannel<T> withOutput(Any2OneChannel<T> c, SharedChannelOutput<T> out) {
        return new Any2OneChannel<T>() {
            @Override
            public AltingChannelInput<T> in() {
                return c.in();
            }

            @Override
            public SharedChannelOutput<T> out() {
                return out;
            }
        };
    }

    /**
     * Records which implementation fills a role in this network (such as {@code reassembly} ->
     * {@code single}), chosen from a registry when the network is built, so that descriptions say what is
     * really wired. Building only.
     */
    public void implementation(String role, String name) {
        implementations.put(role, name);
    }

    /** Role to implementation, in the order they were recorded. */
    public Map<String, String> implementations() {
        return Collections.unmodifiableMap(implementations);
    }

    /** Adds a static process; the name must be unique (it appears in logs, graphs and statistics). */
    public void process(String processName, CSProcess process, Counters counters) {
        add(new ProcessSpec(processName, process, counters, false, false));
    }

    /**
     * Adds a process that blocks in native code (STYLE.md rule 4: only a link's receiver does). It always
     * runs on a platform thread, whatever the network's threading.
     */
    public void nativeProcess(String processName, CSProcess process, Counters counters) {
        add(new ProcessSpec(processName, process, counters, false, true));
    }

    private void add(ProcessSpec spec) {
        if (processes.containsKey(spec.name())) {
            throw new IllegalArgumentException("process " + spec.name() + " already exists in " + name);
        }
        processes.put(spec.name(), spec);
    }

    /** Runs {@code hook} when the network shuts down, before joining (a link's {@code interrupt()}). */
    public void onShutdown(Runnable hook) {
        shutdownHooks.add(hook);
    }

    public List<ProcessSpec> processes() {
        return List.copyOf(processes.values());
    }

    public List<ChannelSpec> channels() {
        return Collections.unmodifiableList(channels);
    }

    /** The counters of every static process, in the order they were added. */
    public List<Counters> counters() {
        List<Counters> all = new ArrayList<>();
        for (ProcessSpec p : processes.values()) {
            if (p.counters() != null) {
                all.add(p.counters());
            }
        }
        return all;
    }

    /** Poisons every channel of the network and runs the shutdown hooks. Idempotent. */
    void poisonAll() {
        for (Chan<?> c : oneToOne) {
            c.poison();
        }
        for (Any2OneChannel<?> c : shared) {
            c.out().poison(Poison.STRENGTH);
            c.in().poison(Poison.STRENGTH);
        }
        for (Runnable hook : shutdownHooks) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                System.getLogger(ProcessNetwork.class.getName())
                        .log(System.Logger.Level.WARNING, "shutdown hook of " + name + " failed", e);
            }
        }
    }
}
