package org.cspstack.harness.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.cspstack.core.csp.Chan;
import org.cspstack.core.csp.Poison;
import org.cspstack.core.csp.ProcessNetwork;
import org.cspstack.core.csp.ProcessRunner;
import org.cspstack.core.csp.Threading;
import org.jcsp.lang.CSProcess;
import org.jcsp.lang.Channel;
import org.jcsp.lang.ChannelInput;
import org.jcsp.lang.ChannelOutput;
import org.jcsp.lang.One2OneChannel;
import org.jcsp.lang.PoisonException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * CommsTime for cspstack: what one channel hop costs, in nanoseconds per message, for the channels the stack
 * is built from and the two kinds of thread it can run on. The JCSP tradition (Welch's CommsTime: prefix,
 * delta, successor and consumer in a ring) made per-hop cost a first-class number; this is that measurement
 * under JMH, in two shapes, because a stack sees both:
 *
 * <pre>
 *   ring:    bench --go--&gt; [ head ] --c0--&gt; [ relay ] --c1--&gt; [ successor ] --c2--&gt; [ relay ] --c3--+
 *                    &lt;-done--   ^                                                                |
 *                               +------------------------------------------------------------------+
 *            one token circulates {@value #CYCLES} times per invocation: {@value #HOPS} hops
 *
 *   stream:  bench --go--&gt; [ source ] --c--&gt; [ sink ] --done--&gt; bench
 *            {@value #HOPS} messages one way per invocation
 * </pre>
 *
 * <ul>
 *   <li><b>ring</b> ({@link #ring}): the classic CommsTime cycle. Exactly one message is ever in flight, so
 *       every hop wakes a blocked reader: this is the <em>latency</em> of a hop, the cost an idle stack pays
 *       per layer (a lone ping crosses five such hops each way). The head plays CommsTime's prefix and
 *       consumer (it injects the token and counts the cycles), the successor adds one to the token, the two
 *       relays play delta's pass-through. Because only one message is in flight, a dropping channel never
 *       drops here (checked at tear-down), so the ring can use the stack's own upward channel.</li>
 *   <li><b>stream</b> ({@link #stream}): a source writes as fast as the channel takes messages and a sink
 *       reads them: the <em>throughput</em> cost of a hop, what a loaded stack pays per packet when a buffer
 *       lets writer and reader run without waking each other for every message. A stream needs a channel
 *       that does not lose messages (the sink counts to {@value #HOPS}), so its buffered case is the stack's
 *       downward (blocking) channel: the same {@code RingStore} buffer as the upward one, blocking when full
 *       instead of dropping.</li>
 * </ul>
 *
 * Channels ({@code channel} parameter): {@code rendezvous} is JCSP's unbuffered {@code Channel.one2one(0)}
 * (immunity 0: plain {@code Channel.one2one()} ignores poison, so a process blocked on it could never end);
 * {@code buffered} is a {@link ProcessNetwork} channel of capacity {@value #BUFFER} ({@code upward} in the
 * ring, {@code downward} in the stream), with its per-write counter, exactly as the layers use it. Threads
 * ({@code threads} parameter): every process of the ring or stream runs on {@code platform} or on
 * {@code virtual} threads (JDK 21 or later; on JDK 17 the set-up fails with "virtual threads need JDK 21").
 * The JMH thread only starts each batch and waits for its end, two extra hops per {@value #HOPS}.
 *
 * <p>Channel protocol: {@code go} and {@code done} are rendezvous channels between the JMH thread and the
 * network, carrying the token (one preallocated object, so that nothing is allocated per message). Every
 * other channel carries that token; ownership passes with each write. Termination: tear-down stops the
 * network's runner, which poisons every channel (the network's own, and through a shutdown hook the raw
 * JCSP ones); each process catches the poison, poisons all its ends and returns; tear-down fails if a
 * process is still alive after {@value #STOP_SECONDS} s or if any process failed.
 *
 * <p>Limitations: on a 2-core machine the processes share two CPUs with JMH and the JIT, which is the point
 * (that is what the stack runs on) but makes the numbers noisy; compare within one run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CommsTime {
    /** Channel hops per benchmark invocation (JMH divides the invocation's time by this). */
    public static final int HOPS = 4000;
    /** Processes in the ring, and so hops per cycle. */
    public static final int RING = 4;
    /** Cycles of the ring per invocation. */
    public static final int CYCLES = HOPS / RING;
    /** Capacity of the buffered channels, in messages. */
    public static final int BUFFER = 64;
    /** How long tear-down waits for the processes to end. */
    public static final int STOP_SECONDS = 10;

    /** The message: one object, passed around, so that a hop allocates nothing. */
    public static final class Token {
        long count;
    }

    /** What both shapes share: the network, its runner, the go/done channels to and from the JMH thread. */
    abstract static class Net {
        ProcessNetwork net;
        ProcessRunner runner;
        final Token token = new Token();
        One2OneChannel<Token> go;
        One2OneChannel<Token> done;

        void start(String threads) {
            runner = new ProcessRunner(net, Threading.parse(threads));
            runner.start();
        }

        /** A raw JCSP rendezvous channel, poisoned when the network shuts down. */
        One2OneChannel<Token> rendezvous() {
            One2OneChannel<Token> c = Channel.one2one(0);
            net.onShutdown(() -> c.out().poison(Poison.STRENGTH));
            return c;
        }

        Token round() {
            go.out().write(token);
            return done.in().read();
        }

        void stop(long droppedByBuffers) throws InterruptedException {
            boolean ended = runner.stop(Duration.ofSeconds(STOP_SECONDS));
            if (runner.failure() != null) {
                throw new IllegalStateException("process " + runner.failedProcess() + " failed", runner.failure());
            }
            if (!ended) {
                throw new IllegalStateException("CommsTime processes did not end within " + STOP_SECONDS
                        + " s of poison: " + runner.alive());
            }
            if (droppedByBuffers != 0) {
                throw new IllegalStateException(droppedByBuffers + " messages dropped: the measurement is void");
            }
        }
    }

    /** The ring: head, relay, successor, relay, back to the head. */
    @State(Scope.Benchmark)
    public static class RingState extends Net {
        @Param({"rendezvous", "buffered"})
        public String channel;

        @Param({"platform", "virtual"})
        public String threads;

        private final List<Chan<Token>> buffered = new ArrayList<>();

        @Setup(Level.Trial)
        public void setUp() {
            net = new ProcessNetwork("commstime-ring");
            go = rendezvous();
            done = rendezvous();
            @SuppressWarnings("unchecked")
            ChannelInput<Token>[] in = new ChannelInput[RING];
            @SuppressWarnings("unchecked")
            ChannelOutput<Token>[] out = new ChannelOutput[RING];
            for (int i = 0; i < RING; i++) {
                String writer = "p" + i;
                String reader = "p" + ((i + 1) % RING);
                if (channel.equals("rendezvous")) {
                    One2OneChannel<Token> c = rendezvous();
                    in[(i + 1) % RING] = c.in();
                    out[i] = c.out();
                } else if (channel.equals("buffered")) {
                    Chan<Token> c = net.upward("c" + i, writer, reader, BUFFER);
                    buffered.add(c);
                    in[(i + 1) % RING] = c.in();
                    out[i] = c.out();
                } else {
                    throw new IllegalArgumentException("channel '" + channel + "': rendezvous or buffered");
                }
            }
            net.process("p0", head(go.in(), done.out(), out[0], in[0]), null);
            net.process("p1", relay(in[1], out[1], false), null);
            net.process("p2", relay(in[2], out[2], true), null);
            net.process("p3", relay(in[3], out[3], false), null);
            start(threads);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            long dropped = 0;
            for (Chan<Token> c : buffered) {
                dropped += c.stats().queueFullDropped.get();
            }
            stop(dropped);
        }

        /** Injects the token and takes it round {@value #CYCLES} times per request. */
        private static CSProcess head(ChannelInput<Token> go, ChannelOutput<Token> done,
                                                     ChannelOutput<Token> next, ChannelInput<Token> last) {
            return () -> {
                try {
                    while (true) {
                        Token t = go.read();
                        for (int i = 0; i < CYCLES; i++) {
                            next.write(t);
                            t = last.read();
                        }
                        done.write(t);
                    }
                } catch (PoisonException e) {
                    Poison.all(go, done, next, last);
                }
            };
        }

        /** Passes the token on; the successor adds one to it first. */
        private static CSProcess relay(ChannelInput<Token> in, ChannelOutput<Token> out,
                                                      boolean successor) {
            return () -> {
                try {
                    while (true) {
                        Token t = in.read();
                        if (successor) {
                            t.count++;
                        }
                        out.write(t);
                    }
                } catch (PoisonException e) {
                    Poison.all(in, out);
                }
            };
        }
    }

    /** The stream: source to sink, {@value #HOPS} messages per request. */
    @State(Scope.Benchmark)
    public static class StreamState extends Net {
        @Param({"rendezvous", "buffered"})
        public String channel;

        @Param({"platform", "virtual"})
        public String threads;

        @Setup(Level.Trial)
        public void setUp() {
            net = new ProcessNetwork("commstime-stream");
            go = rendezvous();
            done = rendezvous();
            ChannelInput<Token> in;
            ChannelOutput<Token> out;
            if (channel.equals("rendezvous")) {
                One2OneChannel<Token> c = rendezvous();
                in = c.in();
                out = c.out();
            } else if (channel.equals("buffered")) {
                Chan<Token> c = net.downward("c", "source", "sink", BUFFER);
                in = c.in();
                out = c.out();
            } else {
                throw new IllegalArgumentException("channel '" + channel + "': rendezvous or buffered");
            }
            ChannelInput<Token> goIn = go.in();
            ChannelOutput<Token> doneOut = done.out();
            net.process("source", () -> {
                try {
                    while (true) {
                        Token t = goIn.read();
                        for (int i = 0; i < HOPS; i++) {
                            out.write(t);
                        }
                    }
                } catch (PoisonException e) {
                    Poison.all(goIn, out);
                }
            }, null);
            net.process("sink", () -> {
                try {
                    while (true) {
                        Token t = null;
                        for (int i = 0; i < HOPS; i++) {
                            t = in.read();
                        }
                        t.count += HOPS;
                        doneOut.write(t);
                    }
                } catch (PoisonException e) {
                    Poison.all(in, doneOut);
                }
            }, null);
            start(threads);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            stop(0);
        }
    }

    /** One invocation: the token goes round the ring {@value #CYCLES} times; the score is per hop. */
    @Benchmark
    @OperationsPerInvocation(HOPS)
    public long ring(RingState s) {
        return s.round().count;
    }

    /** One invocation: {@value #HOPS} messages from source to sink; the score is per message. */
    @Benchmark
    @OperationsPerInvocation(HOPS)
    public long stream(StreamState s) {
        return s.round().count;
    }
}
