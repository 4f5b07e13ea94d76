package org.cspstack.core.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;

import org.junit.jupiter.api.Test;

/** The pool: reuse, its bound, release rules, and give-back from many threads. */
class BufferPoolTest {

    /** A message kind for the slot test: one per test JVM (kinds are few and static). */
    static final class Note {
        int value;
    }

    static final MessageSlot<Note> NOTE = MessageSlot.define("Note", Note::new);

    @Test
    void aBuffersMessageIsMadeOnceAndTravelsWithTheBufferThroughThePool() {
        BufferPool pool = new BufferPool("t", 256, 4);
        PacketBuffer a = pool.take(16, 100);
        Note n = a.message(NOTE);
        n.value = 7;
        assertSame(n, a.message(NOTE));
        assertEquals(7, a.message(NOTE).value);
        PacketBuffer other = pool.take(16, 100);
        assertNotSame(n, other.message(NOTE), "each buffer has its own");
        assertNotSame(n, a.copy().message(NOTE), "a copy has its own");
        a.release();
        PacketBuffer again = pool.take(16, 100);
        assertSame(a, again);
        assertSame(n, again.message(NOTE), "the pooled buffer's message is reused, not made again");
    }

    @Test
    void aReleasedBufferIsHandedOutAgainWithNewBounds() {
        BufferPool pool = new BufferPool("t", 256, 4);
        PacketBuffer a = pool.take(16, 100);
        assertSame(pool, a.pool());
        assertEquals(16, a.start());
        assertEquals(116, a.end());
        assertEquals(256, a.capacity());
        a.release();
        assertTrue(a.isReleased());
        PacketBuffer b = pool.take(40, 8);
        assertSame(a, b);
        assertFalse(b.isReleased());
        assertEquals(40, b.start());
        assertEquals(8, b.length());
        BufferPoolCounters c = pool.counters();
        assertEquals(2, c.taken.get());
        assertEquals(1, c.allocated.get());
        assertEquals(1, c.reused.get());
        assertEquals(1, c.returned.get());
    }

    @Test
    void aRequestLargerThanTheBuffersGetsAnUnpooledBuffer() {
        BufferPool pool = new BufferPool("t", 64, 4);
        PacketBuffer big = pool.take(16, 100);
        assertNull(big.pool());
        assertEquals(116, big.capacity());
        big.release();
        assertEquals(1, pool.counters().tooLarge.get());
        assertEquals(0, pool.available());
    }

    @Test
    void aFullPoolLeavesWhatIsGivenBackToTheCollector() {
        BufferPool pool = new BufferPool("t", 64, 4);
        List<PacketBuffer> taken = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            taken.add(pool.take(0, 64));
        }
        taken.forEach(PacketBuffer::release);
        assertEquals(4, pool.available());
        assertEquals(4, pool.counters().returned.get());
        assertEquals(2, pool.counters().returnedWhenFull.get());
        assertEquals(6, pool.counters().allocated.get());
    }

    @Test
    void releasingTwiceIsDetected() {
        BufferPool pool = new BufferPool("t", 64, 4);
        PacketBuffer b = pool.take(0, 10);
        b.release();
        assertThrows(IllegalStateException.class, b::release);
        assertEquals(1, pool.available(), "the second release must not put the buffer in the ring twice");
        PacketBuffer unpooled = PacketBuffer.allocate(10);
        unpooled.release();
        assertThrows(IllegalStateException.class, unpooled::release);
    }

    @Test
    void usingAReleasedBufferFailsWithAssertionsOn() {
        PacketBuffer b = new BufferPool("t", 64, 4).take(0, 10);
        b.release();
        boolean assertionsOn = false;
        assert assertionsOn = true;
        if (assertionsOn) {
            assertThrows(AssertionError.class, b::array);
        }
    }

    @Test
    void aCopyIsNeverPooled() {
        PacketBuffer b = new BufferPool("t", 64, 4).take(4, 10);
        PacketBuffer copy = b.copy();
        assertNull(copy.pool());
        assertNotSame(b.array(), copy.array());
    }

    @Test
    void buffersGivenBackFromManyThreadsAreNeitherLostNorDuplicated() throws Exception {
        int threads = 4;
        int rounds = 20_000;
        int perThread = 8;
        BufferPool pool = new BufferPool("t", 32, 64);
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        CyclicBarrier start = new CyclicBarrier(threads);
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                try {
                    start.await();
                    PacketBuffer[] mine = new PacketBuffer[perThread];
                    for (int r = 0; r < rounds; r++) {
                        for (int i = 0; i < perThread; i++) {
                            mine[i] = pool.take(0, 32);
                            // While a thread owns a buffer nobody else may: stamp it and check the stamp.
                            mine[i].array()[0] = (byte) id;
                            mine[i].array()[1] = (byte) i;
                        }
                        for (int i = 0; i < perThread; i++) {
                            if (mine[i].array()[0] != (byte) id || mine[i].array()[1] != (byte) i) {
                                throw new AssertionError("a buffer was handed to two owners at once");
                            }
                            mine[i].release();
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                } finally {
                    done.countDown();
                }
            });
            th.start();
        }
        done.await();
        assertTrue(failures.isEmpty(), () -> "failures: " + failures);
        BufferPoolCounters c = pool.counters();
        long takes = (long) threads * rounds * perThread;
        assertEquals(takes, c.taken.get());
        assertEquals(takes, c.reused.get() + c.allocated.get());
        assertEquals(takes, c.returned.get() + c.returnedWhenFull.get());
        // Buffers alive = allocated - dropped when full = in use + in the ring. (Under contention a take can find
        // the ring empty while a give-back is half done, and allocate: that costs garbage, never correctness.)
        assertTrue(c.allocated.get() - c.returnedWhenFull.get() <= threads * perThread + pool.capacity(),
                () -> "more buffers alive than in use and in the ring: " + c.snapshot());
        // Drain: every buffer in the ring is there once.
        int available = pool.available();
        IdentityHashMap<PacketBuffer, Boolean> seen = new IdentityHashMap<>();
        for (int i = 0; i < available; i++) {
            PacketBuffer b = pool.take(0, 1);
            assertNull(seen.put(b, Boolean.TRUE), "a buffer was in the ring twice");
        }
        assertEquals(available, seen.size());
        assertEquals(available, c.allocated.get() - c.returnedWhenFull.get());
    }
}
