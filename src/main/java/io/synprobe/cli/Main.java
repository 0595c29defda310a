package io.synprobe.cli;

import io.synprobe.nativeio.NativeBinding;
import io.synprobe.nativeio.NativeException;
import io.synprobe.target.UsageException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "synprobe", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Raw-socket TCP SYN prober: exact port states and honest handshake latency.",
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
        if (args.length > 0 && NEEDS_SHIM.contains(args[0])) NativeBinding.preload();
        int code = execute(args);
        System.out.flush();
        System.exit(code);
    }

    public static int execute(String... args) {
        CommandLine cl = commandLine(args.length > 0 ? args[0] : null);
        return cl.execute(args);
    }

    /** The whole command tree (help, completion, tests). */
    static CommandLine commandLine() {
        return commandLine(null);
    }

    /**
     * The command tree for a run whose first argument is {@code first}: when that names a subcommand, only that
     * one is built. picocli reads every command's annotations by reflection when it is added, which costs a few
     * hundred ms of start-up for the whole tree on a cold JVM; a scan needs only its own.
     */
    static CommandLine commandLine(String first) {
        CommandLine cl = new CommandLine(new Main());
        boolean one = first != null && SUBCOMMANDS.containsKey(first);
        for (var e : SUBCOMMANDS.entrySet()) {
            if (!one || e.getKey().equals(first)) cl.addSubcommand(e.getKey(), e.getValue().get());
        }
        if (!one) {
            cl.addSubcommand("help", new CommandLine.HelpCommand());
            cl.addSubcommand("completion", new AutoComplete.GenerateCompletion());
        }
        // after the subcommands are added: picocli applies a setting to the subcommands present at the call
        cl.setAllowOptionsAsOptionParameters(true); // --seed -6123 is a seed, not option -6
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

    /** Commands that call into the shim: for them it is bound while the arguments are parsed. */
    private static final java.util.Set<String> NEEDS_SHIM = java.util.Set.of("scan", "ping", "trace", "check", "serve");

    /** The subcommands in help order, made only when needed. */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

    private static Map<String, Supplier<Object>> subcommands() {
        Map<String, Supplier<Object>> m = new LinkedHashMap<>();
        m.put("scan", ScanCommand::new);
        m.put("merge", MergeCommand::new);
        m.put("ping", PingCommand::new);
        m.put("trace", TraceCommand::new);
        m.put("check", CheckCommand::new);
        m.put("serve", ServeCommand::new);
        return m;
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
