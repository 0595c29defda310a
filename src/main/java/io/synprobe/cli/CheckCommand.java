package io.synprobe.cli;

import io.synprobe.check.Check;
import io.synprobe.check.CheckFile;
import io.synprobe.check.CheckReports;
import io.synprobe.check.CheckResult;
import io.synprobe.check.CheckRunner;
import io.synprobe.check.NagiosReport;
import io.synprobe.nativeio.NetworkNamespace;
import io.synprobe.nativeio.RawLink;
import io.synprobe.nativeio.RawSockets;
import io.synprobe.nativeio.SudoDrop;
import io.synprobe.SynProbe;
import io.synprobe.target.TargetSet;
import io.synprobe.target.UsageException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "check", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Run the port checks of a YAML file: each check scans its target's ports and passes when every"
                + " port is in the expected state (and answers within max_rtt).",
        footerHeading = "%nCheck file:%n",
        footer = {"  defaults: { retries: 2, timeout: 1s }",
                "  checks:",
                "    - name: web is reachable",
                "      target: 198.18.0.2        # address, CIDR, range or host name",
                "      ports: \"80,443\"           # or a number, or a list",
                "      expect: open              # open | closed | filtered | not-open",
                "      max_rtt: 50ms             # optional",
                "      warn_rtt: 20ms            # optional: slower is a WARNING with -o nagios",
                "",
                "Exit codes: 0 every check held, 1 some check failed, 2 invalid file or usage (nothing sent),",
                "3 no raw-socket privileges, 4 other error.",
                "With -o nagios: one plugin status line with perfdata, and 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN."})
public final class CheckCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "the check file (YAML)")
    String file;

    @Option(names = "--junit", paramLabel = "FILE", description = "also write a JUnit XML report to FILE")
    String junit;

    @Option(names = {"-o", "--output-format"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table (a PASS/FAIL line per check and a total; default), jsonl, or nagios (a plugin status line)")
    String format;

    @Option(names = "--netns", paramLabel = "NAME", description = "probe from inside this network namespace")
    String netns;

    @Option(names = {"-q", "--quiet"}, description = "print only failed checks")
    boolean quiet;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (format.equals("nagios")) return nagios();
        if (!format.equals("table") && !format.equals("jsonl")) {
            throw new UsageException("invalid output format '" + format + "' for check (table, jsonl or nagios)");
        }
        List<Check> checks = CheckFile.read(Path.of(file));
        PrintWriter out = spec.commandLine().getOut();
        boolean jsonl = format.equals("jsonl");
        Instant start = Instant.now();
        List<CheckResult> results = run(checks, r -> {
            if (quiet && r.passed()) return;
            out.print(jsonl ? CheckReports.jsonLine(r) : r.line() + "\n");
            out.flush();
        });
        if (!quiet) out.print(jsonl ? CheckReports.jsonSummary(results) : CheckReports.total(results) + "\n");
        out.flush();
        if (junit != null) {
            Files.writeString(Path.of(junit), CheckReports.junit(Path.of(file).getFileName().toString(), results, start),
                    StandardCharsets.UTF_8);
        }
        return results.stream().allMatch(CheckResult::passed) ? ExitCodes.OK : ExitCodes.FAILED;
    }

    /** Nagios plugin: whatever goes wrong is UNKNOWN with its reason on the one status line. */
    /** Every check on one set of raw sockets, opened before root is given up (under sudo), once. */
    private List<CheckResult> run(List<Check> checks, CheckRunner.Listener listener) throws IOException {
        String nsPath = NetworkNamespace.path(netns);
        boolean v4 = false, v6 = false;
        for (Check c : checks) { // resolves every target before a socket is opened: a bad one is a usage error
            TargetSet t = c.request(nsPath).options().targets();
            v4 |= t.hasFamily(4);
            v6 |= t.hasFamily(6);
        }
        try (RawLink link = RawSockets.open(v4, v6, 0, 0, nsPath, false)) {
            SudoDrop.afterSocketsOpen(nsPath);
            return new CheckRunner(request -> SynProbe.scan(link, request), nsPath).run(checks, listener);
        }
    }

    private int nagios() {
        NagiosReport.Status status;
        try {
            List<Check> checks = CheckFile.read(Path.of(file));
            Instant start = Instant.now();
            List<CheckResult> results = run(checks, r -> { });
            status = NagiosReport.of(results);
            if (junit != null) {
                Files.writeString(Path.of(junit), CheckReports.junit(Path.of(file).getFileName().toString(), results, start),
                        StandardCharsets.UTF_8);
            }
        } catch (Exception e) {
            int code = Main.exitCode(e);
            status = NagiosReport.unknown(code == ExitCodes.PRIVILEGES
                    ? "no raw-socket privileges (run as root or give java CAP_NET_RAW)" : String.valueOf(e.getMessage()));
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(status.line());
        out.flush();
        return status.code();
    }
}
