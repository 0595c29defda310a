package io.synprobe.ping;

import io.synprobe.result.PingEvent;
import io.synprobe.result.PingListener;
import io.synprobe.result.PingStatistics;
import io.synprobe.result.PingSummary;
import io.synprobe.result.Reason;
import io.synprobe.runtime.ConnectTransport;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;

/**
 * Ping with the kernel's connect() through the {@link ConnectTransport} (no privileges needed): the RTT is the
 * time connect() takes, which includes the kernel's own work on both ends. A refusal counts as a reply (closed,
 * conn-refused), like a RST does. The kernel retransmits a lost SYN by itself after a second, so with -W above
 * that a connect may succeed late in disguise; keep -W at or below 1s for honest loss figures.
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

    /** @return true when every target answered at least once */
    public boolean run(PingListener listener) throws IOException {
        List<InetAddress> targets = opt.targets();
        int n = targets.size();
        PingStatistics[] stats = new PingStatistics[n];
        long[] sent = new long[n];
        long[] next = new long[n];
        long interval = opt.interval().toNanos(), timeout = opt.timeout().toNanos();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            stats[i] = new PingStatistics();
            next[i] = start + interval * i / n;
        }
        // handle = target index << 40 | probe number
        ConnectTransport.Outcome outcome = (handle, attempt, reason, rttUs) -> {
            int t = (int) (handle >>> 40);
            long seq = handle & ((1L << 40) - 1);
            if (reason == Reason.NO_RESPONSE) {
                listener.event(new PingEvent(PingEvent.Type.TIMEOUT, targets.get(t), opt.port(), seq, reason.state(), reason,
                        null, -1, -1, -1));
                return;
            }
            if (reason == Reason.SYN_ACK || reason == Reason.CONN_REFUSED) stats[t].recordReceived(rttUs);
            listener.event(new PingEvent(PingEvent.Type.REPLY, targets.get(t), opt.port(), seq, reason.state(), reason,
                    reason == Reason.SYN_ACK ? "SA" : reason == Reason.CONN_REFUSED ? "RA" : reason.label(), -1, -1, rttUs));
        };
        try (ConnectTransport transport = new ConnectTransport(opt.netnsPath())) {
            while (true) {
                long now = System.nanoTime();
                boolean more = false;
                for (int i = 0; i < n; i++) {
                    boolean wants = !stop && (opt.count() == 0 || sent[i] < opt.count());
                    more |= wants;
                    if (wants && now >= next[i]) {
                        stats[i].recordSent();
                        transport.start(((long) i << 40) | sent[i]++, 0, targets.get(i), opt.port(), outcome);
                        next[i] = Math.max(next[i] + interval, now);
                    }
                }
                if (!more && transport.inFlight() == 0) break;
                transport.poll(1, timeout, outcome);
            }
        }
        boolean all = true;
        for (int i = 0; i < n; i++) {
            listener.summary(PingSummary.of(targets.get(i), opt.port(), stats[i], 0, 0));
            all &= stats[i].received() > 0;
        }
        return all;
    }
}
