package io.synprobe.cli;

import io.synprobe.nativeio.NativeException;
import io.synprobe.target.UsageException;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "synprobe", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Raw-socket TCP SYN prober: exact port states and honest handshake latency.",
        subcommands = {ScanCommand.class, MergeCommand.class, PingCommand.class, TraceCommand.class, CheckCommand.class, ServeCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {"  synprobe scan 127.0.0.1 -p 1-1024",
                "  synprobe scan 198.18.0.0/24 -p 22,80,443 --only open -o jsonl",
                "",
                "Probe only what you own or are allowed to test."})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (scan, ping, ...): see synprobe --help");
    }

    public static void main(String[] args) {
        int code = execute(args);
        System.out.flush();
        System.exit(code);
    }

    public static int execute(String... args) {
        CommandLine cl = commandLine();
        return cl.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setAllowOptionsAsOptionParameters(true); // --seed -6123 is a seed, not option -6
        cl.addSubcommand("completion", new AutoComplete.GenerateCompletion());
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println(prefix(ex.getCommandLine()) + ex.getMessage() + " (see --help)");
            err.flush();
            return ExitCodes.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            int code = exitCode(ex);
            String message = ex instanceof io.synprobe.handshake.LocalRstGuard.NotPermittedException
                    ? ex.getMessage()
                    : code == ExitCodes.PRIVILEGES
                    ? Privileges.hint("synprobe " + commandLine.getCommandName())
                    : ex.getMessage();
            err.println(prefix(commandLine) + message);
            if (code == ExitCodes.ERROR && System.getenv("SYNPROBE_DEBUG") != null) ex.printStackTrace(err);
            err.flush();
            return code;
        });
        return cl;
    }

    private static String prefix(CommandLine cl) {
        String name = cl.getCommandName();
        return name.equals("synprobe") ? "synprobe: " : "synprobe " + name + ": ";
    }

    static int exitCode(Throwable ex) {
        if (ex instanceof UsageException) return ExitCodes.USAGE;
        if (ex instanceof io.synprobe.handshake.LocalRstGuard.NotPermittedException) return ExitCodes.PRIVILEGES;
        if (ex instanceof NativeException ne && ne.isPermissionDenied()) return ExitCodes.PRIVILEGES;
        if (ex instanceof UnsatisfiedLinkError || ex instanceof IllegalStateException) return ExitCodes.ERROR;
        if (ex instanceof IllegalArgumentException) return ExitCodes.USAGE;
        if (ex instanceof IOException || ex instanceof NativeException) return ExitCodes.ERROR;
        return ExitCodes.ERROR;
    }
}
