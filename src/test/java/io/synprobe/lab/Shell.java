package io.synprobe.lab;

import java.time.Duration;
import java.util.List;

/** Runs lab setup commands with a deadline, failing loudly with their output. */
public final class Shell {
    private Shell() {
    }

    public record Result(int exit, String out) {
    }

    /** Runs a command to its end; past the timeout it is killed (with its children) and this throws naming it. */
    public static Result run(List<String> cmd, String stdin, long timeoutSeconds) {
        try (ChildProcess p = ChildProcess.start(cmd, stdin, null, java.util.Map.of())) {
            int exit = p.waitFor(Duration.ofSeconds(timeoutSeconds));
            return new Result(exit, p.output());
        }
    }

    public static String check(String... cmd) {
        return checkIn(null, cmd);
    }

    public static String checkIn(String stdin, String... cmd) {
        Result r = run(List.of(cmd), stdin, 120);
        if (r.exit() != 0) throw new IllegalStateException(String.join(" ", cmd) + " failed (" + r.exit() + "): " + r.out());
        return r.out();
    }
}
