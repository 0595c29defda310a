package io.synprobe.lab;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Gate for tests that need root and lab tools. Where SYNPROBE_REQUIRE_PRIVILEGED=1 or SYNPROBE_REQUIRE_TOOLS=1
 * (scripts/test, CI) a missing requirement fails the test; elsewhere it skips it.
 */
public final class Privileged {
    private Privileged() {
    }

    public static void require(String... commands) {
        String missing = null;
        if (!"root".equals(System.getProperty("user.name"))) missing = "root";
        for (String c : commands) {
            if (missing == null && !onPath(c)) missing = "command '" + c + "'";
        }
        if (missing == null) return;
        String why = "this lab test needs " + missing;
        for (String gate : new String[] {"SYNPROBE_REQUIRE_PRIVILEGED", "SYNPROBE_REQUIRE_TOOLS"}) {
            if ("1".equals(System.getenv(gate))) fail(why + " (" + gate + "=1)");
        }
        Assumptions.abort(why);
    }

    static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) return true;
        }
        return false;
    }

    /** A tool built from native/tools by the Maven build. */
    public static Path tool(String name) {
        Path p = Path.of(System.getProperty("synprobe.tools", "target/tools"), name);
        if (!Files.isExecutable(p)) fail("lab tool " + p + " was not built (make -C native)");
        return p;
    }
}
