package io.synprobe.ping;

import io.synprobe.nativeio.RawLink;
import io.synprobe.nativeio.RawSockets;
import io.synprobe.nativeio.Routes;
import io.synprobe.nativeio.WireClock;
import io.synprobe.probe.SynModule;
import io.synprobe.result.PingListener;
import io.synprobe.packet.PacketObserver;
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
    private final PingOptions opt;
    private PacketObserver observer;
    private volatile ProbeRuntime runtime;
    private volatile boolean stopEarly;

    public PingEngine(PingOptions options) {
        this.opt = options;
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

    /** The sockets a ping with these options needs (with transmit timestamps). */
    public static RawLink openLink(PingOptions opt) {
        boolean v4 = false, v6 = false;
        for (InetAddress a : opt.targets()) {
            v4 |= a.getAddress().length == 4;
            v6 |= a.getAddress().length == 16;
        }
        return RawSockets.open(v4, v6, 0, 0, opt.netnsPath(), true);
    }

    /** Opens its own sockets, pings, closes them. Drops no privileges. @return true when every target answered */
    public boolean run(PingListener listener) throws IOException {
        try (RawLink link = openLink(opt)) {
            return run(link, listener);
        }
    }

    /** Pings over a link the caller opened. @return true when every target answered at least once */
    public boolean run(RawLink link, PingListener listener) throws IOException {
        Routes routes = new Routes(opt.netnsPath());
        List<PingSchedule.Target> targets = new ArrayList<>();
        for (InetAddress a : opt.targets()) targets.add(new PingSchedule.Target(a, opt.port(), routes.sourceFor(a.getAddress())));
        long startRealtime = WireClock.realtimeNs();
        long startMono = System.nanoTime();
        PingSchedule schedule = new PingSchedule(targets, listener, opt.count(), opt.interval().toNanos(),
                opt.timeout().toNanos(), opt.ttl(), SourcePorts.base(0, PingSchedule.SLOTS), startMono, startRealtime);
        ProbeRuntime rt = new ProbeRuntime(link, SynModule.INSTANCE, schedule, observer);
        runtime = rt;
        if (stopEarly) rt.requestStop();
        rt.run();
        return schedule.everyoneAnswered();
    }
}
