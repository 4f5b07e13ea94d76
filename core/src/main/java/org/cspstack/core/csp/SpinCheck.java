package org.cspstack.core.csp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs the spin model checker on a Promela model (from {@link PromelaModel}) and reads its verdict: whether an
 * invalid end state (a deadlock) is reachable. The steps are spin's own: {@code spin -a model.pml} writes the
 * verifier {@code pan.c}, {@code gcc -O1 -DSAFETY} compiles it (safety properties only: invalid end states
 * and assertions), and {@code ./pan -I} searches the whole state space depth-first, with partial-order
 * reduction, shortening any counter-example it finds. On an error spin replays the trail
 * ({@code spin -t -p -g}) and the verdict keeps it.
 *
 * <p>Needs {@code spin} and {@code gcc} on the PATH (Debian: {@code apt-get install spin gcc}); works in a
 * fresh temporary directory that it deletes.
 */
public final class SpinCheck {
    /** What spin found. */
    public enum Outcome {
        /** The whole state space was searched: no invalid end state and no assertion fails. */
        NO_DEADLOCK,
        /** An invalid end state is reachable: a deadlock. */
        DEADLOCK,
        /** Another error (an assertion), or a search that did not finish (time, memory, depth). */
        INCONCLUSIVE
    }

    /**
     * The verdict: the outcome, the numbers spin printed, the length of the counter-example (or -1), the
     * processes (Promela names) blocked at its end, and spin's report (with the counter-example's trail).
     */
    public record Verdict(Outcome outcome, long errors, long statesStored, long depthReached, int errorDepth,
                          List<String> blocked, String report) {
        public Verdict {
            blocked = List.copyOf(blocked);
        }

        /** One line for a terminal. */
        public String summary() {
            return switch (outcome) {
                case NO_DEADLOCK -> "no deadlock: spin searched " + statesStored + " states (depth " + depthReached
                        + "), errors: 0, no invalid end state reachable";
                case DEADLOCK -> "DEADLOCK: spin found an invalid end state, reached in " + errorDepth
                        + " steps (the shortest counter-example pan -I found; " + statesStored + " states stored)"
                        + (blocked.isEmpty() ? "" : "; blocked for ever: " + String.join(", ", blocked));
                case INCONCLUSIVE -> "inconclusive: spin did not complete a clean search (errors: " + errors + ")";
            };
        }
    }

    /** spin or gcc is not installed. */
    public static final class ToolMissing extends Exception {
        public ToolMissing(String message) {
            super(message);
        }
    }

    private static final Pattern ERRORS = Pattern.compile("errors:\\s*(\\d+)");
    private static final Pattern STORED = Pattern.compile("(\\d+) states, stored");
    private static final Pattern DEPTH = Pattern.compile("depth reached (\\d+)");
    private static final Pattern INVALID = Pattern.compile("invalid end state \\(at depth (-?\\d+)\\)");
    private static final Pattern FINAL_PROCESS = Pattern.compile("proc\\s+\\d+ \\(([^:)]+):\\d+\\)");
    private static final Pattern TRAIL_STEPS = Pattern.compile("trail ends after (\\d+) steps");

    private static final int MAX_DEPTH = 200_000;

    private final long timeoutSeconds;
    private final String spin;
    private final String gcc;

    /** A checker whose every step (spin, gcc, pan) must finish within {@code timeoutSeconds}. */
    public SpinCheck(long timeoutSeconds) {
        this(timeoutSeconds, "spin", "gcc");
    }

    /** As above, with the tools' names on the PATH (tests name a missing one). */
    SpinCheck(long timeoutSeconds, String spin, String gcc) {
        this.timeoutSeconds = timeoutSeconds;
        this.spin = spin;
        this.gcc = gcc;
    }

