package org.cspstack.protocols.udp;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.Set;

import org.cspstack.protocols.udp.PortTable.Result;
import org.junit.jupiter.api.Test;

class PortTableTest {

    private static int port(Result r) {
        assertThat(r, instanceOf(Result.Bound.class));
        return ((Result.Bound) r).port();
    }

    private static String refusal(Result r) {
        assertThat(r, instanceOf(Result.Refused.class));
        return ((Result.Refused) r).reason();
    }

    @Test
    void bindsAFreePortOnceAndRefusesItWhileInUse() {
        PortTable t = new PortTable();
        assertThat(t.isBound(7), is(false));
        assertThat(t.bind(7), is(new Result.Bound(7)));
        assertThat(t.isBound(7), is(true));
        assertThat(t.size(), is(1));
        Result again = t.bind(7);
        assertThat(((Result.Refused) again).port(), is(7));
        assertThat(refusal(again), containsString("port 7 is in use"));
        assertThat(t.size(), is(1));
    }

    @Test
    void unbindFreesThePortForANewBind() {
        PortTable t = new PortTable();
        t.bind(5353);
        assertThat(t.unbind(5353), is(true));
        assertThat(t.isBound(5353), is(false));
        assertThat(t.unbind(5353), is(false));
        assertThat(t.size(), is(0));
        assertThat(t.bind(5353), is(new Result.Bound(5353)));
    }

    @Test
    void rejectsPortsOutsideTheFixedRange() {
        PortTable t = new PortTable();
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> t.bind(0));
        assertThat(zero.getMessage(), containsString("bindEphemeral"));
        assertThrows(IllegalArgumentException.class, () -> t.bind(-1));
        assertThrows(IllegalArgumentException.class, () -> t.bind(65536));
        assertThat(t.isBound(0), is(false));
        assertThat(t.isBound(-5), is(false));
        assertThat(t.isBound(70000), is(false));
        assertThat(t.unbind(70000), is(false));
    }

    @Test
    void ephemeralPortsComeFromTheDynamicRangeAndDiffer() {
        PortTable t = new PortTable();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            int p = port(t.bindEphemeral());
            assertThat(p, allOf(greaterThanOrEqualTo(49152), lessThanOrEqualTo(65535)));
            assertThat("port " + p + " handed out twice", seen.add(p), is(true));
            assertThat(t.isBound(p), is(true));
        }
        assertThat(t.ephemeralInUse(), is(100));
    }

    @Test
    void ephemeralCursorMovesRoundAndWrapsAtTheEndOfTheRange() {
        PortTable t = new PortTable(100, 104, 103);
        assertThat(port(t.bindEphemeral()), is(103));
        assertThat(port(t.bindEphemeral()), is(104));
        assertThat(port(t.bindEphemeral()), is(100)); // wrapped
        t.unbind(103);
        // A port just released is the last to be reused: the cursor goes on from 101.
        assertThat(port(t.bindEphemeral()), is(101));
        assertThat(port(t.bindEphemeral()), is(102));
        assertThat(port(t.bindEphemeral()), is(103));
    }

    @Test
    void ephemeralAllocationSkipsFixedBindsInsideTheRange() {
        PortTable t = new PortTable(100, 104, 100);
        t.bind(100);
        t.bind(101);
        t.bind(50); // outside the range: does not count
        assertThat(t.ephemeralInUse(), is(2));
        assertThat(port(t.bindEphemeral()), is(102));
        assertThat(t.bind(103), is(new Result.Bound(103)));
        assertThat(port(t.bindEphemeral()), is(104));
        assertThat(t.ephemeralInUse(), is(5));
        assertThat(t.bindEphemeral(), instanceOf(Result.Refused.class));
    }

    @Test
    void refusesWhenTheEphemeralRangeIsExhaustedAndRecoversAfterAnUnbind() {
        PortTable t = new PortTable(60000, 60015, 60007);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 16; i++) {
            seen.add(port(t.bindEphemeral()));
        }
        assertThat(seen.size(), is(16));
        Result full = t.bindEphemeral();
        assertThat(((Result.Refused) full).port(), is(0));
        assertThat(refusal(full), containsString("no ephemeral port left (16 in use"));
        assertThat(refusal(t.bindEphemeral()), containsString("close sockets"));
        t.unbind(60011);
        assertThat(port(t.bindEphemeral()), is(60011));
        assertThat(t.bindEphemeral(), instanceOf(Result.Refused.class));
    }

    @Test
    void theWholeDynamicRangeCanBeExhausted() {
        PortTable t = new PortTable();
        for (int i = 0; i < 16384; i++) {
            port(t.bindEphemeral());
        }
        assertThat(refusal(t.bindEphemeral()), containsString("no ephemeral port left (16384 in use"));
        assertThat(t.bind(53), is(new Result.Bound(53))); // fixed ports outside the range are unaffected
    }

    @Test
    void rejectsBadRanges() {
        assertThrows(IllegalArgumentException.class, () -> new PortTable(0, 10, 5));
        assertThrows(IllegalArgumentException.class, () -> new PortTable(10, 65536, 10));
        assertThrows(IllegalArgumentException.class, () -> new PortTable(10, 9, 10));
        assertThrows(IllegalArgumentException.class, () -> new PortTable(10, 20, 21));
    }
}
