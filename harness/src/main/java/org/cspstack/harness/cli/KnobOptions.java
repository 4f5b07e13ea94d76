package org.cspstack.harness.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.cspstack.protocols.stack.ProcessRegistry;
import org.cspstack.protocols.stack.StackConfig;
import picocli.CommandLine.Option;

/**
 * Experiment knobs that change how the process network is built, without code changes: buffer sizes per
 * channel class and which implementation fills a role ({@link ProcessRegistry}). Shared by {@code run},
 * {@code demo} and {@code graph} (which then draws what would be wired).
 */
public final class KnobOptions {
    /** Largest buffer a channel class may get: every channel of the class allocates its ring up front. */
    static final int MAX_BUFFER = 1 << 16;

    @Option(names = "--up-buffer", paramLabel = "N",
            description = "capacity of every upward channel (buffered, drops when full; default "
                    + StackConfig.DEFAULT_UPWARD_CAPACITY + ")")
    Integer upBuffer;

    @Option(names = "--down-buffer", paramLabel = "N",
            description = "capacity of every downward channel (blocks the writer when full; default "
                    + StackConfig.DEFAULT_DOWNWARD_CAPACITY + ")")
    Integer downBuffer;

    @Option(names = "--process", paramLabel = "ROLE=NAME",
            description = {"which implementation fills a role of the network (repeatable): ${COMPLETION-CANDIDATES}"},
            completionCandidates = Choices.class)
    List<String> processes = new ArrayList<>();

    /** The registry's choices, for the help text: {@code reassembly=per-datagram (default)}, ... */
    static final class Choices implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            List<String> all = new ArrayList<>();
            for (String role : ProcessRegistry.roles()) {
                for (ProcessRegistry.Entry e : ProcessRegistry.choices(role)) {
                    all.add(role + "=" + e.name() + (e.name().equals(ProcessRegistry.defaultFor(role))
                            ? " (default)" : ""));
                }
            }
            return all.iterator();
        }
    }

    /** {@code config} with these knobs applied; a bad value is a {@link Main.UserError} saying what to pass. */
    StackConfig apply(StackConfig config) {
        int up = buffer("--up-buffer", upBuffer, config.upwardCapacity());
        int down = buffer("--down-buffer", downBuffer, config.downwardCapacity());
        StackConfig c = config.withCapacities(up, down);
        for (String p : processes) {
            Map.Entry<String, String> choice = StackOptions.parse("--process", p, ProcessRegistry::parse);
            c = c.withProcess(choice.getKey(), choice.getValue());
        }
        return c;
    }

    private static int buffer(String option, Integer value, int otherwise) {
        if (value == null) {
            return otherwise;
        }
        if (value < 1 || value > MAX_BUFFER) {
            throw new Main.UserError(option + " " + value + ": a channel's capacity must be 1.." + MAX_BUFFER
                    + " messages");
        }
        return value;
    }
}
