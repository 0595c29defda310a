package io.synprobe.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.synprobe.engine.ScanEngine;
import io.synprobe.engine.ScanOptions;
import io.synprobe.result.PortResult;
import io.synprobe.result.ScanInfo;
import io.synprobe.target.PortList;
import io.synprobe.target.TargetParser;
import io.synprobe.target.TargetSet;
import io.synprobe.testutil.CollectingSink;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** n shards of one seed together probe every (address, port) exactly once, with the same verdicts. */
@Tag("privileged")
@org.junit.jupiter.api.Timeout(120)
class ShardLabTest {
    @Test
    void threeShardsCoverTheScanExactlyOnce() throws Exception {
        try (ScanLab lab = ScanLab.start(2)) {
            TargetSet targets = TargetSet.of(new TargetParser(TargetParser.Preference.ANY).parseAll(List.of("198.18.0.2-198.18.0.3")));
            PortList ports = PortList.parse("1-3000");
            Map<String, String> seen = new HashMap<>();
            for (int shard = 0; shard < 3; shard++) {
                ScanOptions opt = ScanOptions.builder(targets, ports).seed(42).shard(shard, 3).netns(lab.proberNetnsPath())
                        .retries(1).timeouts(100_000, 1_000_000, 300_000).build();
                CollectingSink sink = new CollectingSink();
                new ScanEngine(opt).run(sink, new ScanInfo(List.of(), Instant.now(), 2, 3000, "1-3000", "syn", "t"));
                for (PortResult r : sink.results) {
                    String prev = seen.put(r.ip().getHostAddress() + ":" + r.port(), r.state().label() + " " + r.reason().label());
                    assertEquals(null, prev, "probed by two shards: " + r);
                }
            }
            assertEquals(6000, seen.size());
            assertEquals("open syn-ack", seen.get("198.18.0.3:22"));
            assertEquals("filtered admin-prohibited", seen.get("198.18.0.2:84"));
            assertEquals(4, seen.values().stream().filter("open syn-ack"::equals).count());
        }
    }
}
