package io.synprobe.serve;

import io.synprobe.nativeio.RawSockets;
import io.synprobe.ping.ConnectPinger;
import io.synprobe.ping.PingEngine;
import io.synprobe.ping.PingTarget;
import io.synprobe.ping.PingOptions;
import io.synprobe.result.PingEvent;
import io.synprobe.result.PingListener;
import io.synprobe.result.PingSummary;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The prober over the ping engines: raw probing runs every target (each with its own port, interval and timeout)
 * on one runtime and one set of raw sockets; with --connect, a ConnectPinger per (port, interval, timeout) group.
 * An engine that fails is started again after a second.
 */
public final class EngineProber implements Prober {
    private static final long RETRY_MS = 1000;

    private final String netnsPath;
    private final boolean connect;
    private final int ttl;
    private final List<Group> groups = new ArrayList<>();

    public EngineProber(String netnsPath, boolean connect, int ttl) {
        this.netnsPath = netnsPath;
        this.connect = connect;
        this.ttl = ttl;
    }

    private record GroupKey(int port, Duration interval, Duration timeout) {
    }

    private record Endpoint(InetAddress address, int port) {
    }

    /** Only a started engine can be stopped: the runners are made anew on every (re)start. */
    private interface Runner {
        boolean run(PingListener listener) throws IOException;

        void requestStop();
    }

    /** Raw probing: every target, with its own port, interval and timeout, on one set of raw sockets. */
    private Runner runner(List<ProbeTarget> targets) {
        List<PingTarget> entries = new ArrayList<>();
        for (ProbeTarget t : new LinkedHashSet<>(targets)) {
            PingTarget e = new PingTarget(t.address(), t.port(), t.interval(), t.timeout());
            if (!entries.contains(e)) entries.add(e);
        }
        PingEngine e = new PingEngine(entries, 0, ttl, netnsPath);
        return new Runner() {
            public boolean run(PingListener l) throws IOException {
                return e.run(l);
            }

            public void requestStop() {
                e.requestStop();
            }
        };
    }

    private Runner runner(PingOptions options) {
        if (connect) {
            ConnectPinger p = new ConnectPinger(options);
            return new Runner() {
                public boolean run(PingListener l) throws IOException {
                    return p.run(l);
                }

                public void requestStop() {
                    p.requestStop();
                }
            };
        }
        PingEngine e = new PingEngine(options);
        return new Runner() {
            public boolean run(PingListener l) throws IOException {
                return e.run(l);
            }

            public void requestStop() {
                e.requestStop();
            }
        };
    }

    private final class Group implements Runnable {
        final GroupKey key;
        final List<ProbeTarget> targets;
        final Map<Endpoint, List<ProbeTarget>> byEndpoint = new HashMap<>();
        final Sink sink;
        final Thread thread;
        volatile boolean stopped;
        volatile Runner current;

        Group(GroupKey key, List<ProbeTarget> targets, Sink sink) {
            this.key = key;
            this.targets = targets;
            this.sink = sink;
            for (ProbeTarget t : targets) byEndpoint.computeIfAbsent(new Endpoint(t.address(), t.port()), a -> new ArrayList<>()).add(t);
            this.thread = new Thread(this, key == null ? "prober" : "prober-" + key.port() + "-" + key.interval().toMillis() + "ms");
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            PingListener listener = new PingListener() {
                @Override
                public void event(PingEvent e) {
                    List<ProbeTarget> ts = byEndpoint.get(new Endpoint(e.ip(), e.port()));
                    if (ts != null) for (ProbeTarget t : ts) sink.event(t, e);
                }

                @Override
                public void summary(PingSummary s) {
                }
            };
            while (!stopped) {
                Runner r = key == null ? runner(targets) : runner(new PingOptions(
                        new ArrayList<>(new LinkedHashSet<>(targets.stream().map(ProbeTarget::address).toList())), key.port(),
                        0, key.interval(), key.timeout(), ttl, netnsPath));
                current = r;
                if (stopped) break;
                try {
                    r.run(listener);
                } catch (Exception e) {
                    if (stopped) break;
                    sink.failed(targets, e);
                    sleep(RETRY_MS);
                }
            }
        }

        void stop() {
            stopped = true;
            Runner r = current;
            if (r != null) r.requestStop();
        }

        private void sleep(long ms) {
            long end = System.currentTimeMillis() + ms;
            while (!stopped && System.currentTimeMillis() < end) {
                try {
                    Thread.sleep(Math.min(50, Math.max(1, end - System.currentTimeMillis())));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Fails now, with the engine's own error, when raw sockets cannot be opened at all (no privileges). */
    public void preflight() {
        if (connect) return;
        RawSockets.open(true, false, 40000, 40000, netnsPath).close();
    }

    @Override
    public synchronized void start(List<ProbeTarget> targets, Sink sink) {
        if (!groups.isEmpty()) throw new IllegalStateException("already started");
        if (!connect) {
            // one runtime and one set of raw sockets for every target, whatever its port and pace
            groups.add(new Group(null, List.copyOf(targets), sink));
            groups.get(0).thread.start();
            return;
        }
        Map<GroupKey, List<ProbeTarget>> byKey = new LinkedHashMap<>();
        for (ProbeTarget t : targets) {
            byKey.computeIfAbsent(new GroupKey(t.port(), t.interval(), t.timeout()), k -> new ArrayList<>()).add(t);
        }
        byKey.forEach((k, ts) -> groups.add(new Group(k, ts, sink)));
        for (Group g : groups) g.thread.start();
    }

    @Override
    public synchronized void stop() {
        for (Group g : groups) g.stop();
        for (Group g : groups) {
            try {
                g.thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        groups.clear();
    }

    @Override
    public List<PingEvent> probe(ProbeTarget target, int count) throws IOException {
        PingOptions options = new PingOptions(List.of(target.address()), target.port(), count, target.interval(),
                target.timeout(), ttl, netnsPath);
        List<PingEvent> events = new ArrayList<>();
        runner(options).run(new PingListener() {
            @Override
            public void event(PingEvent e) {
                if (e.type() == PingEvent.Type.REPLY || e.type() == PingEvent.Type.TIMEOUT) {
                    if (Objects.equals(e.ip(), target.address())) events.add(e);
                }
            }

            @Override
            public void summary(PingSummary s) {
            }
        });
        return events;
    }
}
