package org.cspstack.harness.cli;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A test's need for a program outside the JVM: under CI=true a missing one fails the test; elsewhere it skips, loudly. */
final class RequiredTool {
    private RequiredTool() {
    }

    static void require(boolean available, String message) {
        if (available) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            fail(message + " -- CI=true: never skipped in CI");
        }
        System.err.println("#".repeat(78) + "\n#  SKIPPED: " + message + "\n" + "#".repeat(78));
        assumeTrue(false, message);
    }
}
