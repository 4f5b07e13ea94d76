package org.cspstack.core.csp;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import org.cspstack.core.buffer.PacketBuffer;
import org.cspstack.core.wire.EthernetFrame;

/**
 * The logic of the {@link FaultInjector}, without JCSP: seeded decisions about each frame, and the frames held
 * back for delay or reordering, released by explicit time. Time is a {@code long} in nanoseconds on any
 * monotonic clock (the injector uses {@link System#nanoTime()}; tests pass made-up values); comparisons are
 * by difference, so the clock may wrap.
 *
 * <p><b>Decisions.</b> {@link #decide(int)} takes exactly five draws from a {@link SplittableRandom} seeded
 * with the settings' seed for every frame (four uniform doubles: loss, duplicate, reorder, corrupt; one long:
 * the corrupted byte and mask), whatever the settings and whatever is decided. So the decisions for the n-th
 * frame depend only on the seed, n and the frame's length, and runs with the same seed are coupled: with a
 * higher loss probability the frames lost are a superset of those lost with a lower one, and changing the
 * duplicate probability does not change which frames are lost. Only settings that change nothing
 * ({@link FaultSettings#isNone()}) draw nothing.
 *
 * <p><b>Holding.</b> {@link #admit} applies a decision: corrupts in place, copies for a duplicate, and hands
 * each copy out at once or holds it until {@code arrival + delay (+ reorderDelay)}. Held frames leave by
 * {@link #release(long)}, earliest release time first and, at equal times, in arrival order (so a fixed delay
 * keeps the order). At most {@code maxHeld} frames are held (default {@value #DEFAULT_MAX_HELD}); a copy that
 * finds the hold full is dropped and reported to the caller, so memory stays bounded at {@code maxHeld}
 * times the largest frame.
 *
 * <p>Single-threaded: one process owns a plan.
 */
public final class FaultPlan {
    /** The bound on frames held at once. At 1500 bytes a frame, about 6 MB. */
    public static final int DEFAULT_MAX_HELD = 4096;
    /** Bytes before this offset are not corrupted in frames longer than it: the Ethernet header. */
    public static final int PROTECTED_PREFIX = EthernetFrame.HEADER_LENGTH;
    /** Returned by {@link #nextDeadline()} when nothing is held. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;

    /**
     * What happens to one frame.
     *
     * @param drop          the frame is lost; the other fields are then false, -1 and 0
     * @param duplicate     the frame is sent twice
     * @param reorder       the frame is held back for the reorder delay
     * @param corruptOffset the byte flipped, counted from the frame's start; -1 for none
     * @param corruptMask   the XOR mask applied to that byte, 1..255; 0 for none
     */
    public record Decision(boolean drop, boolean duplicate, boolean reorder, int corruptOffset, int corruptMask) {
        /** Passes unchanged. */
        public static final Decision PASS = new Decision(false, false, false, -1, 0);
        /** Lost. */
        public static final Decision DROP = new Decision(true, false, false, -1, 0);

        public Decision {
            if ((corruptOffset < 0) != (corruptMask == 0) || corruptMask < 0 || corruptMask > 0xFF) {
                throw new IllegalArgumentException("corruption needs both an offset >= 0 and a mask 1..255, got "
                        + corruptOffset + " and " + corruptMask);
            }
            if (drop && (duplicate || reorder || corruptOffset >= 0)) {
                throw new IllegalArgumentException("a dropped frame has no other fault");
            }
        }

        public boolean corrupts() {
            return corruptOffset >= 0;
        }
    }

    private record Held(long releaseAt, long sequence, PacketBuffer frame) {
    }

    /** Earliest release first (by difference, so the clock may wrap), then arrival order. */
    private static final Comparator<Held> RELEASE_ORDER = (a, b) -> {
        int byTime = Long.signum(a.releaseAt - b.releaseAt);
        return byTime != 0 ? byTime : Long.compare(a.sequence, b.sequence);
    };

    private final FaultSettings settings;
    private final boolean none;
    private final long delayNanos;
    private final long reorderNanos;
    private final int maxHeld;
    private final SplittableRandom random;
    private final PriorityQueue<Held> held = new PriorityQueue<>(RELEASE_ORDER);
    private long sequence;

    public FaultPlan(FaultSettings settings) {
        this(settings, DEFAULT_MAX_HELD);
    }

