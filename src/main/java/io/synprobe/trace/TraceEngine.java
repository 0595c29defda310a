package io.synprobe.trace;

import io.synprobe.nativeio.RawLink;
import io.synprobe.nativeio.RawSockets;
import io.synprobe.nativeio.Routes;
import io.synprobe.probe.SynModule;
import io.synprobe.result.TraceListener;
import io.synprobe.packet.PacketObserver;
import io.synprobe.runtime.ClockPair;
import io.synprobe.runtime.ProbeRuntime;
import io.synprobe.runtime.SourcePorts;
import java.io.IOException;

/** TCP traceroute: the {@link TraceSchedule} on the {@link ProbeRuntime} with the SYN module. */
public final class TraceEngine {
    private final TraceOptions opt;
    private PacketObserver observer;
    private volatile ProbeRuntime runtime;
    private volatile boolean stopEarly;

    public TraceEngine(TraceOptions options) {
        this.opt = options;
    }

    /** Ends the trace at once: probes still waiting are shown as silent (Ctrl-C). */
    public void requestStop() {
        ProbeRuntime rt = runtime;
        if (rt != null) rt.requestStop();
        else stopEarly = true;
    }

    public void observe(PacketObserver observer) {
        this.observer = observer;
    }

    public static RawLink openLink(TraceOptions opt) {
        boolean v4 = opt.target().getAddress().length == 4;
        return RawSockets.open(v4, !v4, 0, 0, opt.netnsPath(), true);
    }

    /** Opens its own sockets, traces, closes them. Drops no privileges. */
    public boolean run(TraceListener listener) throws IOException {
        try (RawLink link = openLink(opt)) {
            return run(link, listener);
        }
    }

    /** @return true when the target's TCP stack answered (the port is open or closed) */
    public boolean run(RawLink link, TraceListener listener) throws IOException {
        byte[] src = new Routes(opt.netnsPath()).sourceFor(opt.target().getAddress());
        listener.begin(opt.info());
        ClockPair clocks = ClockPair.now();
        long startRealtime = clocks.realtimeNs();
        long startMono = clocks.monoNs();
        TraceSchedule schedule = new TraceSchedule(opt, listener, SourcePorts.base(0, opt.probeCount()), src, startMono,
                startRealtime);
        ProbeRuntime rt = new ProbeRuntime(link, SynModule.INSTANCE, schedule, observer);
        runtime = rt;
        if (stopEarly) rt.requestStop();
        rt.run();
        return schedule.reached;
    }
}
