package io.synprobe.handshake;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps our own kernel from answering a target's SYN-ACK with a RST during a full handshake: no local socket owns
 * the port a crafted SYN came from, so the kernel resets the connection before our crafted ACK completes it.
 *
 * <p>For one run it installs an nftables table of its own, {@code inet synprobe_<pid>_<random>}, whose output
 * chain drops only RSTs that leave from the run's source-port range towards the run's targets and do not carry
 * the run's mark. The run's send sockets carry that mark (SO_MARK, {@code RawSockets.setMark}), so the RST or FIN
 * that synprobe itself sends to close a connection passes. Nothing else is touched: the table is created and
 * deleted whole. It is removed by {@link #close()}, by a shutdown hook (Ctrl-C without a handler, System.exit),
 * and, after a crash or kill -9, by the next run's {@link #install} (tables whose pid no longer runs).
 */
public final class LocalRstGuard implements AutoCloseable {
    /** Table names are {@code synprobe_<pid>_<8 hex digits>}, in the inet family. */
    public static final String TABLE_PREFIX = "synprobe_";
    /** The mark our crafted packets carry unless the caller picks another: "SYNP". */
    public static final int DEFAULT_MARK = 0x53594e50;
    private static final Pattern OUR_TABLE = Pattern.compile("^table inet (synprobe_(\\d+)_[0-9a-f]{8})\\s*$",
            Pattern.MULTILINE);
    private static final int CAP_NET_ADMIN = 12;
    private static final long NFT_TIMEOUT_SECONDS = 20;

    private final String netnsPath;
    private final String table;
    private final int mark;
    private final Thread hook;
    private boolean removed;

    /** The run could not install the table for lack of CAP_NET_ADMIN: exit code 3, with {@link #getMessage()}. */
    public static final class NotPermittedException extends RuntimeException {
        NotPermittedException(String message) {
            super(message);
        }
    }

    /** nft is missing or refused the table for another reason: exit code 4. */
    public static final class GuardException extends RuntimeException {
        GuardException(String message) {
            super(message);
        }
    }

    private LocalRstGuard(String netnsPath, String table, int mark) {
        this.netnsPath = netnsPath;
        this.table = table;
        this.mark = mark;
        this.hook = new Thread(this::remove, "synprobe-rst-guard");
    }

    /**
     * Removes the tables of runs that are gone, then installs this run's.
     *
     * @param netnsPath a network namespace file (the run's --netns) or null for the current namespace
     * @param portLo    first source port of the run's crafted SYNs
     * @param portHi    last source port, inclusive
     * @param targets   the addresses the run probes (IPv4 and IPv6 mixed)
     * @param mark      the SO_MARK of the run's send sockets, nonzero
     */
    public static LocalRstGuard install(String netnsPath, int portLo, int portHi, Collection<InetAddress> targets,
                                        int mark) {
        if (portLo < 1 || portHi > 65535 || portLo > portHi) {
            throw new IllegalArgumentException("source port range " + portLo + "-" + portHi);
        }
        if (mark == 0) throw new IllegalArgumentException("the mark must be nonzero");
        if (!hasNetAdmin()) throw notPermitted("");
        removeStale(netnsPath);
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        String table = TABLE_PREFIX + ProcessHandle.current().pid() + "_" + String.format("%02x%02x%02x%02x",
                random[0], random[1], random[2], random[3]);
        LocalRstGuard guard = new LocalRstGuard(netnsPath, table, mark);
        // the hook first: a Ctrl-C between the two steps must not leave the table behind
        Runtime.getRuntime().addShutdownHook(guard.hook);
        try {
            nft(netnsPath, ruleset(table, portLo, portHi, targets, mark), "-f", "-");
        } catch (RuntimeException e) {
            try {
                guard.close();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        return guard;
    }

    /** The nftables script that creates the table (exposed for the README and tests). */
    public static String ruleset(String table, int portLo, int portHi, Collection<InetAddress> targets, int mark) {
        List<String> v4 = new ArrayList<>(), v6 = new ArrayList<>();
        for (InetAddress a : targets) (a instanceof Inet4Address ? v4 : v6).add(a.getHostAddress());
        StringBuilder s = new StringBuilder();
        s.append("table inet ").append(table).append(" {\n");
        if (!v4.isEmpty()) s.append("  set targets4 { type ipv4_addr; elements = { ").append(String.join(", ", v4)).append(" } }\n");
        if (!v6.isEmpty()) s.append("  set targets6 { type ipv6_addr; elements = { ").append(String.join(", ", v6)).append(" } }\n");
        s.append("  chain output {\n    type filter hook output priority filter; policy accept;\n");
        String match = "meta mark != 0x" + Integer.toHexString(mark) + " tcp sport " + portLo + "-" + portHi
                + " tcp flags & rst == rst";
        if (!v4.isEmpty()) s.append("    ").append(match).append(" ip daddr @targets4 drop\n");
        if (!v6.isEmpty()) s.append("    ").append(match).append(" ip6 daddr @targets6 drop\n");
        return s.append("  }\n}\n").toString();
    }

    /**
     * Deletes every {@code synprobe_<pid>_*} table whose pid no longer runs (left by a run that was killed), and
     * nothing else.
     *
     * @return the names of the tables removed
     */
    public static List<String> removeStale(String netnsPath) {
        List<String> removed = new ArrayList<>();
        Matcher m = OUR_TABLE.matcher(nft(netnsPath, null, "list", "tables", "inet"));
        while (m.find()) {
            long pid = Long.parseLong(m.group(2));
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) continue;
            deleteTable(netnsPath, m.group(1));
            removed.add(m.group(1));
        }
        return removed;
    }

    public String table() {
        return table;
    }

    public int mark() {
        return mark;
    }

    /** Removes the table; safe to call more than once, and from the shutdown hook. */
    @Override
    public void close() {
        remove();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // shutting down already, or the hook was never added: nothing to unregister
        }
    }

    private synchronized void remove() {
        if (removed) return;
        removed = true;
        deleteTable(netnsPath, table);
    }

    private static void deleteTable(String netnsPath, String name) {
        try {
            nft(netnsPath, null, "delete", "table", "inet", name);
        } catch (GuardException e) {
            // already gone (another run's cleanup got there first) is what we wanted
            if (!e.getMessage().contains("No such file or directory")) throw e;
        }
    }

    private static String nft(String netnsPath, String stdin, String... args) {
        List<String> cmd = new ArrayList<>();
        if (netnsPath != null) cmd.addAll(List.of("nsenter", "--net=" + netnsPath, "--"));
        cmd.add(nftBinary());
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            if (stdin != null) p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(NFT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new GuardException("nft did not finish within " + NFT_TIMEOUT_SECONDS + " s");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() == 0) return text;
            if (text.contains("Operation not permitted")) throw notPermitted(" (nft: Operation not permitted)");
            throw new GuardException("nft " + String.join(" ", args) + " failed: " + text.strip().replace('\n', ' '));
        } catch (IOException e) {
            throw new GuardException("cannot run nft (install nftables): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GuardException("interrupted while running nft");
        }
    }

    private static String nftBinary() {
        for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
            Path p = Path.of(dir, "nft");
            if (Files.isExecutable(p)) return p.toString();
        }
        return "nft";
    }

    private static NotPermittedException notPermitted(String detail) {
        return new NotPermittedException("--handshake full needs CAP_NET_ADMIN to keep the local kernel from resetting"
                + " the connections it completes (an nftables table for this run only)" + detail + ". Run it as root"
                + " (sudo scripts/synprobe ...), or use --connect, which completes connections through the kernel.");
    }

    /** CAP_NET_ADMIN in this process's effective set (/proc/self/status); true where that cannot be read. */
    static boolean hasNetAdmin() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    long caps = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                    return (caps & (1L << CAP_NET_ADMIN)) != 0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return true;
        }
        return true;
    }
}
