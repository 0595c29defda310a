package io.synprobe.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.synprobe.result.PortState;
import io.synprobe.result.Reason;
import io.synprobe.result.PingListener;
import io.synprobe.result.ResultSink;
import io.synprobe.result.TraceListener;
import io.synprobe.target.UsageException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputFormatTest {
    @TempDir
    Path dir;

    @Test
    void parsesEveryFormatCaseInsensitively() {
        for (OutputFormat f : OutputFormat.values()) {
            assertEquals(f, OutputFormat.parse(f.label()));
            assertEquals(f, OutputFormat.parse(" " + f.name() + " "));
        }
    }

    @Test
    void badFormatNamesTheTokenAndTheValidOnes() {
        UsageException e = assertThrows(UsageException.class, () -> OutputFormat.parse("yaml"));
        assertEquals("unknown output format 'yaml' (valid: table, jsonl, csv, xml, grep)", e.getMessage());
        assertThrows(UsageException.class, () -> OutputFormat.parse(null));
    }

    @Test
    void theRegistryGivesEachFormatTheKindsItWrites() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Map<String, String> kinds = new LinkedHashMap<>();
        for (OutputFormat f : OutputFormat.values()) {
            List<String> supported = new ArrayList<>();
            for (ResultKind<?> kind : List.of(ResultKind.SCAN, ResultKind.PING, ResultKind.TRACE)) {
                if (!f.supports(kind)) continue;
                supported.add(kind.label());
                Object sink = f.create(kind, out, Fixtures.opts());
                assertTrue(switch (kind.label()) {
                    case "scan" -> sink instanceof ResultSink;
                    case "ping" -> sink instanceof PingListener;
                    default -> sink instanceof TraceListener;
                }, f + " " + kind);
            }
            kinds.put(f.label(), String.join(",", supported));
        }
        assertEquals(Map.of("table", "scan,ping,trace", "jsonl", "scan,ping,trace", "csv", "scan,ping",
                "xml", "scan", "grep", "scan"), kinds);
        assertEquals("table, jsonl", OutputFormat.labels(ResultKind.TRACE));
    }

    @Test
    void anUnsupportedCombinationIsAUsageErrorNamingTheFormat() {
        UsageException e = assertThrows(UsageException.class,
                () -> OutputFormat.XML.create(ResultKind.TRACE, new ByteArrayOutputStream(), Fixtures.opts()));
        assertEquals("output format 'xml' is not available for trace (valid: table, jsonl)", e.getMessage());
        assertThrows(UsageException.class, () -> OutputFormat.GREP.requireSupport(ResultKind.PING));
        assertEquals(OutputFormat.CSV, OutputFormat.CSV.requireSupport(ResultKind.PING), "positive control");
    }

    @Test
    void onlyStatesParseAndDefaultToAll() {
        assertEquals(EnumSet.of(PortState.OPEN, PortState.FILTERED), OutputOptions.parseStates("open, Filtered,"));
        assertThrows(IllegalArgumentException.class, () -> OutputOptions.parseStates("open,shut"));
        for (OutputOptions all : List.of(OutputOptions.only(null), OutputOptions.only(Set.of()))) {
            assertEquals(EnumSet.allOf(PortState.class), all.only());
        }
        OutputOptions open = OutputOptions.only(Set.of(PortState.OPEN));
        assertTrue(open.shows(PortState.OPEN) && !open.shows(PortState.FILTERED));
    }

    @Test
    void fileTargetHoldsWholeRecordsBeforeClose() throws IOException {
        Path file = dir.resolve("out.jsonl");
        Files.writeString(file, "old content that must go away\n".repeat(10));
        try (ResultSink sink = OutputFormat.JSONL.create(OutputTarget.open(file.toString()), Fixtures.opts())) {
            sink.begin(Fixtures.INFO);
            sink.accept(Fixtures.result("198.18.0.2", 22, Reason.SYN_ACK, 64, 87));
            List<String> onDisk = Files.readAllLines(file);
            assertEquals(2, onDisk.size(), "flushed record by record, old content truncated");
            Fixtures.jsonLines(String.join("\n", onDisk) + "\n");
        }
    }

    @Test
    void closingAStandardOutputSinkLeavesStandardOutputOpen() throws IOException {
        OutputFormat.CSV.create(OutputTarget.open(OutputTarget.STDOUT), Fixtures.opts()).close();
        System.out.print("");
        assertFalse(System.out.checkError(), "System.out still usable");
    }
}
