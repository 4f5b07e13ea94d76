package org.cspstack.harness.cli;

import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;

import org.cspstack.core.csp.ChannelSpec;
import org.cspstack.core.csp.ProcessNetwork;
import org.cspstack.core.csp.PromelaModel;
import org.cspstack.core.csp.SpinCheck;
import org.cspstack.core.link.MemoryLink;
import org.cspstack.protocols.services.Service;
import org.cspstack.protocols.stack.HostStack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cspstack model}: a Promela model of the default stack's wiring (the network {@code graph} draws), for
 * spin; {@code --check} runs spin on it. {@code --miswire A,B} makes the two channels between A and B rendezvous
 * (the wiring the channel rules forbid) to show that the check finds the deadlock.
 */
@Command(name = "model", mixinStandardHelpOptions = true,
        description = "Prints a Promela model of the default stack's process network (as 'graph' shows it), "
                + "generated from its own record of the wiring, or with --check runs spin on it: exit 0 when no "
                + "deadlock is reachable, 1 when spin finds one, 2 when spin or gcc is missing, 3 when the search did "
                + "not complete.")
final class ModelCommand implements Callable<Integer> {
    @Option(names = "--format", defaultValue = "promela", paramLabel = "promela",
            description = "promela (default): the model for spin")
    String format;

    @Option(names = "--miswire", paramLabel = "A,B",
            description = "turn the channels between processes A and B (both directions) into rendezvous, "
                    + "such as ip,tcp: a deliberately deadlocking wiring")
    String miswire;

    @Option(names = "--check", description = "run spin on the model and print its verdict")
    boolean check;

    @Option(names = "--tokens", defaultValue = "4", paramLabel = "N",
            description = "messages that enter the network in a run of the model (1..9; default 4)")
    int tokens;

    @Option(names = "--blocking-capacity", defaultValue = "1", paramLabel = "N",
            description = "places of each downward blocking buffer in the model (1..9; default 1)")
    int blockingCapacity;

    @Option(names = "--timeout", defaultValue = "120", paramLabel = "SECONDS",
            description = "limit for each of spin, gcc and the verifier with --check (default 120)")
    long timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        if (!format.equals("promela")) {
            throw new Main.UserError("--format " + format + ": only promela is supported");
        }
        PromelaModel.Options options;
        try {
            options = new PromelaModel.Options(tokens, blockingCapacity);
        } catch (IllegalArgumentException e) {
            throw new Main.UserError(e.getMessage());
        }
        String model = model(miswire, options);
        if (!check) {
            System.out.print(model);
            return 0;
        }
        SpinCheck.Verdict v;
        try {
            v = new SpinCheck(timeoutSeconds).check(model);
        } catch (SpinCheck.ToolMissing e) {
            throw new Main.UserError(e.getMessage());
        }
        if (v.outcome() != SpinCheck.Outcome.NO_DEADLOCK) {
            System.out.println(v.report());
        }
        System.out.println((miswire == null ? "default wiring" : "mis-wired " + miswire) + ": " + v.summary());
        return switch (v.outcome()) {
            case NO_DEADLOCK -> 0;
            case DEADLOCK -> 1;
            case INCONCLUSIVE -> 3;
        };
    }

    /** The model of the default stack (services included, as 'graph' builds it), mis-wired when asked. */
    static String model(String miswire, PromelaModel.Options options) {
        ProcessNetwork net = new ProcessNetwork("cspstack");
        MemoryLink wire = MemoryLink.create(net, "", "peer.");
        HostStack stack = HostStack.build(net, "", DemoCommand.B, wire.endA());
        stack.addServices(EnumSet.allOf(Service.class));
        List<ChannelSpec> channels = net.channels();
        String name = net.name();
        if (miswire != null) {
            String[] ab = miswire.split(",");
            if (ab.length != 2) {
                throw new Main.UserError("--miswire " + miswire + ": two process names, such as ip,tcp");
            }
            try {
                channels = PromelaModel.miswire(channels, ab[0].trim(), ab[1].trim());
            } catch (IllegalArgumentException e) {
                throw new Main.UserError("--miswire " + miswire + ": " + e.getMessage());
            }
            name = name + " (mis-wired: " + ab[0].trim() + " <-> " + ab[1].trim() + " rendezvous both ways)";
        }
        return PromelaModel.promela(name, PromelaModel.processNames(net), channels, options);
    }
}
