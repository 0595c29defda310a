package io.synprobe.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.synprobe.target.AddressRange;
import io.synprobe.target.TargetParser;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(10)
class ServeConfigTest {
    static final TargetParser PARSER = new TargetParser(TargetParser.Preference.ANY);

    static ServeConfig parse(String yaml) {
        return ServeConfig.parse("serve.yaml", yaml, PARSER);
    }

    @Test
    void theIssuesFormWithDefaultsAndOverrides() {
        ServeConfig c = parse("""
                interval: 1s        # per target, may be overridden per entry
                timeout: 1s
                targets:
                  - 198.18.0.2:22
                  - host: 198.18.0.3
                    ports: [22, 443]
                    interval: 200ms
                  - "[2001:db8::2]:80"
                """);
        assertEquals(List.of(
                new TargetEntry("198.18.0.2", 22, Duration.ofSeconds(1), Duration.ofSeconds(1), 4),
                new TargetEntry("198.18.0.3", 22, Duration.ofMillis(200), Duration.ofSeconds(1), 5),
                new TargetEntry("198.18.0.3", 443, Duration.ofMillis(200), Duration.ofSeconds(1), 5),
                new TargetEntry("2001:db8::2", 80, Duration.ofSeconds(1), Duration.ofSeconds(1), 8)), c.targets());
        assertEquals(Duration.ofMinutes(5), c.resolveEvery());
        assertTrue(c.allows(4, 0, 0xC6120002L), "no probe_allow: anything goes");
    }

    @Test
    void probeAllowLimitsProbeTargets() {
        ServeConfig c = parse("probe_allow: [198.18.0.0/24, 2001:db8::/32, 127.0.0.1]\ntargets: [\"198.18.0.2:22\"]\n");
        for (String in : List.of("198.18.0.77", "198.18.0.0", "198.18.0.255", "2001:db8::2", "2001:db8:ffff::1", "127.0.0.1")) {
            AddressRange a = PARSER.parse(in);
            assertTrue(c.allows(a.family(), a.hi(), a.lo()), in);
        }
        for (String out : List.of("198.18.1.1", "198.19.0.77", "2001:db9::2", "127.0.0.2")) {
            AddressRange a = PARSER.parse(out);
            assertFalse(c.allows(a.family(), a.hi(), a.lo()), out);
        }
        assertThrows(ConfigException.class, () -> parse("probe_allow: [198.18.0.0/33]\ntargets: [\"198.18.0.2:22\"]\n"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "port 0|targets:\\n  - 198.18.0.2:22\\n  - 198.18.0.2:0\\n|3|invalid port '0' (1-65535)",
            "port 70000|targets:\\n  - host: 198.18.0.2\\n    ports: [22, 70000]\\n|3|invalid port '70000'",
            "no port|targets:\\n  - 198.18.0.2\\n|2|expected HOST:PORT",
            "bad interval|interval: 1s\\ntimeout: soon\\ntargets: [\"198.18.0.2:22\"]\\n|2|timeout: invalid duration 'soon'",
            "tiny interval|targets:\\n  - host: 198.18.0.2\\n    port: 22\\n    interval: 1ms\\n|4|at least 10ms",
            "unknown key|targets:\\n  - host: 198.18.0.2\\n    prot: 22\\n|3|unknown key 'prot'",
            "duplicate|targets:\\n  - 198.18.0.2:22\\n  - host: 198.18.0.2\\n    ports: [22]\\n|3|duplicate target 198.18.0.2:22",
            "range|targets:\\n  - 198.18.0.0/24:22\\n|2|198.18.0.0/24",
            "no targets|interval: 1s\\n|1|missing 'targets:'",
            "yaml|targets:\\n  - [198.18.0.2:22\\n|3|invalid YAML",
            "empty|''|1|empty config"})
    void errorsNameTheirLine(String name, String yaml, int line, String message) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(yaml.replace("\\n", "\n")));
        assertEquals(line, e.line(), e.getMessage());
        assertTrue(e.getMessage().startsWith("serve.yaml:" + line + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @Test
    void hostPortForms() {
        assertEquals(new HostPort("198.18.0.2", 443), HostPort.parse("198.18.0.2:443"));
        assertEquals(new HostPort("2001:db8::2", 22), HostPort.parse("[2001:db8::2]:22"));
        assertEquals(new HostPort("example.org", 1), HostPort.parse("example.org:1"));
        for (String bad : List.of("", "198.18.0.2", "2001:db8::2:22", "[2001:db8::2]22", ":22", "h:65536", "h:-1", "h:2 2")) {
            assertThrows(IllegalArgumentException.class, () -> HostPort.parse(bad), bad);
        }
    }
}
