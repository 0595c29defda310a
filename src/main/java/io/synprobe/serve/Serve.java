package io.synprobe.serve;

import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.synprobe.result.PingEvent;
import io.synprobe.target.AddressRange;
import io.synprobe.target.Ip;
import io.synprobe.target.TargetParser;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The running exporter: probes the config's targets continuously through a {@link Prober}, keeps their metrics,
 * serves /metrics, /probe and the status page, reloads the config on request and resolves host names again on
 * a schedule.
 */
public final class Serve implements AutoCloseable {
    private final Path configPath;
    private final TargetParser parser;
    private final Prober prober;
    private final PrintStream log;
    private final ServeMetrics metrics = new ServeMetrics();
    private final Instant started = Instant.now();
    private volatile ServeConfig config;
    /** By target key, in config order. */
    private volatile Map<String, TargetStatus> statuses = new LinkedHashMap<>();
    private volatile Map<ProbeTarget, List<TargetStatus>> byProbe = Map.of();
    private HttpServer http;
    private ExecutorService httpThreads;
    private ScheduledExecutorService resolver;

    public Serve(Path configPath, ServeConfig config, TargetParser parser, Prober prober, PrintStream log) {
        this.configPath = configPath;
        this.parser = parser;
        this.prober = prober;
        this.log = log;
        this.config = config;
    }

    ServeConfig config() {
        return config;
    }

    List<TargetStatus> statuses() {
        return List.copyOf(statuses.values());
    }

    Instant started() {
        return started;
    }

    TargetParser parser() {
        return parser;
    }

    Prober prober() {
        return prober;
    }

    /** Starts probing and listening; fails (nothing left running) when the address is taken. */
    public synchronized void start(InetSocketAddress listen) throws IOException {
        http = HttpServer.create(listen, 64);
        httpThreads = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "serve-http");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(httpThreads);
        http.createContext("/metrics", new MetricsHandler(metrics.registry));
        http.createContext("/probe", new ProbeHandler(this));
        http.createContext("/", new StatusPage(this));
        apply(config, resolveAll(config, Map.of()));
        http.start();
        resolver = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "serve-resolver");
            t.setDaemon(true);
            return t;
        });
        long every = config.resolveEvery().toMillis();
        resolver.scheduleWithFixedDelay(this::resolveAgain, every, every, TimeUnit.MILLISECONDS);
    }

    public InetSocketAddress address() {
        return http.getAddress();
    }

    /** Reads the config file again; a bad file is logged and the running config kept. */
    public synchronized boolean reload() {
        ServeConfig fresh;
        Map<String, InetAddress> addresses;
        try {
            fresh = ServeConfig.read(configPath, parser);
            addresses = resolveAll(fresh, Map.of());
        } catch (IllegalArgumentException e) {
            log("config not reloaded, keeping the running one: " + e.getMessage());
            return false;
        }
        config = fresh;
        apply(fresh, addresses);
        log("config reloaded: " + fresh.targets().size() + " targets");
        return true;
    }

    private synchronized void resolveAgain() {
        Map<String, InetAddress> current = new HashMap<>();
        statuses.forEach((k, t) -> current.put(k, t.address));
        Map<String, InetAddress> fresh = resolveAll(config, current);
        if (!fresh.equals(current)) {
            log("host names resolved to new addresses; probing them");
            apply(config, fresh);
        }
    }

    /** Resolves every entry; a name that fails keeps its address from {@code fallback}, or fails the config. */
    private Map<String, InetAddress> resolveAll(ServeConfig c, Map<String, InetAddress> fallback) {
        Map<String, InetAddress> out = new HashMap<>();
        for (TargetEntry e : c.targets()) {
            try {
                AddressRange r = parser.parse(e.host());
                out.put(e.key(), Ip.inet(r.family(), r.hi(), r.lo()));
            } catch (IllegalArgumentException ex) {
                InetAddress old = fallback.get(e.key());
                if (old == null) throw new ConfigException(configPath.toString(), e.line(), ex.getMessage());
                logFailure("cannot resolve " + e.host() + " again (" + ex.getMessage() + "); keeping " + old.getHostAddress());
                out.put(e.key(), old);
            }
        }
        return out;
    }

    private synchronized void apply(ServeConfig c, Map<String, InetAddress> addresses) {
        prober.stop();
        Map<String, TargetStatus> old = statuses;
        Map<String, TargetStatus> next = new LinkedHashMap<>();
        Map<ProbeTarget, List<TargetStatus>> probes = new LinkedHashMap<>();
        for (TargetEntry e : c.targets()) {
            InetAddress a = addresses.get(e.key());
            TargetStatus t = old.get(e.key());
            if (t != null && !ServeMetrics.family(t.address).equals(ServeMetrics.family(a))) {
                metrics.remove(t, t.address); // the family label changes: a new series
                t = null;
            }
            if (t == null) {
                t = new TargetStatus(e, a);
                metrics.add(t);
            } else {
                t.entry = e;
                t.address = a;
            }
            next.put(e.key(), t);
            probes.computeIfAbsent(new ProbeTarget(a, e.port(), e.interval(), e.timeout()), k -> new ArrayList<>()).add(t);
        }
        for (Map.Entry<String, TargetStatus> gone : old.entrySet()) {
            if (!next.containsKey(gone.getKey())) metrics.remove(gone.getValue(), gone.getValue().address);
        }
        statuses = next;
        byProbe = probes;
        try {
            prober.start(new ArrayList<>(probes.keySet()), new Prober.Sink() {
                @Override
                public void event(ProbeTarget target, PingEvent event) {
                    for (TargetStatus t : byProbe.getOrDefault(target, List.of())) metrics.record(t, event);
                }

                @Override
                public void failed(List<ProbeTarget> targets, Exception why) {
                    List<TargetStatus> ts = new ArrayList<>();
                    for (ProbeTarget p : targets) ts.addAll(byProbe.getOrDefault(p, List.of()));
                    metrics.failed(ts, why);
                    logFailure("probing failed (retrying every second): " + why.getMessage());
                }
            });
        } catch (IOException e) {
            log("cannot start probing: " + e.getMessage());
        }
    }

    private String lastFailure;
    private long lastFailureLogged;

    /** The same failure once a minute, not every retry. */
    private synchronized void logFailure(String message) {
        long now = System.nanoTime();
        if (message.equals(lastFailure) && now - lastFailureLogged < 60_000_000_000L) return;
        lastFailure = message;
        lastFailureLogged = now;
        log(message);
    }

    void log(String message) {
        synchronized (log) {
            log.println(Instant.now() + " synprobe serve: " + message);
            log.flush();
        }
    }

    @Override
    public synchronized void close() {
        if (resolver != null) resolver.shutdownNow();
        if (http != null) http.stop(0);
        if (httpThreads != null) httpThreads.shutdownNow();
        prober.stop();
    }
}
