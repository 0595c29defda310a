package io.synprobe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every malformed input is refused with exit code 2 and one line naming the bad token, before any socket is
 * opened, and no output file is created. None of these command lines is valid, so none sends a packet.
 */
class UsageErrorsTest {
    @TempDir
    Path dir;

    record Run(int exit, String err) {
    }

    /**
     * Every probing command line also names an empty namespace (no interface up, no route): should a check ever let
     * a bad line through, its probes have nowhere to go.
     */
    static String isolated;

    @org.junit.jupiter.api.BeforeAll
    static void isolatedNamespace() {
        io.synprobe.lab.Privileged.require("ip");
        isolated = "spue" + Integer.toString(java.util.concurrent.ThreadLocalRandom.current().nextInt(1 << 24), 36);
        io.synprobe.lab.Shell.check("ip", "netns", "add", isolated);
    }

    @org.junit.jupiter.api.AfterAll
    static void removeNamespace() {
        if (isolated != null) io.synprobe.lab.Shell.run(List.of("ip", "netns", "del", isolated), null, 30);
    }

    Run run(String line) {
        List<String> args = new ArrayList<>(List.of(line.split(" ")));
        if ((line.startsWith("scan") || line.startsWith("ping")) && !line.contains("--netns")) {
            args.add("--netns");
            args.add(isolated);
        }
        args.add("--output");
        args.add(dir.resolve("out").toString());
        picocli.CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        int exit = cl.execute(args.toArray(String[]::new));
        return new Run(exit, err.toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "scan 198.18.0.999 -p 22 | 198.18.0.999",
            "scan 198.18.0.1 -p 70000 | 70000",
            "scan 198.18.0.1 -p 0 | '0'",
            "scan 198.18.0.1 -p 22,,80 | 22,,80",
            "scan 198.18.0.1 -p 80-22 | 80-22",
            "scan 198.18.0.1 -p http | http",
            "scan 198.18.0.0/33 -p 22 | /33",
            "scan 198.18.0.0/x -p 22 | /x",
            "scan 198.18.0.9-198.18.0.2 -p 22 | 198.18.0.9-198.18.0.2",
            "scan 198.18.0.1-300 -p 22 | 300",
            "scan 2001:db8::g -p 22 | 2001:db8::g",
            "scan 224.0.0.1 -p 22 | multicast",
            "scan 239.1.2.0/24 -p 22 | multicast",
            "scan 255.255.255.255 -p 22 | broadcast",
            "scan 0.0.0.1 -p 22 | 0.0.0.0/8",
            "scan 240.0.0.1 -p 22 | 240.0.0.0/4",
            "scan ff02::1 -p 22 | ff00::/8",
            "scan 198.0.0.0/7 -p 22 | --exclude",
            "scan 127.0.0.0/8 -p 22 | --exclude",
            "scan 127.0.0.0/9 127.128.0.0/9 -p 22 | --exclude",
            "scan 198.18.0.1 -p 22 --rate abc | abc",
            "scan 198.18.0.1 -p 22 --rate -5 | -5",
            "scan 198.18.0.1 -p 22 --retries 99 | 99",
            "scan 198.18.0.1 -p 22 --ttl 0 | '0'",
            "scan 198.18.0.1 -p 22 --shard 5/4 | 5/4",
            "scan 198.18.0.1 -p 22 --shard 1/4 | --seed",
            "scan 198.18.0.1 -p 22 --shard x | x",
            "scan 198.18.0.1 -p 22 -o yaml | yaml",
            "scan 198.18.0.1 -p 22 --only opne | opne",
            "scan 198.18.0.1 -p 22 --min-rtt-timeout 5x | 5x",
            "scan 198.18.0.1 -p 22 --max-rtt-timeout -1s | -1s",
            "scan 198.18.0.1 -p 22 --netns no-such-ns-here | no-such-ns-here",
            "scan -iL /no/such/file -p 22 | /no/such/file",
            "scan 198.18.0.1 --exclude-file /no/such/list -p 22 | /no/such/list",
            "scan 198.18.0.1 -p 22 --bogus | --bogus",
            "scan 198.18.0.1 -p 22 --send-path pkt | pkt",
            "ping 198.18.0.1 -p 22 --send-path raw | raw",
            "scan -p 22 | no targets",
            "scan 198.18.0.1 --exclude 198.18.0.1 -p 22 | excluded",
            "scan 198.18.0.1 -p 22 -4 -6 | -6",
            "scan 198.18.0.1 -p 22 --source-port 70000 | 70000",
            "ping 198.18.0.1 -p 0 | '0'",
            "ping 198.18.0.1 -p 22,80 | 22,80",
            "ping 198.18.0.1 -p 22 -c 0 | '0'",
            "ping 198.18.0.1 -p 22 -i 0 | '0'",
            "ping 198.18.0.1 -p 22 -W 5x | 5x",
            "ping 198.18.0.0/24 -p 22 | 198.18.0.0/24",
            "ping 198.18.0.1 -p 22 -o xml | xml",
            "ping 224.0.0.1 -p 22 | multicast",
            "frobnicate | frobnicate",
    })
    void refusedWithExitTwoNamingTheToken(String line, String token) {
        Run r = run(line);
        assertEquals(ExitCodes.USAGE, r.exit(), r.err());
        assertTrue(r.err().contains(token), "the message names '" + token + "': " + r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertTrue(r.err().startsWith("synprobe"), r.err());
        assertFalse(Files.exists(dir.resolve("out")), "no output file is created");
    }
}
