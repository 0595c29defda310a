package io.synprobe.check;

import io.synprobe.target.Durations;

import io.synprobe.engine.ScanOptions;
import io.synprobe.target.PortList;
import io.synprobe.target.TargetParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.Yaml;
import io.synprobe.target.YamlInput;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a check file (YAML) into validated {@link Check}s. The YAML is read as a node tree, never into objects, so
 * every error names its line; targets, ports and durations are all parsed here, before anything is sent.
 *
 * <pre>
 * defaults: { retries: 2, timeout: 1s }
 * checks:
 *   - name: web is reachable
 *     target: 198.18.0.2          # address, CIDR, range or host name (or a list of them)
 *     ports: "80,443"             # or a number, or a list
 *     expect: open                # open | closed | filtered | not-open
 *     max_rtt: 50ms               # optional
 *     warn_rtt: 20ms              # optional: slower is a warning (check -o nagios), not a failure
 * </pre>
 */
public final class CheckFile {
    private static final Set<String> TOP_KEYS = Set.of("defaults", "checks");
    private static final Set<String> DEFAULT_KEYS = Set.of("retries", "timeout", "max_rtt", "warn_rtt");
    private static final Set<String> CHECK_KEYS = Set.of("name", "target", "ports", "expect", "max_rtt", "warn_rtt", "retries", "timeout");
    private static final int MAX_BYTES = 1 << 20;

    private final String file;
    private final TargetParser targets = new TargetParser(TargetParser.Preference.ANY);

    private CheckFile(String file) {
        this.file = file;
    }

    /** Reads and validates a check file; errors (including a missing file) are {@link CheckFileException}s or usage errors. */
    public static List<Check> read(Path path) {
        String text;
        try {
            if (Files.size(path) > MAX_BYTES) throw new CheckFileException(path.toString(), 1, "file larger than 1 MiB");
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new io.synprobe.target.UsageException("no such check file '" + path + "'");
        } catch (IOException e) {
            throw new io.synprobe.target.UsageException("cannot read check file '" + path + "': " + e.getMessage());
        }
        return parse(path.toString(), text);
    }

    /** @param file the name used in error messages */
    public static List<Check> parse(String file, String yaml) {
        return new CheckFile(file).checks(compose(file, yaml));
    }

    private static Node compose(String file, String yaml) {
        try {
            Node root = YamlInput.compose(yaml, MAX_BYTES);
            if (root == null) throw new CheckFileException(file, 1, "empty check file (expected a 'checks:' list)");
            return root;
        } catch (YamlInput.Problem e) {
            throw new CheckFileException(file, e.line, e.getMessage());
        }
    }

    private List<Check> checks(Node root) {
        Map<String, Node> top = mapping(root, "the file", TOP_KEYS);
        Map<String, Node> defaults = top.containsKey("defaults") ? mapping(top.get("defaults"), "defaults", DEFAULT_KEYS) : Map.of();
        int retries = defaults.containsKey("retries") ? retries(defaults.get("retries")) : 2;
        Duration timeout = defaults.containsKey("timeout") ? duration(defaults.get("timeout"), "timeout", true) : Duration.ofSeconds(1);
        Node maxRtt = defaults.get("max_rtt");
        if (maxRtt != null) duration(maxRtt, "max_rtt", false);
        Node warnRtt = defaults.get("warn_rtt");
        if (warnRtt != null) duration(warnRtt, "warn_rtt", false);

        Node list = top.get("checks");
        if (list == null) throw error(root, "missing 'checks:' (a list of checks)");
        if (!(list instanceof SequenceNode seq) || seq.getValue().isEmpty()) {
            throw error(list, "'checks' must be a non-empty list of checks");
        }
        List<Check> checks = new ArrayList<>();
        for (Node entry : seq.getValue()) checks.add(check(entry, retries, timeout, maxRtt, warnRtt));
        return List.copyOf(checks);
    }

