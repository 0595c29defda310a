package io.synprobe.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.synprobe.output.OutputFormat;
import io.synprobe.output.OutputOptions;
import io.synprobe.result.PortResult;
import io.synprobe.result.PortState;
import io.synprobe.result.Reason;
import io.synprobe.result.ResultSink;
import io.synprobe.result.ScanInfo;
import io.synprobe.result.ScanSummary;
import io.synprobe.testutil.Cli;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** synprobe merge on shard files written by the JSONL sink: what it accepts, what it refuses and how. */
@Timeout(30)
class ShardMergeTest {
    static final Instant START = Instant.parse("2026-01-02T03:04:05Z");
    static final ObjectMapper JSON = new ObjectMapper();

    static Cli synprobe(String... args) {
        return Cli.run(args);
    }

    /** Shard {@code shard}/{@code shards} of a 2-host x 6-port scan: ports 1-6, port p in shard p % shards + 1. */
    static Path shard(Path dir, String name, long seed, int shard, int shards, String targets, boolean interrupted)
            throws Exception {
        Path file = dir.resolve(name);
        ScanInfo info = new ScanInfo(List.of("synprobe", "scan", "--shard", shard + "/" + shards), START.plusSeconds(shard),
                2, 6, "1-6", "syn", "t", seed, shard, shards, targets);
        long open = 0, closed = 0, filtered = 0;
        try (ResultSink sink = OutputFormat.JSONL.create(Files.newOutputStream(file), OutputOptions.defaults())) {
            sink.begin(info);
            for (String ip : List.of("198.18.0.2", "198.18.0.3")) {
                for (int p = 1; p <= 6; p++) {
                    if (p % shards + 1 != shard) continue;
                    Reason r = ip.endsWith(".3") ? Reason.NO_RESPONSE : p == 2 ? Reason.SYN_ACK : Reason.RESET;
                    sink.accept(new PortResult(InetAddress.getByName(ip), p, r.state(), r, r == Reason.NO_RESPONSE ? -1 : 64,
                            r == Reason.NO_RESPONSE ? -1 : 100 + p));
                    if (r.state() == PortState.OPEN) open++;
                    else if (r.state() == PortState.CLOSED) closed++;
                    else filtered++;
                }
            }
            long n = open + closed + filtered;
            sink.end(new ScanSummary(START.plusSeconds(10 + shard), 1000L * shard, 2, 1, n, filtered, open + closed, 0,
                    open, closed, filtered, interrupted));
        }
        return file;
    }

    static Map<String, String> ports(String jsonl) throws Exception {
        Map<String, String> out = new TreeMap<>();
        for (String line : jsonl.lines().toList()) {
            JsonNode n = JSON.readTree(line);
            if (!n.get("type").asText().equals("port")) continue;
            assertEquals(null, out.put(n.get("ip").asText() + ":" + n.get("port").asInt(),
                    n.get("state").asText() + " " + n.get("reason").asText()), "reported twice: " + line);
        }
        return out;
    }

    @Test
    void mergesCompleteShardsIntoOneScan(@TempDir Path dir) throws Exception {
        List<String> files = new ArrayList<>();
        for (int i = 1; i <= 3; i++) files.add(shard(dir, "s" + i + ".jsonl", 7, i, 3, "abc", false).toString());
        Cli r = synprobe(concat(List.of("merge"), files, List.of("-o", "jsonl", "-q")));
        assertEquals(0, r.exit(), r.err());
        Map<String, String> ports = ports(r.out());
        assertEquals(12, ports.size());
        assertEquals("open syn-ack", ports.get("198.18.0.2:2"));
        assertEquals("filtered no-response", ports.get("198.18.0.3:5"));
        List<String> lines = r.out().lines().toList();
        JsonNode scan = JSON.readTree(lines.get(0)), summary = JSON.readTree(lines.get(lines.size() - 1));
        assertEquals(7, scan.get("seed").asLong());
        assertEquals(1, scan.get("shards").asInt(), "the merge is the whole scan");
        assertEquals("abc", scan.get("targets").asText());
        assertEquals(START.plusSeconds(1).toString(), scan.get("start").asText(), "the earliest shard's start");
        assertEquals(12, summary.get("probes_sent").asLong());
        assertEquals(1, summary.get("open").asLong());
        assertEquals(5, summary.get("closed").asLong());
        assertEquals(6, summary.get("filtered").asLong());
        assertEquals(1, summary.get("hosts_up").asLong(), "a host up in every shard counts once");
        assertEquals(3000, summary.get("elapsed_millis").asLong(), "the longest shard");
        assertFalse(summary.get("interrupted").asBoolean());
    }

    @Test
    void refusesAMissingShardAndWritesNothing(@TempDir Path dir) throws Exception {
        Path a = shard(dir, "a", 7, 1, 3, "abc", false), c = shard(dir, "c", 7, 3, 3, "abc", false);
        Path out = dir.resolve("merged.xml");
        Cli r = synprobe("merge", a.toString(), c.toString(), "-o", "xml", "--output", out.toString());
        assertEquals(2, r.exit());
        assertEquals("synprobe merge: shard 2/3 is missing: the scan has 3 shards and merge needs all of them\n", r.err());
        assertFalse(Files.exists(out), "nothing half-written");
    }

