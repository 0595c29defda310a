package io.synprobe.serve;

import io.synprobe.target.Durations;
import io.synprobe.target.AddressRange;
import io.synprobe.target.TargetParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
 * The serve config (YAML), validated: every error names its line. Read as a node tree, never into objects.
 *
 * <pre>
 * interval: 1s            # per target, may be overridden per entry
 * timeout: 1s
 * resolve_every: 5m       # host names are resolved again this often
 * probe_allow: [198.18.0.0/24]   # optional: /probe refuses targets outside these
 * targets:
 *   - 198.18.0.2:22
 *   - "[2001:db8::2]:22"
 *   - host: 198.18.0.3
 *     ports: [22, 443]
 *     interval: 200ms
 * </pre>
 *
 * @param allow the ranges /probe may reach; empty: any
 */
public record ServeConfig(List<TargetEntry> targets, Duration resolveEvery, List<Network> allow) {
    public static final int MAX_TARGETS = 1024;
    private static final Set<String> TOP_KEYS = Set.of("interval", "timeout", "resolve_every", "probe_allow", "targets");
    private static final Set<String> ENTRY_KEYS = Set.of("host", "port", "ports", "interval", "timeout");
    private static final int MAX_BYTES = 1 << 20;
    private static final Duration MIN_INTERVAL = Duration.ofMillis(10);

    public ServeConfig {
        targets = List.copyOf(targets);
        allow = List.copyOf(allow);
    }

    /** Whether /probe may send to this address. */
    public boolean allows(int family, long hi, long lo) {
        if (allow.isEmpty()) return true;
        for (Network n : allow) if (n.contains(family, hi, lo)) return true;
        return false;
    }

    public static ServeConfig read(Path path, TargetParser parser) {
        String text;
        try {
            if (Files.size(path) > MAX_BYTES) throw new ConfigException(path.toString(), 1, "file larger than 1 MiB");
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(path.toString(), 0, "no such config file");
        } catch (IOException e) {
            throw new ConfigException(path.toString(), 0, "cannot read: " + e.getMessage());
        }
        return parse(path.toString(), text, parser);
    }

    public static ServeConfig parse(String file, String yaml, TargetParser parser) {
        return new Reader(file, parser).config(compose(file, yaml));
    }

    private static Node compose(String file, String yaml) {
        try {
            Node root = YamlInput.compose(yaml, MAX_BYTES);
            if (root == null) throw new ConfigException(file, 1, "empty config (expected a 'targets:' list)");
            return root;
        } catch (YamlInput.Problem e) {
            throw new ConfigException(file, e.line, e.getMessage());
        }
    }

    private record Reader(String file, TargetParser parser) {
        ServeConfig config(Node root) {
            Map<String, Node> top = mapping(root, "the config", TOP_KEYS);
            Duration interval = top.containsKey("interval") ? interval(top.get("interval")) : Duration.ofSeconds(1);
            Duration timeout = top.containsKey("timeout") ? positive(top.get("timeout"), "timeout") : Duration.ofSeconds(1);
            Duration resolve = top.containsKey("resolve_every") ? positive(top.get("resolve_every"), "resolve_every")
                    : Duration.ofMinutes(5);
            List<Network> allow = new ArrayList<>();
            if (top.containsKey("probe_allow")) {
                for (Node n : list(top.get("probe_allow"), "probe_allow")) {
                    String v = scalar(n, "probe_allow entries");
                    try {
                        allow.add(Network.parse(v, parser));
                    } catch (IllegalArgumentException e) {
                        throw error(n, "probe_allow: " + e.getMessage());
                    }
                }
            }
            Node list = top.get("targets");
            if (list == null) throw error(root, "missing 'targets:' (a list of HOST:PORT or {host, ports} entries)");
            List<TargetEntry> targets = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (Node entry : list(list, "targets")) {
                for (TargetEntry t : entries(entry, interval, timeout)) {
                    if (!seen.add(t.key())) throw error(entry, "duplicate target " + t.host() + ":" + t.port());
                    targets.add(t);
                }
                if (targets.size() > MAX_TARGETS) throw error(entry, "more than " + MAX_TARGETS + " targets");
            }
            return new ServeConfig(targets, resolve, allow);
        }

