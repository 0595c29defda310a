package io.synprobe.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceNamesTest {
    @TempDir
    Path dir;

    @Test
    void readsTcpEntriesFirstNameWins() throws IOException {
        Path file = Files.writeString(dir.resolve("services"), """
                # comment line
                tcpmux\t\t1/tcp\t\t\t\t# TCP port service multiplexer
                domain\t\t53/udp
                http\t\t80/tcp\t\twww\t\t# WorldWideWeb HTTP
                www-alt\t\t80/tcp
                broken\t\tx/tcp
                noslash 99
                custom 65535/TCP
                """);
        ServiceNames names = new ServiceNames(file);
        assertEquals("tcpmux", names.name(1));
        assertEquals("http", names.name(80));
        assertEquals(ServiceNames.UNKNOWN, names.name(53), "udp-only entries do not name tcp ports");
        assertEquals(ServiceNames.UNKNOWN, names.name(99));
        assertEquals("custom", names.name(65535));
        assertEquals(ServiceNames.UNKNOWN, names.name(22), "a file that exists replaces the built-in table");
    }

    @Test
    void fallsBackToBuiltInNamesWhenTheFileIsMissing() {
        ServiceNames names = new ServiceNames(dir.resolve("missing"));
        assertEquals("ssh", names.name(22));
        assertEquals("http", names.name(80));
        assertEquals("https", names.name(443));
        assertEquals(ServiceNames.UNKNOWN, names.name(4));
    }

    @Test
    void loadsLazily() throws IOException {
        Path file = dir.resolve("late");
        ServiceNames names = new ServiceNames(file);
        Files.writeString(file, "late 7/tcp\n");
        assertEquals("late", names.name(7), "nothing is read before the first lookup");
    }

    @Test
    void theFirstReadableFileWinsNmapServicesFormatIncluded() throws IOException {
        Path nmap = Files.writeString(dir.resolve("nmap-services"), """
                # Fields in this file are: Service name, portnum/protocol, open-frequency, optional comments
                ssh\t22/sctp\t0.000000\t# Secure Shell Login
                ssh\t22/tcp\t0.182286\t# Secure Shell Login
                priv-mail\t24/tcp\t0.001250\t# any private mail system
                """);
        Path etc = Files.writeString(dir.resolve("services"), "etc-name 24/tcp\nother 25/tcp\n");
        ServiceNames preferNmap = ServiceNames.firstOf(nmap, etc);
        assertEquals("priv-mail", preferNmap.name(24));
        assertEquals("ssh", preferNmap.name(22));
        assertEquals(ServiceNames.UNKNOWN, preferNmap.name(25), "only the first readable file is used");
        ServiceNames noNmap = ServiceNames.firstOf(dir.resolve("absent"), etc);
        assertEquals("etc-name", noNmap.name(24));
        assertEquals("ssh", ServiceNames.firstOf(dir.resolve("a"), dir.resolve("b")).name(22), "built in last");
    }
}
