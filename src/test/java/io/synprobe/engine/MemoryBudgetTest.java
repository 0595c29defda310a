package io.synprobe.engine;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.synprobe.lab.Privileged;
import io.synprobe.lab.Shell;
import io.synprobe.target.UsageException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A scan that cannot fit its heap is refused before anything is sent, naming the size and what to do. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MemoryBudgetTest {
    @Test
    void aScanFitsOrIsRefusedNamingTheSize() {
        assertDoesNotThrow(() -> MemoryBudget.check(1_000_000, 64L << 20));
        UsageException e = assertThrows(UsageException.class, () -> MemoryBudget.check(100_000_000, 256L << 20));
        assertTrue(e.getMessage().contains("100,000,000 probes") && e.getMessage().contains("429 MB")
                && e.getMessage().contains("256 MB heap") && e.getMessage().contains("-Xmx"), e.getMessage());
    }

    /** The real command in a small heap: exit 2 and one line, and no packet (the namespace has no way out anyway). */
    @Test
    void theCommandRefusesWithExitTwo() {
        Privileged.require("ip");
        String ns = "spmb" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 24), 36);
        Shell.check("ip", "netns", "add", ns);
        try {
            Shell.Result r = Shell.run(List.of(io.synprobe.testutil.Jvm.JAVA, io.synprobe.testutil.Jvm.NATIVE_ACCESS, "-Xmx64m",
                    "-cp", System.getProperty("java.class.path"), "io.synprobe.cli.Main", "scan", "2001:db8::/106", "-p", "1-8",
                    "--netns", ns, "-q"), null, 60);
            assertEquals(2, r.exit(), r.out());
            assertEquals(1, r.out().strip().lines().count(), r.out());
            assertTrue(r.out().contains("33,554,432 probes") && r.out().contains("-Xmx"), r.out());
        } finally {
            Shell.run(List.of("ip", "netns", "del", ns), null, 30);
        }
    }
}
