package org.cspstack.harness.cli;

import java.util.concurrent.Callable;

import org.cspstack.harness.experiments.TcpThroughput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cspstack experiment NAME}: end-to-end measurements in the lab, stack beside Linux in one run. */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = "Measures the stack beside Linux in the lab (root, scripts/lab.sh up). NAME: tcp (bulk "
                + "throughput both ways against Linux to Linux).")
final class ExperimentCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "tcp")
    String name;

    @Option(names = "--bytes", defaultValue = "100000000", description = "bytes per transfer (default 100 MB)")
    long bytes;

    @Mixin
    StackOptions options;

    @Override
    public Integer call() throws Exception {
        if (!name.equals("tcp")) {
            throw new Main.UserError("unknown experiment '" + name + "'; known: tcp");
        }
        TcpThroughput.run(bytes, options.threading(), options.immediate, System.out);
        return 0;
    }
}
