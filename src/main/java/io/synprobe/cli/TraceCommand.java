package io.synprobe.cli;

import io.synprobe.output.ResultKind;
import io.synprobe.target.AddressRange;
import io.synprobe.target.Ip;
import io.synprobe.target.PortList;
import io.synprobe.target.TargetParser;
import io.synprobe.target.UsageException;
import io.synprobe.nativeio.RawLink;
import io.synprobe.nativeio.SudoDrop;
import io.synprobe.trace.TraceEngine;
import io.synprobe.result.TraceListener;
import io.synprobe.trace.TraceOptions;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "trace", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "TCP traceroute: the routers on the way to a port, found with SYNs of rising TTL.",
        footerHeading = "%nExamples:%n",
        footer = {"  synprobe trace 198.18.3.2 -p 80",
                "  synprobe trace 2001:db8:3::2 -p 443 -m 16 -q 1 -W 500ms -o jsonl",
                "",
                "Every TTL is probed at once, each probe from its own source port with its own",
                "sequence number; only answers quoting or acknowledging exactly that probe count.",
                "The trace ends at the lowest TTL the target answered ([open] or [closed]) or",
                "that drew a destination unreachable ([host-unreach], ...); * is a silent probe.",
                "Exit codes: 0 the target answered, 1 it did not, 2 bad usage, 3 no privileges."})
public final class TraceCommand implements Callable<Integer> {
    @Parameters(paramLabel = "TARGET", description = "an address or host name")
    String target;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", required = true, converter = Converters.PortValue.class,
            description = "TCP port to probe")
    int port;

    @Option(names = {"-m", "--max-hops"}, paramLabel = "N", defaultValue = "30", description = "highest TTL / hop limit (default: ${DEFAULT-VALUE})")
    int maxHops;

    @Option(names = {"-q", "--queries"}, paramLabel = "N", defaultValue = "3", description = "probes per hop (default: ${DEFAULT-VALUE})")
    int probesPerHop;

    @Option(names = {"-W", "--timeout"}, paramLabel = "TIME", defaultValue = "1s", converter = Converters.DurationValue.class,
            description = "wait for each answer (default: ${DEFAULT-VALUE})")
    Duration timeout;






    @Mixin
    NetworkMixin network;

    @Mixin
    StreamOutputMixin output;

    @Mixin
    PacketTraceMixin packetTrace;

    @Mixin
    SendPathMixin sendPath;

    @Override
    public Integer call() throws Exception {
        sendPath.apply();
        int p = port;
        if (maxHops < 1 || maxHops > 255) throw ScanCommand.usage("--max-hops", String.valueOf(maxHops), "1-255");
        if (probesPerHop < 1 || probesPerHop > TraceOptions.MAX_PROBES_PER_HOP) {
            throw ScanCommand.usage("--queries", String.valueOf(probesPerHop), "1-" + TraceOptions.MAX_PROBES_PER_HOP);
        }
        Duration to = timeout;
        if (to.toNanos() < 1_000_000) throw ScanCommand.usage("--timeout", to.toString(), "at least 1ms");
        output.validate(ResultKind.TRACE);
        TargetParser parser = network.parser();
        AddressRange r = parser.parse(target);
        if (r.count() != 1) throw new UsageException("trace takes a single address, not '" + target + "'");
        String nsPath = network.netnsPath();

        TraceOptions options = new TraceOptions(Ip.inet(r.family(), r.hi(), r.lo()), p, maxHops, probesPerHop, to, nsPath);
        TraceEngine engine = new TraceEngine(options);
        // the raw sockets first, then root is given up (under sudo), then the output file is made
        try (Interrupts i = Interrupts.onInterrupt(engine::requestStop); RawLink link = TraceEngine.openLink(options)) {
            SudoDrop.afterSocketsOpen(nsPath);
            try (OutputStream out = output.open()) {
                TraceListener listener = output.listener(ResultKind.TRACE, out);
                engine.observe(packetTrace.observer(output.jsonl() ? () -> out : null));
                return engine.run(link, listener) ? ExitCodes.OK : ExitCodes.FAILED;
            }
        }
    }
}
