package io.synprobe.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.synprobe.engine.ScanEngine;
import io.synprobe.engine.ScanOptions;
import io.synprobe.result.PortResult;
import io.synprobe.result.ScanInfo;
import io.synprobe.result.ScanSummary;
import io.synprobe.target.PortList;
import io.synprobe.target.TargetParser;
import io.synprobe.target.TargetSet;
import io.synprobe.testutil.CollectingSink;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Correctness at full speed: 253 hosts of each family (198.18.0.2-254, 2001:db8::2-fe), ports 1-1024, scanned
 * with no rate limit and every state kept. Besides the lab's fixed ports (ScanLab: listeners, drop and every reject
 * kind), ports 100-109 differ from host to host: an nftables verdict map keyed by address and port gives each one
 * of six fates (accepted by a listener, reset, dropped, port-unreachable, admin-prohibited, host-unreachable), so
 * a result credited to the wrong host or port shows. Every one of the 518,144 results must equal the lab's truth.
 */
@Tag("privileged")
@Timeout(180)
class FullSpeedLabTest {
    static final int HOSTS = 253;
    static final int FIRST_VARIED = 100, VARIED = 10;
    static final String PORTS = "1-1024";
    /** The fates of the varied ports: nftables verdict (a chain to jump to) and the state and reason it must give. */
    static final String[][] FATES = {
        {"accept", "open syn-ack"},
        {"jump rst", "closed reset"},
        {"drop", "filtered no-response"},
        {"jump unreach", "filtered port-unreach"},
        {"jump prohibited", "filtered admin-prohibited"},
        {"jump hostunreach", "filtered host-unreach"},
    };

    static int fate(int host, int port) {
        return (host * 7 + port) % FATES.length;
    }

    /** The lab's truth for one port of host index h. */
    static String truth(boolean v6, int host, int port) {
        if (port >= FIRST_VARIED && port < FIRST_VARIED + VARIED) return FATES[fate(host, port)][1];
        return switch (port) {
            case 22, 80 -> "open syn-ack";
            case 82 -> "filtered no-response";
            case 83 -> "filtered port-unreach";
            case 84 -> "filtered admin-prohibited";
            case 85 -> "filtered host-unreach";
            case 87 -> "filtered net-unreach";
            case 88 -> v6 ? "closed reset" : "filtered net-prohibited";
            case 89 -> v6 ? "closed reset" : "filtered host-prohibited";
            case 90 -> v6 ? "closed reset" : "filtered proto-unreach";
            default -> "closed reset"; // 81 and 86 included: no listener, or a tcp reset rule
        };
    }

    static String variedRules() {
        StringBuilder v4 = new StringBuilder(), v6 = new StringBuilder();
        for (int h = 0; h < HOSTS; h++) {
            for (int p = FIRST_VARIED; p < FIRST_VARIED + VARIED; p++) {
                String verdict = FATES[fate(h, p)][0];
                v4.append(v4.isEmpty() ? "" : ", ").append(ScanLab.v4(h)).append(" . ").append(p).append(" : ").append(verdict);
                v6.append(v6.isEmpty() ? "" : ", ").append(ScanLab.v6(h)).append(" . ").append(p).append(" : ").append(verdict);
            }
        }
        return """
                table inet varied {
                  map fate4 { type ipv4_addr . inet_service : verdict; elements = { %s }; }
                  map fate6 { type ipv6_addr . inet_service : verdict; elements = { %s }; }
                  chain rst { reject with tcp reset; }
                  chain unreach { reject with icmpx type port-unreachable; }
                  chain prohibited { reject with icmpx type admin-prohibited; }
                  chain hostunreach { reject with icmpx type host-unreachable; }
                  chain input {
                    type filter hook input priority -5; policy accept;
                    ip daddr . tcp dport vmap @fate4
                    ip6 daddr . tcp dport vmap @fate6
                  }
                }
                """.formatted(v4, v6);
    }

    @Test
    void everyPortOf253HostsPerFamilyHasItsTrueStateAndReasonAtFullSpeed() throws Exception {
        try (ScanLab lab = ScanLab.start(HOSTS)) {
            Shell.checkIn(variedRules(), "ip", "netns", "exec", lab.targetNetns(), "nft", "-f", "-");
            int[] varied = new int[VARIED];
            for (int i = 0; i < VARIED; i++) varied[i] = FIRST_VARIED + i;
            lab.listen(varied);

            TargetSet targets = TargetSet.of(new TargetParser(TargetParser.Preference.ANY)
                    .parseAll(List.of(ScanLab.v4(0) + "-" + ScanLab.v4(HOSTS - 1), ScanLab.v6(0) + "-" + ScanLab.v6(HOSTS - 1))));
            PortList ports = PortList.parse(PORTS);
            ScanOptions options = ScanOptions.builder(targets, ports).netns(lab.proberNetnsPath()).build(); // no rate limit
            CollectingSink sink = new CollectingSink();
            long t0 = System.nanoTime();
            ScanSummary summary = new ScanEngine(options).run(sink, new ScanInfo(List.of("test"), Instant.now(),
                    targets.size(), ports.size(), PORTS, "syn", "test"));
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("full speed: %d hosts x %d ports in %.2f s (%.0f probes/s): %s%n", targets.size(), ports.size(),
                    seconds, summary.probesSent() / seconds, summary);

            assertEquals(2L * HOSTS * 1024, sink.results.size(), "one result per (address, port)");
            Map<String, String> wrong = new TreeMap<>();
            Map<String, Integer> tally = new TreeMap<>();
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (PortResult r : sink.results) {
                InetAddress ip = r.ip();
                boolean v6 = ip.getAddress().length == 16;
                int host = (ip.getAddress()[ip.getAddress().length - 1] & 0xff) - 2;
                String key = ip.getHostAddress() + ":" + r.port();
                assertTrue(seen.add(key), "two results for " + key);
                String got = r.state().label() + " " + r.reason().label();
                String want = truth(v6, host, r.port());
                tally.merge(got, 1, Integer::sum);
                if (!got.equals(want) && wrong.size() < 50) wrong.put(key, "got " + got + ", truth " + want);
            }
            System.out.println("full speed results: " + tally);
            assertEquals(Map.of(), wrong, "results that differ from the lab's truth (first 50)");
            List<String> kinds = new ArrayList<>(tally.keySet());
            assertEquals(10, kinds.size(), "every state and reason of the lab appeared: " + kinds);
        }
    }
}
