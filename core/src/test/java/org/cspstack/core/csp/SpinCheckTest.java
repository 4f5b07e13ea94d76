package org.cspstack.core.csp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SpinCheckTest {
    // Trimmed from real runs of spin 6.5.2's pan on the default stack's model and on a mis-wired one.
    private static final String CLEAN = """
            (Spin Version 6.5.2 -- 6 December 2019)
            \t+ Partial Order Reduction

            Full statespace search for:
            \tinvalid end states\t+

            State-vector 292 byte, depth reached 2824, errors: 0
                23754 states, stored
            pan: elapsed time 0.5 seconds
            """;
    private static final String DEADLOCK = """
            pan:1: invalid end state (at depth 321)
            pan: wrote model.pml.trail
            pan: reducing search depth to 322
            pan: wrote model.pml.trail
            pan: reducing search depth to 11

            (Spin Version 6.5.2 -- 6 December 2019)
            State-vector 292 byte, depth reached 363, errors: 50
                 1684 states, stored
            """;

    @Test
    void readsACompleteCleanSearchAsNoDeadlock() {
        SpinCheck.Verdict v = SpinCheck.parse(CLEAN);
        assertEquals(SpinCheck.Outcome.NO_DEADLOCK, v.outcome());
        assertEquals(0, v.errors());
        assertEquals(23754, v.statesStored());
        assertEquals(2824, v.depthReached());
    }

    @Test
    void readsAnInvalidEndStateAsDeadlockWithoutTheShorteningNoise() {
        SpinCheck.Verdict v = SpinCheck.parse(DEADLOCK);
        assertEquals(SpinCheck.Outcome.DEADLOCK, v.outcome());
        assertEquals(50, v.errors());
        assertEquals(321, v.errorDepth());
        assertFalse(v.report().contains("reducing search depth"), v.report());
    }

    @Test
    void aSearchCutShortIsInconclusiveEvenWithoutErrors() {
        String cut = CLEAN.replace("pan: elapsed", "error: max search depth too small\npan: elapsed");
        assertEquals(SpinCheck.Outcome.INCONCLUSIVE, SpinCheck.parse(cut).outcome());
        assertEquals(SpinCheck.Outcome.INCONCLUSIVE, SpinCheck.parse("pan: assertion violated\nerrors: 1\n").outcome());
        assertEquals(SpinCheck.Outcome.INCONCLUSIVE, SpinCheck.parse("garbage").outcome());
    }

    @Test
    void namesTheProcessesBlockedWhereTheTrailEnds() {
        String trail = """
                 19:	proc  7 (tcp:1) model.pml:216 (state 10)	[(1)]
                spin: trail ends after 19 steps
                #processes: 13
                		budget = 0
                 19:	proc 12 (client_appsToIcmp:1) model.pml:279 (state 4) <valid end state>
                 19:	proc  8 (tcp_any:1) model.pml:235 (state 7)
                 19:	proc  7 (tcp:1) model.pml:216 (state 11)
                 19:	proc  4 (ip:1) model.pml:148 (state 28)
                 19:	proc  0 (link_rx:1) model.pml:64 (state 15) <valid end state>
                13 processes created
                """;
        assertEquals(java.util.List.of("ip", "tcp", "tcp_any"), SpinCheck.blocked(trail));
    }

    @Test
    void saysWhatToInstallWhenSpinIsMissing() {
        SpinCheck check = new SpinCheck(10, "spin-not-installed-cspstack", "gcc");
        SpinCheck.ToolMissing e = assertThrows(SpinCheck.ToolMissing.class, () -> check.check("init { skip }"));
        assertEquals("spin not found; apt-get install spin", e.getMessage());
    }
}
