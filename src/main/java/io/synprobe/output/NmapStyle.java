package io.synprobe.output;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** Phrases and time formats that nmap's grepable and XML outputs share. */
final class NmapStyle {
    private static final DateTimeFormatter CTIME =
            DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss yyyy", Locale.ROOT).withZone(ZoneId.systemDefault());

    private NmapStyle() {
    }

    static String time(Instant t) {
        return CTIME.format(t);
    }

    static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.2f", millis / 1000.0);
    }

    static String commandLine(List<String> args) {
        return String.join(" ", args);
    }

    /** e.g. {@code 1 IP address (1 host up) scanned in 1.26 seconds}. */
    static String doneSentence(long hosts, long up, long elapsedMillis) {
        return hosts + (hosts == 1 ? " IP address (" : " IP addresses (") + up + (up == 1 ? " host up)" : " hosts up)")
                + " scanned in " + seconds(elapsedMillis) + " seconds";
    }
}
