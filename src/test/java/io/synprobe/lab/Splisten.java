package io.synprobe.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Real TCP listeners (native/tools/splisten) inside a lab namespace, started and stopped by pid. */
final class Splisten {
    private Splisten() {
    }

    /** Starts listeners on every address of the namespace, both families; returns once they are bound. */
    static ChildProcess start(String netns, int... ports) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", netns, Privileged.tool("splisten").toString(),
                "--max-seconds", "600"));
        for (int p : ports) cmd.add(Integer.toString(p));
        // ip netns exec execs the command, so the process is splisten itself
        ChildProcess p = ChildProcess.start(cmd);
        try {
            p.awaitLine("ready"::equals, Duration.ofSeconds(10), "'ready' from splisten");
            return p;
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
    }

    static void stop(ChildProcess p) {
        p.stop(Duration.ofSeconds(2));
        p.close();
    }
}
