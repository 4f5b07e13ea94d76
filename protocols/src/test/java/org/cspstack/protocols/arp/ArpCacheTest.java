package org.cspstack.protocols.arp;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.cspstack.core.wire.Ipv4Address;
import org.cspstack.core.wire.MacAddress;
import org.cspstack.protocols.arp.ArpCache.Expiry;
import org.cspstack.protocols.arp.ArpCache.Outcome;
import org.cspstack.protocols.stack.StackConfig.ArpSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The ARP cache with fake time: {@code now} is a plain number of nanoseconds. */
class ArpCacheTest {

    private static final long SECOND = 1_000_000_000L;
    private static final long LIFETIME = 10 * SECOND;
    private static final long RETRY = SECOND;
    /** An arbitrary start, as System.nanoTime() has no fixed origin. */
    private static final long T0 = 123_456_789_000L;

    private static final Ipv4Address A = Ipv4Address.parse("198.18.0.1");
    private static final Ipv4Address B = Ipv4Address.parse("198.18.0.3");
    private static final Ipv4Address C = Ipv4Address.parse("198.18.0.4");
    private static final Ipv4Address D = Ipv4Address.parse("198.18.0.5");
    private static final Ipv4Address E = Ipv4Address.parse("198.18.0.6");
    private static final MacAddress MAC_A = MacAddress.parse("02:00:00:00:00:01");
    private static final MacAddress MAC_B = MacAddress.parse("02:00:00:00:00:03");
    private static final MacAddress MAC_OTHER = MacAddress.parse("02:00:00:00:00:99");

    /** Lifetime 10 s, retry 1 s, 3 requests, 3 entries, 3 packets per address, 5 in all. */
    private static ArpCache<String> cache() {
        return new ArpCache<>(new ArpSettings(Duration.ofNanos(LIFETIME), Duration.ofNanos(RETRY), 3, 3, 3, 5));
    }

    @Test
    void looksUpALearnedAddress() {
        ArpCache<String> c = cache();
        c.learn(A, MAC_A, T0);
        assertThat(c.lookup(A, T0 + 1), is(MAC_A));
        assertThat(c.lookup(B, T0 + 1), is(nullValue()));
        assertThat(c.entryCount(), is(1));
    }

