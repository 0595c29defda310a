package io.synprobe.output;

import io.synprobe.result.PortState;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * How results are shown.
 *
 * @param only     states to print; null or empty means all. Hidden results still count in "Not shown" lines.
 * @param services port-to-name table for the formats that name services
 * @param showDown the per-host formats also list the hosts that never answered, one line each, as soon as known
 * @param continued the output continues an earlier part of the same run (a resumed scan appending to its file), so
 *                 headers already written are not written again
 * @param handshake the results come from a full handshake (--handshake full): CSV has established and banner columns
 */
public record OutputOptions(Set<PortState> only, ServiceNames services, boolean showDown, boolean continued,
                            boolean handshake) {
    public OutputOptions {
        only = only == null || only.isEmpty() ? EnumSet.allOf(PortState.class) : EnumSet.copyOf(only);
        services = services == null ? ServiceNames.system() : services;
    }

    public OutputOptions(Set<PortState> only, ServiceNames services, boolean showDown, boolean continued) {
        this(only, services, showDown, continued, false);
    }

    public OutputOptions(Set<PortState> only, ServiceNames services) {
        this(only, services, false, false);
    }

    public OutputOptions withHandshake(boolean full) {
        return new OutputOptions(only, services, showDown, continued, full);
    }

    public static OutputOptions defaults() {
        return new OutputOptions(null, null);
    }

    public static OutputOptions only(Set<PortState> states) {
        return new OutputOptions(states, null);
    }

    public OutputOptions withShowDown(boolean show) {
        return new OutputOptions(only, services, show, continued, handshake);
    }

    public OutputOptions continuing(boolean appending) {
        return new OutputOptions(only, services, showDown, appending, handshake);
    }

    /** Parses a comma-separated list such as {@code open,closed}. */
    public static Set<PortState> parseStates(String list) {
        EnumSet<PortState> states = EnumSet.noneOf(PortState.class);
        Arrays.stream(list.split(",")).filter(s -> !s.isBlank()).map(PortState::parse).forEach(states::add);
        return states;
    }

    public boolean shows(PortState state) {
        return only.contains(state);
    }
}
