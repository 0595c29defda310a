package io.synprobe.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs lab setup commands, failing loudly with their output. */
public final class Shell {
    private Shell() {
    }

    public record Result(int exit, String out) {
    }

    public static Result run(List<String> cmd, String stdin, long timeoutSeconds) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            if (stdin != null) p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", cmd));
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", cmd), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
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
