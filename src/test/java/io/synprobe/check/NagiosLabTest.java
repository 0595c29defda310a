package io.synprobe.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.synprobe.lab.Privileged;
import io.synprobe.lab.ScanLab;
import io.synprobe.testutil.Cli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code check -o nagios} on real scans of a lab target (22 open, 81 closed, 82 dropped): line, perfdata, exit code. */
@Tag("privileged")
class NagiosLabTest {
    static final String T = ScanLab.v4(0);
    static final String RTT = "\\d+\\.\\d{3}ms";

    static Cli nagios(Path dir, ScanLab lab, String yaml) throws Exception {
        Path f = dir.resolve("checks.yaml");
        Files.writeString(f, yaml);
        Cli c = Cli.run("check", "-o", "nagios", f.toString(), "--netns", lab.proberNetns());
        System.out.println(c.exit() + " " + c.out().trim());
        assertEquals(1, c.out().lines().count(), "one status line: " + c.out() + c.err());
        return c;
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void okWarningCriticalAndUnknown(@TempDir Path dir) throws Exception {
        Privileged.require("ip", "nft");
        try (ScanLab lab = ScanLab.start(1)) {
            String ok = "checks:\n  - name: ssh\n    target: " + T + "\n    ports: 22\n    expect: open\n"
                    + "  - name: closed\n    target: " + T + "\n    ports: 81\n    expect: closed\n";
            Cli pass = nagios(dir, lab, ok);
            assertEquals(0, pass.exit());
            assertTrue(pass.out().trim().matches("SYNPROBE OK - 2/2 checks passed \\| 'ssh'=" + RTT + ";;;0; 'closed'=" + RTT + ";;;0;"),
                    pass.out());

            Cli warn = nagios(dir, lab, ok.replace("expect: open\n", "expect: open\n    warn_rtt: 1us\n    max_rtt: 5s\n"));
            assertEquals(1, warn.exit());
            assertTrue(warn.out().trim().matches("SYNPROBE WARNING - 2/2 checks passed, 1 over warn_rtt: ssh \\(" + T.replace(".", "\\.")
                    + ":22 " + RTT + " > 1us\\) \\| 'ssh'=" + RTT + ";0\\.001;5000\\.000;0; 'closed'=" + RTT + ";;;0;"), warn.out());

            Cli dropped = nagios(dir, lab, ok + "  - name: dropped\n    target: " + T + "\n    ports: 82\n    expect: open\n"
                    + "    retries: 0\n    timeout: 300ms\n");
            assertEquals(2, dropped.exit());
            assertTrue(dropped.out().startsWith("SYNPROBE CRITICAL - 1/3 checks failed: dropped: " + T
                    + " 82/filtered (no-response), expected open | 'ssh'="), dropped.out());
            assertTrue(dropped.out().trim().endsWith(" 'dropped'=U;;;0;"), dropped.out());

            Cli slow = nagios(dir, lab, ok.replace("expect: open\n", "expect: open\n    max_rtt: 1us\n"));
            assertEquals(2, slow.exit());
            assertTrue(slow.out().contains("over max_rtt 1us"), slow.out());

            Cli bad = nagios(dir, lab, ok.replace("ports: 81", "prots: 81"));
            assertEquals(3, bad.exit());
            assertTrue(bad.out().startsWith("SYNPROBE UNKNOWN - " + dir.resolve("checks.yaml") + ":8: unknown key 'prots'"), bad.out());

            Cli missing = Cli.run("check", "-o", "nagios", dir.resolve("none.yaml").toString());
            assertEquals(3, missing.exit());
            assertEquals("SYNPROBE UNKNOWN - no such check file '" + dir.resolve("none.yaml") + "'\n", missing.out());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void withoutRawSocketPrivilegesItIsUnknown(@TempDir Path dir) throws Exception {
        Privileged.require("setpriv");
        Path f = dir.resolve("checks.yaml");
        Files.writeString(f, "checks:\n  - target: 127.0.0.1\n    ports: 1\n    expect: closed\n");
        // root without CAP_NET_RAW: the kernel refuses the raw socket
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--bounding-set", "-net_raw",
                io.synprobe.testutil.Jvm.JAVA, io.synprobe.testutil.Jvm.NATIVE_ACCESS, "-cp", System.getProperty("java.class.path"),
                "io.synprobe.cli.Main", "check", "-o", "nagios", f.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(3, p.exitValue(), out);
        assertEquals("SYNPROBE UNKNOWN - no raw-socket privileges (run as root or give java CAP_NET_RAW)\n", out);
    }
}
