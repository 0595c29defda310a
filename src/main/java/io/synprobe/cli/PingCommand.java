package io.synprobe.cli;

import io.synprobe.handshake.LocalRstGuard;
import io.synprobe.target.Durations;
import io.synprobe.output.ResultKind;
import io.synprobe.ping.ConnectPinger;
import io.synprobe.ping.PingEngine;
import io.synprobe.result.PingListener;
import io.synprobe.ping.PingOptions;
import io.synprobe.target.AddressRange;
import io.synprobe.target.Ip;
import io.synprobe.target.TargetParser;
import io.synprobe.target.UsageException;
import io.synprobe.nativeio.RawLink;
import io.synprobe.nativeio.SudoDrop;
import java.io.OutputStream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "ping", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "TCP SYN ping: handshake latency to a port, one probe per interval, exact per-probe matching.",
        footerHeading = "%nExamples:%n",
        footer = {"  synprobe ping 127.0.0.1 -p 22 -c 5",
                "  synprobe ping 198.18.0.2 198.18.0.3 -p 443 -i 20ms -c 500 -o jsonl",
                "",
                "Each probe has its own source port and sequence number: a late reply or a SYN-ACK the target",
                "retransmits is reported as late or dup on the probe it answers, never as another probe's RTT.",
                "Exit codes: 0 every target answered, 1 some target never answered, 2 bad usage, 3 no privileges."})
public final class PingCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    static final int MAX_TARGETS = 1024;

    @Parameters(paramLabel = "TARGET", arity = "1..*", description = "addresses or host names")
    List<String> targets;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", required = true, converter = Converters.PortValue.class,
            description = "TCP port to probe")
    int port;

    @Option(names = {"-c", "--count"}, paramLabel = "COUNT", description = "probes per target (default: until Ctrl-C)")
    Long count;

    @Option(names = {"-i", "--interval"}, paramLabel = "TIME", defaultValue = "1s", converter = Converters.DurationValue.class,
            description = "time between probes (default: ${DEFAULT-VALUE})")
    Duration interval;

    @Option(names = {"-W", "--timeout"}, paramLabel = "TIME", defaultValue = "1s", converter = Converters.DurationValue.class,
            description = "reply timeout (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(names = "--ttl", paramLabel = "N", defaultValue = "64", description = "IP TTL / hop limit")
    int ttl;




    @Mixin
    NetworkMixin network;

    @Mixin
    StreamOutputMixin output;

    @Mixin
    PacketTraceMixin packetTrace;

    @Mixin
    SendPathMixin sendPath;

    @Option(names = {"--connect", "-sT"}, description = "time the kernel's connect() instead of raw SYNs (no privileges needed)")
    boolean connect;

    @Mixin
    HandshakeMixin handshake;



    @Override
    public Integer call() throws Exception {
        sendPath.apply();
        int p = port;
        if (count != null && count < 1) throw ScanCommand.usage("--count", String.valueOf(count), "at least 1");
        Duration iv = interval, to = timeout;
        if (iv.toNanos() < 1_000_000) throw ScanCommand.usage("--interval", spec.findOption("-i").originalStringValues().get(0), "at least 1ms");
        if (to.isZero()) throw ScanCommand.usage("--timeout", "0", "more than 0");
        if (ttl < 1 || ttl > 255) throw ScanCommand.usage("--ttl", String.valueOf(ttl), "1-255");
        output.validate(ResultKind.PING);
        io.synprobe.probe.HandshakeModule full = handshake.module();
        if (full != null && connect) throw new UsageException("--handshake full crafts its own packets: not with --connect");
        TargetParser parser = network.parser();
        Set<InetAddress> addresses = new LinkedHashSet<>();
        for (String t : targets) {
            AddressRange r = parser.parse(t);
            if (r.count() != 1) throw new UsageException("ping takes single addresses, not '" + t + "'");
            addresses.add(Ip.inet(r.family(), r.hi(), r.lo()));
        }
        if (addresses.size() > MAX_TARGETS) throw new UsageException("at most " + MAX_TARGETS + " ping targets");
        String nsPath = network.netnsPath();

        PingOptions options = new PingOptions(new ArrayList<>(addresses), p, count == null ? 0 : count, iv, to, ttl, nsPath);
        if (connect) {
            ConnectPinger pinger = new ConnectPinger(options);
            try (OutputStream out = output.open(); Interrupts i = Interrupts.onInterrupt(pinger::requestStop)) {
                return pinger.run(listener(out)) ? ExitCodes.OK : ExitCodes.FAILED;
            }
        }
        PingEngine engine = new PingEngine(options);
        if (full != null) engine.handshake(full);
        // the guard before anything is opened (without CAP_NET_ADMIN nothing is sent); the raw sockets, then root is
        // given up (under sudo, and not with the guard, which needs root to be removed), then the output file is made
        try (Interrupts i = Interrupts.onInterrupt(engine::requestStop);
             LocalRstGuard guard = full == null ? null
                     : HandshakeMixin.guard(nsPath, engine.firstLocalPort(), engine.lastLocalPort(), engine.targets());
             RawLink link = PingEngine.openLink(options)) {
            if (guard != null) HandshakeMixin.mark(link, guard);
            else SudoDrop.afterSocketsOpen(nsPath);
            try (OutputStream out = output.open()) {
                engine.observe(packetTrace.observer(output.jsonl() ? () -> out : null));
                boolean all = engine.run(link, listener(out));
                return all ? ExitCodes.OK : ExitCodes.FAILED;
            }
        }
    }

    private PingListener listener(OutputStream out) {
        return output.listener(ResultKind.PING, out);
    }
}
