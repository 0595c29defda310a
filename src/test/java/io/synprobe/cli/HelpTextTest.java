package io.synprobe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Issue 10, defect 5: every --help prints clean (a stray % in a description made picocli warn). */
class HelpTextTest {
    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = Main.execute(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** Every subcommand the command line knows, from picocli's own model. */
    static List<String> subcommands() {
        return new ArrayList<>(Main.commandLine().getSubcommands().keySet());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everySubcommandsHelpPrintsWithoutPicocliWarnings() {
        List<String> names = subcommands();
        assertTrue(names.containsAll(List.of("scan", "ping", "trace", "check")), names.toString());
        for (String name : names) {
            Run r = run(name, "--help");
            assertEquals(0, r.exit(), name + " --help: " + r.err());
            assertFalse(r.out().isBlank(), name + " --help printed nothing");
            assertFalse(r.err().contains("picocli WARN") || r.out().contains("picocli WARN"),
                    name + " --help: " + r.err() + r.out());
        }
        Run top = run("--help");
        assertFalse(top.err().contains("picocli WARN"), top.err());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aDescriptionWithAStrayPercentIsCaughtByThisTest() {
        // positive control: picocli does warn on stderr about an unescaped % in a description
        picocli.CommandLine cl = new picocli.CommandLine(new Stray());
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            cl.usage(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        } finally {
            System.setErr(oldErr);
        }
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("picocli WARN"), err.toString(StandardCharsets.UTF_8));
    }

    @picocli.CommandLine.Command(name = "stray")
    static final class Stray {
        @picocli.CommandLine.Option(names = "--x", description = "about 14% slower")
        boolean x;
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aFormatACommandCannotWriteIsAOneLineUsageError() {
        Run r = run("trace", "198.18.0.2", "-p", "80", "-o", "xml");
        assertEquals(ExitCodes.USAGE, r.exit());
        assertEquals("synprobe trace: output format 'xml' is not available for trace (valid: table, jsonl)\n",
                r.err().replace(System.lineSeparator(), "\n"));
        Run p = run("ping", "198.18.0.2", "-p", "80", "-o", "grep");
        assertEquals(ExitCodes.USAGE, p.exit());
        assertEquals(1, p.err().lines().count(), p.err());
        assertTrue(p.err().contains("'grep'") && p.err().contains("(valid: table, jsonl, csv)"), p.err());
        Run unknown = run("scan", "198.18.0.2", "-o", "yaml");
        assertEquals(ExitCodes.USAGE, unknown.exit());
        assertTrue(unknown.err().contains("'yaml'"), unknown.err());
    }
}
