package io.synprobe.merge;

import io.synprobe.result.Reason;
import io.synprobe.result.ResultSink;
import io.synprobe.result.ScanInfo;
import io.synprobe.result.ScanSummary;
import io.synprobe.target.UsageException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The JSONL outputs of the shards of one scan, checked to belong together (same seed, targets, ports and shard
 * count; every shard present once and complete) and merged into the result of the whole scan.
 */
public final class ShardMerge {
    private final List<ShardFile> shards;
    private final long hostsUp;

    private ShardMerge(List<ShardFile> shards, long hostsUp) {
        this.shards = shards;
        this.hostsUp = hostsUp;
    }

    /** Reads every file whole and checks the set; a usage error naming the file and the problem otherwise. */
    public static ShardMerge check(List<Path> files) throws IOException {
        if (files.isEmpty()) throw new UsageException("no shard files given");
        Set<InetAddress> answered = new HashSet<>();
        List<ShardFile> read = new ArrayList<>();
        for (Path f : files) {
            read.add(ShardFile.read(f, r -> {
                if (r.reason() != Reason.NO_RESPONSE && r.reason() != Reason.SEND_ERROR) answered.add(r.ip());
            }));
        }
        ShardFile first = read.get(0);
        for (ShardFile s : read) {
            String diff = s.header().differenceFrom(first.header());
            if (diff != null) throw new UsageException(s.path() + ": from another scan than " + first.path() + " (" + diff + ")");
        }
        int n = first.header().shards();
        ShardFile[] byIndex = new ShardFile[n + 1];
        for (ShardFile s : read) {
            ShardFile other = byIndex[s.header().shard()];
            if (other != null) {
                throw new UsageException(other.path() + " and " + s.path() + " are both shard " + s.header().label()
                        + (other.path().equals(s.path()) ? " (the same file given twice)" : ""));
            }
            byIndex[s.header().shard()] = s;
        }
        for (ShardFile s : read) {
            if (s.complete()) continue;
            String how = s.summary() == null ? "ends without a summary (the run was killed)" : "was interrupted";
            throw new UsageException(s.path() + ": shard " + s.header().label() + " " + how + ": finish it with"
                    + " 'synprobe scan --resume RESUME-FILE' (the resume file that run wrote, synprobe.resume by default),"
                    + " then merge again");
        }
        List<String> missing = new ArrayList<>();
        for (int i = 1; i <= n; i++) if (byIndex[i] == null) missing.add(i + "/" + n);
        if (!missing.isEmpty()) {
            throw new UsageException((missing.size() == 1 ? "shard " : "shards ") + String.join(", ", missing)
                    + (missing.size() == 1 ? " is" : " are") + " missing: the scan has " + n + " shards and merge needs all of them");
        }
        long up = answered.size();
        for (ShardFile s : read) up = Math.max(up, s.summary().hostsUp());
        return new ShardMerge(List.copyOf(java.util.Arrays.asList(byIndex).subList(1, n + 1)), up);
    }

    /** What the merged result describes: the whole scan, as if run unsharded. */
    public ScanInfo info(List<String> commandLine, String version) {
        ShardHeader h = shards.get(0).header();
        Instant start = h.start();
        for (ShardFile s : shards) if (s.header().start().isBefore(start)) start = s.header().start();
        return new ScanInfo(commandLine, start, h.hosts(), h.ports(), h.portSpec(), h.scanType(), version, h.seed(), 1, 1,
                h.targets());
    }

    /**
     * The shards' totals added up. The elapsed time is the longest shard's (they usually run side by side); hosts up
     * counts each address once, from the results in the files (at least the largest shard's count, which also saw
     * the replies an {@code --only} filter left out of its file).
     */
    public ScanSummary summary() {
        ScanSummary t = null;
        long elapsed = 0;
        for (ShardFile s : shards) {
            t = ShardFile.add(t, s.summary());
            elapsed = Math.max(elapsed, s.summary().elapsedMillis());
        }
        return new ScanSummary(t.end(), elapsed, shards.get(0).header().hosts(), hostsUp, t.probesSent(), t.retransmits(),
                t.replies(), t.ignored(), t.open(), t.closed(), t.filtered(), false, t.sendErrors(), t.firstSendError());
    }

    /** Writes the merged result: begin, every port record of every shard in shard order, end. */
    public ScanSummary write(ResultSink sink, ScanInfo info) throws IOException {
        sink.begin(info);
        for (ShardFile s : shards) ShardFile.read(s.path(), sink::accept);
        ScanSummary summary = summary();
        sink.end(summary);
        return summary;
    }

    public int shardCount() {
        return shards.size();
    }
}