    private Check check(Node entry, int defaultRetries, Duration defaultTimeout, Node defaultMaxRtt, Node defaultWarnRtt) {
        Map<String, Node> m = mapping(entry, "a check", CHECK_KEYS);
        for (String key : List.of("target", "ports", "expect")) {
            if (!m.containsKey(key)) throw error(entry, "check is missing '" + key + "'");
        }
        String target = joined(m.get("target"), "target", " ");
        for (String token : target.split(" ")) {
            try {
                targets.parse(token);
            } catch (IllegalArgumentException e) {
                throw error(m.get("target"), e.getMessage());
            }
        }
        String ports = joined(m.get("ports"), "ports", ",");
        try {
            PortList.parse(ports);
        } catch (IllegalArgumentException e) {
            throw error(m.get("ports"), e.getMessage());
        }
        String word = scalar(m.get("expect"), "expect");
        Expect expect = Expect.parse(word);
        if (expect == null) throw error(m.get("expect"), "unknown expect '" + word + "' (" + Expect.choices() + ")");
        Node maxRttNode = m.getOrDefault("max_rtt", defaultMaxRtt);
        Duration maxRtt = maxRttNode == null ? null : duration(maxRttNode, "max_rtt", false);
        Node warnRttNode = m.getOrDefault("warn_rtt", defaultWarnRtt);
        Duration warnRtt = warnRttNode == null ? null : duration(warnRttNode, "warn_rtt", false);
        if (warnRtt != null && maxRtt != null && warnRtt.compareTo(maxRtt) > 0) {
            throw error(warnRttNode, "warn_rtt " + scalar(warnRttNode, "warn_rtt") + " is above max_rtt " + scalar(maxRttNode, "max_rtt"));
        }
        String name = m.containsKey("name") ? scalar(m.get("name"), "name") : target + " " + ports;
        return new Check(name, line(entry), target, ports, expect, maxRtt,
                maxRttNode == null ? null : scalar(maxRttNode, "max_rtt"),
                m.containsKey("retries") ? retries(m.get("retries")) : defaultRetries,
                m.containsKey("timeout") ? duration(m.get("timeout"), "timeout", true) : defaultTimeout,
                warnRtt, warnRttNode == null ? null : scalar(warnRttNode, "warn_rtt"));
    }

    /** The keys of a mapping, refusing keys not in {@code allowed} and duplicates. */
    private Map<String, Node> mapping(Node node, String what, Set<String> allowed) {
        if (!(node instanceof MappingNode mapping)) {
            throw error(node, what + " must be a mapping of " + String.join(", ", allowed.stream().sorted().toList()));
        }
        Map<String, Node> out = new HashMap<>();
        for (NodeTuple t : mapping.getValue()) {
            String key = scalar(t.getKeyNode(), "a key");
            if (!allowed.contains(key)) {
                throw error(t.getKeyNode(), "unknown key '" + key + "' in " + what + " ("
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
            if (out.put(key, t.getValueNode()) != null) throw error(t.getKeyNode(), "duplicate key '" + key + "'");
        }
        return out;
    }

    private String scalar(Node node, String what) {
        if (!(node instanceof ScalarNode s)) throw error(node, what + " must be a single value");
        return s.getValue().trim();
    }

    /** A scalar, or a list of scalars joined with {@code separator}. */
    private String joined(Node node, String what, String separator) {
        List<String> parts = new ArrayList<>();
        if (node instanceof SequenceNode seq) {
            for (Node n : seq.getValue()) parts.add(scalar(n, what + " entries"));
        } else {
            parts.add(scalar(node, what));
        }
        if (parts.stream().anyMatch(String::isEmpty) || parts.isEmpty()) throw error(node, what + " is empty");
        return String.join(separator, parts);
    }

    private int retries(Node node) {
        String v = scalar(node, "retries");
        if (!v.matches("\\d{1,2}") || Integer.parseInt(v) > ScanOptions.MAX_RETRIES) {
            throw error(node, "invalid retries '" + v + "' (0-" + ScanOptions.MAX_RETRIES + ")");
        }
        return Integer.parseInt(v);
    }

    private Duration duration(Node node, String what, boolean positive) {
        String v = scalar(node, what);
        try {
            Duration d = Durations.parse(v);
            if (positive && d.isZero()) throw error(node, "invalid " + what + " '" + v + "' (more than 0)");
            return d;
        } catch (CheckFileException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw error(node, what + ": " + e.getMessage());
        }
    }

    private CheckFileException error(Node node, String problem) {
        return new CheckFileException(file, line(node), problem);
    }

    private static int line(Node node) {
        return node.getStartMark() == null ? 1 : node.getStartMark().getLine() + 1;
    }
}
