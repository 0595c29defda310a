package io.synprobe.cli;

import io.synprobe.serve.EngineProber;
import io.synprobe.serve.HostPort;
import io.synprobe.serve.Serve;
import io.synprobe.serve.ServeConfig;
import io.synprobe.target.UsageException;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sun.misc.Signal;

@Command(name = "serve", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Prometheus exporter: pings the config's targets continuously and serves /metrics,"
                + " /probe?target=HOST:PORT (blackbox_exporter style) and a status page at /.",
        footerHeading = "%nConfig file:%n",
        footer = {"  interval: 1s        # per target, may be overridden per entry",
                "  timeout: 1s",
                "  targets:",
                "    - 198.18.0.2:22",
                "    - host: 198.18.0.3",
                "      ports: [22, 443]",
                "      interval: 200ms",
                "",
                "More keys: resolve_every (5m: host names are resolved again), probe_allow (a list of prefixes",
                "/probe may reach; default any), and per entry: port or ports, interval, timeout.",
                "--netns moves only the probing sockets: the HTTP listener stays in this namespace.",
                "SIGHUP reloads the config (a bad file is logged and the running config kept).",
                "Exit codes: 0 stopped by SIGINT/SIGTERM, 2 bad usage or config (with its line), 3 no privileges, 4 other error."})
public final class ServeCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE", required = true, description = "the targets (YAML)")
    String config;

    @Option(names = {"-l", "--listen"}, paramLabel = "ADDR:PORT", defaultValue = "127.0.0.1:9723",
            description = "HTTP address (default: ${DEFAULT-VALUE}; port 0 picks a free one)")
    String listen;

    @Option(names = "--ttl", paramLabel = "N", defaultValue = "64", description = "IP TTL / hop limit")
    int ttl;

    @Option(names = {"--connect", "-sT"}, description = "time the kernel's connect() instead of raw SYNs (no privileges needed)")
    boolean connect;

    @Mixin
    NetworkMixin network;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (ttl < 1 || ttl > 255) throw ScanCommand.usage("--ttl", String.valueOf(ttl), "1-255");
        InetSocketAddress address = listenAddress(listen);
        var parser = network.parser();
        Path path = Path.of(config);
        ServeConfig cfg = ServeConfig.read(path, parser);
        String netns = network.netnsPath();
        // serve keeps its privileges: it opens sockets again for every group, reload and /probe (the engines never
        // drop them on their own; only the one-shot commands do, once, after their sockets are open)
        EngineProber prober = new EngineProber(netns, connect, ttl);
        prober.preflight();
        CountDownLatch stopped = new CountDownLatch(1);
        try (Serve serve = new Serve(path, cfg, parser, prober, System.err)) {
            try {
                serve.start(address);
            } catch (BindException e) {
                throw new IOException("cannot listen on " + listen + ": " + e.getMessage());
            }
            System.err.println("synprobe serve: listening on http://" + hostText(serve.address()) + "/ with "
                    + cfg.targets().size() + " targets");
            System.err.flush();
            var previousHup = Signal.handle(new Signal("HUP"), s -> new Thread(serve::reload, "serve-reload").start());
            try (Interrupts i = Interrupts.onInterrupt(stopped::countDown)) {
                stopped.await();
            } finally {
                Signal.handle(new Signal("HUP"), previousHup);
            }
        }
        return ExitCodes.OK;
    }

    static InetSocketAddress listenAddress(String text) {
        HostPort hp;
        try {
            hp = text.endsWith(":0") ? new HostPort(strip(text.substring(0, text.length() - 2)), 0) : HostPort.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException("invalid --listen '" + text + "': " + e.getMessage());
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(strip(hp.host())), hp.port());
        } catch (UnknownHostException e) {
            throw new UsageException("invalid --listen '" + text + "': unknown host " + hp.host());
        }
    }

    private static String strip(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static String hostText(InetSocketAddress a) {
        String h = a.getAddress().getHostAddress();
        return (h.contains(":") ? "[" + h + "]" : h) + ":" + a.getPort();
    }
}
