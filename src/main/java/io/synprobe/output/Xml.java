package io.synprobe.output;

/** Escaping for XML 1.0 attribute values. */
public final class Xml {
    private static final char REPLACEMENT = '\uFFFD';

    private Xml() {
    }

    /** Escapes markup; keeps tab and line breaks as character references; replaces characters XML 1.0 forbids. */
    public static String attr(String v) {
        StringBuilder s = new StringBuilder(v.length() + 16);
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '&' -> s.append("&amp;");
                case '<' -> s.append("&lt;");
                case '>' -> s.append("&gt;");
                case '"' -> s.append("&quot;");
                case '\t' -> s.append("&#9;");
                case '\n' -> s.append("&#10;");
                case '\r' -> s.append("&#13;");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < v.length() && Character.isLowSurrogate(v.charAt(i + 1))) {
                        s.append(c).append(v.charAt(++i));
                    } else if (c < 0x20 || Character.isSurrogate(c) || c == '\uFFFE' || c == '\uFFFF') {
                        s.append(REPLACEMENT);
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        return s.toString();
    }
}
