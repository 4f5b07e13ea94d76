package org.cspstack.core.csp;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Batches, outboxes, and how channels count and bound them: in messages, not in communications. */
class BatchTest {

    @Test
    void aBatchKeepsItsMessagesInOrderUpToItsLimit() {
        Batch<Integer> b = new Batch<>(1);
        for (int i = 0; i < Batch.LIMIT; i++) {
            b.add(i);
        }
        assertThat(b.size(), is(Batch.LIMIT));
        assertThat(b.isFull(), is(true));
        assertThat(b.get(0), is(0));
        assertThat(b.get(Batch.LIMIT - 1), is(Batch.LIMIT - 1));
        assertThrows(IllegalStateException.class, () -> b.add(99));
        assertThrows(NullPointerException.class, () -> new Batch<Integer>(1).add(null));
        assertThrows(IndexOutOfBoundsException.class, () -> b.get(Batch.LIMIT));
        List<Integer> seen = new ArrayList<>();
        Batch.of(3, 1, 2).forEach(seen::add);
        assertThat(seen, contains(3, 1, 2));
    }

    @Test
    void aFinishedIterationsIteratorIsReusedAndANestedOneIsNot() {
        Batch<Integer> b = Batch.of(1, 2, 3);
        java.util.Iterator<Integer> first = b.iterator();
        java.util.Iterator<Integer> nested = b.iterator();
        assertThat("asked for while the first is part-way", nested == first, is(false));
        List<Integer> pairs = new ArrayList<>();
        while (first.hasNext()) {
            int x = first.next();
            for (int y : b) {
                pairs.add(x * 10 + y);
            }
        }
        assertThat(pairs, contains(11, 12, 13, 21, 22, 23, 31, 32, 33));
        assertThat("the first ran to its end: handed out again", b.iterator() == first, is(true));
        assertThrows(java.util.NoSuchElementException.class, () -> {
            java.util.Iterator<Integer> it = Batch.of(7).iterator();
            it.next();
            it.next();
        });
    }

    @Test
    void aLoopLeftEarlyDoesNotOutliveItsBatch() {
        Batch<Integer> b = Batch.of(1, 2, 3);
        java.util.Iterator<Integer> it = b.iterator();
        it.next(); // left part-way
        b.recycle();
        b.reuse();
        b.add(4);
        b.add(5);
        List<Integer> seen = new ArrayList<>();
        b.forEach(seen::add);
        assertThat(seen, contains(4, 5));
        assertThat("the abandoned iterator was reset by recycle()", b.iterator() == it, is(true));
    }

    @Test
    void weightIsABatchsSizeAndOneForAnythingElse() {
        assertThat(Batch.weight(Batch.of("a", "b", "c")), is(3));
        assertThat(Batch.weight("a"), is(1));
    }

    @Test
    void anOutboxWritesWhatWasAddedAsOneBatchOnFlushAndNothingWhenEmpty() {
        ProcessNetwork net = new ProcessNetwork("test");
        Chan<Batch<Integer>> c = net.upward("c", "w", "r", 100);
        Outbox<Integer> out = new Outbox<>(c.out());
        out.flush();
        assertThat(c.in().pending(), is(false));
        out.add(1);
        out.add(2);
        assertThat(out.pending(), is(2));
        assertThat(c.in().pending(), is(false));
        out.flush();
        Batch<Integer> b = c.in().read();
        assertThat(b.size(), is(2));
        assertThat(b.get(0), is(1));
        assertThat(b.get(1), is(2));
        assertThat(out.pending(), is(0));
        assertThat(c.in().pending(), is(false));
    }

    @Test
    void anOutboxWritesAFullBatchAtOnce() {
        ProcessNetwork net = new ProcessNetwork("test");
        Chan<Batch<Integer>> c = net.upward("c", "w", "r", 1000);
        Outbox<Integer> out = new Outbox<>(c.out());
        for (int i = 0; i < Batch.LIMIT + 1; i++) {
            out.add(i);
        }
        assertThat(c.in().read().size(), is(Batch.LIMIT));
        assertThat(out.pending(), is(1));
    }

