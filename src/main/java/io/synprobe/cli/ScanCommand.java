package io.synprobe.cli;

import io.synprobe.target.Durations;
import io.synprobe.engine.ConnectScanner;
import io.synprobe.engine.ScanEngine;
import io.synprobe.engine.Scanner;
import io.synprobe.engine.ScanOptions;
import io.synprobe.result.ScanInfo;
import io.synprobe.result.ScanSummary;
import io.synprobe.target.PortList;
import io.synprobe.target.TargetSet;
import io.synprobe.engine.ResumePoint;
import io.synprobe.target.UsageException;
import io.synprobe.nativeio.RawLink;
import io.synprobe.nativeio.SudoDrop;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "scan", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "TCP SYN scan: send one SYN per (address, port) and report open, closed or filtered with the reason.",
        footerHeading = "%nExamples:%n",
        footer = {"  synprobe scan 127.0.0.1 -p 1-1024",
                "  synprobe scan 198.18.0.0/24 -p 22,80,443 --only open -o jsonl",
                "  synprobe scan 198.18.0.2-198.18.0.254 -p - --rate 100000 --output scan.xml -o xml",
                "  synprobe scan -iL hosts.txt --exclude 198.18.0.1 -p 443 --netns lab",
                "",
                "Exit codes: 0 done, 2 bad usage, 3 no raw-socket privileges, 4 other error, 5 stopped when the heap ran"
                        + " short (resume file written), 130 interrupted."})
public final class ScanCommand implements Callable<Integer> {
    @Mixin
    TargetMixin targetOptions;

    @Option(names = {"-p", "--ports"}, paramLabel = "PORTS", defaultValue = "1-1024", converter = Converters.PortsValue.class,
            description = "ports: 22, 1-1024, 22,80,443, or - for 1-65535 (default: ${DEFAULT-VALUE})")
    PortList ports;

    @Option(names = "--scan-type", paramLabel = "TYPE", defaultValue = "syn", converter = Converters.ScanTypeValue.class,
            description = "syn (open/closed/filtered, like nmap -sS; default) or ack (unfiltered/filtered: which ports a"
                    + " stateful firewall guards, like nmap -sA)")
    String scanType;

    @Option(names = "--retries", paramLabel = "N", defaultValue = "2",
            description = "retransmissions of an unanswered probe (default: ${DEFAULT-VALUE}, at most 15)")
    int retries;

    @Option(names = "--rate", paramLabel = "PPS", converter = Converters.RateValue.class,
            description = "at most PPS probes per second, e.g. 1000, 50k, 1m (default: as fast as the socket takes them)")
    Double rate;

    @Option(names = "--seed", paramLabel = "N", description = "seed of the probe order (needed with --shard)")
    Long seed;

    @Option(names = "--shard", paramLabel = "I/N", converter = Converters.ShardValue.class,
            description = "scan only part I of N (1-based) of the probe order")
    Shard shard;

    @Option(names = "--source-port", paramLabel = "PORT", description = "first source port (retries use the next ones)")
    Integer sourcePort;

    @Option(names = "--ttl", paramLabel = "N", defaultValue = "64", description = "IP TTL / hop limit of the probes")
    int ttl;

    @Option(names = "--min-rtt-timeout", paramLabel = "TIME", defaultValue = "10ms", converter = Converters.DurationValue.class,
            description = "lower bound of the per-host timeout (default: ${DEFAULT-VALUE}; nmap's is 100ms)")
    Duration minTimeout;

    @Option(names = "--max-rtt-timeout", paramLabel = "TIME", defaultValue = "10s", converter = Converters.DurationValue.class,
            description = "upper bound of the per-host timeout")
    Duration maxTimeout;

    @Option(names = "--initial-rtt-timeout", paramLabel = "TIME", defaultValue = "1s", converter = Converters.DurationValue.class,
            description = "timeout before the first reply from a host")
    Duration initialTimeout;

    @Option(names = "--precise-rtt", description = "per-probe send times from kernel transmit timestamps (exact RTTs, about 14%% slower)")
    boolean preciseRtt;

    @Option(names = {"--connect", "-sT"}, description = "use the kernel's connect() instead of raw SYNs (no privileges needed, like nmap -sT)")
    boolean connect;

    @Mixin
    HandshakeMixin handshake;

    @Option(names = "--handshake-timeout", paramLabel = "TIME", defaultValue = "1s", converter = Converters.DurationValue.class,
            description = "with --handshake full: how long a connection waits for a banner, and for the server's FIN"
                    + " (default: ${DEFAULT-VALUE})")
    Duration handshakeTimeout;

