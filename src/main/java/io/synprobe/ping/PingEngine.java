package io.synprobe.ping;

import io.synprobe.nativeio.RawLink;
import io.synprobe.nativeio.RawSockets;
import io.synprobe.nativeio.Routes;
import io.synprobe.probe.HandshakeModule;
import io.synprobe.probe.SynModule;
import io.synprobe.result.PingListener;
import io.synprobe.packet.PacketObserver;
import io.synprobe.runtime.ClockPair;
import io.synprobe.runtime.ProbeRuntime;
import io.synprobe.runtime.SourcePorts;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * TCP SYN ping: the {@link PingSchedule} on the {@link ProbeRuntime} with the SYN module. RTTs come from kernel
 * receive timestamps against kernel transmit timestamps, both CLOCK_REALTIME.
 */
public final class PingEngine {
    private final List<PingTarget> entries;
    private final long count;
    private final int ttl;
    private final String netnsPath;
    private PacketObserver observer;
    private HandshakeModule handshake;
    private final int sportBase = SourcePorts.base(0, PingSchedule.SLOTS);
    private volatile ProbeRuntime runtime;
    private volatile boolean stopEarly;

    public PingEngine(PingOptions options) {
        this(entries(options), options.count(), options.ttl(), options.netnsPath());
    }

    /**
     * Pings targets of their own ports, intervals and timeouts on one set of raw sockets.
     *
     * @param count probes per target, 0 for until stopped
     */
    public PingEngine(List<PingTarget> targets, long count, int ttl, String netnsPath) {
        if (targets.isEmpty()) throw new IllegalArgumentException("no targets");
        this.entries = List.copyOf(targets);
        this.count = count;
        this.ttl = ttl;
        this.netnsPath = netnsPath;
    }

    private static List<PingTarget> entries(PingOptions o) {
        List<PingTarget> out = new ArrayList<>();
        for (InetAddress a : o.targets()) out.add(new PingTarget(a, o.port(), o.interval(), o.timeout()));
        return out;
    }

    /** Ends the run after the probes in flight have had their chance (Ctrl-C). */
    public void requestStop() {
        ProbeRuntime rt = runtime;
        if (rt != null) rt.requestStop();
        else stopEarly = true;
    }

    public void observe(PacketObserver observer) {
        this.observer = observer;
    }

    /**
     * Completes each answered probe's connection (--handshake full) with this module. The caller keeps our own
     * kernel's RSTs off the wire (a {@link io.synprobe.handshake.LocalRstGuard} over {@link #firstLocalPort()} ..
     * {@link #lastLocalPort()} and the targets) and marks the link's packets with the guard's mark.
     */
    public void handshake(HandshakeModule module) {
        this.handshake = module;
    }

    /** The local ports this engine's probes leave from (fixed when it is made). */
    public int firstLocalPort() {
        return sportBase;
    }

    public int lastLocalPort() {
        return sportBase + PingSchedule.SLOTS - 1;
    }

    /** The addresses probed. */
    public List<InetAddress> targets() {
        List<InetAddress> out = new ArrayList<>();
        for (PingTarget t : entries) out.add(t.ip());
        return out;
    }

    /** The sockets a ping with these options needs (with transmit timestamps). */
    public static RawLink openLink(PingOptions opt) {
        return new PingEngine(opt).openLink();
    }

    /** The sockets this ping needs (with transmit timestamps). */
    public RawLink openLink() {
        boolean v4 = false, v6 = false;
        for (PingTarget t : entries) {
            v4 |= t.ip().getAddress().length == 4;
            v6 |= t.ip().getAddress().length == 16;
        }
        return RawSockets.open(v4, v6, 0, 0, netnsPath, true);
    }

    /** Opens its own sockets, pings, closes them. Drops no privileges. @return true when every target answered */
    public boolean run(PingListener listener) throws IOException {
        try (RawLink link = openLink()) {
            return run(link, listener);
        }
    }

    /** Pings over a link the caller opened. @return true when every target answered at least once */
    public boolean run(RawLink link, PingListener listener) throws IOException {
        Routes routes = new Routes(netnsPath);
        List<PingSchedule.Target> targets = new ArrayList<>();
        for (PingTarget t : entries) targets.add(new PingSchedule.Target(t, routes.sourceFor(t.ip().getAddress())));
        ClockPair clocks = ClockPair.now();
        long startRealtime = clocks.realtimeNs();
        long startMono = clocks.monoNs();
        PingSchedule schedule = new PingSchedule(targets, listener, count, ttl, sportBase, startMono, startRealtime,
                handshake);
        ProbeRuntime rt = new ProbeRuntime(link, handshake != null ? handshake : SynModule.INSTANCE, schedule, observer);
        runtime = rt;
        if (stopEarly) rt.requestStop();
        rt.run();
        return schedule.everyoneAnswered();
    }
}