    /** True when both spin and gcc can be run. */
    public static boolean available() {
        return onPath("spin") && onPath("gcc");
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Checks {@code model} for reachable invalid end states. */
    public Verdict check(String model) throws IOException, InterruptedException, ToolMissing {
        if (!onPath(spin)) {
            throw new ToolMissing("spin not found; apt-get install spin");
        }
        if (!onPath(gcc)) {
            throw new ToolMissing("gcc not found (spin compiles its verifier with it); apt-get install gcc");
        }
        Path dir = Files.createTempDirectory("cspstack-spin");
        try {
            Files.writeString(dir.resolve("model.pml"), model);
            run(dir, spin, "-a", "model.pml");
            // -DSAFETY: invalid end states and assertions only; -DVECTORSZ: room for a few dozen channels.
            // -O1: compiles in half the time of -O2 and searches as fast at this size. Not -DREACH: it makes
            // the search revisit states (45 times the transitions on the default model) for an exactly
            // shortest counter-example.
            run(dir, gcc, "-O1", "-DSAFETY", "-DVECTORSZ=4096", "-o", "pan", "pan.c");
            // Depth-first (breadth-first search does not keep every invalid end state with rendezvous);
            // -I: shorten a counter-example by iterative search; -m: depth bound far above what the default
            // model reaches (about 3,000 at 4 tokens; a deeper one is reported as inconclusive); -w21: a
            // 2^21-slot hash table, plenty for 10^5 states; -n: no listing of unreached code.
            String out = run(dir, "./pan", "-I", "-m" + MAX_DEPTH, "-w21", "-n");
            Verdict v = parse(out);
            if (v.outcome() == Outcome.DEADLOCK && Files.exists(dir.resolve("model.pml.trail"))) {
                String trail = run(dir, spin, "-t", "-p", "-g", "model.pml");
                Matcher steps = TRAIL_STEPS.matcher(trail);
                int depth = steps.find() ? Integer.parseInt(steps.group(1)) : v.errorDepth();
                v = new Verdict(v.outcome(), v.errors(), v.statesStored(), v.depthReached(), depth, blocked(trail),
                        v.report() + "\ncounter-example, the shortest found (spin -t -p -g model.pml; the line "
                                + "numbers are the model's; processes not at a valid end state are blocked):\n"
                                + tail(trail, 80));
            }
            return v;
        } finally {
            deleteTree(dir);
        }
    }

    /** Reads pan's output. */
    static Verdict parse(String panOutput) {
        long errors = number(ERRORS, panOutput, -1);
        long stored = number(STORED, panOutput, -1);
        long depth = number(DEPTH, panOutput, -1);
        Matcher m = INVALID.matcher(panOutput);
        int errorDepth = m.find() ? Integer.parseInt(m.group(1)) : -1;
        String lower = panOutput.toLowerCase(java.util.Locale.ROOT);
        boolean incomplete = lower.contains("max search depth too small") || lower.contains("out of memory")
                || lower.contains("search not completed");
        Outcome o;
        if (errors > 0 && errorDepth >= 0) {
            o = Outcome.DEADLOCK;
        } else if (errors == 0 && !incomplete) {
            o = Outcome.NO_DEADLOCK;
        } else {
            o = Outcome.INCONCLUSIVE;
        }
        // Drop pan's progress lines while it shortens the trail (-I), and its warning that only -DREACH makes
        // the shortening exact.
        StringBuilder report = new StringBuilder();
        for (String line : panOutput.split("\n")) {
            if (!line.startsWith("pan: wrote ") && !line.startsWith("pan: reducing search depth")
                    && !line.startsWith("warning: -i and -I need -DREACH")) {
                report.append(line).append('\n');
            }
        }
        return new Verdict(o, errors, stored, depth, errorDepth, List.of(), report.toString().strip());
    }

    /**
     * The processes not at a valid end state where the trail ends (spin lists every process there, marking
     * those that are at one with {@code <valid end state>}).
     */
    static List<String> blocked(String trail) {
        int at = trail.lastIndexOf("#processes:");
        List<String> blocked = new ArrayList<>();
        if (at < 0) {
            return blocked;
        }
        for (String line : trail.substring(at).split("\n")) {
            Matcher m = FINAL_PROCESS.matcher(line);
            if (m.find() && !line.contains("<valid end state>")) {
                blocked.add(0, m.group(1));
            }
        }
        return blocked;
    }

    private static long number(Pattern p, String s, long otherwise) {
        Matcher m = p.matcher(s);
        return m.find() ? Long.parseLong(m.group(1)) : otherwise;
    }

    private String run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor();
            throw new IOException(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
        }
        String text = out.join();
        // pan exits non-zero when it finds an error; spin and gcc must succeed.
        if (p.exitValue() != 0 && !command[0].equals("./pan")) {
            throw new IOException(String.join(" ", command) + " failed (exit " + p.exitValue() + "):\n" + text);
        }
        return text;
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(output unreadable: " + e.getMessage() + ")";
        }
    }

    private static String tail(String s, int lines) {
        String[] all = s.split("\n");
        List<String> keep = new ArrayList<>();
        for (int i = Math.max(0, all.length - lines); i < all.length; i++) {
            keep.add(all[i]);
        }
        return String.join("\n", keep);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
