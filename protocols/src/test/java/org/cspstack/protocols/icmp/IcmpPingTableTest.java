package org.cspstack.protocols.icmp;

import org.cspstack.core.csp.Deadlines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.NoSuchElementException;

import org.cspstack.protocols.icmp.IcmpPingTable.Admission;
import org.cspstack.protocols.icmp.IcmpPingTable.Ping;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The functional core of the ICMP layer, with fake time in nanoseconds. */
class IcmpPingTableTest {

    private static final long T0 = 1_000_000_000L;
    private static final long MS = 1_000_000L;

    private final IcmpPingTable<String> table = new IcmpPingTable<>(1024);

    private static List<String> clients(List<Ping<String>> pings) {
        return pings.stream().map(Ping::client).toList();
    }

    @Test
    void startsEmpty() {
        assertThat(table.isEmpty(), is(true));
        assertThat(table.size(), is(0));
        assertThrows(NoSuchElementException.class, table::nextDeadline);
        assertThat(table.expire(T0), is(empty()));
    }

    @Test
    void nextDeadlineIsTheEarliestWhateverTheOrderOfArrival() {
        table.add(1, 1, T0, 300 * MS, "a");
        table.add(1, 2, T0 + 10 * MS, 100 * MS, "b");
        table.add(1, 3, T0 + 20 * MS, 200 * MS, "c");
        assertThat(table.nextDeadline(), is(T0 + 110 * MS));
        assertThat(table.size(), is(3));
    }

    @Test
    void expiresOnlyDuePingsEarliestFirst() {
        table.add(1, 1, T0, 300 * MS, "a");
        table.add(1, 2, T0, 100 * MS, "b");
        table.add(1, 3, T0, 200 * MS, "c");
        assertThat(table.expire(T0 + 99 * MS), is(empty()));
        assertThat(clients(table.expire(T0 + 100 * MS)), contains("b"));
        assertThat(table.nextDeadline(), is(T0 + 200 * MS));
        assertThat(clients(table.expire(T0 + 1000 * MS)), contains("c", "a"));
        assertThat(table.isEmpty(), is(true));
    }

    @Test
    void expiresEqualDeadlinesInOrderOfArrival() {
        table.add(7, 3, T0, 100 * MS, "first");
        table.add(7, 1, T0, 100 * MS, "second");
        table.add(7, 2, T0, 100 * MS, "third");
        assertThat(clients(table.expire(T0 + 100 * MS)), contains("first", "second", "third"));
    }

    @Test
    void expiredPingRemembersWhenItWasSent() {
        table.add(9, 4, T0, 100 * MS, "a");
        Ping<String> p = table.expire(T0 + 150 * MS).get(0);
        assertThat(p.identifier(), is(9));
        assertThat(p.sequence(), is(4));
        assertThat(p.sentNanos(), is(T0));
        assertThat(p.deadlineNanos(), is(T0 + 100 * MS));
    }

    @Test
    void matchesByIdentifierAndSequenceTogether() {
        table.add(1, 2, T0, 100 * MS, "one-two");
        table.add(2, 1, T0, 100 * MS, "two-one");
        assertThat(table.match(1, 1), is(nullValue()));
        assertThat(table.match(2, 1).client(), is("two-one"));
        assertThat(table.match(1, 2).client(), is("one-two"));
        assertThat(table.isEmpty(), is(true));
    }

    @Test
    void matchedPingIsGoneAndNeverTimesOut() {
        table.add(1, 1, T0, 100 * MS, "a");
        table.add(1, 2, T0, 200 * MS, "b");
        assertThat(table.match(1, 1).client(), is("a"));
        assertThat(table.match(1, 1), is(nullValue()));
        assertThat(table.nextDeadline(), is(T0 + 200 * MS));
        assertThat(clients(table.expire(T0 + 1000 * MS)), contains("b"));
    }

    @Test
    void timedOutPingCannotBeMatchedAnyMore() {
        table.add(1, 1, T0, 100 * MS, "a");
        table.expire(T0 + 100 * MS);
        assertThat(table.match(1, 1), is(nullValue()));
    }

    @Test
    void refusesBeyondItsCapacityUntilOneEnds() {
        IcmpPingTable<String> small = new IcmpPingTable<>(2);
        assertThat(small.add(1, 1, T0, MS, "a"), is(Admission.ADDED));
        assertThat(small.add(1, 2, T0, MS, "b"), is(Admission.ADDED));
        assertThat(small.add(1, 3, T0, MS, "c"), is(Admission.FULL));
        assertThat(small.size(), is(2));
        small.match(1, 1);
        assertThat(small.add(1, 3, T0, MS, "c"), is(Admission.ADDED));
    }

    @Test
    void takes1024PingsAndRefusesThe1025th() {
        for (int seq = 0; seq < 1024; seq++) {
            assertThat(table.add(1, seq, T0, MS, "p" + seq), is(Admission.ADDED));
        }
        assertThat(table.add(1, 1024, T0, MS, "one too many"), is(Admission.FULL));
        assertThat(table.size(), is(1024));
    }

    @Test
    void refusesASecondPingWithTheSameIdentifierAndSequence() {
        assertThat(table.add(5, 6, T0, 100 * MS, "a"), is(Admission.ADDED));
        assertThat(table.add(5, 6, T0 + MS, 100 * MS, "b"), is(Admission.DUPLICATE));
        assertThat(table.match(5, 6).client(), is("a"));
        assertThat(table.add(5, 6, T0 + 2 * MS, 100 * MS, "b"), is(Admission.ADDED));
    }

    @Test
    void ordersDeadlinesAcrossNanoTimeWrapAround() {
        long now = Long.MAX_VALUE - 50 * MS;
        table.add(1, 1, now, 100 * MS, "late");   // deadline wraps to a negative number
        table.add(1, 2, now, 10 * MS, "early");   // deadline still positive
        assertThat(table.nextDeadline(), is(now + 10 * MS));
        assertThat(clients(table.expire(now + 60 * MS)), contains("early"));
        assertThat(clients(table.expire(now + 100 * MS)), contains("late"));
    }

    @Test
    void removeAllEmptiesTheTable() {
        table.add(1, 1, T0, 300 * MS, "a");
        table.add(1, 2, T0, 100 * MS, "b");
        assertThat(clients(table.removeAll()), contains("b", "a"));
        assertThat(table.isEmpty(), is(true));
        assertThat(table.expire(T0 + 1000 * MS), is(empty()));
    }

    @Test
    void rejectsANegativeTimeoutAndCapacity() {
        assertThrows(IllegalArgumentException.class, () -> table.add(1, 1, T0, -1, "a"));
        assertThrows(IllegalArgumentException.class, () -> new IcmpPingTable<String>(0));
    }

    @ParameterizedTest(name = "{0} ns -> {1} ms")
    @CsvSource({
        "-5000000, 0",
        "0, 0",
        "1, 1",
        "999999, 1",
        "1000000, 1",
        "1000001, 2",
        "100000000, 100",
    })
    void roundsDelaysUpToWholeMilliseconds(long nanos, long millis) {
        assertThat(Deadlines.ceilMillis(nanos), is(millis));
    }
}
