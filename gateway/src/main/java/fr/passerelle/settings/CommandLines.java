package fr.passerelle.settings;

import java.io.PrintStream;
import java.io.PrintWriter;

import picocli.CommandLine;

/**
 * The gateway's conventions for its picocli commands, so that each command (and the tests that call
 * one alone) behaves the same: output to the given streams, and a malformed setting said in one
 * line, exit 2, rather than a stack trace.
 */
public final class CommandLines {

    /** Exit code of a command line or configuration that cannot be used, as picocli's usage errors. */
    public static final int USAGE = CommandLine.ExitCode.USAGE;

    private CommandLines() {
    }

    /** Each command's {@code -h, --help} (picocli's standard options would add a --version that says nothing there). */
    public static final class HelpOption {

        @CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        boolean help;
    }

    /** To call once the subcommands are added: picocli hands the streams down the hierarchy as it is then. */
    public static CommandLine configure(CommandLine commandLine, PrintStream out, PrintStream err) {
        return commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .setExecutionExceptionHandler((e, failed, parseResult) -> {
                    InvalidSettingException invalid = invalidSetting(e);
                    if (invalid == null) {
                        throw e;
                    }
                    failed.getErr().println(invalid.getMessage());
                    return USAGE;
                });
    }

    public static int execute(Object command, String[] args, PrintStream out, PrintStream err) {
        return execute(configure(new CommandLine(command), out, err), args);
    }

    public static int execute(CommandLine commandLine, String[] args) {
        try {
            return commandLine.execute(args);
        } finally {
            commandLine.getOut().flush();
            commandLine.getErr().flush();
        }
    }

    /** The malformed setting behind a failure, however deep a library wrapped it; null if none. */
    public static InvalidSettingException invalidSetting(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InvalidSettingException invalid) {
                return invalid;
            }
        }
        return null;
    }
}