    static Stream<Arguments> expiryBoundary() {
        return Stream.of(
                Arguments.of("just learned", 0L, true),
                Arguments.of("one nanosecond before the lifetime", LIFETIME - 1, true),
                Arguments.of("exactly at the lifetime", LIFETIME, false),
                Arguments.of("long after", 100 * LIFETIME, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expiryBoundary")
    void entryExpiresExactlyAtItsLifetime(String name, long age, boolean present) {
        ArpCache<String> c = cache();
        c.learn(A, MAC_A, T0);
        assertThat(c.lookup(A, T0 + age), is(present ? MAC_A : null));
        assertThat("an expired entry is removed", c.entryCount(), is(present ? 1 : 0));
        assertThat(c.isKnown(A, T0 + age), is(present));
    }

    @Test
    void learningAgainRefreshesTheLifetimeAndTheMac() {
        ArpCache<String> c = cache();
        c.learn(A, MAC_A, T0);
        c.learn(A, MAC_OTHER, T0 + LIFETIME - 1);
        assertThat(c.lookup(A, T0 + LIFETIME + 5), is(MAC_OTHER));
        assertThat(c.entryCount(), is(1));
    }

    @Test
    void evictsTheOldestLearnedEntryBeyondMaxEntries() {
        ArpCache<String> c = cache();
        c.learn(A, MAC_A, T0);
        c.learn(B, MAC_B, T0 + 1);
        c.learn(C, MAC_OTHER, T0 + 2);
        c.learn(A, MAC_A, T0 + 3); // refreshed: B is now the oldest
        c.learn(D, MAC_OTHER, T0 + 4);
        assertThat(c.entryCount(), is(3));
        assertThat(c.lookup(B, T0 + 5), is(nullValue()));
        assertThat(c.lookup(A, T0 + 5), is(MAC_A));
        assertThat(c.lookup(C, T0 + 5), is(MAC_OTHER));
        assertThat(c.lookup(D, T0 + 5), is(MAC_OTHER));
    }

    @Test
    void firstPacketAsksForARequestAndLaterOnesQueue() {
        ArpCache<String> c = cache();
        assertThat(c.enqueue(A, "a1", T0), is(Outcome.SEND_REQUEST));
        assertThat(c.enqueue(A, "a2", T0 + 1), is(Outcome.QUEUED));
        assertThat(c.enqueue(B, "b1", T0 + 2), is(Outcome.SEND_REQUEST));
        assertThat(c.isPending(A), is(true));
        assertThat(c.isKnown(A, T0 + 2), is(true));
        assertThat(c.requestsSent(A), is(1));
        assertThat(c.pendingAddressCount(), is(2));
        assertThat(c.pendingPacketCount(), is(3));
        assertThat(c.nextDeadline(), is(T0 + RETRY));
    }

    static Stream<Arguments> queueBounds() {
        return Stream.of(
                // per address: 3 for A, the 4th is refused while B still has room
                Arguments.of("per-address bound", List.of(A, A, A, A, B),
                        List.of(Outcome.SEND_REQUEST, Outcome.QUEUED, Outcome.QUEUED, Outcome.REFUSED_FULL,
                                Outcome.SEND_REQUEST)),
                // total: 5 in all; a new address gets no request (and no state) once the total is reached
                Arguments.of("total bound", List.of(A, A, B, B, C, D, C),
                        List.of(Outcome.SEND_REQUEST, Outcome.QUEUED, Outcome.SEND_REQUEST, Outcome.QUEUED,
                                Outcome.SEND_REQUEST, Outcome.REFUSED_FULL, Outcome.REFUSED_FULL)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("queueBounds")
    void refusesPacketsBeyondTheQueueBounds(String name, List<Ipv4Address> hops, List<Outcome> expected) {
        ArpCache<String> c = cache();
        for (int i = 0; i < hops.size(); i++) {
            assertThat("packet " + i + " to " + hops.get(i), c.enqueue(hops.get(i), "p" + i, T0 + i),
                    is(expected.get(i)));
        }
        long queued = expected.stream().filter(o -> o != Outcome.REFUSED_FULL).count();
        assertThat(c.pendingPacketCount(), is((int) queued));
        assertThat("a refused first packet leaves no pending state", c.isPending(D), is(false));
    }

    @Test
    void learningReturnsTheWaitingPacketsInOrderAndEndsTheResolution() {
        ArpCache<String> c = cache();
        c.enqueue(A, "a1", T0);
        c.enqueue(B, "b1", T0);
        c.enqueue(A, "a2", T0);
        c.enqueue(A, "a3", T0);
        assertThat(c.learn(A, MAC_A, T0 + 10), contains("a1", "a2", "a3"));
        assertThat(c.isPending(A), is(false));
        assertThat(c.pendingPacketCount(), is(1));
        assertThat(c.lookup(A, T0 + 11), is(MAC_A));
        assertThat("nothing waits any more", c.learn(A, MAC_A, T0 + 12), is(empty()));
        assertThat(c.learn(B, MAC_B, T0 + 13), contains("b1"));
        assertThat(c.hasPending(), is(false));
        assertThat(c.nextDeadline(), is(Long.MAX_VALUE));
    }

    @Test
    void learningFreesRoomInTheTotalBound() {
        ArpCache<String> c = cache();
        for (int i = 0; i < 3; i++) {
            c.enqueue(A, "a" + i, T0);
            c.enqueue(B, "b" + i, T0);
        }
        assertThat(c.enqueue(C, "c0", T0), is(Outcome.REFUSED_FULL));
        c.learn(A, MAC_A, T0);
        assertThat(c.enqueue(C, "c0", T0), is(Outcome.SEND_REQUEST));
    }

    /** One step of a timeline: poll at {@code at} (offset from T0) and what it reports. */
    private record Step(long at, List<Ipv4Address> resend, List<Ipv4Address> failed, List<String> dropped,
                        long nextDeadline) {
    }

    @Test
    void retriesEveryRetryIntervalAndGivesUpAfterMaxRequests() {
        ArpCache<String> c = cache();
        assertThat(c.enqueue(A, "a1", T0), is(Outcome.SEND_REQUEST)); // request 1
        c.enqueue(A, "a2", T0 + 5);
        List<Step> timeline = List.of(
                new Step(RETRY - 1, List.of(), List.of(), List.of(), T0 + RETRY),
                new Step(RETRY, List.of(A), List.of(), List.of(), T0 + 2 * RETRY), // request 2
                new Step(RETRY + 1, List.of(), List.of(), List.of(), T0 + 2 * RETRY),
                new Step(2 * RETRY, List.of(A), List.of(), List.of(), T0 + 3 * RETRY), // request 3
                new Step(3 * RETRY - 1, List.of(), List.of(), List.of(), T0 + 3 * RETRY),
                new Step(3 * RETRY, List.of(), List.of(A), List.of("a1", "a2"), Long.MAX_VALUE),
                new Step(10 * RETRY, List.of(), List.of(), List.of(), Long.MAX_VALUE));
        for (Step s : timeline) {
            Expiry<String> e = c.poll(T0 + s.at());
            assertThat("resend at +" + s.at(), e.resend(), equalTo(s.resend()));
            assertThat("failed at +" + s.at(), e.failed(), equalTo(s.failed()));
            assertThat("dropped at +" + s.at(), e.dropped(), equalTo(s.dropped()));
            assertThat("isEmpty at +" + s.at(), e.isEmpty(), is(s.resend().isEmpty() && s.failed().isEmpty()));
            assertThat("next deadline after +" + s.at(), c.nextDeadline(), is(s.nextDeadline()));
        }
        assertThat(c.isPending(A), is(false));
        assertThat(c.pendingPacketCount(), is(0));
        assertThat("a new packet starts a new resolution", c.enqueue(A, "a3", T0 + 11 * RETRY),
                is(Outcome.SEND_REQUEST));
    }

    @Test
    void aLatePollRetriesOnceAndReschedulesFromNow() {
        ArpCache<String> c = cache();
        c.enqueue(A, "a1", T0);
        Expiry<String> e = c.poll(T0 + 5 * RETRY / 2);
        assertThat(e.resend(), contains(A));
        assertThat(c.requestsSent(A), is(2));
        assertThat(c.nextDeadline(), is(T0 + 7 * RETRY / 2));
    }

    @Test
    void nextDeadlineIsMaxWhenIdleAndTheEarliestRetryOtherwise() {
        ArpCache<String> c = cache();
        assertThat(c.nextDeadline(), is(Long.MAX_VALUE));
        assertThat(c.hasPending(), is(false));
        c.enqueue(A, "a1", T0);
        c.enqueue(B, "b1", T0 + RETRY / 4);
        c.enqueue(C, "c1", T0 + RETRY / 2);
        assertThat(c.nextDeadline(), is(T0 + RETRY));
        // A is retried and moves behind B and C
        assertThat(c.poll(T0 + RETRY).resend(), contains(A));
        assertThat(c.nextDeadline(), is(T0 + RETRY / 4 + RETRY));
        // B and C are due together, in deadline order; A is not
        assertThat(c.poll(T0 + 3 * RETRY / 2).resend(), contains(B, C));
        assertThat(c.nextDeadline(), is(T0 + 2 * RETRY));
        c.learn(A, MAC_A, T0 + 3 * RETRY / 2);
        assertThat(c.nextDeadline(), is(T0 + 5 * RETRY / 2));
        c.learn(B, MAC_B, T0 + 3 * RETRY / 2);
        c.learn(C, MAC_OTHER, T0 + 3 * RETRY / 2);
        assertThat(c.nextDeadline(), is(Long.MAX_VALUE));
    }

    @Test
    void worksAcrossTheWrapAroundOfNanoTime() {
        ArpCache<String> c = cache();
        long t = Long.MAX_VALUE - RETRY / 2;
        c.enqueue(A, "a1", t);
        assertThat(c.poll(t + RETRY / 4).isEmpty(), is(true));
        assertThat(c.poll(t + RETRY).resend(), contains(A)); // t + RETRY is negative
        c.learn(B, MAC_B, t);
        assertThat(c.lookup(B, t + LIFETIME - 1), is(MAC_B));
        assertThat(c.lookup(B, t + LIFETIME), is(nullValue()));
    }

    @Test
    void isKnownForResolvedAndPendingAddressesOnly() {
        ArpCache<String> c = cache();
        c.learn(A, MAC_A, T0);
        c.enqueue(B, "b1", T0);
        assertThat(c.isKnown(A, T0), is(true));
        assertThat(c.isKnown(B, T0), is(true));
        assertThat(c.isKnown(E, T0), is(false));
    }
}
