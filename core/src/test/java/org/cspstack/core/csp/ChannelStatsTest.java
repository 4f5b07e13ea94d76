package org.cspstack.core.csp;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.jcsp.lang.Any2OneChannel;
import org.jcsp.lang.ChannelOutput;
import org.junit.jupiter.api.Test;

/** What channels count: blocked time on the kinds whose writer may block, none on upward ones; the tables. */
class ChannelStatsTest {

    /**
     * Starts a thread that writes {@code value} to {@code out}, waits until it is parked inside the write, and
     * returns it with the instant it was seen parked: the write cannot end before the test reads.
     */
    private static long[] blockedWriter(ChannelOutput<Integer> out, int value, CountDownLatch done)
            throws InterruptedException {
        Thread t = new Thread(() -> {
            out.write(value);
            done.countDown();
        }, "blocked-writer");
        t.setDaemon(true);
        t.start();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!parked(t) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat("writer parked in write(): " + t.getState(), parked(t), is(true));
        return new long[] {System.nanoTime()};
    }

    /** Waiting for the reader, or (a second writer of a shared channel) for the writers' lock. */
    private static boolean parked(Thread t) {
        return t.getState() == Thread.State.WAITING || t.getState() == Thread.State.BLOCKED;
    }

    @Test
    void aDownwardChannelCountsTheTimeItsWriterWaitedForRoom() throws Exception {
        ProcessNetwork net = new ProcessNetwork("test");
        Chan<Integer> down = net.downward("down", "w", "r", 1);
        down.out().write(1);
        CountDownLatch done = new CountDownLatch(1);
        long parkedAt = blockedWriter(down.out(), 2, done)[0];
        long heldFor = System.nanoTime() - parkedAt;
        assertThat(down.in().read(), is(1));
        assertThat(done.await(5, TimeUnit.SECONDS), is(true));
        assertThat(down.in().read(), is(2));
        // The writer was inside write() from before it parked until after the read: at least heldFor.
        assertThat(down.stats().blockedNanos.get(), greaterThanOrEqualTo(heldFor));
        assertThat(down.stats().written.get(), is(2L));
    }

    @Test
    void aRendezvousCountsTheTimeItsWriterWaitedForTheReader() throws Exception {
        ProcessNetwork net = new ProcessNetwork("test");
        Chan<Integer> rdv = net.downward("rdv", "w", "r", 0);
        CountDownLatch done = new CountDownLatch(1);
        long parkedAt = blockedWriter(rdv.out(), 7, done)[0];
        long heldFor = System.nanoTime() - parkedAt;
        assertThat(rdv.in().read(), is(7));
        assertThat(done.await(5, TimeUnit.SECONDS), is(true));
        assertThat(rdv.stats().blockedNanos.get(), greaterThanOrEqualTo(heldFor));
    }

    @Test
    void aSharedDownwardChannelAddsTheBlockedTimeOfAllItsWriters() throws Exception {
        ProcessNetwork net = new ProcessNetwork("test");
        Any2OneChannel<Integer> shared = net.downwardShared("shared", "w1,w2", "r", 1);
        ChannelStats stats = net.channels().get(0).stats();
        shared.out().write(1);
        CountDownLatch done = new CountDownLatch(2);
        long parkedAt = blockedWriter(shared.out(), 2, done)[0];
        blockedWriter(shared.out(), 3, done);
        long heldFor = System.nanoTime() - parkedAt;
        for (int i = 0; i < 3; i++) {
            shared.in().read();
        }
        assertThat(done.await(5, TimeUnit.SECONDS), is(true));
        assertThat(stats.written.get(), is(3L));
        assertThat(stats.blockedNanos.get(), greaterThanOrEqualTo(heldFor));
    }

    @Test
    void anUpwardChannelIsNotTimed() {
        ProcessNetwork net = new ProcessNetwork("test");
        Chan<Integer> up = net.upward("up", "w", "r", 2);
        for (int i = 0; i < 5; i++) {
            up.out().write(i);
        }
        assertThat(up.stats().blockedNanos.get(), is(0L));
        assertThat(up.stats().queueFullDropped.get(), is(3L));
    }

    @Test
    void statsTablesShowProcessesWithInOutAndDropsAndTheChannelsThatCarriedSomething() {
        ProcessNetwork net = new ProcessNetwork("test");
        Chan<Integer> down = net.downward("aToB", "a", "b", 4);
        Chan<Integer> up = net.upward("bToA", "b", "a", 1);
        net.downward("idle", "a", "b", 4);
        Counters bCounters = new Counters("b") {
            final Counter badThingDropped = counter("badThingDropped");

            {
                badThingDropped.add(2);
            }
        };
        net.process("a", () -> { }, null);
        net.process("b", () -> { }, bCounters);
        down.out().write(1);
        down.out().write(2);
        up.out().write(3);
        up.out().write(4);

        String table = NetworkStats.table(net);
        assertThat(table, containsString("  process  in  out  drops\n"
                + "  a         1    2  queueFull=1\n"
                + "  b         2    2  badThing=2\n"));
        assertThat(table, containsString("\n  channel  kind  capacity  written  dropped  "));
        assertThat(table, containsString("\n  aToB     down         4        2        -  "));
        assertThat(table, containsString("\n  bToA     up           1        2        1  "));
        assertThat(table, not(containsString("idle")));
        assertThat(table, containsString("dynamic processes alive: 0"));

        String text = NetworkGraph.text(net, true);
        assertThat(text, containsString("aToB (a -> b, downward_blocking, capacity 4)  written 2, blocked "));
        assertThat(text, containsString("bToA (b -> a, upward_dropping, capacity 1)  written 2, dropped 1"));
    }
}
