package org.cspstack.harness.lab;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The lab made by {@code scripts/lab.sh up}: namespace {@code csplab} with the Linux kernel at 198.18.0.1 on
 * {@code csplab1}, the stack's side {@code csplab0} in the root namespace. Lab tests need root and the lab;
 * they are tagged {@code lab} and {@code scripts/test.sh} brings the lab up (and down) around them. A lab
 * test never skips: without the lab it fails and says how to bring it up.
 */
final class Lab {
    static final String NIC = "csplab0";
    static final String NAMESPACE = "csplab";
    static final String PEER_IP = "198.18.0.1";
    static final String STACK_IP = "198.18.0.2";
    static final String STACK_CIDR = "198.18.0.2/24";
    static final String STACK_MAC = "02:c5:70:00:00:02";

    private Lab() {
    }

    /** Fails, with what to do, unless we are root and the lab is up. */
    static void requireUp() {
        if (!"root".equals(System.getProperty("user.name"))) {
            fail("lab tests need root; run scripts/test.sh as root (it brings the lab up and down)");
        }
        if (!Files.exists(Path.of("/sys/class/net", NIC))) {
            fail("the lab is not up (no " + NIC + "); run scripts/lab.sh up, or scripts/test.sh which does it");
        }
        Result r = run(Duration.ofSeconds(10), "ip", "netns", "list");
        if (!r.out().contains(NAMESPACE)) {
            fail("namespace " + NAMESPACE + " is missing; run scripts/lab.sh up");
        }
    }

    /** A command's exit code and its output (stdout and stderr together). */
    record Result(int exitCode, String out) {
    }

    /** Runs a command in the lab namespace, bounded by {@code timeout}. */
    static Result inNamespace(Duration timeout, String... command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", NAMESPACE));
        cmd.addAll(List.of(command));
        return run(timeout, cmd.toArray(String[]::new));
    }

    /** Runs a command, bounded by {@code timeout}; kills it and fails when it overruns. */
    static Result run(Duration timeout, String... command) {
        try {
            org.cspstack.harness.experiments.Shell.Result r =
                    org.cspstack.harness.experiments.Shell.exec(timeout, command);
            return new Result(r.exitCode(), r.out());
        } catch (IOException e) {
            return fail(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Runs a scapy script (Debian's python3-scapy) inside the lab namespace. */
    static Result scapy(Duration timeout, String script) {
        return inNamespace(timeout, "/usr/bin/python3", "-c",
                "import logging; logging.getLogger('scapy.runtime').setLevel(logging.ERROR)\n"
                        + "from scapy.all import *\nconf.verb = 0\n" + script);
    }

    /** "N received" from Linux ping's summary line, or -1. */
    static int received(String pingOutput) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) received").matcher(pingOutput);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }
}
