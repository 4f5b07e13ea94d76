package org.cspstack.harness.experiments;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

import org.cspstack.core.csp.Chan;
import org.cspstack.core.csp.Poison;
import org.cspstack.core.csp.ProcessNetwork;
import org.cspstack.core.csp.ProcessRunner;
import org.cspstack.core.csp.Threading;
import org.jcsp.lang.Alternative;
import org.jcsp.lang.AltingChannelInput;
import org.jcsp.lang.ChannelOutput;
import org.jcsp.lang.CSProcess;
import org.jcsp.lang.Guard;
import org.jcsp.lang.PoisonException;

/**
 * The floor under the ping figure: how long one lone message takes through a line of idle threads, with no
 * stack and no NIC. An echo the stack answers crosses {@value #PING_HANDOFFS} hand-offs between its processes
 * (link-rx, eth, ip, icmp, ip, arp, link-tx) and each finds its reader parked, because pings come
 * {@code -i 0.01} apart; on a machine where waking a parked thread is dear, those hand-offs alone set the RTT.
 *
 * <pre>
 *   caller --h0--&gt; [ p0 ] --h1--&gt; [ p1 ] ... [ p(n-2) ] --h(n-1)--&gt; caller        n = hand-offs
 * </pre>
 *
 * Two lines, measured alike (one message, then {@code gap} of idleness, {@code messages} times after a
 * warm-up of a fifth as many):
 * <ul>
 *   <li>{@link #processes}: JCSP processes like the layers, each an {@link Alternative} over the stack's own
 *       upward channel ({@link ProcessNetwork#upward}, capacity {@value #CAPACITY}) run by a
 *       {@link ProcessRunner} on the given {@link Threading};</li>
 *   <li>{@link #threads}: plain threads (platform or virtual) handing one reference over with
 *       {@link LockSupport#park}/{@link LockSupport#unpark}, the least a hand-off between Java threads can cost.
 *       If the two agree, the cost is the machine's (waking a thread, often on a halted vCPU), not JCSP's.</li>
 * </ul>
 * The caller is a platform thread, as the stack's link-rx always is (it blocks in native code); on virtual
 * threads its first and last hand-offs cross to and from the carriers. The line leaves out what the stack's
 * echo pays besides: the kernel waking link-rx, and the transmitter's system call.
 *
 * <p>Channel protocol of the process line: every channel carries the one {@link Token}, which each process
 * stamps (adds one) and passes on; only one message is ever in flight, so the upward (dropping) channels never
 * drop (checked: a drop voids the run). Termination: the runner's stop poisons every channel; each process
 * poisons its two ends and returns. The plain threads end before {@link #threads} returns: each is handed a
 * stop token instead of the message and unparked.
 */
public final class IdleHandoffs {
    /** Hand-offs between the stack's processes on the way of one echo. */
    public static final int PING_HANDOFFS = 6;
    static final int CAPACITY = 64;
    private static final Duration STOP = Duration.ofSeconds(10);

    private IdleHandoffs() {
    }

    /** The message: one object, stamped once per process, so that a lost or skipped hop shows. */
    static final class Token {
        long stamps;
    }

    /** One line's figures: {@code stampsPerMessage} is what each message collected (hand-offs - 1 when intact). */
    public record Result(String line, int handoffs, int messages, double p50Ms, double p90Ms, long stampsPerMessage) {
    }

    /** Hand-off counts of {@code cspstack experiment handoffs}: from one process to the ping's hand-offs and one more. */
    public static final int[] COUNTS = {2, 4, PING_HANDOFFS, PING_HANDOFFS + 1};
    /** The pace of {@code cspstack bench}'s pings. */
    public static final Duration PING_GAP = Duration.ofMillis(10);

