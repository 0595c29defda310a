package io.synprobe.cli;

import io.synprobe.nativeio.SendPath;
import picocli.CommandLine.Option;

/** --send-path: raw IP sockets, Ethernet frames on a packet socket, or the packet socket where it is safe. */
final class SendPathMixin {
    @Option(names = "--send-path", paramLabel = "ip|packet|auto", converter = Converters.SendPathValue.class,
            description = "how probes leave: ip (raw IP sockets, through the kernel's routing and netfilter OUTPUT),"
                    + " packet (Ethernet frames on a packet socket, bypassing both) or auto (packet unless local"
                    + " OUTPUT rules exist); default: ${sys:synprobe.sendPath:-ip}")
    SendPath path;

    /** Makes the choice (or its absence) the one of the sockets this command opens. */
    void apply() {
        SendPath.choose(path);
    }
}
