package io.synprobe.output;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** TCP port to service name, from a services(5) file, loaded on first use. */
public final class ServiceNames {
    /** nmap's word for a port it has no name for. */
    public static final String UNKNOWN = "unknown";

    private static final Path SYSTEM_FILE = Path.of("/etc/services");
    private static final ServiceNames SYSTEM = new ServiceNames(SYSTEM_FILE);

    /** Used when the file is missing, so common ports are still named. */
    private static final Map<Integer, String> FALLBACK = Map.ofEntries(
            Map.entry(20, "ftp-data"), Map.entry(21, "ftp"), Map.entry(22, "ssh"), Map.entry(23, "telnet"),
            Map.entry(25, "smtp"), Map.entry(53, "domain"), Map.entry(80, "http"), Map.entry(110, "pop3"),
            Map.entry(111, "rpcbind"), Map.entry(123, "ntp"), Map.entry(135, "msrpc"), Map.entry(139, "netbios-ssn"),
            Map.entry(143, "imap"), Map.entry(389, "ldap"), Map.entry(443, "https"), Map.entry(445, "microsoft-ds"),
            Map.entry(465, "smtps"), Map.entry(587, "submission"), Map.entry(636, "ldaps"), Map.entry(993, "imaps"),
            Map.entry(995, "pop3s"), Map.entry(1433, "ms-sql-s"), Map.entry(1521, "oracle"), Map.entry(2049, "nfs"),
            Map.entry(3306, "mysql"), Map.entry(3389, "ms-wbt-server"), Map.entry(5432, "postgresql"),
            Map.entry(5900, "vnc"), Map.entry(6379, "redis"), Map.entry(8080, "http-proxy"),
            Map.entry(8443, "https-alt"), Map.entry(27017, "mongod"));

    private final Path file;
    private volatile String[] names;

    public ServiceNames(Path file) {
        this.file = file;
    }

    /** The shared table read from /etc/services. */
    public static ServiceNames system() {
        return SYSTEM;
    }

    /** The service name of a TCP port, or {@link #UNKNOWN}. */
    public String name(int port) {
        String[] table = names;
        if (table == null) table = load();
        String name = port >= 0 && port < table.length ? table[port] : null;
        return name == null ? UNKNOWN : name;
    }

    private synchronized String[] load() {
        if (names == null) {
            String[] table = new String[65536];
            try {
                parse(Files.readAllLines(file, StandardCharsets.ISO_8859_1), table);
            } catch (IOException missingOrUnreadable) {
                FALLBACK.forEach((port, name) -> table[port] = name);
            }
            names = table;
        }
        return names;
    }

    /** Lines look like {@code http  80/tcp  www  # comment}; the first name given for a port wins. */
    private static void parse(List<String> lines, String[] table) {
        for (String line : lines) {
            int hash = line.indexOf('#');
            String[] fields = (hash >= 0 ? line.substring(0, hash) : line).trim().split("\\s+");
            if (fields.length < 2) continue;
            int slash = fields[1].indexOf('/');
            if (slash < 0 || !fields[1].substring(slash + 1).equalsIgnoreCase("tcp")) continue;
            try {
                int port = Integer.parseInt(fields[1].substring(0, slash));
                if (port >= 0 && port < table.length && table[port] == null) table[port] = fields[0];
            } catch (NumberFormatException ignored) {
                // a malformed line; services(5) readers skip those too
            }
        }
    }
}
