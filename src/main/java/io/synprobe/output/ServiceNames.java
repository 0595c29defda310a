package io.synprobe.output;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * TCP port to service name, loaded on first use from the first file that exists of a list: by default nmap's
 * {@code /usr/share/nmap/nmap-services} (so names agree with nmap's, which matters to ndiff), then
 * {@code /etc/services}, then a built-in table of common ports. Both files have lines {@code name port/proto ...}.
 */
public final class ServiceNames {
    /** nmap's word for a port it has no name for. */
    public static final String UNKNOWN = "unknown";

    /** Where nmap's table is installed by the distribution packages. */
    public static final Path NMAP_SERVICES = Path.of("/usr/share/nmap/nmap-services");
    public static final Path ETC_SERVICES = Path.of("/etc/services");
    private static final ServiceNames SYSTEM = firstOf(NMAP_SERVICES, ETC_SERVICES);

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

    private final List<Path> files;
    private volatile String[] names;

    /** The names of one file, or the built-in table when it cannot be read. */
    public ServiceNames(Path file) {
        this.files = List.of(file);
    }

    private ServiceNames(List<Path> files) {
        this.files = files;
    }

    /** The names of the first of these files that can be read, or the built-in table when none can. */
    public static ServiceNames firstOf(Path... files) {
        return new ServiceNames(List.of(files));
    }

    /** The shared table: nmap-services, else /etc/services, else built in. */
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
            boolean read = false;
            for (int i = 0; i < files.size() && !read; i++) {
                try {
                    parse(Files.readAllLines(files.get(i), StandardCharsets.ISO_8859_1), table);
                    read = true;
                } catch (IOException missingOrUnreadable) {
                    // try the next one
                }
            }
            if (!read) FALLBACK.forEach((port, name) -> table[port] = name);
            names = table;
        }
        return names;
    }

    /**
     * Lines look like {@code http  80/tcp  www  # comment} (services(5)) or {@code http  80/tcp  0.484143  # World
     * Wide Web HTTP} (nmap-services); the first name given for a port wins.
     */
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
