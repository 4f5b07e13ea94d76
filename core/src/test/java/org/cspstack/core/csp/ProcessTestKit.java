package org.cspstack.core.csp;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jcsp.lang.AltingChannelInput;
import org.jcsp.lang.Alternative;
import org.jcsp.lang.CSProcess;
import org.jcsp.lang.CSTimer;
import org.jcsp.lang.Guard;

/**
 * Drives processes through their channel ends, as Netty's EmbeddedChannel does for handlers: the test makes
 * inputs to write and outputs to expect from, starts the process under a {@link ProcessRunner}, and
 * {@link #close()} poisons everything and fails if a process did not end or failed.
 *
 * <pre>
 * try (ProcessTestKit kit = new ProcessTestKit("eth")) {
 *     Chan&lt;PacketBuffer&gt; fromLink = kit.input("linkToEth");
 *     Chan&lt;PacketBuffer&gt; toIp = kit.output("ethToIp");
 *     kit.start("eth", new EthernetLayer(fromLink.in(), ..., toIp.out(), ...), counters);
 *     fromLink.out().write(frame);
 *     PacketBuffer up = kit.expect(toIp);
 * }
 * </pre>
 */
public final class ProcessTestKit implements AutoCloseable {
    /** How long {@link #expect} waits before failing: generous, it only bounds a broken test. */
    public static final Duration EXPECT_TIMEOUT = Duration.ofSeconds(5);

    private final ProcessNetwork network;
    private final List<ProcessSpec> started = new ArrayList<>();
    /** The reader of each batch channel read by {@link #expectOne}: it holds what a batch brought beyond one. */
    private final java.util.Map<Chan<?>, BatchReader<?>> readers = new java.util.IdentityHashMap<>();
    private ProcessRunner runner;

    public ProcessTestKit(String name) {
        this.network = new ProcessNetwork(name);
    }

    public ProcessNetwork network() {
        return network;
    }

    /** A channel the test writes into (buffered so that the test never blocks on a slow process). */
    public <T> Chan<T> input(String name) {
        return network.downward(name, "test", "process", 1024);
    }

    /** A channel the process writes into and the test reads (upward kind: never blocks the process). */
    public <T> Chan<T> output(String name) {
        return network.upward(name, "process", "test", 1024);
    }

    /** Adds a process; call {@link #run()} once all are added. */
    public void add(String name, CSProcess process, Counters counters) {
        network.process(name, process, counters);
    }

    /** Adds one process and starts the network. */
    public void start(String name, CSProcess process, Counters counters) {
        add(name, process, counters);
        run();
    }

    public void run() {
        runner = new ProcessRunner(network, Threading.PLATFORM);
        runner.start();
    }

    public ProcessRunner runner() {
        return runner;
    }

    /** Reads the next message from {@code out}, failing after {@link #EXPECT_TIMEOUT}. */
    public <T> T expect(Chan<T> out) {
        return expect(out, EXPECT_TIMEOUT);
    }

    public <T> T expect(Chan<T> out, Duration timeout) {
        T value = poll(out.in(), timeout);
        if (value == null) {
            failIfProcessFailed();
            fail("nothing arrived on " + out.spec().name() + " within " + timeout);
        }
        return value;
    }

    /** The next message if one arrives within {@code timeout}, else null. */
    public static <T> T poll(AltingChannelInput<T> in, Duration timeout) {
        CSTimer timer = new CSTimer();
        timer.setAlarm(timer.read() + timeout.toMillis());
        Alternative alt = new Alternative(new Guard[] {in, timer});
        return alt.priSelect() == 0 ? in.read() : null;
    }

    /**
     * The next message of a batch channel: batches are read whole and handed out one message at a time, so a
     * test expects messages as the process produced them, whatever their batching.
     */
    public <T> T expectOne(Chan<Batch<T>> out) {
        return expectOne(out, EXPECT_TIMEOUT);
    }

    public <T> T expectOne(Chan<Batch<T>> out, Duration timeout) {
        T value = pollOne(out, timeout);
        if (value == null) {
            failIfProcessFailed();
            fail("nothing arrived on " + out.spec().name() + " within " + timeout);
        }
        return value;
    }

    /** The next message of a batch channel if one arrives within {@code timeout}, else null. */
    public <T> T pollOne(Chan<Batch<T>> out, Duration timeout) {
        return reader(out).poll(timeout.toMillis());
    }

    /** True when a message of a batch channel is waiting (read or not): never waits. */
    public <T> boolean pendingOne(Chan<Batch<T>> out) {
        return reader(out).pending();
    }

    @SuppressWarnings("unchecked")
    private <T> BatchReader<T> reader(Chan<Batch<T>> out) {
        return (BatchReader<T>) readers.computeIfAbsent(out, k -> new BatchReader<>(out.in()));
    }

    /** Writes {@code message} on a batch channel as a batch of one. */
    public static <T> void send(Chan<Batch<T>> in, T message) {
        in.out().write(Batch.of(message));
    }

    /** True when a message is already waiting on {@code out}: never waits. */
    public static boolean pending(Chan<?> out) {
        return out.in().pending();
    }

    private void failIfProcessFailed() {
        if (runner != null && runner.failure() != null) {
            throw new AssertionError("process " + runner.failedProcess() + " failed", runner.failure());
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (runner == null) {
            return;
        }
        boolean ended = runner.stop(Duration.ofSeconds(5));
        failIfProcessFailed();
        if (!ended) {
            fail("processes did not end after poison: " + runner.alive());
        }
    }
}
