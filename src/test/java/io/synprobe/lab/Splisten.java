package io.synprobe.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real TCP listeners (native/tools/splisten) inside a lab namespace, started and stopped by pid. */
final class Splisten {
    private Splisten() {
    }

    /** Starts listeners on every address of the namespace, both families; returns once they are bound. */
    static Process start(String netns, int... ports) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", netns, Privileged.tool("splisten").toString(),
                "--max-seconds", "600"));
        for (int p : ports) cmd.add(Integer.toString(p));
        try {
            // ip netns exec execs the command, so the process is splisten itself
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
            if (!"ready".equals(line)) {
                stop(p);
                throw new IllegalStateException("splisten did not start: " + line);
            }
            return p;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void stop(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(2, TimeUnit.SECONDS)) p.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