    @Test
    void aRecycledBatchIsTheWritersNextBatchEmptiedAndOnlyOnce() {
        ProcessNetwork net = new ProcessNetwork("test");
        Chan<Batch<Integer>> c = net.upward("c", "w", "r", 100);
        Outbox<Integer> out = new Outbox<>(c.out());
        out.add(1);
        out.add(2);
        out.flush();
        Batch<Integer> first = c.in().read();
        first.recycle();
        assertThrows(IllegalStateException.class, first::recycle);
        out.add(3);
        out.flush();
        Batch<Integer> second = c.in().read();
        assertThat(second == first, is(true));
        assertThat(second.size(), is(1));
        assertThat(second.get(0), is(3));
        // Not recycled: the writer makes a new one.
        out.add(4);
        out.flush();
        assertThat(c.in().read() == second, is(false));
        // A batch made by hand has nowhere to go back to: recycling only empties it.
        Batch<Integer> byHand = Batch.of(5);
        byHand.recycle();
        assertThat(byHand.size(), is(0));
    }

    @Test
    void aBatchReaderHandsOutMessagesInOrderAcrossBatchesAndTimesOutWhenNoneCome() {
        ProcessNetwork net = new ProcessNetwork("test");
        Chan<Batch<Integer>> c = net.upward("c", "w", "r", 100);
        Outbox<Integer> out = new Outbox<>(c.out());
        BatchReader<Integer> reader = new BatchReader<>(c.in());
        assertThat(reader.pending(), is(false));
        assertThat(reader.poll(0), is((Integer) null));
        out.add(1);
        out.add(2);
        out.flush();
        out.add(3);
        out.flush();
        assertThat(reader.read(), is(1));
        assertThat(reader.pending(), is(true));
        assertThat(reader.read(), is(2));
        assertThat(reader.poll(0), is(3));
        assertThat(reader.poll(10), is((Integer) null));
    }

    @Test
    void anUpwardChannelCountsAndDropsMessagesNotBatches() {
        ProcessNetwork net = new ProcessNetwork("test");
        Chan<Batch<Integer>> up = net.upward("up", "w", "r", 4);
        up.out().write(Batch.of(1, 2, 3));
        up.out().write(Batch.of(4, 5));      // 3 + 2 > 4: dropped whole
        up.out().write(Batch.of(6));         // fits: 4
        up.out().write(Batch.of(7));         // full
        assertThat(up.stats().written.get(), is(7L));
        assertThat(up.stats().queueFullDropped.get(), is(3L));
        assertThat(up.in().read().size(), is(3));
        assertThat(up.in().read().get(0), is(6));
        assertThat(up.in().pending(), is(false));
        // Emptied, it takes a batch larger than its capacity rather than starve for ever.
        up.out().write(Batch.of(1, 2, 3, 4, 5));
        assertThat(up.in().read().size(), is(5));
    }

    @Test
    void anObservedChannelShowsEachMessageOfABatchAndDropsByMessages() {
        ProcessNetwork net = new ProcessNetwork("test");
        List<String> seen = new ArrayList<>();
        net.observe((channel, message, dropped) -> seen.add(message + (dropped ? " dropped" : "")));
        Chan<Batch<String>> up = net.upward("up", "w", "r", 2);
        up.out().write(Batch.of("a", "b"));
        up.out().write(Batch.of("c"));
        assertThat(seen, contains("a", "b", "c dropped"));
        assertThat(up.stats().written.get(), is(3L));
        assertThat(up.stats().queueFullDropped.get(), is(1L));
    }

    @Test
    void aDownwardChannelHoldsItsCapacityInMessagesBeforeItsWriterWaits() {
        ProcessNetwork net = new ProcessNetwork("test");
        Chan<Batch<Integer>> down = net.downward("down", "w", "r", 4);
        down.out().write(Batch.of(1, 2));
        down.out().write(Batch.of(3, 4)); // 4 held: returns, as 4 single messages would
        assertThat(down.stats().written.get(), is(4L));
        assertThat(down.in().read().size(), is(2));
        assertThat(down.in().read().size(), is(2));
    }
}
