package org.cspstack.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cspstack.core.csp.PromelaModel;
import org.cspstack.core.csp.SpinCheck;
import org.junit.jupiter.api.Test;

/**
 * spin on the model of the real wiring: the default stack has no reachable deadlock, and the same stack with
 * rendezvous both ways between ip and tcp (what STYLE.md §4 forbids) deadlocks. Each check takes a few seconds.
 * Without spin or gcc this fails under CI=true (scripts/test.sh installs spin) and is skipped, loudly, elsewhere.
 */
class ModelCommandTest {
    private static final long TIMEOUT_SECONDS = 60;

    private static void requireSpin() {
        String message = "spin or gcc not found: the model check of the wiring cannot run; apt-get install spin gcc"
                + " (scripts/test.sh installs them as root)";
        RequiredTool.require(SpinCheck.available(), message);
    }

    @Test
    void defaultWiringHasNoReachableDeadlock() throws Exception {
        requireSpin();
        SpinCheck.Verdict v = new SpinCheck(TIMEOUT_SECONDS)
                .check(ModelCommand.model(null, PromelaModel.Options.defaults()));
        assertEquals(SpinCheck.Outcome.NO_DEADLOCK, v.outcome(), v.report());
        assertEquals(0, v.errors(), v.report());
        assertTrue(v.statesStored() > 1000, "a real search, not a trivial one: " + v.summary());
    }

    @Test
    void rendezvousBothWaysBetweenIpAndTcpDeadlocks() throws Exception {
        requireSpin();
        SpinCheck.Verdict v = new SpinCheck(TIMEOUT_SECONDS)
                .check(ModelCommand.model("ip,tcp", PromelaModel.Options.defaults()));
        assertEquals(SpinCheck.Outcome.DEADLOCK, v.outcome(), v.report());
        assertTrue(v.errors() > 0, v.report());
        // The counter-example ends with ip and tcp each blocked writing to the other.
        assertTrue(v.blocked().containsAll(java.util.List.of("ip", "tcp")), v.summary() + "\n" + v.report());
    }

    @Test
    void checkExitsOneWhenTheMisWiredStackDeadlocks() {
        requireSpin();
        assertEquals(1, Main.execute("model", "--check", "--miswire", "ip,icmp"));
    }

    @Test
    void miswireOfProcessesNotJoinedBothWaysIsAUserError() {
        assertEquals(2, Main.execute("model", "--miswire", "link-rx,eth"));
        assertEquals(2, Main.execute("model", "--miswire", "ip"));
        assertEquals(2, Main.execute("model", "--format", "cspm"));
    }

    @Test
    void printsTheModelOfTheRealWiring() {
        String m = ModelCommand.model(null, PromelaModel.Options.defaults());
        assertTrue(m.contains("chan ipToTcp = [1] of { bit };   /* ipToTcp (ip -> tcp, upward_dropping, "
                + "capacity 4096) */"), m);
        assertTrue(m.contains("chan tcpToIp = [1] of { bit };   /* tcpToIp (tcp,tcp:* -> ip, downward_blocking, "
                + "capacity 64) */"), m);
        assertTrue(m.contains("active proctype tcp_any() {"), m);
    }
}
