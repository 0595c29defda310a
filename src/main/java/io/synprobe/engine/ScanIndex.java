package io.synprobe.engine;

import io.synprobe.probe.Classifier;
import io.synprobe.target.PortList;
import io.synprobe.target.TargetSet;
import java.util.function.LongPredicate;

/**
 * Which scan probe left from a local port towards a remote address and port: probe = host index x ports + port
 * index, attempt = local port - base. Every scan probe's cookie has tag 0.
 */
public final class ScanIndex implements Classifier.ProbeIndex {
    private final TargetSet targets;
    private final PortList ports;
    private final int portCount;
    private final int sportBase;
    private final int retries;
    private final LongPredicate sent;

    /** @param sent whether a probe has left (only such a probe can be answered by a bare SYN) */
    public ScanIndex(TargetSet targets, PortList ports, int sportBase, int retries, LongPredicate sent) {
        this.targets = targets;
        this.ports = ports;
        this.portCount = ports.size();
        this.sportBase = sportBase;
        this.retries = retries;
        this.sent = sent;
    }

    @Override
    public long probeOf(int family, long remoteHi, long remoteLo, int remotePort, int localPort) {
        int attempt = localPort - sportBase;
        if (attempt < 0 || attempt > retries) return -1;
        long host = targets.indexOf(family, remoteHi, remoteLo);
        int portIndex = ports.indexOf(remotePort);
        if (host < 0 || portIndex < 0) return -1;
        return host * portCount + portIndex;
    }

    @Override
    public long tagOf(long probe, int localPort) {
        return 0;
    }

    @Override
    public boolean acceptsBareSyn(long probe) {
        return sent.test(probe);
    }
}
