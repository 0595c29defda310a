package io.synprobe;

import io.synprobe.engine.ScanEngine;
import io.synprobe.engine.ScanOptions;
import io.synprobe.nativeio.NetworkNamespace;
import io.synprobe.nativeio.RawLink;
import io.synprobe.output.Addresses;
import io.synprobe.ping.PingEngine;
import io.synprobe.result.PingEvent;
import io.synprobe.result.PingListener;
import io.synprobe.ping.PingOptions;
import io.synprobe.result.PingSummary;
import io.synprobe.result.PortResult;
import io.synprobe.result.ResultSink;
import io.synprobe.result.ScanInfo;
import io.synprobe.result.ScanSummary;
import io.synprobe.target.AddressRange;
import io.synprobe.target.Ip;
import io.synprobe.target.PortList;
import io.synprobe.target.TargetParser;
import io.synprobe.target.TargetSet;
import io.synprobe.target.UsageException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The Java API: SYN scans and SYN pings without the command line. Needs the same privileges as the CLI (root or
 * CAP_NET_RAW). Targets are the CLI's (addresses, CIDR blocks, ranges, host names; several separated by spaces or
 * commas), ports too ({@code 22}, {@code 1-1024}, {@code 22,80,443}, {@code -}).
 *
 * <pre>{@code
 * // jshell --class-path target/synprobe.jar   (as root)
 * import io.synprobe.SynProbe;
 * import java.time.Duration;
 *
 * SynProbe.scan("127.0.0.1", "20-25").forEach(System.out::println);
 * // PortResult[ip=/127.0.0.1, port=22, state=OPEN, reason=SYN_ACK, ttl=64, rttUs=31] ...
 *
 * var open = SynProbe.scanner().targets("198.18.0.0/24").ports("22,80").retries(1)
 *         .timeout(Duration.ofMillis(300)).netns("lab").run().stream()
 *         .filter(r -> r.state() == io.synprobe.result.PortState.OPEN).toList();
 *
 * SynProbe.scan(SynProbe.ScanRequest.of("127.0.0.1", "-"), r -> System.out.println(r.port() + " " + r.state()));
 *
 * var ping = SynProbe.ping("127.0.0.1", 22, 5, Duration.ofMillis(200));
 * System.out.println(ping.received() + "/" + ping.sent() + " answered, avg " + ping.avgUs() + " us");
 * }</pre>
 *
 * Bad input (an unknown host, an invalid port list, a missing namespace) throws {@link IllegalArgumentException}
 * before any packet is sent; missing privileges throw {@link io.synprobe.nativeio.NativeException}.
 */
public final class SynProbe {
    private SynProbe() {
    }

    /**
     * What to scan and how.
     *
     * @param targets  CLI target tokens separated by spaces or commas
     * @param ports    a CLI port list
     * @param retries  retransmissions of an unanswered probe, 0-15
     * @param timeout  how long a probe waits before it is retransmitted or given up; null for the CLI's adaptive
     *                 defaults (1s at first, then 10ms to 10s from the measured RTTs)
     * @param ratePps  at most this many probes per second; 0 for no limit
     * @param netns    network namespace name (as made by {@code ip netns add}) or path to probe from; null for the
     *                 current one
     */
    public record ScanRequest(String targets, String ports, int retries, Duration timeout, double ratePps,
                              String netns) {
        public ScanRequest {
            if (targets == null || targets.isBlank()) throw new UsageException("no targets given");
            if (ports == null || ports.isBlank()) throw new UsageException("empty port list");
            if (retries < 0 || retries > ScanOptions.MAX_RETRIES) {
                throw new UsageException("retries must be 0-" + ScanOptions.MAX_RETRIES + ", not " + retries);
            }
            if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
                throw new UsageException("timeout must be positive");
            }
            if (ratePps < 0 || Double.isNaN(ratePps)) throw new UsageException("rate must not be negative");
        }

        /** Two retries, adaptive timeouts, no rate limit, the current namespace: the CLI's defaults. */
        public static ScanRequest of(String targets, String ports) {
            return new ScanRequest(targets, ports, 2, null, 0, null);
        }

