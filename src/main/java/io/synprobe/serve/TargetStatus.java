package io.synprobe.serve;

import io.synprobe.result.PortState;
import java.net.InetAddress;

/** What the status page shows of one target; the counters themselves live in the Prometheus registry. */
final class TargetStatus {
    volatile TargetEntry entry;
    volatile InetAddress address;
    volatile PortState state;
    volatile String reason;
    volatile long lastRttUs = -1;
    volatile long sent, answered;
    volatile String error;
    final RecentResults recent = new RecentResults();

    TargetStatus(TargetEntry entry, InetAddress address) {
        this.entry = entry;
        this.address = address;
    }
}
