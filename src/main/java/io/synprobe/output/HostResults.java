package io.synprobe.output;

import io.synprobe.output.HostReport.ExtraPorts;
import io.synprobe.output.HostReport.ReasonGroup;
import io.synprobe.result.PortResult;
import io.synprobe.result.PortState;
import io.synprobe.result.Reason;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Buffers one host's results and folds them like nmap does. */
final class HostResults {
    /** nmap (at verbosity 0) folds a state with more ports than this into "Not shown". */
    static final int FOLD_ABOVE = 25;

    private static final Comparator<PortResult> FASTEST = Comparator
            .comparing((PortResult r) -> !r.hasRtt())
            .thenComparingLong(PortResult::rttUs)
            .thenComparingInt(PortResult::port);

    private final InetAddress address;
    private final List<PortResult> results = new ArrayList<>();

    HostResults(InetAddress address) {
        this.address = address;
    }

    void add(PortResult result) {
        results.add(result);
    }

    HostReport report(OutputOptions opts) {
        results.sort(Comparator.comparingInt(PortResult::port));
        Map<PortState, List<PortResult>> byState = new EnumMap<>(PortState.class);
        for (PortResult r : results) byState.computeIfAbsent(r.state(), s -> new ArrayList<>()).add(r);

        Set<PortState> hidden = EnumSet.noneOf(PortState.class);
        List<ExtraPorts> extra = new ArrayList<>();
        byState.forEach((state, ports) -> {
            boolean filteredOut = !opts.shows(state);
            if (filteredOut) hidden.add(state);
            // Like nmap, open ports are never folded away unless asked for.
            if (filteredOut || state != PortState.OPEN && ports.size() > FOLD_ABOVE) {
                extra.add(new ExtraPorts(state, ports.size(), byReason(ports)));
            }
        });
        extra.sort(Comparator.comparingInt(ExtraPorts::count).reversed()
                .thenComparing(ExtraPorts::state));

        Set<PortState> folded = EnumSet.noneOf(PortState.class);
        extra.forEach(e -> folded.add(e.state()));
        List<PortResult> listed = results.stream().filter(r -> !folded.contains(r.state())).toList();
        PortResult fastest = results.stream().filter(r -> r.reason() != Reason.NO_RESPONSE).min(FASTEST).orElse(null);
        return new HostReport(address, fastest, List.copyOf(results), listed, List.copyOf(extra), hidden);
    }

    private static List<ReasonGroup> byReason(List<PortResult> ascending) {
        Map<Reason, List<Integer>> ports = new EnumMap<>(Reason.class);
        for (PortResult r : ascending) ports.computeIfAbsent(r.reason(), x -> new ArrayList<>()).add(r.port());
        List<ReasonGroup> groups = new ArrayList<>();
        ports.forEach((reason, list) -> groups.add(new ReasonGroup(reason, list)));
        groups.sort(Comparator.comparingInt(ReasonGroup::count).reversed().thenComparing(ReasonGroup::reason));
        return groups;
    }
}
