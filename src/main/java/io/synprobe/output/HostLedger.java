package io.synprobe.output;

import io.synprobe.output.HostReport.ExtraPorts;
import io.synprobe.output.HostReport.ReasonGroup;
import io.synprobe.result.PortResult;
import io.synprobe.result.PortState;
import io.synprobe.result.Reason;
import io.synprobe.target.PortList;

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
 * What a per-host format keeps of a host that answered: the results it will print one per line, and a port bit
 * set per reason for the rest (hidden by --only, or folded because a state has more than {@link #FOLD_ABOVE}
 * ports), plus the fastest reply and running RTT statistics. A state is folded as soon as it passes the limit,
 * so a full-range scan of an answering host holds at most 8 KB per reason, never an object per port.
 */
final class HostLedger {
    /** nmap (at verbosity 0) folds a state with more ports than this into "Not shown". */
    static final int FOLD_ABOVE = 25;

    private static final Comparator<PortResult> FASTEST = Comparator
            .comparing((PortResult r) -> !r.hasRtt())
            .thenComparingLong(PortResult::rttUs)
            .thenComparingInt(PortResult::port);

    private final InetAddress address;
    private final OutputOptions opts;
    private final Map<PortState, List<PortResult>> listed = new EnumMap<>(PortState.class);
    private final Map<Reason, BitSet> folded = new EnumMap<>(Reason.class);
    private final Set<PortState> foldedStates = EnumSet.noneOf(PortState.class);
    private final Set<PortState> hiddenStates = EnumSet.noneOf(PortState.class);
    private final RttStats rtts = new RttStats();
    private PortResult fastest;
    private int results;

    HostLedger(InetAddress address, OutputOptions opts) {
        this.address = address;
        this.opts = opts;
    }

    /** A reply that proves the host is there: anything but silence. */
    static boolean isReply(PortResult r) {
        return r.reason() != Reason.NO_RESPONSE && r.reason() != Reason.SEND_ERROR;
    }

    void add(PortResult r) {
        results++;
        if (r.hasRtt()) rtts.add(r.rttUs());
        if (isReply(r) && (fastest == null || FASTEST.compare(r, fastest) < 0)) fastest = r;
        PortState state = r.state();
        if (!opts.shows(state)) {
            hiddenStates.add(state);
            fold(r);
        } else if (foldedStates.contains(state)) {
            fold(r);
        } else {
            List<PortResult> list = listed.computeIfAbsent(state, s -> new ArrayList<>());
            list.add(r);
            // Like nmap, open ports are never folded away unless asked for.
            if (state != PortState.OPEN && list.size() > FOLD_ABOVE) {
                foldedStates.add(state);
                list.forEach(this::fold);
                listed.remove(state);
            }
        }
    }

    private void fold(PortResult r) {
        folded.computeIfAbsent(r.reason(), x -> new BitSet()).set(r.port());
    }

    /** Results kept as objects: those to be listed one per line. */
    int retained() {
        return listed.values().stream().mapToInt(List::size).sum();
    }

    /**
     * The host's report. When the run is complete, the ports of the scan this host has no result for are silent
     * (no-response): only silent results can have come before the host's first reply, and those were not kept.
     * Otherwise they are counted as without a result.
     *
     * @param ports     the ports each host was probed on, or null when unknown
     * @param complete  whether every (host, port) of the run delivered a result
     */
    HostReport report(PortList ports, boolean complete) {
        long unreported = 0;
        if (ports != null) {
            BitSet seen = new BitSet(65536);
            listed.values().forEach(l -> l.forEach(r -> seen.set(r.port())));
            folded.values().forEach(seen::or);
            for (int i = 0; i < ports.size(); i++) {
                int p = ports.port(i);
                if (seen.get(p)) continue;
                if (complete) add(new PortResult(address, p, PortState.FILTERED, Reason.NO_RESPONSE, -1, -1));
                else unreported++;
            }
        }
        List<PortResult> shown = new ArrayList<>();
        listed.values().forEach(shown::addAll);
        shown.sort(Comparator.comparingInt(PortResult::port));

        Map<PortState, Map<Reason, BitSet>> byState = new EnumMap<>(PortState.class);
        folded.forEach((reason, set) -> byState.computeIfAbsent(reason.state(), s -> new EnumMap<>(Reason.class))
                .put(reason, set));
        List<ExtraPorts> extra = new ArrayList<>();
        byState.forEach((state, reasons) -> extra.add(extra(state, reasons)));
        extra.sort(Comparator.comparingInt(ExtraPorts::count).reversed().thenComparing(ExtraPorts::state));
        return new HostReport(address, fastest, results, rtts, List.copyOf(shown), List.copyOf(extra),
                EnumSet.copyOf(hiddenStates), unreported);
    }

    private static ExtraPorts extra(PortState state, Map<Reason, BitSet> reasons) {
        List<ReasonGroup> groups = new ArrayList<>();
        reasons.forEach((reason, ports) -> groups.add(new ReasonGroup(reason, ports)));
        groups.sort(Comparator.comparingInt(ReasonGroup::count).reversed().thenComparing(ReasonGroup::reason));
        return new ExtraPorts(state, groups.stream().mapToInt(ReasonGroup::count).sum(), List.copyOf(groups));
    }
}
