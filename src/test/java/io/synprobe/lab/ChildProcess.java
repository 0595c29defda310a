package io.synprobe.lab;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A process started by a test, with every wait bounded. Its standard output and error go to a file, never to a pipe
 * nobody reads, so a chatty child cannot block and a silent one cannot block the test: waiting is {@code waitFor}
 * with a deadline, or polling the file for a line. When a deadline passes, the process and all its descendants are
 * killed and the failure names the command that hung.
 */
public final class ChildProcess implements AutoCloseable {
    private final List<String> cmd;
    private final Process process;
    private final Path log;
    private final Path input;

    private ChildProcess(List<String> cmd, Process process, Path log, Path input) {
        this.cmd = cmd;
        this.process = process;
        this.log = log;
        this.input = input;
    }

    public static ChildProcess start(List<String> cmd) {
        return start(cmd, null, null, Map.of());
    }

    /**
     * @param stdin text for standard input (null: /dev/null)
     * @param dir   working directory (null: the test's)
     * @param env   variables added to the test's environment
     */
    public static ChildProcess start(List<String> cmd, String stdin, Path dir, Map<String, String> env) {
        Path log = null, input = null;
        try {
            log = Files.createTempFile("synprobe-child-", ".log");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            if (stdin != null) {
                input = Files.createTempFile("synprobe-child-", ".in");
                Files.writeString(input, stdin);
                pb.redirectInput(input.toFile());
            } else {
                pb.redirectInput(new File("/dev/null"));
            }
            if (dir != null) pb.directory(dir.toFile());
            pb.environment().putAll(env);
            return new ChildProcess(List.copyOf(cmd), pb.start(), log, input);
        } catch (IOException e) {
            deleteQuietly(log);
            deleteQuietly(input);
            throw new IllegalStateException("cannot run " + String.join(" ", cmd) + ": " + e.getMessage(), e);
        }
    }

    /** Waits for the exit; on timeout kills the process tree and throws naming the command and its output so far. */
    public int waitFor(Duration timeout) {
        try {
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) return process.exitValue();
        } catch (InterruptedException e) {
            kill();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + this, e);
        }
        kill();
        throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s and killed: " + this
                + "\n--- its output ---\n" + tail());
    }

    /**
     * Waits until the output has a line that the predicate accepts and returns it; fails (killing the process) when
     * the deadline passes or the process exits first.
     */
    public String awaitLine(Predicate<String> wanted, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (String line : output().lines().toList()) {
                if (wanted.test(line)) return line;
            }
            if (!process.isAlive()) {
                for (String line : output().lines().toList()) if (wanted.test(line)) return line;
                throw new IllegalStateException(this + " exited (" + process.exitValue() + ") before " + what
                        + "\n--- its output ---\n" + tail());
            }
            if (System.nanoTime() > deadline) {
                kill();
                throw new IllegalStateException("no " + what + " within " + timeout.toSeconds() + " s, killed: " + this
                        + "\n--- its output ---\n" + tail());
            }
            sleep(5);
        }
    }

    /** Everything the process wrote so far (stdout and stderr interleaved). */
    public String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Sends a signal by name (INT, TERM, USR1, ...) to the process itself. */
    public void signal(String name) {
        Shell.check("kill", "-" + name, Long.toString(process.pid()));
    }

    /** SIGTERM, up to the grace period, then SIGKILL to the process and everything it started. */
    public void stop(Duration grace) {
        if (!process.isAlive()) return;
        process.toHandle().destroy();
        try {
            if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        kill();
    }

    /** SIGKILL to the descendants (deepest first) and to the process, then a bounded reap. */
    public void kill() {
        List<ProcessHandle> tree = process.toHandle().descendants().toList();
        for (int i = tree.size() - 1; i >= 0; i--) tree.get(i).destroyForcibly();
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) kill();
        deleteQuietly(log);
        deleteQuietly(input);
    }

    private String tail() {
        String out = output();
        return out.length() <= 4000 ? out : "..." + out.substring(out.length() - 4000);
    }

    @Override
    public String toString() {
        return "'" + String.join(" ", cmd) + "' (pid " + process.pid() + ")";
    }

    private static void deleteQuietly(Path p) {
        if (p == null) return;
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a temp file
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