    /**
     * {@code cspstack experiment handoffs}: every line (JCSP processes and plain threads, on platform threads and,
     * on JDK 21 or later, virtual threads) at every count of {@link #COUNTS}, {@code messages} each at the ping's
     * pace; no lab, no root. Writes {@code handoffs.csv}, {@code handoffs.png} (p50 against hand-offs, one series
     * per line) and prints a table.
     */
    public static List<Result> run(ExperimentOutput out, int messages, PrintStream console)
            throws InterruptedException {
        out.note("experiment", "handoffs: a lone message through N idle hand-offs, one every "
                + PING_GAP.toMillis() + " ms, " + messages + " timed after " + Math.max(1, messages / 5) + " uncounted");
        out.note("handoffs.virtual-carriers", describe(Threading.VIRTUAL));
        List<Result> results = new ArrayList<>();
        List<List<Object>> rows = new ArrayList<>();
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        console.printf(Locale.ROOT, "%-52s %9s %9s %9s%n", "line", "hand-offs", "p50 ms", "p90 ms");
        for (int handoffs : COUNTS) {
            for (Result r : everyLine(handoffs, messages, PING_GAP)) {
                results.add(r);
                rows.add(List.of(r.line(), handoffs, messages, r.p50Ms(), r.p90Ms()));
                series.computeIfAbsent(r.line(), k -> new ArrayList<>()).add(new double[] {handoffs, r.p50Ms()});
                console.printf(Locale.ROOT, "%-52s %9d %9.3f %9.3f%n", r.line(), handoffs, r.p50Ms(), r.p90Ms());
            }
        }
        out.csv("handoffs.csv", List.of("line", "handoffs", "messages", "p50_ms", "p90_ms"), rows);
        Plot plot = new Plot("a lone message through idle hand-offs, one every " + PING_GAP.toMillis() + " ms",
                "hand-offs", "p50, ms", false, false);
        series.forEach(plot::add);
        plot.write(out.dir().resolve("handoffs.png"));
        return results;
    }

    /**
     * JCSP processes, then plain threads, on platform threads and then (JDK 21 or later) on virtual threads:
     * two or four results, in that order.
     */
    public static List<Result> everyLine(int handoffs, int messages, Duration gap) throws InterruptedException {
        List<Result> results = new ArrayList<>();
        for (Threading t : Threading.virtualAvailable()
                ? List.of(Threading.PLATFORM, Threading.VIRTUAL) : List.of(Threading.PLATFORM)) {
            results.add(processes(handoffs, messages, gap, t));
            results.add(threads(handoffs, messages, gap, t));
        }
        return results;
    }

    /** A line of {@code handoffs - 1} JCSP processes on {@code threading}; see the class comment. */
    public static Result processes(int handoffs, int messages, Duration gap, Threading threading)
            throws InterruptedException {
        requireArguments(handoffs, messages);
        ProcessNetwork net = new ProcessNetwork("idle-handoffs");
        int n = handoffs - 1;
        @SuppressWarnings("unchecked")
        Chan<Token>[] c = new Chan[handoffs];
        for (int i = 0; i < handoffs; i++) {
            c[i] = net.upward("h" + i, i == 0 ? "caller" : "p" + (i - 1), i == n ? "caller" : "p" + i, CAPACITY);
        }
        for (int i = 0; i < n; i++) {
            net.process("p" + i, stamper(c[i].in(), c[i + 1].out()), null);
        }
        ProcessRunner runner = new ProcessRunner(net, threading);
        runner.start();
        Token token = new Token();
        long[] rtt;
        try {
            rtt = measure(messages, gap, token, () -> {
                c[0].out().write(token);
                c[n].in().read();
            });
        } finally {
            boolean ended = runner.stop(STOP);
            if (runner.failure() != null) {
                throw new IllegalStateException("process " + runner.failedProcess() + " failed", runner.failure());
            }
            if (!ended) {
                throw new IllegalStateException("idle hand-off processes did not end within " + STOP.toSeconds()
                        + " s of poison: " + runner.alive());
            }
        }
        long dropped = 0;
        for (Chan<Token> ch : c) {
            dropped += ch.stats().queueFullDropped.get();
        }
        if (dropped != 0) {
            throw new IllegalStateException(dropped + " messages dropped: the measurement is void");
        }
        return result("JCSP processes on " + describe(threading),
                handoffs, messages, rtt, token);
    }

