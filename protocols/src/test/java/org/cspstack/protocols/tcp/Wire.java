package org.cspstack.protocols.tcp;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;

import org.cspstack.core.wire.Ipv4Address;
import org.cspstack.core.wire.TcpRepr;
import org.cspstack.core.wire.TcpSegment;

/**
 * Two {@link TcpConnection}s back to back through a deterministic in-test wire with fake time: each segment
 * is delivered {@code delay} after it was emitted, in emission order; a {@link Fault} can drop, duplicate or
 * hold back chosen segments. No threads. Applications are simulated by {@link App}s, which run after every
 * event: a writer that feeds a byte array into send(), a reader that drains receive().
 */
final class Wire {
    static final long MS = 1_000_000L;
    static final long SECOND = 1_000_000_000L;
    /** An arbitrary start far from zero, as System.nanoTime() would be. */
    static final long T0 = 5_000_000_000_000L;

    static final Endpoint A = new Endpoint(Ipv4Address.of(198, 18, 0, 1), 40_000);
    static final Endpoint B = new Endpoint(Ipv4Address.of(198, 18, 0, 2), 80);

    /** One segment on the wire. */
    record Seg(boolean fromA, TcpRepr h, byte[] data, long sentAt, int index) {
        boolean has(int flag) {
            return h.has(flag);
        }

        int len() {
            return data.length;
        }

        boolean isPureAck() {
            return data.length == 0 && h.flags() == TcpSegment.ACK;
        }

        @Override
        public String toString() {
            return (fromA ? "A>B " : "B>A ") + h + " len " + data.length + " @" + (sentAt - T0) / MS + "ms";
        }
    }

    enum Action { DELIVER, DROP, DUPLICATE }

    /** Decides the fate of each segment when it is emitted. */
    interface Fault {
        Action decide(Seg s);
    }

    /** A simulated application, run after every event. */
    interface App {
        void step(Wire w);
    }

    private record InFlight(long at, long order, Seg seg) {
    }

    final TcpConfig configA;
    final TcpConfig configB;
    final long delay;
    long now = T0;
    TcpConnection a;
    TcpConnection b;
    /** Every segment emitted, by both sides, in order. */
    final List<Seg> log = new ArrayList<>();
    /** Segments dropped by the fault. */
    final List<Seg> dropped = new ArrayList<>();
    Fault fault = s -> Action.DELIVER;
    /** Extra delay for chosen segments (reordering): returns extra nanoseconds, 0 for none. */
    java.util.function.ToLongFunction<Seg> extraDelay = s -> 0;
    final List<App> apps = new ArrayList<>();
    private final PriorityQueue<InFlight> queue = new PriorityQueue<>((x, y) -> x.at != y.at
            ? Long.compare(x.at, y.at) : Long.compare(x.order, y.order));
    private long order;
    /** When B is not yet made: the first SYN from A makes it (passive open). */
    long issA = 1_000;
    long issB = 900_000;

    Wire(TcpConfig configA, TcpConfig configB, long delay) {
        this.configA = configA;
        this.configB = configB;
        this.delay = delay;
    }

    Wire(TcpConfig config) {
        this(config, config, 5 * MS);
    }

    SegmentSink sink(boolean fromA) {
        return (h, data, off, len) -> {
            Seg s = new Seg(fromA, h, Arrays.copyOfRange(data, off, off + len), now, log.size());
            log.add(s);
            Action act = fault.decide(s);
            if (act == Action.DROP) {
                dropped.add(s);
                return;
            }
            long at = now + delay + extraDelay.applyAsLong(s);
            queue.add(new InFlight(at, order++, s));
            if (act == Action.DUPLICATE) {
                queue.add(new InFlight(at, order++, s));
            }
        };
    }

    /** A connects to B; B is made by accept() when A's SYN arrives. */
    Wire open() {
        a = TcpConnection.connect(configA, A, B, issA, sink(true), now);
        return this;
    }

    /** Opens and runs until both are established (or nothing more happens). */
    Wire established() {
        open();
        runUntil(() -> a.isEstablished() && b != null && b.isEstablished(), 10 * SECOND);
        if (!a.isEstablished() || b == null || !b.isEstablished()) {
            throw new AssertionError("handshake did not complete: " + a + " " + b + "\n" + dump());
        }
        return this;
    }

