package io.synprobe.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The process helper every lab test relies on: a hang ends at the deadline, naming the command, with its tree gone. */
@Timeout(30)
class ChildProcessTest {
    @Test
    void aCommandThatHangsIsKilledWithItsChildrenAndNamed() throws Exception {
        try (ChildProcess p = ChildProcess.start(List.of("sh", "-c", "echo started; sleep 300 & sleep 301; wait"))) {
            p.awaitLine("started"::equals, Duration.ofSeconds(10), "the start line");
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (ProcessHandle.of(p.pid()).orElseThrow().descendants().count() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            List<ProcessHandle> children = ProcessHandle.of(p.pid()).orElseThrow().descendants().toList();
            assertEquals(2, children.size(), "both sleeps started");
            long t0 = System.nanoTime();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.waitFor(Duration.ofSeconds(1)));
            assertTrue((System.nanoTime() - t0) / 1_000_000 < 8000, "the deadline holds");
            assertTrue(e.getMessage().contains("timed out after 1 s") && e.getMessage().contains("sleep 300 & sleep 301")
                    && e.getMessage().contains("started"), e.getMessage());
            assertFalse(p.isAlive());
            for (ProcessHandle c : children) {
                c.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
                assertFalse(c.isAlive(), "child " + c.pid() + " was killed too");
            }
        }
    }

    @Test
    void aLineThatNeverComesFailsAtTheDeadline() {
        try (ChildProcess p = ChildProcess.start(List.of("sleep", "300"))) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> p.awaitLine("ready"::equals, Duration.ofSeconds(1), "'ready'"));
            assertTrue(e.getMessage().contains("no 'ready' within 1 s") && e.getMessage().contains("sleep 300"), e.getMessage());
            assertFalse(p.isAlive());
        }
    }

    @Test
    void outputIsKeptEvenWhenNobodyReadsIt() {
        // far more than a pipe holds: with output to a file the child never blocks on a full pipe
        Shell.Result r = Shell.run(List.of("sh", "-c", "head -c 1000000 /dev/zero | tr '\\0' x; echo; echo done"), null, 30);
        assertEquals(0, r.exit());
        assertTrue(r.out().endsWith("done\n") && r.out().length() == 1_000_006, "length " + r.out().length());
    }

    @Test
    void stdinIsGivenAndTheExitCodeReturned() {
        Shell.Result r = Shell.run(List.of("sh", "-c", "read x; echo got $x; exit 3"), "hello\n", 30);
        assertEquals(3, r.exit());
        assertEquals("got hello\n", r.out());
    }
}