    public FaultPlan(FaultSettings settings, int maxHeld) {
        if (maxHeld < 1) {
            throw new IllegalArgumentException("maxHeld " + maxHeld + ": at least one frame must fit");
        }
        this.settings = settings;
        this.none = settings.isNone();
        this.delayNanos = settings.delay().toNanos();
        this.reorderNanos = settings.reorderDelay().toNanos();
        this.maxHeld = maxHeld;
        this.random = new SplittableRandom(settings.seed());
    }

    public FaultSettings settings() {
        return settings;
    }

    public int maxHeld() {
        return maxHeld;
    }

    /** The decision for the next frame, of {@code frameLength} bytes. Five draws per frame (see above). */
    public Decision decide(int frameLength) {
        if (none) {
            return Decision.PASS;
        }
        double uLoss = random.nextDouble();
        double uDuplicate = random.nextDouble();
        double uReorder = random.nextDouble();
        double uCorrupt = random.nextDouble();
        long bits = random.nextLong();
        if (uLoss < settings.loss()) {
            return Decision.DROP;
        }
        boolean duplicate = uDuplicate < settings.duplicate();
        boolean reorder = uReorder < settings.reorder();
        int offset = -1;
        int mask = 0;
        if (uCorrupt < settings.corrupt() && frameLength > 0) {
            int first = frameLength > PROTECTED_PREFIX ? PROTECTED_PREFIX : 0;
            int span = frameLength - first;
            offset = first + (int) (((bits >>> 32) * span) >>> 32);
            mask = 1 + (int) (((bits & 0xFFFF_FFFFL) * 255) >>> 32);
        }
        if (!duplicate && !reorder && offset < 0) {
            return Decision.PASS;
        }
        return new Decision(false, duplicate, reorder, offset, mask);
    }

    /** When a frame that arrived at {@code arrival} and was given {@code d} leaves. */
    public long releaseTime(Decision d, long arrival) {
        return arrival + delayNanos + (d.reorder() ? reorderNanos : 0);
    }

    /**
     * Applies {@code d} to {@code frame}, which arrived at {@code now}: flips the chosen byte in place, copies
     * the frame (before the flip) for a duplicate, which goes right after the original, and gives each copy
     * to {@code sendNow} when it is due at once, else holds it. A dropped decision does nothing.
     *
     * @return how many copies (0, 1 or 2) were dropped because {@link #maxHeld()} frames were already held
     */
    public int admit(PacketBuffer frame, Decision d, long now, Consumer<? super PacketBuffer> sendNow) {
        if (d.drop()) {
            return 0;
        }
        PacketBuffer twin = d.duplicate() ? frame.copy() : null;
        if (d.corrupts()) {
            frame.array()[frame.start() + d.corruptOffset()] ^= (byte) d.corruptMask();
        }
        long releaseAt = releaseTime(d, now);
        int overflow = place(frame, releaseAt, now, sendNow);
        if (twin != null) {
            overflow += place(twin, releaseAt, now, sendNow);
        }
        return overflow;
    }

    private int place(PacketBuffer frame, long releaseAt, long now, Consumer<? super PacketBuffer> sendNow) {
        if (releaseAt - now <= 0) {
            sendNow.accept(frame);
            return 0;
        }
        if (held.size() >= maxHeld) {
            return 1;
        }
        held.add(new Held(releaseAt, sequence++, frame));
        return 0;
    }

    /** The held frames due at {@code now}, earliest first; an empty list when none is due. */
    public List<PacketBuffer> release(long now) {
        if (!isDue(now)) {
            return List.of();
        }
        List<PacketBuffer> due = new ArrayList<>();
        release(now, due::add);
        return due;
    }

    /** Gives the held frames due at {@code now} to {@code sink}, earliest first; returns how many. */
    public int release(long now, Consumer<? super PacketBuffer> sink) {
        int n = 0;
        while (isDue(now)) {
            sink.accept(held.poll().frame());
            n++;
        }
        return n;
    }

    private boolean isDue(long now) {
        Held first = held.peek();
        return first != null && first.releaseAt - now <= 0;
    }

    /** The release time of the earliest held frame, or {@link #NO_DEADLINE} when nothing is held. */
    public long nextDeadline() {
        Held first = held.peek();
        return first == null ? NO_DEADLINE : first.releaseAt;
    }

    /** True when some frame is held. */
    public boolean isHolding() {
        return !held.isEmpty();
    }

    /** How many frames are held now. */
    public int heldCount() {
        return held.size();
    }

    /** Forgets every held frame (the injector is ending); returns how many there were. */
    public int clear() {
        int n = held.size();
        held.clear();
        return n;
    }
}