    /** A full handshake keeps state per connection: for small scans only. */
    static final long MAX_HANDSHAKE_PROBES = 4096;

    @Mixin
    NetworkMixin network;

    @Mixin
    OutputMixin output;

    @Mixin
    PacketTraceMixin packetTrace;

    @Mixin
    SendPathMixin sendPath;

    @Option(names = "--resume", paramLabel = "FILE", description = "continue the interrupted scan described by FILE, appending to its output")
    Path resume;

    @Option(names = "--resume-file", paramLabel = "FILE", defaultValue = ResumeFile.DEFAULT_NAME,
            description = "where an interrupted scan writes how to continue (default: ${DEFAULT-VALUE})")
    Path resumeFile;

    /** Set when this command continues an interrupted scan. */
    private ResumePoint resumePoint;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        sendPath.apply();
        if (resume != null) return resumeScan();
        // every piece of input is checked before a socket is opened or a packet sent
        TargetSet targets = targetOptions.resolve(network.parser());
        output.validate();
        if (retries < 0 || retries > ScanOptions.MAX_RETRIES) throw usage("--retries", String.valueOf(retries), "0-15");
        if (ttl < 1 || ttl > 255) throw usage("--ttl", String.valueOf(ttl), "1-255");
        if (shard != null && seed == null) {
            throw new UsageException("--shard " + shard + " needs --seed: every shard must walk the same order");
        }
        Shard sh = shard == null ? Shard.WHOLE : shard;
        if (minTimeout.compareTo(maxTimeout) > 0) throw usage("--min-rtt-timeout", minTimeout.toString(), "at most --max-rtt-timeout");
        if (sourcePort != null && (sourcePort < 1 || sourcePort + retries > 65535)) {
            throw usage("--source-port", String.valueOf(sourcePort), "1-" + (65535 - retries));
        }
        if (connect && !scanType.equals("syn")) throw new UsageException("--scan-type " + scanType + " needs raw packets, not --connect");
        if (resumePoint != null && connect) throw new UsageException("--resume works for raw SYN scans, not --connect");
        io.synprobe.probe.HandshakeModule full = handshake.module();
        if (full != null) {
            if (connect) throw new UsageException("--handshake full crafts its own packets: not with --connect");
            if (!scanType.equals("syn")) throw new UsageException("--handshake full starts with a SYN: not with --scan-type " + scanType);
            long n = targets.size() * (long) ports.size();
            if (n > MAX_HANDSHAKE_PROBES) {
                throw new UsageException("--handshake full is for small scans: " + n + " probes (addresses x ports) is more than "
                        + MAX_HANDSHAKE_PROBES);
            }
            if (handshakeTimeout.isZero()) throw usage("--handshake-timeout", "0", "more than 0");
        }
        String nsPath = network.netnsPath();