        /** The engine's options; parses and resolves everything, so it throws before anything is sent. */
        public ScanOptions options() {
            TargetSet set = TargetSet.of(new TargetParser(TargetParser.Preference.ANY).parseAll(tokens(targets)));
            ScanOptions.Builder o = ScanOptions.builder(set, PortList.parse(ports)).retries(retries).rate(ratePps)
                    .netns(NetworkNamespace.path(netns));
            if (timeout != null) {
                long us = Math.max(1, timeout.toNanos() / 1000);
                o.timeouts(Math.min(us, 100_000), us, us); // a fixed timeout: no adaptive minimum above it
            }
            return o.build();
        }
    }

    /** Builds a {@link ScanRequest} step by step; {@link #run()} scans. */
    public static final class Scanner {
        private String targets;
        private String ports = "1-1024";
        private int retries = 2;
        private Duration timeout;
        private double ratePps;
        private String netns;

        private Scanner() {
        }

        public Scanner targets(String targets) {
            this.targets = targets;
            return this;
        }

        public Scanner ports(String ports) {
            this.ports = ports;
            return this;
        }

        public Scanner retries(int retries) {
            this.retries = retries;
            return this;
        }

        public Scanner timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public Scanner rate(double pps) {
            this.ratePps = pps;
            return this;
        }

        public Scanner netns(String nameOrPath) {
            this.netns = nameOrPath;
            return this;
        }

        public ScanRequest request() {
            return new ScanRequest(targets, ports, retries, timeout, ratePps, netns);
        }

        /** Scans and returns every result, ordered by address then port. */
        public List<PortResult> run() throws IOException {
            return scan(request());
        }
    }

    /** A builder; ports default to 1-1024 like the CLI's. */
    public static Scanner scanner() {
        return new Scanner();
    }

    /** Scans with the CLI's defaults; every result, ordered by address then port. */
    public static List<PortResult> scan(String targets, String ports) throws IOException {
        return scan(ScanRequest.of(targets, ports));
    }

    /** Scans; every result, ordered by address then port. */
    public static List<PortResult> scan(ScanRequest request) throws IOException {
        List<PortResult> all = Collections.synchronizedList(new ArrayList<>());
        scan(request, all::add);
        List<PortResult> sorted = new ArrayList<>(all);
        sorted.sort(RESULT_ORDER);
        return sorted;
    }

    private static final Comparator<PortResult> RESULT_ORDER =
            Comparator.comparing(PortResult::ip, Addresses.ORDER).thenComparingInt(PortResult::port);

    /**
     * Scans, handing each result to {@code each} as soon as it is final (in no particular order, on the engine's
     * output thread, one call at a time), so a large scan need not be held in memory.
     */
    public static ScanSummary scan(ScanRequest request, Consumer<PortResult> each) throws IOException {
        ScanOptions options = request.options();
        try (RawLink link = ScanEngine.openLink(options)) {
            return scan(link, options, request, each);
        }
    }

    /**
     * Scans over raw sockets the caller opened (see {@link ScanEngine#openLink}), for several scans in a row on one
     * set of sockets; every result, ordered by address then port.
     */
    public static List<PortResult> scan(RawLink link, ScanRequest request) throws IOException {
        List<PortResult> all = Collections.synchronizedList(new ArrayList<>());
        scan(link, request.options(), request, all::add);
        List<PortResult> sorted = new ArrayList<>(all);
        sorted.sort(RESULT_ORDER);
        return sorted;
    }

    private static ScanSummary scan(RawLink link, ScanOptions options, ScanRequest request, Consumer<PortResult> each)
            throws IOException {
        ScanInfo info = new ScanInfo(List.of("synprobe-api", request.targets(), "-p", request.ports()), Instant.now(),
                options.targets().size(), options.ports().size(), options.ports().spec(), "syn", io.synprobe.result.Version.get());
        ResultSink sink = new ResultSink() {
            @Override
            public void accept(PortResult result) {
                each.accept(result);
            }

            @Override
            public void close() {
            }
        };
        return new ScanEngine(options).run(link, () -> sink, info);
    }

    /** SYN ping from the current namespace with a 1 s reply timeout. */
    public static PingSummary ping(String target, int port, long count, Duration interval) throws IOException {
        return ping(target, port, count, interval, null);
    }

    /**
     * Sends {@code count} SYNs to one address, one per {@code interval}, and returns the latency statistics.
     *
     * @param netns namespace name or path to probe from, or null for the current one
     */
    public static PingSummary ping(String target, int port, long count, Duration interval, String netns)
            throws IOException {
        if (count < 1) throw new UsageException("count must be at least 1");
        AddressRange r = new TargetParser(TargetParser.Preference.ANY).parse(target);
        if (r.count() != 1) throw new UsageException("ping takes a single address, not '" + target + "'");
        PingOptions options = new PingOptions(List.of(Ip.inet(r.family(), r.hi(), r.lo())), port, count, interval,
                Duration.ofSeconds(1), 64, NetworkNamespace.path(netns));
        PingSummary[] summary = new PingSummary[1];
        new PingEngine(options).run(new PingListener() {
            @Override
            public void event(PingEvent e) {
            }

            @Override
            public void summary(PingSummary s) {
                summary[0] = s;
            }
        });
        return summary[0];
    }

    private static List<String> tokens(String list) {
        return Arrays.stream(list.trim().split("[\\s,]+")).filter(s -> !s.isEmpty()).toList();
    }
}
