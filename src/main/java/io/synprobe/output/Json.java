package io.synprobe.output;

import java.util.List;

/** Builds one JSON object on one line; no JSON library is on the class path. */
public final class Json {
    private final StringBuilder s = new StringBuilder(128).append('{');

    public Json field(String name, String value) {
        key(name);
        if (value == null) s.append("null");
        else quote(value);
        return this;
    }

    public Json field(String name, long value) {
        key(name).append(value);
        return this;
    }

    /** A number, or null when the value is negative (the result records' "absent"). */
    /** The field only when the value is not null. */
    public Json optionalText(String name, String value) {
        return value == null ? this : field(name, value);
    }

    public Json optional(String name, long value) {
        key(name);
        if (value < 0) s.append("null");
        else s.append(value);
        return this;
    }

    /** An array of numbers, null for each negative one (absent, as in {@link #optional}). */
    Json optionals(String name, long[] values) {
        key(name).append('[');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) s.append(',');
            if (values[i] < 0) s.append("null");
            else s.append(values[i]);
        }
        s.append(']');
        return this;
    }

    /** A finite number with up to three decimals, or null for NaN and infinities. */
    public Json field(String name, double value) {
        key(name);
        if (Double.isNaN(value) || Double.isInfinite(value)) s.append("null");
        else s.append(new java.math.BigDecimal(value).setScale(3, java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString());
        return this;
    }

    public Json field(String name, boolean value) {
        key(name).append(value);
        return this;
    }

    public Json field(String name, List<String> values) {
        key(name).append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) s.append(',');
            quote(values.get(i));
        }
        s.append(']');
        return this;
    }

    /** An array of nested objects. */
    public Json objects(String name, List<Json> values) {
        key(name).append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) s.append(',');
            s.append(values.get(i).object());
        }
        s.append(']');
        return this;
    }

    /** The object, without a newline. */
    public String object() {
        return s + "}";
    }

    /** The object followed by a newline. */
    public String line() {
        return object() + "\n";
    }

    private StringBuilder key(String name) {
        if (s.length() > 1) s.append(',');
        quote(name);
        return s.append(':');
    }

    private void quote(String v) {
        s.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                case '\b' -> s.append("\\b");
                case '\f' -> s.append("\\f");
                default -> {
                    // Lone surrogates would not survive UTF-8 encoding, so they are kept as escapes.
                    if (c < 0x20 || Character.isSurrogate(c) && !isPairAt(v, i)) s.append(String.format("\\u%04x", (int) c));
                    else s.append(c);
                }
            }
        }
        s.append('"');
    }

    private static boolean isPairAt(String v, int i) {
        char c = v.charAt(i);
        if (Character.isHighSurrogate(c)) return i + 1 < v.length() && Character.isLowSurrogate(v.charAt(i + 1));
        return i > 0 && Character.isHighSurrogate(v.charAt(i - 1));
    }
}