        long theSeed = seed != null ? seed : new java.security.SecureRandom().nextLong() & Long.MAX_VALUE;
        ScanOptions opts = ScanOptions.builder(targets, ports).retries(retries).rate(rate == null ? 0 : rate).seed(theSeed)
                .shard(sh.index(), sh.count()).sourcePort(sourcePort == null ? 0 : sourcePort).ttl(ttl).netns(nsPath)
                .timeouts(micros(minTimeout), micros(maxTimeout), micros(initialTimeout)).transmitTimestamps(preciseRtt)
                .scanType(scanType).build();
        ScanInfo info = new ScanInfo(commandLine(), Instant.now(), targets.size(), ports.size(), ports.spec(),
                connect ? "connect" : scanType, VersionProvider.version(), theSeed, sh.index() + 1, sh.count(),
                targets.digest());
        output.handshake = full != null;
        ScanEngine syn = connect ? null : new ScanEngine(opts);
        if (syn != null && full != null) syn.handshake(full, handshakeTimeout.toNanos());
        if (syn != null && resumePoint != null) syn.resumeFrom(resumePoint);
        if (syn != null) syn.observe(packetTrace.observer(output.jsonl() ? output::stream : null));
        ScanSummary summary = connect ? scan(new ConnectScanner(opts), info) : scan(syn, opts, info);
        if (!output.quiet) {
            System.err.println(io.synprobe.output.SummaryLine.format(summary, ports.size()));
            if (summary.sendErrors() > 0) {
                System.err.println("synprobe: " + summary.sendErrors() + " probes were refused by the local kernel ("
                        + summary.firstSendError() + " first): reported as send-error, not as the network's verdict");
            }
        }
        if (syn != null && syn.stoppedAt() != null) {
            List<String> args = new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
            if (!args.isEmpty() && args.get(0).equals(spec.name())) args.remove(0);
            if (seed == null) {
                args.add("--seed");
                args.add(Long.toString(theSeed));
            }
            new ResumeFile(args, syn.stoppedAt()).write(resumeFile);
            if (syn.stoppedForMemory()) {
                System.err.println("synprobe: stopped: the " + (Runtime.getRuntime().maxMemory() >> 20) + " MB heap ran short;"
                        + " outputs are complete so far. Continue with a larger heap: SYNPROBE_JAVA_OPTS=-Xmx... synprobe scan --resume "
                        + resumeFile + " (or use -o jsonl, --only or --shard)");
                return ExitCodes.MEMORY;
            }
            System.err.println("synprobe: interrupted; " + syn.stoppedAt().pending().length + " probes in flight kept for later."
                    + " Continue with: synprobe scan --resume " + resumeFile);
        } else if (resumePoint != null) {
            java.nio.file.Files.deleteIfExists(resumeFile);
        }
        return summary.interrupted() ? ExitCodes.INTERRUPTED : ExitCodes.OK;
    }

    private ScanSummary scan(Scanner engine, ScanInfo info) throws Exception {
        Progress progress = output.quiet ? null : Progress.start(engine);
        try (Interrupts i = Interrupts.onInterrupt(engine::requestStop)) {
            return engine.run(output::open, info);
        } finally {
            if (progress != null) progress.stop();
        }
    }

    /** Opens the raw sockets, then gives up root (under sudo), then opens the output: in that order. */
    private ScanSummary scan(ScanEngine engine, ScanOptions opts, ScanInfo info) throws Exception {
        // with a full handshake the guard comes first (without CAP_NET_ADMIN nothing is opened or sent), and root is
        // kept under sudo: removing the guard at the end needs it
        try (Interrupts i = Interrupts.onInterrupt(engine::requestStop);
             io.synprobe.handshake.LocalRstGuard guard = !handshake.full() ? null
                     : HandshakeMixin.guard(opts.netnsPath(), engine.firstLocalPort(), engine.lastLocalPort(), addresses(opts));
             RawLink link = ScanEngine.openLink(opts)) {
            if (guard != null) HandshakeMixin.mark(link, guard);
            else SudoDrop.afterSocketsOpen(opts.netnsPath());
            Progress progress = output.quiet ? null : Progress.start(engine);
            try {
                return engine.run(link, output::open, info);
            } finally {
                if (progress != null) progress.stop();
            }
        }
    }

    private static List<java.net.InetAddress> addresses(ScanOptions opts) {
        List<java.net.InetAddress> out = new ArrayList<>();
        for (long h = 0; h < opts.targets().size(); h++) out.add(opts.targets().addressAt(h));
        return out;
    }

    /** Re-runs the saved command line, from where it stopped, appending to its output. */
    private int resumeScan() throws Exception {
        boolean others = spec.commandLine().getParseResult().matchedOptions().stream()
                .anyMatch(o -> !o.longestName().equals("--resume") && !o.longestName().equals("--quiet"));
        if (others || !targetOptions.targets.isEmpty()) {
            throw new UsageException("--resume FILE takes no other options: they come from the file");
        }
        ResumeFile saved = ResumeFile.read(resume);
        ScanCommand original = new ScanCommand();
        picocli.CommandLine cl = new picocli.CommandLine(original).setAllowOptionsAsOptionParameters(true);
        try {
            cl.parseArgs(saved.args().toArray(String[]::new));
        } catch (picocli.CommandLine.ParameterException e) {
            throw new UsageException(resume + ": " + e.getMessage());
        }
        original.resumePoint = saved.point();
        original.resumeFile = resume;
        original.output.append = true;
        original.output.quiet |= output.quiet;
        return original.call();
    }

    private List<String> commandLine() {
        List<String> args = new ArrayList<>();
        args.add("synprobe");
        args.addAll(spec.commandLine().getParseResult().originalArgs()); // starts with the subcommand's name
        return args;
    }

    private static long micros(Duration d) {
        return d.toNanos() / 1000;
    }

    static io.synprobe.target.UsageException usage(String option, String value, String expected) {
        return new io.synprobe.target.UsageException("invalid " + option + " '" + value + "' (" + expected + ")");
    }
}
