package io.synprobe.engine;

import io.synprobe.result.PortResult;
import io.synprobe.result.Reason;
import io.synprobe.result.ResultSink;
import io.synprobe.result.ScanInfo;
import io.synprobe.result.ScanSummary;
import io.synprobe.runtime.ConnectTransport;
import io.synprobe.runtime.RateLimiter;
import io.synprobe.runtime.RunFailure;
import io.synprobe.target.PortList;
import io.synprobe.target.TargetSet;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;

/**
 * Scans with the kernel's connect() through the {@link ConnectTransport}, like nmap -sT: needs no privileges.
 * Same order, pacing, retries and verdicts as the raw scan, within the transport's limits (no TTL, RTT includes
 * the kernel's work).
 */
public final class ConnectScanner implements Scanner {
    private static final int MAX_IN_FLIGHT = 256;

    private final ScanOptions opt;
    private final TargetSet targets;
    private final PortList ports;
    private final long startNanos = System.nanoTime();
    private volatile long sent, retransmits, replies, finished;
    private long open, closed, filtered;
    private final BitSet hostsUp = new BitSet();
    private final ArrayDeque<long[]> retry = new ArrayDeque<>();
    private volatile int stopLevel;

    public ConnectScanner(ScanOptions options) {
        this.opt = options;
        this.targets = options.targets();
        this.ports = options.ports();
    }

    @Override
    public ScanSummary run(SinkOpener opener, ScanInfo info) throws IOException {
        Permutation perm = new Permutation(opt.probeCount(), opt.seed(), opt.shardIndex(), opt.shardCount());
        long timeoutNanos = TimeUnit.MICROSECONDS.toNanos(opt.initialTimeoutUs());
        RateLimiter limiter = new RateLimiter(opt.ratePps());
        try (ConnectTransport transport = new ConnectTransport(opt.netnsPath()); ResultSink sink = opener.open()) {
            sink.begin(info);
            ConnectTransport.Outcome outcome = (probe, attempt, reason, rttUs) -> ended(sink, probe, attempt, reason, rttUs);
            boolean exhausted = false;
            while (stopLevel < 2) {
                if (stopLevel == 1) exhausted = true;
                while (transport.inFlight() < MAX_IN_FLIGHT && (!retry.isEmpty() || !exhausted)) {
                    long probe;
                    int attempt;
                    if (!retry.isEmpty()) {
                        long[] r = retry.poll();
                        probe = r[0];
                        attempt = (int) r[1];
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
                    sent++;
                    long host = probe / ports.size();
                    transport.start(probe, attempt, targets.addressAt(host), ports.port((int) (probe % ports.size())), outcome);
                }
                if (exhausted && transport.inFlight() == 0 && retry.isEmpty()) break;
                transport.poll(10, timeoutNanos, outcome);
            }
            ScanSummary summary = new ScanSummary(Instant.now(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos),
                    targets.size(), hostsUp.cardinality(), sent, retransmits, replies, 0, open, closed, filtered, stopLevel > 0);
            sink.end(summary);
            return summary;
        } catch (IOException e) {
            throw e;
        } catch (RuntimeException e) {
            throw e instanceof RunFailure ? e : new RunFailure(e);
        }
    }

    private void ended(ResultSink sink, long probe, int attempt, Reason reason, long rttUs) throws IOException {
        if (reason == Reason.NO_RESPONSE && attempt < opt.retries() && stopLevel == 0) {
            retry.add(new long[] {probe, attempt + 1});
            return;
        }
        long host = probe / ports.size();
        if (reason != Reason.NO_RESPONSE) {
            replies++;
            hostsUp.set((int) Math.min(host, Integer.MAX_VALUE));
        }
        switch (reason.state()) {
            case OPEN -> open++;
            case CLOSED -> closed++;
            default -> filtered++;
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
