package io.synprobe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Targets from files and exclusions, end to end through the CLI (connect scans of loopback: no privileges needed). */
class TargetFilesTest {
    @TempDir
    Path dir;

    @Test
    void targetsFromAFileWithCommentsMinusExclusions() throws Exception {
        try (ServerSocket open = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Files.writeString(dir.resolve("hosts.txt"), """
                    # loopback hosts
                    127.0.0.1   # this one listens
                    127.0.0.2, 127.0.0.3
                    127.0.0.4-127.0.0.6
                    """);
            Files.writeString(dir.resolve("skip.txt"), "127.0.0.5 # not this one\n");
            Path csv = dir.resolve("out.csv");
            int exit = Main.execute("scan", "-iL", dir.resolve("hosts.txt").toString(), "--exclude", "127.0.0.3",
                    "--exclude-file", dir.resolve("skip.txt").toString(), "-p", String.valueOf(open.getLocalPort()),
                    "--connect", "-o", "csv", "--output", csv.toString(), "-q");
            assertEquals(0, exit);
            List<String> hosts = Files.readAllLines(csv).stream().skip(1).map(l -> l.split(",")[0]).sorted().toList();
            assertEquals(List.of("127.0.0.1", "127.0.0.2", "127.0.0.4", "127.0.0.6"), hosts);
            assertTrue(Files.readString(csv).contains("127.0.0.1," + open.getLocalPort() + ",tcp,open,syn-ack"));
        }
    }

    @Test
    void aNegativeSeedIsAValueNotAnOption() throws Exception {
        // "-6123" starts like the option -6; resume files carry seeds like it
        Path csv = dir.resolve("seed.csv");
        assertEquals(0, Main.execute("scan", "127.0.0.1", "-p", "1", "--seed", "-6123", "--shard", "1/1", "--connect", "-o", "csv",
                "--output", csv.toString(), "-q"));
        assertEquals(2, Files.readAllLines(csv).size());
    }

    @Test
    void completionPrintsABashCompletionScript() {
        picocli.CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        assertEquals(0, cl.execute("completion"));
        assertTrue(out.toString().contains("complete -F") && out.toString().contains("synprobe"), out.toString());
    }
}
