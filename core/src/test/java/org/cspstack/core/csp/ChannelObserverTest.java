package org.cspstack.core.csp;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.jcsp.lang.Any2OneChannel;
import org.junit.jupiter.api.Test;

class ChannelObserverTest {

    /** Counts per channel what it is shown, and remembers the order of one channel's messages. */
    static final class Recorder implements ChannelObserver {
        final Map<String, AtomicLong> seen = new ConcurrentHashMap<>();
        final Map<String, AtomicLong> dropped = new ConcurrentHashMap<>();
        final List<Object> upwardMessages = new ArrayList<>();
        final List<Boolean> upwardDropped = new ArrayList<>();

        @Override
        public synchronized void written(ChannelSpec channel, Object message, boolean drop) {
            seen.computeIfAbsent(channel.name(), k -> new AtomicLong()).incrementAndGet();
            if (drop) {
                dropped.computeIfAbsent(channel.name(), k -> new AtomicLong()).incrementAndGet();
            }
            if (channel.name().equals("up")) {
                upwardMessages.add(message);
                upwardDropped.add(drop);
            }
        }

        long seen(String name) {
            AtomicLong n = seen.get(name);
            return n == null ? 0 : n.get();
        }

        long dropped(String name) {
            AtomicLong n = dropped.get(name);
            return n == null ? 0 : n.get();
        }
    }

    @Test
    void seesEveryMessageOfEveryKindOfChannelOnceAndEveryDrop() throws Exception {
        Recorder rec = new Recorder();
        ProcessNetwork net = new ProcessNetwork("observed");
        net.observe(rec);
        Chan<Integer> up = net.upward("up", "w", "r", 2);
        Chan<Integer> down = net.downward("down", "w", "r", 8);
        Chan<Integer> rendezvous = net.downward("rendezvous", "w", "r", 0);
        Any2OneChannel<Integer> requests = net.requests("requests", "r");
        Any2OneChannel<Integer> upShared = net.upwardShared("upShared", "w*", "r", 3);
        Any2OneChannel<Integer> downShared = net.downwardShared("downShared", "w*", "r", 8);
        Chan<Integer> dynamic = net.dynamicUpward("dynamic", "w", "r", 1);

        for (int i = 0; i < 5; i++) {
            up.out().write(i);           // capacity 2, nobody reads yet: 0 and 1 stay, 2..4 drop
            down.out().write(i);
        }
        Thread[] writers = new Thread[2];
        for (int t = 0; t < writers.length; t++) {
            int base = t * 100;
            writers[t] = new Thread(() -> {
                for (int i = 0; i < 4; i++) {
                    upShared.out().write(base + i);  // 8 offered, 3 fit
                    downShared.out().write(base + i);
                }
            });
        }
        // downShared holds 8: both writers finish without a reader.
        for (Thread w : writers) {
            w.start();
        }
        for (Thread w : writers) {
            w.join(10_000);
        }
        dynamic.out().write(1);
        dynamic.out().write(2);          // capacity 1: dropped
        Thread reader = new Thread(() -> {
            rendezvous.in().read();
            requests.in().read();
            requests.in().read();
        });
        reader.start();
        rendezvous.out().write(7);
        requests.out().write(1);
        requests.out().write(2);
        reader.join(10_000);

        List<Integer> readUp = new ArrayList<>();
        readUp.add(up.in().read());
        readUp.add(up.in().read());
        assertThat(readUp, contains(0, 1));
        assertThat(rec.upwardMessages, contains(0, 1, 2, 3, 4));
        assertThat(rec.upwardDropped, contains(false, false, true, true, true));
        for (ChannelSpec c : net.channels()) {
            if (!c.name().equals("requests")) {     // writers of a request channel are not counted
                assertThat(c.name(), rec.seen(c.name()), equalTo(c.stats().written.get()));
                assertThat(c.name(), rec.dropped(c.name()), equalTo(c.stats().queueFullDropped.get()));
            }
        }
        assertThat(rec.seen("up"), equalTo(5L));
        assertThat(rec.dropped("up"), equalTo(3L));
        assertThat(rec.seen("down"), equalTo(5L));
        assertThat(rec.seen("rendezvous"), equalTo(1L));
        assertThat(rec.seen("requests"), equalTo(2L));
        assertThat(rec.seen("upShared"), equalTo(8L));
        assertThat(rec.dropped("upShared"), equalTo(5L));
        assertThat(rec.seen("downShared"), equalTo(8L));
        assertThat(rec.seen("dynamic"), equalTo(2L));
        assertThat(rec.dropped("dynamic"), equalTo(1L));
        assertThat(dynamic.stats().written.get(), equalTo(2L));
        assertThat(dynamic.stats().queueFullDropped.get(), equalTo(1L));
        int inShared = 0;
        while (upShared.in().pending()) {
            upShared.in().read();
            inShared++;
        }
        assertThat(inShared, equalTo(3));
    }

    @Test
    void anUpwardChannelFreedByItsReaderTakesMessagesAgain() {
        Recorder rec = new Recorder();
        ProcessNetwork net = new ProcessNetwork("observed");
        net.observe(rec);
        Chan<Integer> up = net.upward("up", "w", "r", 1);
        up.out().write(1);
        up.out().write(2);               // dropped
        assertThat(up.in().read(), equalTo(1));
        up.out().write(3);               // room again
        assertThat(up.in().read(), equalTo(3));
        assertThat(rec.upwardDropped, contains(false, true, false));
        assertThat(up.stats().written.get(), equalTo(3L));
        assertThat(up.stats().queueFullDropped.get(), equalTo(1L));
    }

    @Test
    void anUnobservedNetworkKeepsItsPlainEnds() {
        ProcessNetwork net = new ProcessNetwork("plain");
        Chan<Integer> up = net.upward("up", "w", "r", 2);
        Chan<Integer> dynamic = net.dynamicUpward("dynamic", "w", "r", 2);
        assertThat(up.out(), instanceOf(CountingOutput.class));
        assertThat(dynamic.out(), instanceOf(CountingOutput.class));
        assertThat(net.upwardShared("s", "w*", "r", 2).out(), not(instanceOf(ObservedOutput.class)));
    }

    @Test
    void theObserverMustComeBeforeTheChannels() {
        ProcessNetwork net = new ProcessNetwork("late");
        net.upward("up", "w", "r", 2);
        assertThrows(IllegalStateException.class, () -> net.observe((c, m, d) -> { }));
    }
}
