package io.synprobe.result;

import java.util.Locale;

/** nmap's port states, in the words nmap users know. */
public enum PortState {
    OPEN, CLOSED, FILTERED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PortState parse(String s) {
        for (PortState p : values()) {
            if (p.label().equals(s.trim().toLowerCase(Locale.ROOT))) return p;
        }
        throw new IllegalArgumentException("unknown state '" + s + "' (expected open, closed or filtered)");
    }
}
