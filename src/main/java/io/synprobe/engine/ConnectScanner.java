package io.synprobe.engine;

import io.synprobe.nativeio.NetworkNamespace;
import io.synprobe.result.PortResult;
import io.synprobe.result.Reason;
import io.synprobe.result.ResultSink;
import io.synprobe.result.ScanInfo;
import io.synprobe.result.ScanSummary;
import io.synprobe.target.PortList;
import io.synprobe.target.TargetSet;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

/**
 * Scans with the kernel's connect(), like nmap -sT: needs no privileges. An accepted connection is open
 * (syn-ack), a refusal closed (conn-refused), no answer within the timeout and retries filtered (no-response),
 * an unreachable network or host filtered with that reason. Connections are closed as soon as they complete.
 */
public final class ConnectScanner implements Scanner {
    private static final int MAX_IN_FLIGHT = 256;

    private final ScanOptions opt;
    private final TargetSet targets;
    private final PortList ports;
    private final long startNanos = System.nanoTime();
    private long sent, retransmits, replies, finished, open, closed, filtered;
    private final BitSet hostsUp = new BitSet();
    private volatile int stopLevel;

    public ConnectScanner(ScanOptions options) {
        this.opt = options;
        this.targets = options.targets();
        this.ports = options.ports();
    }

    private record Attempt(long probe, int attempt, long startNanos) {
    }

    @Override
    public ScanSummary run(SinkOpener opener, ScanInfo info) throws IOException {
        long total = opt.probeCount();
        Permutation perm = new Permutation(total, opt.seed(), opt.shardIndex(), opt.shardCount());
        long timeoutNanos = TimeUnit.MICROSECONDS.toNanos(opt.initialTimeoutUs());
        RateLimiter limiter = new RateLimiter(opt.ratePps());
        ArrayDeque<Long> retry = new ArrayDeque<>();
        ArrayDeque<Integer> retryAttempt = new ArrayDeque<>();
        try (Selector selector = Selector.open(); ResultSink sink = opener.open()) {
            sink.begin(info);
            boolean exhausted = false;
            while (stopLevel < 2) {
                if (stopLevel == 1) exhausted = true;
                while (selector.keys().size() < MAX_IN_FLIGHT && (!retry.isEmpty() || !exhausted)) {
                    long probe;
                    int attempt;
                    if (!retry.isEmpty()) {
                        probe = retry.poll();
                        attempt = retryAttempt.poll();
                        retransmits++;
                    } else {
                        probe = perm.next();
                        attempt = 0;
                        if (probe < 0) {
                            exhausted = true;
                            break;
                        }
                    }
                    limiter.acquire(1);
                    start(selector, sink, probe, attempt);
                }
                if (exhausted && selector.keys().isEmpty() && retry.isEmpty()) break;
                selector.select(10);
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey key = it.next();
                    it.remove();
                    complete(key, sink);
                }
                long now = System.nanoTime();
                for (SelectionKey key : selector.keys()) {
                    Attempt a = (Attempt) key.attachment();
                    if (now - a.startNanos() < timeoutNanos) continue;
                    key.cancel();
                    key.channel().close();
                    if (a.attempt() < opt.retries() && stopLevel == 0) {
                        retry.add(a.probe());
                        retryAttempt.add(a.attempt() + 1);
                    } else {
                        report(sink, a.probe(), Reason.NO_RESPONSE, -1);
                    }
                }
                selector.selectNow(); // flush the cancelled keys
            }
            ScanSummary summary = new ScanSummary(Instant.now(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos),
                    targets.size(), hostsUp.cardinality(), sent, retransmits, replies, 0, open, closed, filtered, stopLevel > 0);
            sink.end(summary);
            return summary;
        }
    }

    private void start(Selector selector, ResultSink sink, long probe, int attempt) throws IOException {
        long host = probe / ports.size();
        int port = ports.port((int) (probe % ports.size()));
        InetSocketAddress address = new InetSocketAddress(targets.addressAt(host), port);
        SocketChannel ch = NetworkNamespace.run(opt.netnsPath(), () -> {
            try {
                return SocketChannel.open();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        ch.configureBlocking(false);
        sent++;
        long began = System.nanoTime();
        try {
            if (ch.connect(address)) {
                ch.close();
                report(sink, probe, Reason.SYN_ACK, (System.nanoTime() - began) / 1000);
                return;
            }
        } catch (IOException e) {
            ch.close();
            report(sink, probe, reasonOf(e), (System.nanoTime() - began) / 1000);
            return;
        }
        ch.register(selector, SelectionKey.OP_CONNECT, new Attempt(probe, attempt, began));
    }

    private void complete(SelectionKey key, ResultSink sink) throws IOException {
        Attempt a = (Attempt) key.attachment();
        SocketChannel ch = (SocketChannel) key.channel();
        Reason reason;
        try {
            ch.finishConnect();
            reason = Reason.SYN_ACK;
        } catch (IOException e) {
            reason = reasonOf(e);
        }
        key.cancel();
        ch.close();
        report(sink, a.probe(), reason, (System.nanoTime() - a.startNanos()) / 1000);
    }

    /** What a failed connect() says about the port. */
    public static Reason reasonOf(IOException e) {
        String m = String.valueOf(e.getMessage());
        if (e instanceof NoRouteToHostException) return Reason.HOST_UNREACH;
        if (m.contains("Network is unreachable")) return Reason.NET_UNREACH;
        if (e instanceof ConnectException || m.contains("refused")) return Reason.CONN_REFUSED;
        if (e instanceof SocketException && m.contains("not permitted")) return Reason.ADMIN_PROHIBITED;
        return Reason.HOST_UNREACH;
    }

    private void report(ResultSink sink, long probe, Reason reason, long rttUs) throws IOException {
        long host = probe / ports.size();
        if (reason != Reason.NO_RESPONSE) {
            replies++;
            hostsUp.set((int) Math.min(host, Integer.MAX_VALUE));
        }
        switch (reason.state()) {
            case OPEN -> open++;
            case CLOSED -> closed++;
            case FILTERED -> filtered++;
        }
        finished++;
        sink.accept(new PortResult(targets.addressAt(host), ports.port((int) (probe % ports.size())), reason.state(),
                reason, -1, reason == Reason.NO_RESPONSE ? -1 : rttUs));
    }

    @Override
    public void requestStop() {
        stopLevel = Math.min(2, stopLevel + 1);
    }

    @Override
    public Progress progress() {
        return new Progress(opt.probeCount(), sent, retransmits, replies, finished, System.nanoTime() - startNanos);
    }
}
