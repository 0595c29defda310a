package io.synprobe.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputTargetTest {
    @TempDir
    Path dir;

    @Test
    void aFileOpenedOnFirstWriteExistsOnlyOnceSomethingIsWritten() throws Exception {
        Path never = dir.resolve("never.jsonl"), used = dir.resolve("used.jsonl");
        try (OutputStream out = OutputTarget.openOnFirstWrite(never.toString())) {
            out.flush();
        }
        assertFalse(Files.exists(never), "a run that reported nothing leaves no file");
        try (OutputStream out = OutputTarget.openOnFirstWrite(used.toString())) {
            out.write("{\"type\":\"probe\"}\n".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals("{\"type\":\"probe\"}\n", Files.readString(used));
    }
}