    private void deliver(Seg s) {
        TcpConnection to = s.fromA ? b : a;
        if (to == null) {
            if (s.fromA && s.h.has(TcpSegment.SYN) && !s.h.has(TcpSegment.ACK)) {
                b = TcpConnection.accept(configB, B, A, s.h, issB, sink(false), now);
            }
            return;
        }
        to.segment(s.h, s.data, 0, s.data.length, now);
    }

    private void runApps() {
        for (App app : List.copyOf(apps)) {
            app.step(this);
        }
    }

    /** One event: the next delivery or the next timer, whichever is first. False when nothing is left. */
    boolean step(long limit) {
        long next = Long.MAX_VALUE;
        InFlight f = queue.peek();
        if (f != null) {
            next = f.at;
        }
        long timers = Math.min(a == null ? Long.MAX_VALUE : a.nextDeadline(),
                b == null ? Long.MAX_VALUE : b.nextDeadline());
        if (timers < next) {
            if (timers > limit) {
                return false;
            }
            now = Math.max(now, timers);
            if (a != null) {
                a.timer(now);
            }
            if (b != null) {
                b.timer(now);
            }
        } else {
            if (f == null || f.at > limit) {
                return false;
            }
            queue.poll();
            now = Math.max(now, f.at);
            deliver(f.seg);
        }
        runApps();
        return true;
    }

    /** Runs events until the condition holds or nothing is due before now + maxTime. */
    void runUntil(java.util.function.BooleanSupplier done, long maxTime) {
        long limit = now + maxTime;
        runApps();
        while (!done.getAsBoolean()) {
            if (!step(limit)) {
                break;
            }
        }
    }

    /** Runs every event due up to now + time, then sets the clock to now + time. */
    void runFor(long time) {
        long limit = now + time;
        runApps();
        while (step(limit)) {
            // keep going
        }
        now = Math.max(now, limit);
    }

    boolean idle() {
        return queue.isEmpty();
    }

    List<Seg> sentBy(boolean fromA) {
        return log.stream().filter(s -> s.fromA == fromA).toList();
    }

    String dump() {
        StringBuilder sb = new StringBuilder();
        int from = Math.max(0, log.size() - 60);
        for (int i = from; i < log.size(); i++) {
            sb.append(log.get(i)).append('\n');
        }
        return sb.toString();
    }

    /** Feeds {@code data} into a connection's send() as space allows; optionally shuts output down after. */
    static final class Writer implements App {
        final boolean onA;
        final byte[] data;
        final boolean shutdownAfter;
        final int chunk;
        int written;
        boolean shut;

        Writer(boolean onA, byte[] data, boolean shutdownAfter, int chunk) {
            this.onA = onA;
            this.data = data;
            this.shutdownAfter = shutdownAfter;
            this.chunk = chunk;
        }

        @Override
        public void step(Wire w) {
            TcpConnection c = onA ? w.a : w.b;
            if (c == null || c.isClosed() || shut) {
                return;
            }
            while (written < data.length && c.sendSpace() > 0) {
                int n = c.send(data, written, Math.min(chunk, data.length - written), w.now);
                if (n == 0) {
                    break;
                }
                written += n;
            }
            if (written == data.length && shutdownAfter && !shut) {
                shut = true;
                c.shutdownOutput(w.now);
            }
        }
    }

    /** Drains a connection's receive() into a buffer while {@code reading}. */
    static final class Reader implements App {
        final boolean onA;
        final ByteArrayOutputStream got = new ByteArrayOutputStream();
        final byte[] buf = new byte[7_000];
        boolean reading = true;
        boolean eof;

        Reader(boolean onA) {
            this.onA = onA;
        }

        @Override
        public void step(Wire w) {
            TcpConnection c = onA ? w.a : w.b;
            if (c == null || !reading || eof) {
                return;
            }
            while (true) {
                int n = c.receive(buf, 0, buf.length, w.now);
                if (n < 0) {
                    eof = true;
                    return;
                }
                if (n == 0) {
                    return;
                }
                got.write(buf, 0, n);
            }
        }

        byte[] bytes() {
            return got.toByteArray();
        }
    }

    /** Deterministic pseudo-random bytes. */
    static byte[] data(int n, long seed) {
        byte[] d = new byte[n];
        new java.util.Random(seed).nextBytes(d);
        return d;
    }
}
