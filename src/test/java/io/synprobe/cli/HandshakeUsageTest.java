package io.synprobe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The full handshake's options: every misuse is a one-line usage error (exit 2) naming the bad option, before anything is sent. */
class HandshakeUsageTest {
    static String[] run(String line) {
        StringWriter err = new StringWriter();
        picocli.CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(line.split(" "));
        return new String[] {Integer.toString(exit), err.toString()};
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ping 127.0.0.1 -p 22 --banner | --banner needs --handshake full",
            "ping 127.0.0.1 -p 22 --close fin | --close fin needs --handshake full",
            "ping 127.0.0.1 -p 22 --handshake third | invalid --handshake 'third' (half or full)",
            "ping 127.0.0.1 -p 22 --handshake full --close never | invalid --close 'never' (rst or fin)",
            "ping 127.0.0.1 -p 22 --handshake full --connect | --handshake full crafts its own packets: not with --connect",
            "scan 127.0.0.1 -p 22 --banner | --banner needs --handshake full",
            "scan 127.0.0.1 -p 22 --handshake full --scan-type ack | --handshake full starts with a SYN: not with --scan-type ack",
            "scan 127.0.0.1 -p 22 --handshake full --connect | --handshake full crafts its own packets: not with --connect",
            "scan 127.0.0.0/24 -p 1-17 --handshake full | --handshake full is for small scans: 4352 probes (addresses x ports) is more than 4096",
    })
    void misuseIsAUsageError(String line, String message) {
        String[] r = run(line.strip());
        assertEquals("2", r[0], r[1]);
        assertTrue(r[1].strip().endsWith(message), r[1]);
        assertEquals(1, r[1].strip().split("\n").length, r[1]);
    }
}
