package io.synprobe.serve;

/** {@code HOST:PORT}, {@code [IPV6]:PORT}: how targets are written in the config and in /probe. */
public record HostPort(String host, int port) {
    public static HostPort parse(String text) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("empty target (expected HOST:PORT)");
        String host, port;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("invalid target '" + text + "' (expected [IPV6]:PORT)");
            }
            host = text.substring(1, close);
            port = text.substring(close + 2);
        } else {
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || text.indexOf(':') != colon) {
                throw new IllegalArgumentException("invalid target '" + text + "' (expected HOST:PORT, or [IPV6]:PORT)");
            }
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
        }
        return new HostPort(host, port(port));
    }

    public static int port(String text) {
        if (!text.matches("\\d{1,5}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > 65535) {
            throw new IllegalArgumentException("invalid port '" + text + "' (1-65535)");
        }
        return Integer.parseInt(text);
    }
}
