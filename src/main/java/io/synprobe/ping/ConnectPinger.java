package io.synprobe.ping;

import io.synprobe.result.PingStatistics;
import io.synprobe.result.PingSummary;
import io.synprobe.result.PingListener;
import io.synprobe.result.PingEvent;
import io.synprobe.engine.ConnectScanner;
import io.synprobe.nativeio.NetworkNamespace;
import io.synprobe.result.Reason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Ping with the kernel's connect() (no privileges needed): the RTT is the time connect() takes, which includes
 * the kernel's own work on both ends. A refusal counts as a reply (closed, conn-refused), like a RST does.
 * The kernel retransmits a lost SYN by itself after a second, so with -W above that a connect may succeed late
 * in disguise; keep -W at or below 1s for honest loss figures.
 */
public final class ConnectPinger {
    private final PingOptions opt;
    private volatile boolean stop;

    public ConnectPinger(PingOptions options) {
        this.opt = options;
    }

    public void requestStop() {
        stop = true;
    }

    private record InFlight(int target, long seq, long startNanos) {
    }

    /** @return true when every target answered at least once */
    public boolean run(PingListener listener) throws IOException {
        List<InetAddress> targets = opt.targets();
        int n = targets.size();
        List<PingStatistics> stats = new ArrayList<>();
        long[] sent = new long[n];
        long[] next = new long[n];
        boolean[] answered = new boolean[n];
        long interval = opt.interval().toNanos(), timeout = opt.timeout().toNanos();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            stats.add(new PingStatistics());
            next[i] = start + interval * i / n;
        }
        try (Selector selector = Selector.open()) {
            while (true) {
                long now = System.nanoTime();
                boolean more = false;
                for (int i = 0; i < n; i++) {
                    boolean wants = !stop && (opt.count() == 0 || sent[i] < opt.count());
                    more |= wants;
                    if (wants && now >= next[i]) {
                        start(selector, listener, stats.get(i), i, sent[i]++);
                        next[i] = Math.max(next[i] + interval, now);
                    }
                }
                if (!more && selector.keys().isEmpty()) break;
                selector.select(1);
                for (SelectionKey key : selector.selectedKeys()) {
                    InFlight f = (InFlight) key.attachment();
                    Reason reason;
                    try {
                        ((SocketChannel) key.channel()).finishConnect();
                        reason = Reason.SYN_ACK;
                    } catch (IOException e) {
                        reason = ConnectScanner.reasonOf(e);
                    }
                    key.cancel();
                    key.channel().close();
                    answered[f.target()] |= report(listener, stats.get(f.target()), f, reason);
                }
                selector.selectedKeys().clear();
                now = System.nanoTime();
                for (SelectionKey key : selector.keys()) {
                    InFlight f = (InFlight) key.attachment();
                    if (!key.isValid() || now - f.startNanos() < timeout) continue;
                    key.cancel();
                    key.channel().close();
                    listener.event(new PingEvent(PingEvent.Type.TIMEOUT, targets.get(f.target()), opt.port(), f.seq(),
                            Reason.NO_RESPONSE.state(), Reason.NO_RESPONSE, null, -1, -1, -1));
                }
                selector.selectNow();
            }
        }
        boolean all = true;
        for (int i = 0; i < n; i++) {
            listener.summary(PingSummary.of(targets.get(i), opt.port(), stats.get(i), 0, 0));
            all &= stats.get(i).received() > 0;
        }
        return all;
    }

    private void start(Selector selector, PingListener listener, PingStatistics s, int target, long seq) throws IOException {
        SocketChannel ch = NetworkNamespace.run(opt.netnsPath(), () -> {
            try {
                return SocketChannel.open();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        ch.configureBlocking(false);
        s.recordSent();
        InFlight f = new InFlight(target, seq, System.nanoTime());
        try {
            if (ch.connect(new InetSocketAddress(opt.targets().get(target), opt.port()))) {
                ch.close();
                report(listener, s, f, Reason.SYN_ACK);
                return;
            }
        } catch (IOException e) {
            ch.close();
            report(listener, s, f, ConnectScanner.reasonOf(e));
            return;
        }
        ch.register(selector, SelectionKey.OP_CONNECT, f);
    }

    private boolean report(PingListener listener, PingStatistics s, InFlight f, Reason reason) throws IOException {
        long rttUs = (System.nanoTime() - f.startNanos()) / 1000;
        boolean reply = reason == Reason.SYN_ACK || reason == Reason.CONN_REFUSED;
        if (reply) s.recordReceived(rttUs);
        listener.event(new PingEvent(PingEvent.Type.REPLY, opt.targets().get(f.target()), opt.port(), f.seq(), reason.state(),
                reason, reason == Reason.SYN_ACK ? "SA" : reason == Reason.CONN_REFUSED ? "RA" : reason.label(), -1, -1, rttUs));
        return reply;
    }
}
