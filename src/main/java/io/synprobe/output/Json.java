package io.synprobe.output;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One JSON object on one line, for callers that build a record field by field (the check reports). The text is
 * produced by jackson-core's generator, as in {@link JsonLines}; this only remembers the fields until asked.
 */
public final class Json {
    private final List<JsonLines.Fields> fields = new ArrayList<>();

    public Json field(String name, String value) {
        fields.add(g -> JsonLines.text(g, name, value));
        return this;
    }

    public Json field(String name, long value) {
        fields.add(g -> g.writeNumberField(name, value));
        return this;
    }

    /** A number, or null when the value is negative (the result records' "absent"). */
    /** The field only when the value is not null. */
    public Json optionalText(String name, String value) {
        return value == null ? this : field(name, value);
    }

    public Json optional(String name, long value) {
        fields.add(g -> JsonLines.optional(g, name, value));
        return this;
    }

    /** A finite number with up to three decimals, or null for NaN and infinities. */
    public Json field(String name, double value) {
        fields.add(g -> JsonLines.decimal(g, name, value));
        return this;
    }

    public Json field(String name, boolean value) {
        fields.add(g -> g.writeBooleanField(name, value));
        return this;
    }

    public Json field(String name, List<String> values) {
        fields.add(g -> {
            g.writeArrayFieldStart(name);
            for (String v : values) g.writeString(v);
            g.writeEndArray();
        });
        return this;
    }

    /** An array of nested objects. */
    public Json objects(String name, List<Json> values) {
        fields.add(g -> {
            g.writeArrayFieldStart(name);
            for (Json v : values) v.writeTo(g);
            g.writeEndArray();
        });
        return this;
    }

    private void writeTo(JsonGenerator g) throws IOException {
        g.writeStartObject();
        for (JsonLines.Fields f : fields) f.write(g);
        g.writeEndObject();
    }

    /** The object, without a newline. */
    public String object() {
        StringWriter text = new StringWriter(128);
        try (JsonGenerator g = JsonLines.FACTORY.createGenerator(text)) {
            writeTo(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to memory does not fail
        }
        return text.toString();
    }

    /** The object followed by a newline. */
    public String line() {
        return object() + "\n";
    }
}
