package io.synprobe.output;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * CSV rows through jackson-dataformat-csv's generator (RFC 4180 quoting, LF line ends, null as an empty field).
 * Each row reaches the stream in one write, then is flushed, so a killed run never leaves a torn row.
 */
final class CsvRows implements Closeable {
    private static final CsvFactory FACTORY = CsvFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    private final OutputStream out;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(128);
    private final CsvGenerator csv;
    private final List<String> columns;

    CsvRows(OutputStream out, List<String> columns) {
        this.out = out;
        this.columns = columns;
        CsvSchema.Builder schema = CsvSchema.builder();
        columns.forEach(schema::addColumn);
        try {
            this.csv = FACTORY.createGenerator(buffer);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a generator over a memory buffer does not fail
        }
        csv.setSchema(schema.build().withoutHeader());
    }

    /** The header row: the column names. */
    void header() throws IOException {
        row(columns.toArray());
    }

    /** One row: each value a String, a Number (written as is) or null (an empty field). */
    void row(Object... values) throws IOException {
        csv.writeStartArray();
        for (Object v : values) {
            if (v == null) csv.writeNull();
            else if (v instanceof Long l) csv.writeNumber(l);
            else if (v instanceof Integer i) csv.writeNumber(i);
            else csv.writeString(v.toString());
        }
        csv.writeEndArray();
        csv.flush();
        buffer.writeTo(out);
        buffer.reset();
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
