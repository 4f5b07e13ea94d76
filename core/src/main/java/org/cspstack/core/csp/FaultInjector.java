package org.cspstack.core.csp;

import java.util.ArrayDeque;
import java.util.function.Consumer;

import org.cspstack.core.buffer.PacketBuffer;
import org.jcsp.lang.AltingChannelInput;
import org.jcsp.lang.Alternative;
import org.jcsp.lang.CSProcess;
import org.jcsp.lang.CSTimer;
import org.jcsp.lang.ChannelOutput;
import org.jcsp.lang.Guard;
import org.jcsp.lang.PoisonException;

/**
 * Loses, duplicates, reorders, corrupts and delays frames on purpose, as {@code tc netem} would, reproducibly
 * from a seed. It is spliced into a stream of {@link PacketBuffer}s, typically between a link's receiver and the
 * Ethernet layer, but anywhere such a stream flows.
 *
 * <pre>
 *                         +----------------------+
 *      in (frames) -----&gt; |    FaultInjector     | -----&gt; out (frames, upward)
 *                         |  timer: next release |
 *                         +----------------------+
 * </pre>
 *
 * <table>
 *   <caption>Channels</caption>
 *   <tr><th>end</th><th>carries</th><th>buffering</th><th>meaning</th></tr>
 *   <tr><td>in</td><td>{@link Batch} of PacketBuffer, whole frames</td><td>as wired (upward from a link's
 *       receiver)</td><td>frames to pass through the faults</td></tr>
 *   <tr><td>out</td><td>{@link Batch} of PacketBuffer, whole frames</td><td>upward, drops when full: must never
 *       block</td>
 *       <td>the frames that survive, possibly duplicated, corrupted, late or out of order</td></tr>
 * </table>
 * Ownership passes with every write: a frame read from {@code in} is owned by the injector until written; a
 * duplicate is a {@link PacketBuffer#copy()}, so every buffer written is a distinct object. Corruption flips
 * one byte in place. With {@link FaultSettings#isNone()} every frame is written on unchanged, in order, at once.
 *
 * <p>The decisions and the holding are {@link FaultPlan}'s (seeded, with explicit time); this shell reads a
 * batch of frames, asks the plan about each, writes what is due (as one batch), and arms its {@link CSTimer} at the plan's earliest release time;
 * the timer guard is switched off when nothing is held (no periodic tick). Time is {@link System#nanoTime()}.
 * The timer has millisecond resolution and is set to the first millisecond at or after the release time, so
 * a held frame never leaves early and may leave a millisecond or two late: a 250 us delay is 250 us to ~2 ms.
 * Frames due at the same time leave in arrival order, so a fixed delay keeps the order.
 *
 * <p><b>Limitations.</b> Reordering is by time ({@link FaultSettings#reorderDelay()}), not by a count of
 * overtaking frames: on a quiet link a held frame is only late. At most {@link FaultPlan#DEFAULT_MAX_HELD}
 * frames are held; beyond, frames are dropped and counted ({@code overflowDropped}). Delay is fixed (no
 * jitter, no rate limit), loss is independent per frame (no bursts), and a corrupted frame gets exactly one
 * flipped byte. The output is assumed never to block; a blocking output would make held frames late.
 *
 * <p><b>Termination.</b> On poison from either end it poisons both ends and returns; frames still held are
 * dropped and counted ({@code shutdownDropped}).
 */
public final class FaultInjector implements CSProcess {
    /** Held frames that are due go first: they are already late. */
    private static final int RELEASE = 0;
    private static final int FROM_IN = 1;

    private final AltingChannelInput<Batch<PacketBuffer>> in;
    private final ChannelOutput<Batch<PacketBuffer>> out;
    private final FaultPlan plan;
    private final boolean delays;
    private final FaultCounters counters;
    /** Frames due, in the order they go out; a buffer leaves it only once written. */
    private final ArrayDeque<PacketBuffer> outbox = new ArrayDeque<>();
    private final Consumer<PacketBuffer> toOutbox = outbox::addLast;

    public FaultInjector(AltingChannelInput<Batch<PacketBuffer>> in, ChannelOutput<Batch<PacketBuffer>> out,
                         FaultSettings settings, FaultCounters counters) {
        this(in, out, new FaultPlan(settings), counters);
    }

    /** With a plan of one's own (a smaller hold bound, for tests). */
    FaultInjector(AltingChannelInput<Batch<PacketBuffer>> in, ChannelOutput<Batch<PacketBuffer>> out,
                  FaultPlan plan, FaultCounters counters) {
        this.in = in;
        this.out = out;
        this.plan = plan;
        this.delays = !plan.settings().delay().isZero();
        this.counters = counters;
    }

    @Override
    public void run() {
        CSTimer timer = new CSTimer();
        Alternative alt = new Alternative(new Guard[] {timer, in});
        boolean[] enabled = {false, true};
        try {
            while (true) {
                long now = System.nanoTime();
                plan.release(now, toOutbox);
                flush();
                enabled[RELEASE] = plan.isHolding();
                if (enabled[RELEASE]) {
                    timer.setAlarm(timer.read() + Deadlines.ceilMillis(plan.nextDeadline() - now));
                }
                switch (alt.priSelect(enabled)) {
                    case RELEASE -> {
                        // the next turn releases what is due
                    }
                    case FROM_IN -> {
                        Batch<PacketBuffer> batch = in.read();
                        for (PacketBuffer frame : batch) {
                            accept(frame);
                        }
                        batch.recycle(); // handled: the writer reuses it
                        flush();
                    }
                    default -> throw new IllegalStateException("unknown guard");
                }
            }
        } catch (PoisonException e) {
            counters.shutdownDropped.add(outbox.size() + plan.clear());
            outbox.clear();
            Poison.all(in, out);
        }
    }

    private void accept(PacketBuffer frame) {
        long now = System.nanoTime();
        counters.framesIn.increment();
        FaultPlan.Decision d = plan.decide(frame.length());
        if (d.drop()) {
            counters.dropped.increment();
            return;
        }
        if (d.duplicate()) {
            counters.duplicated.increment();
        }
        if (d.reorder()) {
            counters.reordered.increment();
        }
        if (d.corrupts()) {
            counters.corrupted.increment();
        }
        if (delays) {
            counters.delayed.increment();
        }
        plan.release(now, toOutbox);
        counters.overflowDropped.add(plan.admit(frame, d, now, toOutbox));
    }

    /**
     * Writes every frame that is due, in order, in batches (the upward channel never blocks); a frame leaves
     * the outbox only once written, so poison leaves the unwritten ones to be counted as shutdown drops.
     */
    private void flush() {
        while (!outbox.isEmpty()) {
            int n = Math.min(outbox.size(), Batch.LIMIT);
            Batch<PacketBuffer> batch = new Batch<>(n);
            java.util.Iterator<PacketBuffer> due = outbox.iterator();
            for (int i = 0; i < n; i++) {
                batch.add(due.next());
            }
            out.write(batch);
            for (int i = 0; i < n; i++) {
                outbox.removeFirst();
            }
            counters.framesOut.add(n);
        }
    }
}
