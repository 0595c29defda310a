package io.synprobe.output;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * JSON Lines through jackson-core's streaming generator. Each object is generated into a buffer and handed to the
 * stream in one write, then flushed, so a killed run never leaves a torn line.
 */
final class JsonLines implements Closeable {
    static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    /** Writes the fields of one object. */
    @FunctionalInterface
    interface Fields {
        void write(JsonGenerator json) throws IOException;
    }

    private final OutputStream out;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
    private final JsonGenerator json;

    JsonLines(OutputStream out) {
        this.out = out;
        try {
            this.json = FACTORY.createGenerator(buffer);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a generator over a memory buffer does not fail
        }
        json.setRootValueSeparator(null);
    }

    void write(Fields fields) throws IOException {
        json.writeStartObject();
        fields.write(json);
        json.writeEndObject();
        json.flush();
        buffer.write('\n');
        buffer.writeTo(out);
        buffer.reset();
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    /** A number, or null when negative (the result records' "absent"). */
    static void optional(JsonGenerator json, String name, long value) throws IOException {
        if (value < 0) json.writeNullField(name);
        else json.writeNumberField(name, value);
    }

    /** A finite number with up to three decimals, or null for NaN and infinities. */
    static void decimal(JsonGenerator json, String name, double value) throws IOException {
        if (Double.isNaN(value) || Double.isInfinite(value)) json.writeNullField(name);
        else json.writeNumberField(name, new BigDecimal(value).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros());
    }

    /** A string or null. */
    static void text(JsonGenerator json, String name, String value) throws IOException {
        if (value == null) json.writeNullField(name);
        else json.writeStringField(name, value);
    }
}