    @Test
    void refusesADuplicatedShard(@TempDir Path dir) throws Exception {
        Path a = shard(dir, "a", 7, 1, 2, "abc", false), b = shard(dir, "b", 7, 2, 2, "abc", false),
                b2 = shard(dir, "b2", 7, 2, 2, "abc", false);
        Cli r = synprobe("merge", a.toString(), b.toString(), b2.toString());
        assertEquals(2, r.exit());
        assertEquals("synprobe merge: " + b + " and " + b2 + " are both shard 2/2\n", r.err());
    }

    @Test
    void refusesAnInterruptedShardSayingHowToFinishIt(@TempDir Path dir) throws Exception {
        Path a = shard(dir, "a", 7, 1, 2, "abc", false), b = shard(dir, "b", 7, 2, 2, "abc", true);
        Cli r = synprobe("merge", a.toString(), b.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("synprobe merge: " + b + ": shard 2/2 was interrupted: finish it with 'synprobe scan --resume"),
                r.err());
        assertEquals(1, r.err().lines().count());
    }

    @Test
    void refusesAShardCutOffBeforeItsSummary(@TempDir Path dir) throws Exception {
        Path a = shard(dir, "a", 7, 1, 2, "abc", false), b = shard(dir, "b", 7, 2, 2, "abc", false);
        List<String> lines = Files.readAllLines(b);
        Files.write(b, lines.subList(0, lines.size() - 1));
        Cli r = synprobe("merge", a.toString(), b.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains(b + ": shard 2/2 ends without a summary"), r.err());
    }

    @Test
    void refusesShardsOfAnotherScanNamingTheDifference(@TempDir Path dir) throws Exception {
        Path a = shard(dir, "a", 7, 1, 2, "abc", false);
        Cli seed = synprobe("merge", a.toString(), shard(dir, "b", 8, 2, 2, "abc", false).toString());
        assertEquals(2, seed.exit());
        assertEquals("synprobe merge: " + dir.resolve("b") + ": from another scan than " + a + " (seed 8 vs 7)\n", seed.err());
        Cli targets = synprobe("merge", a.toString(), shard(dir, "c", 7, 2, 2, "xyz", false).toString());
        assertEquals(2, targets.exit());
        assertTrue(targets.err().contains("(targets xyz vs abc"), targets.err());
        Cli count = synprobe("merge", a.toString(), shard(dir, "d", 7, 2, 3, "abc", false).toString());
        assertEquals(2, count.exit());
        assertTrue(count.err().contains("(shard count 3 vs 2)"), count.err());
    }

    @Test
    void refusesFilesThatAreNotShardOutputs(@TempDir Path dir) throws Exception {
        Path old = dir.resolve("old.jsonl");
        try (ResultSink sink = OutputFormat.JSONL.create(Files.newOutputStream(old), OutputOptions.defaults())) {
            sink.begin(new ScanInfo(List.of("synprobe"), START, 1, 1, "1", "syn", "t")); // no seed: an older header
            sink.end(new ScanSummary(START, 1, 1, 0, 1, 0, 0, 0, 0, 0, 1, false));
        }
        Cli r = synprobe("merge", old.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains(old + ":1: the \"scan\" record has no seed, shard or targets"), r.err());
        Path text = Files.writeString(dir.resolve("notes.txt"), "hello\n");
        Cli t = synprobe("merge", text.toString());
        assertEquals(2, t.exit());
        assertEquals("synprobe merge: " + text + ":1: not a JSON object\n", t.err());
        Cli none = synprobe("merge", dir.resolve("nope.jsonl").toString());
        assertEquals(2, none.exit());
        assertEquals("synprobe merge: no such file '" + dir.resolve("nope.jsonl") + "'\n", none.err());
    }

    @Test
    void aResumedShardIsOnePartAfterAnother(@TempDir Path dir) throws Exception {
        Path a = shard(dir, "a", 7, 1, 2, "abc", false);
        Path first = shard(dir, "b1", 7, 2, 2, "abc", true), rest = shard(dir, "b2", 7, 2, 2, "abc", false);
        Path b = dir.resolve("b");
        Files.write(b, Files.readAllBytes(first));
        Files.write(b, Files.readAllBytes(rest), java.nio.file.StandardOpenOption.APPEND);
        Cli r = synprobe("merge", a.toString(), b.toString(), "-o", "jsonl", "-q");
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        JsonNode summary = JSON.readTree(lines.get(lines.size() - 1));
        assertEquals(6 + 6 + 6, summary.get("probes_sent").asLong(), "both parts of the resumed shard count");
        assertEquals(4000, summary.get("elapsed_millis").asLong(), "the resumed shard ran 2 s + 2 s");
    }

    private static String[] concat(List<String> a, List<String> b, List<String> c) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        all.addAll(c);
        return all.toArray(String[]::new);
    }
}