    /** A line of {@code handoffs - 1} plain threads of {@code threading} with park/unpark; see the class comment. */
    public static Result threads(int handoffs, int messages, Duration gap, Threading threading)
            throws InterruptedException {
        requireArguments(handoffs, messages);
        int n = handoffs - 1;
        AtomicReferenceArray<Token> slot = new AtomicReferenceArray<>(handoffs);
        Thread[] thread = new Thread[handoffs];
        thread[n] = Thread.currentThread();
        Token stop = new Token();
        for (int i = n - 1; i >= 0; i--) {
            int me = i;
            thread[i] = threading.newThread("idle-handoff-" + i, () -> {
                while (true) {
                    Token t = take(slot, me);
                    if (t == stop) {
                        return;
                    }
                    t.stamps++;
                    slot.set(me + 1, t);
                    LockSupport.unpark(thread[me + 1]);
                }
            });
        }
        for (int i = 0; i < n; i++) {
            thread[i].start();
        }
        Token token = new Token();
        long[] rtt;
        try {
            rtt = measure(messages, gap, token, () -> {
                slot.set(0, token);
                LockSupport.unpark(thread[0]);
                take(slot, n);
            });
        } finally {
            for (int i = 0; i < n; i++) {
                slot.set(i, stop);
                LockSupport.unpark(thread[i]);
            }
            for (int i = 0; i < n; i++) {
                thread[i].join(STOP.toMillis());
                if (thread[i].isAlive()) {
                    throw new IllegalStateException(thread[i].getName() + " did not end within " + STOP.toSeconds() + " s");
                }
            }
        }
        return result("plain " + describe(threading) + ", park/unpark", handoffs, messages, rtt, token);
    }

    /** "platform threads", or "virtual threads on N carriers" (the JDK's scheduler: the property, else the CPUs). */
    static String describe(Threading threading) {
        if (threading == Threading.PLATFORM) {
            return "platform threads";
        }
        String carriers = System.getProperty("jdk.virtualThreadScheduler.parallelism",
                Integer.toString(Runtime.getRuntime().availableProcessors()));
        return "virtual threads on " + carriers + (carriers.equals("1") ? " carrier" : " carriers");
    }

    /** Waits, parked, for slot {@code i} to hold a token and takes it. */
    private static Token take(AtomicReferenceArray<Token> slot, int i) {
        Token t;
        while ((t = slot.getAndSet(i, null)) == null) {
            LockSupport.park();
        }
        return t;
    }

    private static CSProcess stamper(AltingChannelInput<Token> in, ChannelOutput<Token> out) {
        return () -> {
            Alternative alt = new Alternative(new Guard[] {in});
            try {
                while (true) {
                    alt.priSelect();
                    Token t = in.read();
                    t.stamps++;
                    out.write(t);
                }
            } catch (PoisonException e) {
                Poison.all(in, out);
            }
        };
    }

    /** One trip through the line, from the caller back to the caller. */
    private interface Trip {
        void run();
    }

    /** Warm-up (a fifth of {@code messages}, at least one), then {@code messages} timed trips, {@code gap} apart. */
    private static long[] measure(int messages, Duration gap, Token token, Trip trip) {
        int warmUp = Math.max(1, messages / 5);
        long[] rtt = new long[messages];
        long gapNanos = gap.toNanos();
        for (int k = 0; k < warmUp + messages; k++) {
            idle(gapNanos);
            if (k == warmUp) {
                token.stamps = 0;
            }
            long t0 = System.nanoTime();
            trip.run();
            long t1 = System.nanoTime();
            if (k >= warmUp) {
                rtt[k - warmUp] = t1 - t0;
            }
        }
        return rtt;
    }

    /** Parks for {@code nanos}, whatever spurious wake-ups come (so that the line is idle for the whole gap). */
    private static void idle(long nanos) {
        long end = System.nanoTime() + nanos;
        for (long left = nanos; left > 0; left = end - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    private static Result result(String line, int handoffs, int messages, long[] rtt, Token token) {
        long[] sorted = rtt.clone();
        Arrays.sort(sorted);
        double toMs = 1.0 / TimeUnit.MILLISECONDS.toNanos(1);
        return new Result(line, handoffs, messages, LatencyStats.nearestRank(sorted, 50) * toMs,
                LatencyStats.nearestRank(sorted, 90) * toMs, token.stamps / messages);
    }

    private static void requireArguments(int handoffs, int messages) {
        if (handoffs < 2) {
            throw new IllegalArgumentException("hand-offs must be at least 2 (caller -> process -> caller): " + handoffs);
        }
        if (messages < 1) {
            throw new IllegalArgumentException("messages must be at least 1: " + messages);
        }
    }
}
