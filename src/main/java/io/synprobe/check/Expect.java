package io.synprobe.check;

import io.synprobe.result.PortState;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a check expects of every port it probes. */
public enum Expect {
    OPEN, CLOSED, FILTERED, NOT_OPEN;

    /** As written in check files: open, closed, filtered, not-open. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public boolean holds(PortState state) {
        return switch (this) {
            case OPEN -> state == PortState.OPEN;
            case CLOSED -> state == PortState.CLOSED;
            case FILTERED -> state == PortState.FILTERED;
            case NOT_OPEN -> state != PortState.OPEN;
        };
    }

    /** @return the expectation, or null when the word is none of the labels */
    static Expect parse(String word) {
        for (Expect e : values()) if (e.label().equals(word)) return e;
        return null;
    }

    static String choices() {
        return Arrays.stream(values()).map(Expect::label).collect(Collectors.joining(", "));
    }
}
