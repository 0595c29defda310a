package io.synprobe.cli;

import io.synprobe.nativeio.NetworkNamespace;
import io.synprobe.target.TargetParser;
import io.synprobe.target.UsageException;
import picocli.CommandLine.Option;

/** Where probes leave from and which address family names resolve to: shared by scan, ping and trace. */
public final class NetworkMixin {
    @Option(names = "--netns", paramLabel = "NAME", description = "probe from inside this network namespace (ip netns name or path)")
    String netns;

    @Option(names = "-4", description = "resolve host names to IPv4 only")
    boolean ipv4;

    @Option(names = "-6", description = "resolve host names to IPv6 only")
    boolean ipv6;

    TargetParser parser() {
        if (ipv4 && ipv6) throw new UsageException("-4 and -6 exclude each other");
        return new TargetParser(ipv4 ? TargetParser.Preference.IPV4 : ipv6 ? TargetParser.Preference.IPV6 : TargetParser.Preference.ANY);
    }

    /** The namespace file to open sockets in, or null; fails when it does not exist. */
    String netnsPath() {
        return netns == null ? null : NetworkNamespace.path(netns);
    }
}
