package io.synprobe.cli;

import io.synprobe.handshake.Banner;
import io.synprobe.handshake.LocalRstGuard;
import io.synprobe.nativeio.RawLink;
import io.synprobe.nativeio.RawSockets;
import io.synprobe.probe.HandshakeModule;
import io.synprobe.target.UsageException;
import java.net.InetAddress;
import java.util.Collection;
import picocli.CommandLine.Option;

/** --handshake, --close and --banner: the full three-way handshake of scan and ping. */
public final class HandshakeMixin {
    @Option(names = "--handshake", paramLabel = "half|full", defaultValue = "half",
            description = "half: SYN only, our kernel answers the SYN-ACK with a RST (default); full: complete the"
                    + " connection with our own ACK, then close it (needs CAP_NET_ADMIN for a per-run nftables table)")
    String handshake;

    @Option(names = "--close", paramLabel = "rst|fin", description = "with --handshake full: end each connection with"
            + " a RST (default) or a FIN exchange")
    String close;

    @Option(names = "--banner", description = "with --handshake full: wait up to the timeout for the first bytes the"
            + " server sends (SSH, SMTP, FTP greet first), acknowledge them, and report up to 256 of them")
    boolean banner;

    boolean full() {
        return "full".equals(handshake);
    }

    /** Checks the options (before anything is opened); returns the module, or null for a half handshake. */
    HandshakeModule module() {
        if (!"half".equals(handshake) && !"full".equals(handshake)) {
            throw ScanCommand.usage("--handshake", handshake, "half or full");
        }
        if (close != null && !close.equals("rst") && !close.equals("fin")) {
            throw ScanCommand.usage("--close", close, "rst or fin");
        }
        if (!full()) {
            if (banner) throw new UsageException("--banner needs --handshake full");
            if (close != null) throw new UsageException("--close " + close + " needs --handshake full");
            return null;
        }
        return new HandshakeModule("fin".equals(close) ? HandshakeModule.Close.FIN : HandshakeModule.Close.RST, banner,
                Banner.MAX_BYTES);
    }

    /**
     * Installs this run's guard (our kernel's RSTs from the run's ports to its targets are dropped) in the
     * namespace the run probes from. Throws {@link LocalRstGuard.NotPermittedException} without CAP_NET_ADMIN.
     */
    static LocalRstGuard guard(String netnsPath, int portLo, int portHi, Collection<InetAddress> targets) {
        return LocalRstGuard.install(netnsPath, portLo, portHi, targets, LocalRstGuard.DEFAULT_MARK);
    }

    /** The run's own packets carry the guard's mark, so our RST and FIN pass it. */
    static void mark(RawLink link, LocalRstGuard guard) {
        if (link instanceof RawSockets s) s.setMark(guard.mark());
    }
}
