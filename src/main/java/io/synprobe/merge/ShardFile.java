package io.synprobe.merge;

import io.synprobe.result.PortResult;
import io.synprobe.result.PortState;
import io.synprobe.result.Reason;
import io.synprobe.result.ScanSummary;
import io.synprobe.target.UsageException;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The JSONL output of one shard: its "scan" header, its port records and its "summary". A shard continued with
 * {@code scan --resume} has one header and summary per part; it is complete when its last part's summary says
 * it was not interrupted.
 *
 * @param summary the parts' summaries added up (elapsed time too); null when the last part has none
 */
record ShardFile(Path path, ShardHeader header, ScanSummary summary, boolean complete) {

    /** Receives every port record of a file, in file order. */
    @FunctionalInterface
    interface PortConsumer {
        void accept(PortResult r) throws IOException;
    }

    /** Reads and checks every line of {@code path}, handing each port record to {@code ports}. */
    static ShardFile read(Path path, PortConsumer ports) throws IOException {
        ShardHeader header = null;
        ScanSummary total = null;
        boolean open = false; // a part has begun and not yet ended with a summary
        int n = 0;
        try (BufferedReader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                n++;
                if (line.isBlank()) continue;
                JsonRecord r;
                try {
                    r = JsonRecord.parse(line);
                } catch (IOException e) {
                    throw bad(path, n, "not a JSON object");
                }
                String type = r.type();
                if (header == null && !"scan".equals(type)) throw bad(path, n, "not the JSONL output of synprobe scan (no \"scan\" record first)");
                if ("scan".equals(type)) {
                    ShardHeader h = header(path, n, r);
                    if (header != null && h.differenceFrom(header) != null) {
                        throw bad(path, n, "a resumed part of another scan (" + h.differenceFrom(header) + ")");
                    }
                    if (header != null && h.shard() != header.shard()) {
                        throw bad(path, n, "a resumed part of shard " + h.label() + " in the file of shard " + header.label());
                    }
                    if (header == null) header = h;
                    open = true;
                } else if ("port".equals(type)) {
                    ports.accept(port(path, n, r));
                } else if ("summary".equals(type)) {
                    total = add(total, summary(path, n, r));
                    open = false;
                }
                // other records ("packet" from --packet-trace) are not results
            }
        } catch (NoSuchFileException e) {
            throw new UsageException("no such file '" + path + "'");
        }
        if (header == null) throw new UsageException(path + ": empty: not the JSONL output of synprobe scan");
        boolean complete = !open && total != null && !total.interrupted();
        return new ShardFile(path, header, open ? null : total, complete);
    }

    private static ShardHeader header(Path path, int line, JsonRecord r) {
        Long seed = r.numberOrNull("seed");
        String targets = r.text("targets");
        long shard = r.number("shard", -1), shards = r.number("shards", -1);
        if (seed == null || targets == null || shard < 1 || shards < 1 || shard > shards) {
            throw bad(path, line, "the \"scan\" record has no seed, shard or targets (written by an older synprobe?):"
                    + " cannot check the shards belong together");
        }
        String spec = r.text("port_spec");
        long ports = r.number("ports", -1), hosts = r.number("hosts", -1);
        if (spec == null || ports < 0 || hosts < 0) throw bad(path, line, "the \"scan\" record has no hosts, ports or port_spec");
        String type = r.text("scan_type");
        return new ShardHeader(seed, (int) shard, (int) shards, targets, hosts, (int) ports, spec,
                type == null ? "syn" : type, instant(path, line, r.text("start")), r.list("args"));
    }

    private static PortResult port(Path path, int line, JsonRecord r) {
        String ip = r.text("ip"), state = r.text("state"), reason = r.text("reason");
        long port = r.number("port", -1);
        if (ip == null || state == null || reason == null || port < 0 || port > 65535) {
            throw bad(path, line, "a \"port\" record without ip, port, state or reason");
        }
        PortState st;
        try {
            st = PortState.parse(state);
        } catch (IllegalArgumentException e) {
            throw bad(path, line, "unknown state '" + state + "'");
        }
        Reason why = null;
        for (Reason c : Reason.values()) if (c.label().equals(reason) && c.state() == st) why = c;
        if (why == null) throw bad(path, line, "unknown reason '" + reason + "' for state " + state);
        return new PortResult(address(path, line, ip), (int) port, st, why, (int) r.number("ttl", -1),
                r.number("rtt_us", -1), r.text("error"));
    }

    private static InetAddress address(Path path, int line, String ip) {
        // only literals: a name here must not cause a DNS lookup
        boolean v4 = ip.matches("\\d{1,3}(\\.\\d{1,3}){3}")
                && java.util.Arrays.stream(ip.split("\\.")).allMatch(o -> Integer.parseInt(o) <= 255);
        if (!v4 && !ip.matches("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) throw bad(path, line, "invalid ip '" + ip + "'");
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw bad(path, line, "invalid ip '" + ip + "'");
        }
    }

    private static ScanSummary summary(Path path, int line, JsonRecord r) {
        return new ScanSummary(instant(path, line, r.text("end")), r.number("elapsed_millis", 0), r.number("hosts", 0),
                r.number("hosts_up", 0), r.number("probes_sent", 0), r.number("retransmits", 0), r.number("replies", 0),
                r.number("ignored", 0), r.number("open", 0), r.number("closed", 0), r.number("filtered", 0),
                r.flag("interrupted"), r.number("send_errors", 0), r.text("first_send_error"));
    }

    /** A resumed shard: the parts' counts added, the last part's end and interrupted flag. */
    static ScanSummary add(ScanSummary a, ScanSummary b) {
        if (a == null) return b;
        return new ScanSummary(b.end().isAfter(a.end()) ? b.end() : a.end(), a.elapsedMillis() + b.elapsedMillis(),
                Math.max(a.hosts(), b.hosts()), Math.max(a.hostsUp(), b.hostsUp()), a.probesSent() + b.probesSent(),
                a.retransmits() + b.retransmits(), a.replies() + b.replies(), a.ignored() + b.ignored(),
                a.open() + b.open(), a.closed() + b.closed(), a.filtered() + b.filtered(), b.interrupted(),
                a.sendErrors() + b.sendErrors(), a.firstSendError() != null ? a.firstSendError() : b.firstSendError());
    }

    private static Instant instant(Path path, int line, String text) {
        if (text == null) throw bad(path, line, "a record without its time");
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw bad(path, line, "invalid time '" + text + "'");
        }
    }

    private static UsageException bad(Path path, int line, String what) {
        return new UsageException(path + ":" + line + ": " + what);
    }
}
