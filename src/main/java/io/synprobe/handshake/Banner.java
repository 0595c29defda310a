package io.synprobe.handshake;

/**
 * The first bytes a server sends after the handshake (SSH, SMTP, FTP greet first), as text that every output
 * format can carry on one line: at most {@link #MAX_BYTES} bytes, printable ASCII as is, backslash, CR, LF and
 * tab as {@code \\ \r \n \t}, every other byte as {@code \xHH}.
 */
public final class Banner {
    public static final int MAX_BYTES = 256;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Banner() {
    }

    /** Escapes up to MAX_BYTES of data[off, off + len). */
    public static String escape(byte[] data, int off, int len) {
        int n = Math.min(len, MAX_BYTES);
        StringBuilder s = new StringBuilder(n + 16);
        for (int i = off; i < off + n; i++) {
            int b = data[i] & 0xff;
            switch (b) {
                case '\\' -> s.append("\\\\");
                case '\r' -> s.append("\\r");
                case '\n' -> s.append("\\n");
                case '\t' -> s.append("\\t");
                default -> {
                    if (b >= 0x20 && b < 0x7f) s.append((char) b);
                    else s.append("\\x").append(HEX[b >>> 4]).append(HEX[b & 0xf]);
                }
            }
        }
        return s.toString();
    }

    public static String escape(byte[] data) {
        return escape(data, 0, data.length);
    }
}
