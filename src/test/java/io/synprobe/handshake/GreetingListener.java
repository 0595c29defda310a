package io.synprobe.handshake;

import io.synprobe.lab.Privileged;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A lab service that greets first (native/tools/spgreet): after each accept it sends the greeting line and
 * keeps the connection until the peer closes it. Counts accepts per port from the tool's "accept PORT" lines:
 * the listener's accept counter that full-handshake tests compare with the number of probes.
 */
public final class GreetingListener implements AutoCloseable {
    public static final String DEFAULT_GREETING = "SSH-2.0-synprobe_lab_1.0";

    private final Process process;
    private final String greeting;
    private final AtomicInteger total = new AtomicInteger();
    private final Map<Integer, AtomicInteger> perPort = new ConcurrentHashMap<>();

    private GreetingListener(Process process, String greeting) {
        this.process = process;
        this.greeting = greeting;
    }

    /** Starts the service in a lab namespace on every address, both families; returns once it is bound. */
    public static GreetingListener start(String netns, String greeting, int... ports) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", netns, Privileged.tool("spgreet").toString(),
                "--max-seconds", "600", "--greet", greeting));
        for (int p : ports) cmd.add(Integer.toString(p));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String first = r.readLine();
            if (!"ready".equals(first)) {
                p.destroyForcibly();
                throw new IllegalStateException("spgreet did not start: " + first);
            }
            GreetingListener l = new GreetingListener(p, greeting);
            Thread reader = new Thread(() -> l.count(r), "spgreet-accepts");
            reader.setDaemon(true);
            reader.start();
            return l;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void count(BufferedReader r) {
        try {
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.startsWith("accept ")) continue;
                perPort.computeIfAbsent(Integer.parseInt(line.substring(7).trim()), k -> new AtomicInteger()).incrementAndGet();
                synchronized (this) {
                    total.incrementAndGet();
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    /** The greeting without its line end. */
    public String greeting() {
        return greeting;
    }

    /** Exactly what the service sends after accepting: the greeting and CRLF. */
    public byte[] greetingBytes() {
        return (greeting + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    public int accepts() {
        return total.get();
    }

    public int accepts(int port) {
        AtomicInteger n = perPort.get(port);
        return n == null ? 0 : n.get();
    }

    /** Waits until at least n connections were accepted; false on timeout. */
    public synchronized boolean awaitAccepts(int n, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (total.get() < n) {
            long left = end - System.nanoTime();
            if (left <= 0) return false;
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
