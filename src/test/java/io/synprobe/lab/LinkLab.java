package io.synprobe.lab;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Two network namespaces joined by {@code tunlink} (native/tools/tunlink.c), a userspace link with a fixed
 * one-way delay and independent random loss per direction. The kernel has no netem, so this is how tests get
 * a network with real latency.
 *
 * <pre>
 *   prober ns  [tla0 198.18.100.1/30, 2001:db8:100::1/64]  ==tunlink==  [tlb0 198.18.100.2/30, 2001:db8:100::2/64]  target ns
 * </pre>
 *
 * Direction "ab" is prober to target, "ba" target to prober. A TCP handshake from the prober therefore takes
 * {@code 2 * delay} plus the link's own overhead (about 70 us on the 2-vCPU CI VM, see LinkLabTest).
 *
 * <p>Requires root and the tools built by native/Makefile into the directory named by the system property
 * {@code synprobe.tools} (surefire sets it to target/tools) or {@code target/tools}. Call
 * {@link #assumePrivileged(String...)} first in tests. Always close the lab (try-with-resources): it kills
 * tunlink and the listeners by pid and deletes both namespaces; a JVM shutdown hook does the same if the test
 * JVM exits first, and tunlink exits by itself when the JVM dies (stdin EOF) or after max-seconds.
 */
public final class LinkLab implements AutoCloseable {

    public static final String PROBER_DEV = "tla0";
    public static final String TARGET_DEV = "tlb0";
    public static final String PROBER_V4 = "198.18.100.1";
    public static final String TARGET_V4 = "198.18.100.2";
    public static final String PROBER_V6 = "2001:db8:100::1";
    public static final String TARGET_V6 = "2001:db8:100::2";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CMD_TIMEOUT = Duration.ofSeconds(30);
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * Link parameters; delays in microseconds, loss as a probability in [0, 1], maxSeconds bounds tunlink's
     * lifetime. {@code realtime} runs tunlink under SCHED_FIFO (default): on a loaded 2-vCPU machine a CFS
     * tunlink is often woken hundreds of microseconds late, a FIFO one within a few. Its busy-wait is bounded
     * (100 us before each due packet) and the kernel's RT throttling keeps 5% of the CPU for others anyway.
     */
    public record Config(long delayAbUs, long delayBaUs, double lossAb, double lossBa, long seed, long maxSeconds,
                         boolean realtime) {
        public Config {
            if (delayAbUs < 0 || delayBaUs < 0) throw new IllegalArgumentException("negative delay");
            if (!(lossAb >= 0 && lossAb <= 1 && lossBa >= 0 && lossBa <= 1)) throw new IllegalArgumentException("loss not in [0,1]");
            if (maxSeconds <= 0) throw new IllegalArgumentException("maxSeconds must be positive");
        }

        public Config(long delayAbUs, long delayBaUs, double lossAb, double lossBa, long seed, long maxSeconds) {
            this(delayAbUs, delayBaUs, lossAb, lossBa, seed, maxSeconds, true);
        }

        public static Config symmetric(long delayUs, double loss, long seed) {
            return new Config(delayUs, delayUs, loss, loss, seed, 600, true);
        }
    }

    /** Result of {@link #exec}. */
    public record ExecResult(int exitCode, String stdout, String stderr) {
        public List<String> lines() {
            return stdout.isEmpty() ? List.of() : Arrays.asList(stdout.split("\n"));
        }
    }

    /** tunlink counters, keys as printed by tunlink without the direction prefix: rx, fwd, loss, qdrop, ... */
    public record LinkStats(Map<String, Long> values) {
        public long get(String direction, String counter) {
            Long v = values.get(direction + "_" + counter);
            if (v == null) throw new IllegalArgumentException("no counter " + direction + "_" + counter + " in " + values);
            return v;
        }

        /** Packets dropped by the loss model divided by packets read, for "ab" or "ba". */
        public double lossFraction(String direction) {
            long rx = get(direction, "rx");
            return rx == 0 ? Double.NaN : (double) get(direction, "loss") / rx;
        }

        static LinkStats parse(String line) {
            Map<String, Long> m = new LinkedHashMap<>();
            for (String tok : line.trim().split("\\s+")) {
                int eq = tok.indexOf('=');
                if (eq > 0) m.put(tok.substring(0, eq), Long.parseLong(tok.substring(eq + 1)));
            }
            return new LinkStats(Collections.unmodifiableMap(m));
        }
    }

    /** A splisten process in the target namespace. Closing it kills it; the lab kills it too. */
    public final class Listener implements AutoCloseable {
        private final Process process;
        private final List<Integer> ports;
        private final Path log;

        private Listener(Process process, List<Integer> ports, Path log) {
            this.process = process;
            this.ports = ports;
            this.log = log;
        }

        public long pid() {
            return process.pid();
        }

        public List<Integer> ports() {
            return ports;
        }

        @Override
        public void close() {
            stopProcess(process);
            deleteQuietly(log);
            listeners.remove(this);
        }
    }

    private final Config config;
    private final String proberNs;
    private final String targetNs;
    private final Path tools;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    /* tunlink's stderr goes to a file, not a pipe: the JDK may drop the last bytes of a pipe when the process
       exits while a reader thread is between reads, and the final counters are exactly those bytes. */
    private Path tunlinkLog;
    private final Thread shutdownHook;
    private boolean proberCreated;
    private boolean targetCreated;
    private Process tunlink;
    private LinkStats finalStats;
    private boolean closed;

    private LinkLab(Config config) {
        this.config = config;
        String suffix = String.format("%08x", RANDOM.nextInt());
        this.proberNs = "sp-" + suffix + "-p"; // 13 chars, within IFNAMSIZ-ish limits of ip netns
        this.targetNs = "sp-" + suffix + "-t";
        this.tools = toolsDir();
        this.shutdownHook = new Thread(this::close, "linklab-cleanup-" + suffix);
    }

    /** Symmetric link: same one-way delay and loss both ways. */
    public static LinkLab start(long delayUs, double loss, long seed) throws IOException {
        return start(Config.symmetric(delayUs, loss, seed));
    }

    /**
     * Creates the namespaces, starts tunlink and configures addresses and routes. On any failure everything
     * already created is torn down again and the exception (whose message names both namespaces) is rethrown.
     */
    public static LinkLab start(Config config) throws IOException {
        LinkLab lab = new LinkLab(config);
        try {
            Runtime.getRuntime().addShutdownHook(lab.shutdownHook);
            lab.setUp();
            return lab;
        } catch (IOException | RuntimeException e) {
            String msg = "LinkLab " + lab.proberNs + "/" + lab.targetNs + " failed to start: " + e.getMessage();
            Exception wrapped = e instanceof IOException ? new IOException(msg, e) : new IllegalStateException(msg, e);
            try {
                lab.close();
            } catch (RuntimeException c) {
                wrapped.addSuppressed(c);
            }
            if (wrapped instanceof IOException io) throw io;
            throw (RuntimeException) wrapped;
        } catch (Error e) {
            try {
                lab.close();
            } catch (RuntimeException c) {
                e.addSuppressed(c);
            }
            throw e;
        }
    }

    private void setUp() throws IOException {
        Path tunlinkBin = tool("tunlink");
        tool("splisten");
        check(run(null, "ip", "netns", "add", proberNs));
        proberCreated = true;
        check(run(null, "ip", "netns", "add", targetNs));
        targetCreated = true;

        List<String> cmd = new ArrayList<>(List.of(tunlinkBin.toString(),
                "--ns-a", proberNs, "--ns-b", targetNs, "--dev-a", PROBER_DEV, "--dev-b", TARGET_DEV,
                "--delay-ab-us", Long.toString(config.delayAbUs()), "--delay-ba-us", Long.toString(config.delayBaUs()),
                "--loss-ab", Double.toString(config.lossAb()), "--loss-ba", Double.toString(config.lossBa()),
                "--seed", Long.toString(config.seed()), "--max-seconds", Long.toString(config.maxSeconds()),
                "--exit-on-stdin-eof"));
        if (config.realtime()) cmd.add("--rt");
        tunlinkLog = Files.createTempFile("linklab-" + proberNs + "-", ".log");
        // stdin stays an open pipe: tunlink exits when it closes (this JVM died)
        tunlink = new ProcessBuilder(cmd).redirectError(tunlinkLog.toFile()).start();
        awaitReady(tunlink, "tunlink", tunlinkLog);

        String[][] steps = {
            {"-n", proberNs, "link", "set", "lo", "up"},
            {"-n", targetNs, "link", "set", "lo", "up"},
            {"-n", proberNs, "addr", "add", PROBER_V4 + "/30", "dev", PROBER_DEV},
            {"-n", proberNs, "addr", "add", PROBER_V6 + "/64", "dev", PROBER_DEV, "nodad"},
            {"-n", targetNs, "addr", "add", TARGET_V4 + "/30", "dev", TARGET_DEV},
            {"-n", targetNs, "addr", "add", TARGET_V6 + "/64", "dev", TARGET_DEV, "nodad"},
            {"-n", proberNs, "link", "set", PROBER_DEV, "up"},
            {"-n", targetNs, "link", "set", TARGET_DEV, "up"},
            {"-n", proberNs, "route", "add", "default", "via", TARGET_V4, "dev", PROBER_DEV},
            {"-n", proberNs, "-6", "route", "add", "default", "via", TARGET_V6, "dev", PROBER_DEV},
            {"-n", targetNs, "route", "add", "default", "via", PROBER_V4, "dev", TARGET_DEV},
            {"-n", targetNs, "-6", "route", "add", "default", "via", PROBER_V6, "dev", TARGET_DEV},
        };
        for (String[] step : steps) {
            List<String> c = new ArrayList<>();
            c.add("ip");
            c.addAll(Arrays.asList(step));
            String[] argv = c.toArray(String[]::new);
            check(run(null, argv), argv);
        }
        // Targets must answer every probe: no ICMP rate limiting in the target namespace.
        check(exec(targetNs, "sh", "-c",
                "echo 0 > /proc/sys/net/ipv4/icmp_ratelimit && echo 0 > /proc/sys/net/ipv6/icmp/ratelimit"));
    }

    // ---- accessors ----

    public String proberNetns() {
        return proberNs;
    }

    public String targetNetns() {
        return targetNs;
    }

    public InetAddress targetV4() {
        return addr(TARGET_V4);
    }

    public InetAddress targetV6() {
        return addr(TARGET_V6);
    }

    public InetAddress proberV4() {
        return addr(PROBER_V4);
    }

    public InetAddress proberV6() {
        return addr(PROBER_V6);
    }

    public Config config() {
        return config;
    }

    public long tunlinkPid() {
        return tunlink.pid();
    }

    /** Absolute path of a tool built by native/Makefile. Throws if it is missing. */
    public Path tool(String name) {
        Path p = tools.resolve(name);
        if (!Files.isExecutable(p)) throw new IllegalStateException("tool not built: " + p);
        return p;
    }

    // ---- processes ----

    /** Starts splisten in the target namespace on the given ports and waits until it is bound. */
    public Listener startListener(int... ports) throws IOException {
        if (ports.length == 0) throw new IllegalArgumentException("no ports");
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", targetNs, tool("splisten").toString(),
                "--max-seconds", Long.toString(config.maxSeconds())));
        List<Integer> portList = new ArrayList<>();
        for (int p : ports) {
            cmd.add(Integer.toString(p));
            portList.add(p);
        }
        // ip netns exec execs the command, so the pid is splisten's own.
        Path log = Files.createTempFile("linklab-" + targetNs + "-splisten-", ".log");
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(log.toFile()).start();
        Listener l = new Listener(p, List.copyOf(portList), log);
        listeners.add(l);
        try {
            awaitReady(p, "splisten", log);
        } catch (IOException | RuntimeException e) {
            l.close();
            throw e;
        }
        return l;
    }

    /** Runs a command inside a namespace ({@code ns == null}: the current one) and waits up to 30 s. */
    public ExecResult exec(String ns, String... cmd) throws IOException {
        return run(ns, cmd);
    }

    /** Same with an explicit timeout; the command is killed when it expires. */
    public ExecResult execWithTimeout(Duration timeout, String ns, String... cmd) throws IOException {
        return runTimed(timeout, ns, cmd);
    }

    /** Current tunlink counters (SIGUSR1 makes tunlink print them). */
    public synchronized LinkStats linkStats() throws IOException {
        if (finalStats != null) return finalStats;
        int before = countStatsLines();
        check(run(null, "kill", "-USR1", Long.toString(tunlink.pid())));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            if (countStatsLines() > before) return lastStats();
            if (!tunlink.isAlive()) break;
            sleep(10);
        }
        throw new IOException("tunlink did not report stats; stderr: " + tunlinkStderr());
    }

    /** Stops tunlink (the link goes down) and returns its final counters. */
    public synchronized LinkStats stopLink() throws IOException {
        if (finalStats != null) return finalStats;
        if (tunlink == null) throw new IllegalStateException("link not started");
        stopProcess(tunlink);
        finalStats = lastStatsOrNull();
        if (finalStats == null) throw new IOException("tunlink printed no final stats; stderr: " + tunlinkStderr());
        return finalStats;
    }

    /** Everything tunlink wrote to stderr so far. */
    public List<String> tunlinkStderr() {
        return readLines(tunlinkLog);
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        for (Listener l : listeners) l.close(); // snapshot iteration; close() removes itself
        listeners.clear();
        if (tunlink != null && finalStats == null) {
            stopProcess(tunlink);
            finalStats = lastStatsOrNull();
        }
        RuntimeException failure = null;
        if (proberCreated) failure = deleteNs(proberNs, failure);
        if (targetCreated) failure = deleteNs(targetNs, failure);
        deleteQuietly(tunlinkLog);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | IllegalArgumentException ignored) {
            // already shutting down (we may be the hook), or never registered
        }
        if (failure != null) throw failure;
    }

    // ---- static helpers ----

    /** Directory of the native tools: system property synprobe.tools, else target/tools. */
    public static Path toolsDir() {
        String prop = System.getProperty("synprobe.tools");
        return (prop != null && !prop.isBlank() ? Path.of(prop) : Path.of("target", "tools")).toAbsolutePath();
    }

    /**
     * Skips the calling test when a lab cannot run here, or fails it where SYNPROBE_REQUIRE_PRIVILEGED=1
     * (see {@link Privileged}). tunlink, splisten and the named tools must have been built into target/tools.
     */
    public static void assumePrivileged(String... tools) {
        Privileged.require("ip");
        for (String t : List.of("tunlink", "splisten")) Privileged.tool(t);
        for (String t : tools) Privileged.tool(t);
    }

    // ---- internals ----

    private static InetAddress addr(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new UncheckedIOException(e);
        }
    }

    private RuntimeException deleteNs(String ns, RuntimeException failure) {
        try {
            ExecResult r = run(null, "ip", "netns", "del", ns);
            if (r.exitCode() != 0 && !r.stderr().contains("No such file")) {
                RuntimeException e = new IllegalStateException("ip netns del " + ns + ": " + r.stderr());
                if (failure == null) return e;
                failure.addSuppressed(e);
            }
        } catch (IOException | RuntimeException e) {
            RuntimeException re = new IllegalStateException("ip netns del " + ns, e);
            if (failure == null) return re;
            failure.addSuppressed(re);
        }
        return failure;
    }

    private static void stopProcess(Process p) {
        if (p == null || !p.isAlive()) return;
        p.destroy(); // SIGTERM
        try {
            if (!p.waitFor(3, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(3, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitReady(Process p, String what, Path stderrLog) throws IOException {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.trim().equals("ready")) ready.complete(null);
                }
                ready.completeExceptionally(new IOException(what + " exited before ready"));
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
        }, what + "-stdout");
        t.setDaemon(true);
        t.start();
        try {
            ready.get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException(what + " not ready: " + e.getMessage() + "; stderr: " + readLines(stderrLog), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for " + what, e);
        }
    }

    private static List<String> readLines(Path file) {
        if (file == null) return List.of();
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) return;
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // temp file, best effort
        }
    }

    private int countStatsLines() {
        int n = 0;
        for (String l : tunlinkStderr()) if (l.startsWith("stats ")) n++;
        return n;
    }

    private LinkStats lastStatsOrNull() {
        List<String> lines = tunlinkStderr();
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith("stats ")) return LinkStats.parse(lines.get(i).substring(6));
        }
        return null;
    }

    private LinkStats lastStats() {
        LinkStats s = lastStatsOrNull();
        if (s == null) throw new IllegalStateException("no stats");
        return s;
    }

    private static ExecResult run(String ns, String... cmd) throws IOException {
        return runTimed(CMD_TIMEOUT, ns, cmd);
    }

    private static ExecResult runTimed(Duration timeout, String ns, String... cmd) throws IOException {
        List<String> full = new ArrayList<>();
        if (ns != null) full.addAll(List.of("ip", "netns", "exec", ns));
        full.addAll(Arrays.asList(cmd));
        Process p = new ProcessBuilder(full).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        CompletableFuture<byte[]> err = readAllAsync(p.getErrorStream());
        CompletableFuture<byte[]> out = readAllAsync(p.getInputStream());
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new IOException("timed out after " + timeout + ": " + full);
            }
            return new ExecResult(p.exitValue(), new String(out.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8),
                    new String(err.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + full, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("reading output of " + full, e);
        }
    }

    /** One plain thread per stream: the common pool may be tiny, and both pipes must drain concurrently. */
    private static CompletableFuture<byte[]> readAllAsync(InputStream in) {
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (in) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                in.transferTo(b);
                f.complete(b.toByteArray());
            } catch (IOException e) {
                f.complete(new byte[0]);
            }
        }, "linklab-exec-reader");
        t.setDaemon(true);
        t.start();
        return f;
    }

    private static ExecResult check(ExecResult r, String... what) throws IOException {
        if (r.exitCode() != 0) {
            throw new IOException("command failed (" + r.exitCode() + ") " + String.join(" ", what) + ": " + r.stderr().trim());
        }
        return r;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
