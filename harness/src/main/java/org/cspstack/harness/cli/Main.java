package org.cspstack.harness.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code cspstack}: the command line of the stack. */
@Command(name = "cspstack", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A user-space TCP/IP stack written as a JCSP process network.",
        subcommands = {RunCommand.class, PingCommand.class, NcCommand.class, DemoCommand.class, ExperimentCommand.class,
            GraphCommand.class, ModelCommand.class, ReproduceCommand.class, BenchCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code (tests call this instead of main). */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof UserError) {
                commandLine.getErr().println("cspstack: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /** An error the user can fix: printed as one line with what to do, exit code 2. */
    public static final class UserError extends RuntimeException {
        public UserError(String message) {
            super(message);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"cspstack " + (v == null ? "development build" : v),
                "JDK " + Runtime.version() + ", JCSP 1.1-rc5"};
        }
    }
}
