package io.synprobe.output;

import com.fasterxml.jackson.core.JsonGenerator;
import io.synprobe.result.Handshake;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** How every format shows a full handshake's outcome: established, the banner (escaped already), the close. */
final class HandshakeFields {
    private HandshakeFields() {
    }

    /** JSONL: "established", "banner" (null when none came) and "close" (null when not established). */
    static void json(JsonGenerator j, Handshake h) throws IOException {
        j.writeBooleanField("established", h.established());
        JsonLines.text(j, "banner", h.banner());
        JsonLines.text(j, "close", h.close());
    }

    static List<String> csvColumns(List<String> base) {
        List<String> c = new ArrayList<>(base);
        c.add("established");
        c.add("banner");
        return List.copyOf(c);
    }

    static Object[] csvRow(Object[] base, Handshake h) {
        Object[] row = java.util.Arrays.copyOf(base, base.length + 2);
        row[base.length] = h == null ? null : Boolean.toString(h.established());
        row[base.length + 1] = h == null ? null : h.banner();
        return row;
    }

    /**
     * For the version-like fields of nmap's formats (XML extrainfo, grepable version): "established", with
     * "; banner: ..." when one came; null when no connection was made.
     */
    static String versionInfo(Handshake h) {
        if (h == null || !h.established()) return null;
        return h.banner() == null ? "established" : "established; banner: " + h.banner();
    }

    /** For a line people read: " established (closed rst) banner: SSH-2.0-x\r\n", or "" when there is nothing. */
    static String text(Handshake h) {
        if (h == null) return "";
        if (!h.established()) return " not-established";
        StringBuilder s = new StringBuilder(" established (closed ").append(h.close()).append(')');
        if (h.banner() != null) s.append(" banner: ").append(h.banner());
        return s.toString();
    }
}
