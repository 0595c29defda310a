package io.synprobe.output;

import io.synprobe.result.PortResult;
import io.synprobe.result.Reason;
import io.synprobe.result.ResultSink;
import io.synprobe.result.ScanInfo;
import io.synprobe.result.ScanSummary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Hand-built scans and a way to render them through a sink. */
final class Fixtures {
    static final Instant START = Instant.parse("2026-01-02T03:04:05Z");
    static final ScanInfo INFO = new ScanInfo(List.of("synprobe", "scan", "-p", "1-100", "198.18.0.0/30"), START, 2,
            100, "1-100", "syn", "0.1.0");
    /** The built-in table only, so tests do not depend on the machine's /etc/services. */
    static final ServiceNames BUILT_IN = new ServiceNames(Path.of("/nonexistent/services"));

    private Fixtures() {
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static PortResult result(String ip, int port, Reason reason, int ttl, long rttUs) {
        return new PortResult(ip(ip), port, reason.state(), reason, ttl, rttUs);
    }

    static PortResult silent(String ip, int port) {
        return result(ip, port, Reason.NO_RESPONSE, -1, -1);
    }

    /** Ports first..last of one host, all with the same reason. */
    static List<PortResult> range(String ip, int first, int last, Reason reason, int ttl, long rttUs) {
        List<PortResult> list = new ArrayList<>();
        for (int p = first; p <= last; p++) {
            list.add(reason == Reason.NO_RESPONSE ? silent(ip, p) : result(ip, p, reason, ttl, rttUs));
        }
        return list;
    }

    /** A scan of {@code hosts} hosts on the ports of {@code spec}; an empty spec leaves the port list unknown. */
    static ScanInfo info(long hosts, String spec) {
        int ports = spec.isEmpty() ? 0 : io.synprobe.target.PortList.parse(spec).size();
        return new ScanInfo(List.of("synprobe", "scan", "-p", spec), START, hosts, ports, spec, "syn", "0.1.0");
    }

    static long hosts(List<PortResult> results) {
        return results.stream().map(PortResult::ip).distinct().count();
    }

    static ScanSummary summary(List<PortResult> results) {
        long open = results.stream().filter(r -> r.state().label().equals("open")).count();
        long closed = results.stream().filter(r -> r.state().label().equals("closed")).count();
        long hosts = results.stream().map(PortResult::ip).distinct().count();
        long up = results.stream().filter(r -> r.reason() != Reason.NO_RESPONSE).map(PortResult::ip).distinct().count();
        return new ScanSummary(START.plusMillis(1260), 1260, hosts, up, results.size(), 0, open + closed, 0,
                open, closed, results.size() - open - closed, false);
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CsvMapper CSV = new CsvMapper();

    /** Every line parsed by Jackson as one JSON object; the text must end with a complete line. */
    static List<JsonNode> jsonLines(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) throw new AssertionError("last line is torn: " + text);
        try (var lines = JSON.readerFor(JsonNode.class).<JsonNode>readValues(text)) {
            List<JsonNode> list = lines.readAll();
            if (list.size() != text.lines().count()) throw new AssertionError("one object per line: " + text);
            for (JsonNode n : list) if (!n.isObject()) throw new AssertionError("not an object: " + n);
            return list;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rows of a CSV text as Jackson's CSV parser reads them. */
    static List<List<String>> csvRows(String text) {
        try (var rows = CSV.readerFor(String[].class).with(CsvParser.Feature.WRAP_AS_ARRAY).<String[]>readValues(text)) {
            return rows.readAll().stream().map(List::of).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static OutputOptions opts() {
        return new OutputOptions(null, BUILT_IN);
    }

    /** Runs a whole scan (begin, results, end, close) through a fresh sink. */
    static String render(OutputFormat format, OutputOptions opts, List<PortResult> results) {
        return render(format, opts, INFO, results, summary(results));
    }

    /** As {@link #render}, but with end() left out when summary is null, as after Ctrl-C. */
    static String render(OutputFormat format, OutputOptions opts, ScanInfo info, List<PortResult> results,
                         ScanSummary summary) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ResultSink sink = format.create(bytes, opts)) {
            sink.begin(info);
            for (PortResult r : results) sink.accept(r);
            if (summary != null) sink.end(summary);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
