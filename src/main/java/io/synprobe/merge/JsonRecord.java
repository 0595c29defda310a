package io.synprobe.merge;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One flat JSONL record: top-level fields only (strings, numbers, booleans, arrays of strings). */
record JsonRecord(Map<String, Object> fields) {
    private static final JsonFactory FACTORY = new JsonFactory();

    /** Parses one line; throws IOException when it is not one JSON object. */
    static JsonRecord parse(String line) throws IOException {
        Map<String, Object> fields = new HashMap<>();
        try (JsonParser p = FACTORY.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new IOException("not a JSON object");
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                if (t != JsonToken.FIELD_NAME) throw new IOException("not a JSON object");
                String name = p.currentName();
                JsonToken v = p.nextToken();
                fields.put(name, switch (v) {
                    case VALUE_STRING -> p.getText();
                    case VALUE_NUMBER_INT -> p.getLongValue();
                    case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
                    case VALUE_TRUE -> Boolean.TRUE;
                    case VALUE_FALSE -> Boolean.FALSE;
                    case START_ARRAY -> strings(p);
                    case START_OBJECT -> {
                        p.skipChildren();
                        yield Map.of();
                    }
                    default -> null;
                });
            }
            if (p.nextToken() != null) throw new IOException("text after the JSON object");
        }
        return new JsonRecord(fields);
    }

    private static List<String> strings(JsonParser p) throws IOException {
        List<String> out = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t == JsonToken.START_ARRAY || t == JsonToken.START_OBJECT) p.skipChildren();
            else out.add(p.getText());
        }
        return out;
    }

    String type() {
        return text("type");
    }

    String text(String name) {
        return fields.get(name) instanceof String s ? s : null;
    }

    /** A whole number, or {@code absent} when the field is missing or not a whole number. */
    long number(String name, long absent) {
        return fields.get(name) instanceof Long l ? l : absent;
    }

    Long numberOrNull(String name) {
        return fields.get(name) instanceof Long l ? l : null;
    }

    boolean flag(String name) {
        return Boolean.TRUE.equals(fields.get(name));
    }

    @SuppressWarnings("unchecked")
    List<String> list(String name) {
        return fields.get(name) instanceof List<?> l ? (List<String>) l : List.of();
    }
}
