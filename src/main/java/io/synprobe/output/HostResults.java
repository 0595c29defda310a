package io.synprobe.output;

import io.synprobe.output.HostReport.ExtraPorts;
import io.synprobe.output.HostReport.ReasonGroup;
import io.synprobe.result.PortResult;
import io.synprobe.result.PortState;
import io.synprobe.result.Reason;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects one host's results and folds them like nmap does. Results of states the output options show are kept
 * whole; the others only as a port set per (state, reason) (a bit per port, 8 KB at most), plus the running
 * fastest reply and RTT statistics, so hiding closed ports of a full-range scan keeps no per-port objects.
 */
final class HostResults {
    /** nmap (at verbosity 0) folds a state with more ports than this into "Not shown". */
    static final int FOLD_ABOVE = 25;

    private static final Comparator<PortResult> FASTEST = Comparator
            .comparing((PortResult r) -> !r.hasRtt())
            .thenComparingLong(PortResult::rttUs)
            .thenComparingInt(PortResult::port);

    private final InetAddress address;
    private final OutputOptions opts;
    private final List<PortResult> shown = new ArrayList<>();
    private final Map<PortState, Map<Reason, BitSet>> hidden = new EnumMap<>(PortState.class);
    private final RttStats rtts = new RttStats();
    private PortResult fastest;
    private int scanned;

    HostResults(InetAddress address, OutputOptions opts) {
        this.address = address;
        this.opts = opts;
    }

    void add(PortResult r) {
        scanned++;
        if (r.hasRtt()) rtts.add(r.rttUs());
        if (r.reason() != Reason.NO_RESPONSE && (fastest == null || FASTEST.compare(r, fastest) < 0)) fastest = r;
        if (opts.shows(r.state())) {
            shown.add(r);
        } else {
            hidden.computeIfAbsent(r.state(), s -> new EnumMap<>(Reason.class))
                    .computeIfAbsent(r.reason(), x -> new BitSet()).set(r.port());
        }
    }

    /** Results kept as objects: the shown ones. */
    int retained() {
        return shown.size();
    }

    HostReport report() {
        shown.sort(Comparator.comparingInt(PortResult::port));
        Map<PortState, List<PortResult>> byState = new EnumMap<>(PortState.class);
        for (PortResult r : shown) byState.computeIfAbsent(r.state(), s -> new ArrayList<>()).add(r);

        List<ExtraPorts> extra = new ArrayList<>();
        hidden.forEach((state, reasons) -> extra.add(extra(state, reasons)));
        byState.forEach((state, ports) -> {
            // Like nmap, open ports are never folded away unless asked for.
            if (state != PortState.OPEN && ports.size() > FOLD_ABOVE) extra.add(extra(state, byReason(ports)));
        });
        extra.sort(Comparator.comparingInt(ExtraPorts::count).reversed().thenComparing(ExtraPorts::state));

        Set<PortState> folded = EnumSet.noneOf(PortState.class);
        extra.forEach(e -> folded.add(e.state()));
        List<PortResult> listed = shown.stream().filter(r -> !folded.contains(r.state())).toList();
        Set<PortState> hiddenStates = hidden.isEmpty() ? EnumSet.noneOf(PortState.class) : EnumSet.copyOf(hidden.keySet());
        return new HostReport(address, fastest, scanned, rtts, listed, List.copyOf(extra), hiddenStates);
    }

    private static Map<Reason, BitSet> byReason(List<PortResult> results) {
        Map<Reason, BitSet> ports = new EnumMap<>(Reason.class);
        for (PortResult r : results) ports.computeIfAbsent(r.reason(), x -> new BitSet()).set(r.port());
        return ports;
    }

    private static ExtraPorts extra(PortState state, Map<Reason, BitSet> reasons) {
        List<ReasonGroup> groups = new ArrayList<>();
        reasons.forEach((reason, ports) -> groups.add(new ReasonGroup(reason, ports)));
        groups.sort(Comparator.comparingInt(ReasonGroup::count).reversed().thenComparing(ReasonGroup::reason));
        return new ExtraPorts(state, groups.stream().mapToInt(ReasonGroup::count).sum(), List.copyOf(groups));
    }
}
