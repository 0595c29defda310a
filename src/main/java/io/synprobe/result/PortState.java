package io.synprobe.result;

import java.util.Locale;

/**
 * nmap's port states, in the words nmap users know. UNFILTERED is the ACK scan's "a RST came back"; ERROR marks
 * a probe the local kernel refused to send, which says nothing about the network.
 */
public enum PortState {
    OPEN, CLOSED, FILTERED, UNFILTERED, ERROR;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PortState parse(String s) {
        for (PortState p : values()) {
            if (p.label().equals(s.trim().toLowerCase(Locale.ROOT))) return p;
        }
        throw new IllegalArgumentException("unknown state '" + s + "' (expected open, closed, filtered, unfiltered or error)");
    }
}
