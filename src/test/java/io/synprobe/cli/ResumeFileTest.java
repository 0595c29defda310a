package io.synprobe.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.synprobe.engine.ResumePoint;
import io.synprobe.target.UsageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Resume files past 2^31 and as large as a full in-flight table, written and read back; broken ones refused. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ResumeFileTest {
    @Test
    void positionsAndProbesPastTwoToThe31RoundTrip(@TempDir Path dir) throws Exception {
        long[] pending = new long[1 << 19]; // a full in-flight table
        for (int i = 0; i < pending.length; i++) pending[i] = (1L << 32) - 1 - i * 4099L;
        ResumeFile f = new ResumeFile(List.of("0.0.0.0/1", "-p", "80", "--seed", "-6123"), new ResumePoint((1L << 31) + 5, pending));
        Path file = dir.resolve("r.resume");
        f.write(file);
        ResumeFile back = ResumeFile.read(file);
        assertEquals(f.args(), back.args());
        assertEquals((1L << 31) + 5, back.point().position());
        assertArrayEquals(pending, back.point().pending());
    }

    @Test
    void brokenFilesAreUsageErrors(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad");
        Files.writeString(file, "synprobe-resume 1\narg x\nposition 12\npending 4294967296x\n");
        UsageException e = assertThrows(UsageException.class, () -> ResumeFile.read(file));
        assertTrue(e.getMessage().contains(":4: invalid number '4294967296x'"), e.getMessage());
        Files.write(file, new byte[] {(byte) 0xff, (byte) 0xfe, 0});
        assertTrue(assertThrows(UsageException.class, () -> ResumeFile.read(file)).getMessage().contains("not a synprobe resume file"));
        assertTrue(assertThrows(UsageException.class, () -> ResumeFile.read(dir.resolve("none"))).getMessage().contains("no such file"));
    }
}
