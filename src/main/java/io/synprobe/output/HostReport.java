package io.synprobe.output;

import io.synprobe.result.PortResult;
import io.synprobe.result.PortState;
import io.synprobe.result.Reason;

import java.net.InetAddress;
import java.util.List;
import java.util.Set;

/**
 * One host's results laid out the way nmap reports them.
 *
 * @param fastestReply the reply with the smallest RTT, or null when nothing answered (the host seems down)
 * @param all          every result, by port
 * @param listed       the results printed one per line, by port
 * @param extra        the folded states ("Not shown"), most ports first
 * @param hidden       states folded only because the output options exclude them
 */
record HostReport(InetAddress address, PortResult fastestReply, List<PortResult> all, List<PortResult> listed,
                  List<ExtraPorts> extra, Set<PortState> hidden) {

    boolean up() {
        return fastestReply != null;
    }

    /** Ports of one folded state, broken down by reason. */
    record ExtraPorts(PortState state, int count, List<ReasonGroup> reasons) {
    }

    /** @param ports ascending */
    record ReasonGroup(Reason reason, List<Integer> ports) {
        int count() {
            return ports.size();
        }
    }
}
