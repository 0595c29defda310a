package io.synprobe.output;

import io.synprobe.result.PortResult;
import io.synprobe.result.PortState;
import io.synprobe.result.Reason;

import java.net.InetAddress;
import java.util.BitSet;
import java.util.List;
import java.util.Set;

/**
 * One answering host's results laid out the way nmap reports them.
 *
 * @param fastestReply the reply with the smallest RTT
 * @param scanned      how many results the host had, shown or not
 * @param rtts         RTT statistics over every result of the host, shown or not
 * @param listed       the results printed one per line, by port
 * @param extra        the folded states ("Not shown"), most ports first
 * @param hidden       states folded only because the output options exclude them
 * @param unreported   ports of the scan with no result for this host: in an interrupted or partial (sharded,
 *                     resumed) run, those not probed and those silent before the host first answered
 */
record HostReport(InetAddress address, PortResult fastestReply, int scanned, RttStats rtts, List<PortResult> listed,
                  List<ExtraPorts> extra, Set<PortState> hidden, long unreported) {

    /** Ports of one folded state, broken down by reason. */
    record ExtraPorts(PortState state, int count, List<ReasonGroup> reasons) {
    }

    /** @param ports the ports of this reason (not to be modified) */
    record ReasonGroup(Reason reason, BitSet ports) {
        int count() {
            return ports.cardinality();
        }
    }
}