        private List<TargetEntry> entries(Node entry, Duration interval, Duration timeout) {
            int line = line(entry);
            if (entry instanceof ScalarNode s) {
                HostPort hp;
                try {
                    hp = HostPort.parse(s.getValue().trim());
                } catch (IllegalArgumentException e) {
                    throw error(entry, e.getMessage());
                }
                checkHost(entry, hp.host());
                return List.of(new TargetEntry(hp.host(), hp.port(), interval, timeout, line));
            }
            Map<String, Node> m = mapping(entry, "a target", ENTRY_KEYS);
            if (!m.containsKey("host")) throw error(entry, "target is missing 'host'");
            if (m.containsKey("port") == m.containsKey("ports")) throw error(entry, "target needs one of 'port' or 'ports'");
            String host = scalar(m.get("host"), "host");
            if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
            checkHost(m.get("host"), host);
            Duration iv = m.containsKey("interval") ? interval(m.get("interval")) : interval;
            Duration to = m.containsKey("timeout") ? positive(m.get("timeout"), "timeout") : timeout;
            Node portsNode = m.containsKey("port") ? m.get("port") : m.get("ports");
            List<TargetEntry> out = new ArrayList<>();
            for (Node p : portsNode instanceof SequenceNode ? list(portsNode, "ports") : List.of(portsNode)) {
                String v = scalar(p, "port");
                int port;
                try {
                    port = HostPort.port(v);
                } catch (IllegalArgumentException e) {
                    throw error(p, e.getMessage());
                }
                out.add(new TargetEntry(host, port, iv, to, line));
            }
            return out;
        }

        private void checkHost(Node node, String host) {
            AddressRange r;
            try {
                r = parser.parse(host);
            } catch (IllegalArgumentException e) {
                throw error(node, e.getMessage());
            }
            if (r.count() != 1) throw error(node, "'" + host + "' is not a single address");
        }

        private Map<String, Node> mapping(Node node, String what, Set<String> allowed) {
            String keys = String.join(", ", allowed.stream().sorted().toList());
            if (!(node instanceof MappingNode mapping)) throw error(node, what + " must be a mapping of " + keys);
            Map<String, Node> out = new LinkedHashMap<>();
            for (NodeTuple t : mapping.getValue()) {
                String key = scalar(t.getKeyNode(), "a key");
                if (!allowed.contains(key)) throw error(t.getKeyNode(), "unknown key '" + key + "' in " + what + " (" + keys + ")");
                out.put(key, t.getValueNode());
            }
            return out;
        }

        private List<Node> list(Node node, String what) {
            if (!(node instanceof SequenceNode seq) || seq.getValue().isEmpty()) throw error(node, "'" + what + "' must be a non-empty list");
            return seq.getValue();
        }

        private String scalar(Node node, String what) {
            if (!(node instanceof ScalarNode s)) throw error(node, what + " must be a single value");
            return s.getValue().trim();
        }

        private Duration interval(Node node) {
            Duration d = positive(node, "interval");
            if (d.compareTo(MIN_INTERVAL) < 0) throw error(node, "invalid interval '" + scalar(node, "interval") + "' (at least 10ms)");
            return d;
        }

        private Duration positive(Node node, String what) {
            String v = scalar(node, what);
            Duration d;
            try {
                d = Durations.parse(v);
            } catch (IllegalArgumentException e) {
                throw error(node, what + ": " + e.getMessage());
            }
            if (d.isZero()) throw error(node, "invalid " + what + " '" + v + "' (more than 0)");
            return d;
        }

        private ConfigException error(Node node, String problem) {
            return new ConfigException(file, line(node), problem);
        }

        private static int line(Node node) {
            return node.getStartMark() == null ? 1 : node.getStartMark().getLine() + 1;
        }
    }
}
