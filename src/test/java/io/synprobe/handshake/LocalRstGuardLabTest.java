package io.synprobe.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.synprobe.lab.Privileged;
import io.synprobe.lab.ScanLab;
import io.synprobe.lab.Shell;
import io.synprobe.nativeio.ProbeBatch;
import io.synprobe.nativeio.RawSockets;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local-RST guard against the real kernel, in the prober namespace of a lab: it stops exactly our kernel's
 * RSTs from the run's ports to the run's targets (tcpdump on the target's end), lets marked ones through, and
 * leaves `nft list ruleset` as it found it after close, Ctrl-C, and kill -9 followed by the next start.
 */
@Tag("privileged")
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LocalRstGuardLabTest {
    static final int LO = 40000, HI = 40099;
    static final String DECOYS = """
            table inet decoy {
              chain out {
                type filter hook output priority 10; policy accept;
                tcp dport 9 drop
              }
            }
            """;

    static ScanLab lab;
    static String decoyLive;

    @BeforeAll
    static void up() {
        Privileged.require("ip", "nft", "tcpdump", "nsenter", "setpriv");
        lab = ScanLab.start(2);
        // someone else's rules, and the table of a synprobe run that is still alive (this JVM): both must stay
        decoyLive = LocalRstGuard.TABLE_PREFIX + ProcessHandle.current().pid() + "_0badc0de";
        nft(DECOYS + "table inet " + decoyLive + " {\n  chain output {\n    type filter hook output priority 0; policy accept;\n  }\n}\n",
                "-f", "-");
    }

    @AfterAll
    static void down() {
        if (lab != null) lab.close();
    }

    static String nft(String stdin, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", lab.proberNetns(), "nft"));
        cmd.addAll(List.of(args));
        return Shell.checkIn(stdin, cmd.toArray(String[]::new));
    }

    static String ruleset() {
        return nft(null, "list", "ruleset");
    }

    static List<InetAddress> targets() throws Exception {
        return List.of(InetAddress.getByName("198.18.0.2"), InetAddress.getByName("2001:db8::2"));
    }

    @Test
    void closeLeavesTheRulesetAsItWas() throws Exception {
        String before = ruleset();
        assertTrue(before.contains(decoyLive) && before.contains("table inet decoy"), before);
        String table;
        try (LocalRstGuard guard = LocalRstGuard.install(lab.proberNetnsPath(), LO, HI, targets(), LocalRstGuard.DEFAULT_MARK)) {
            table = guard.table();
            assertTrue(table.matches("synprobe_" + ProcessHandle.current().pid() + "_[0-9a-f]{8}"), table);
            String during = ruleset();
            assertTrue(during.contains("table inet " + table), during);
        }
        assertEquals(before, ruleset());
    }

    @Test
    void aKilledRunsTableIsRemovedByTheNextStartAndNothingElse() throws Exception {
        String before = ruleset();
        Process holder = holder(List.of());
        String table = installed(holder);
        holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        String afterKill = ruleset();
        assertTrue(afterKill.contains("table inet " + table), "kill -9 leaves the table behind:\n" + afterKill);
        try (LocalRstGuard next = LocalRstGuard.install(lab.proberNetnsPath(), LO, HI, targets(), LocalRstGuard.DEFAULT_MARK)) {
            String during = ruleset();
            assertFalse(during.contains(table), "the dead run's table is gone:\n" + during);
            assertTrue(during.contains(decoyLive), "a live run's table stays:\n" + during);
        }
        assertEquals(before, ruleset());
    }

    @Test
    void ctrlCRemovesTheTable() throws Exception {
        String before = ruleset();
        Process holder = holder(List.of());
        String table = installed(holder);
        assertTrue(ruleset().contains(table));
        Shell.check("kill", "-INT", Long.toString(holder.pid()));
        assertTrue(holder.waitFor(20, TimeUnit.SECONDS));
        assertEquals(before, ruleset());
    }

    @Test
    void withoutNetAdminItSaysSoExits3AndChangesNothing() throws Exception {
        String before = ruleset();
        Process holder = holder(List.of("setpriv", "--bounding-set=-net_admin"));
        String err = new String(holder.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        assertEquals(3, holder.exitValue(), err);
        assertTrue(err.startsWith("synprobe: --handshake full needs CAP_NET_ADMIN") && err.contains("Run it as root"), err);
        assertEquals(1, err.strip().split("\n").length, "one line, no stack trace: " + err);
        assertEquals(before, ruleset());
    }

    /** The packets our kernel and our marked socket send, seen where they arrive; with and without the guard. */
    @Test
    void theGuardDropsOnlyOurKernelsRstsToTheRunsTargetsFromTheRunsPorts(@TempDir Path dir) throws Exception {
        String before = ruleset();
        byte[] p4 = InetAddress.getByName("198.18.0.1").getAddress(), p6 = InetAddress.getByName("2001:db8::1").getAddress();
        byte[] t4 = InetAddress.getByName("198.18.0.2").getAddress(), t6 = InetAddress.getByName("2001:db8::2").getAddress();
        byte[] other4 = InetAddress.getByName("198.18.0.3").getAddress();
        String filter = "(ip and tcp[tcpflags] & tcp-rst != 0) or (ip6 and ip6[6] == 6 and ip6[53] & 4 != 0)";
        try (RawSockets sockets = RawSockets.open(true, true, LO, HI, lab.proberNetnsPath())) {
            sockets.setMark(LocalRstGuard.DEFAULT_MARK);
            ProbeBatch batch = new ProbeBatch(8);

            // without the guard: the kernel resets the connections our SYNs opened
            List<String> unguarded;
            try (Tcpdump cap = Tcpdump.start(lab.targetNetns(), "veth-" + lab.targetNetns(), filter, dir.resolve("a.pcap"))) {
                batch.clear();
                batch.addSyn(p4, t4, 40001, 22, 1000, 64, 1, 1024, 1460);
                batch.addSyn(p6, t6, 40001, 22, 2000, 64, 2, 1024, 1460);
                sockets.send(batch);
                Thread.sleep(400);
                cap.close();
                unguarded = cap.verbose();
            }
            assertTrue(has(unguarded, "198.18.0.1.40001 > 198.18.0.2.22", "seq 1001, win 0"), String.join("", unguarded));
            assertTrue(has(unguarded, "2001:db8::1.40001 > 2001:db8::2.22", "seq 2001, win 0"), String.join("", unguarded));

            List<String> guarded;
            try (LocalRstGuard guard = LocalRstGuard.install(lab.proberNetnsPath(), LO, HI, targets(), LocalRstGuard.DEFAULT_MARK);
                 Tcpdump cap = Tcpdump.start(lab.targetNetns(), "veth-" + lab.targetNetns(), filter, dir.resolve("b.pcap"))) {
                batch.clear();
                batch.addSyn(p4, t4, 40002, 22, 3000, 64, 3, 1024, 1460);
                batch.addSyn(p6, t6, 40002, 22, 4000, 64, 4, 1024, 1460);
                batch.addSyn(p4, other4, 40003, 22, 5000, 64, 5, 1024, 1460); // not a target of the run
                batch.addSyn(p4, t4, 41000, 22, 6000, 64, 6, 1024, 1460);     // not one of the run's ports
                sockets.send(batch);
                Thread.sleep(300);
                // our own RST, on the marked socket, window 4321 to tell it from the kernel's
                batch.clear();
                batch.add(p4, t4, 40002, 22, 3001, 0, 0x04, 64, 7, 4321, 0);
                batch.add(p6, t6, 40002, 22, 4001, 0, 0x04, 64, 8, 4321, 0);
                sockets.send(batch);
                Thread.sleep(300);
                cap.close();
                guarded = cap.verbose();
            }
            String all = String.join("", guarded);
            assertFalse(has(guarded, "198.18.0.1.40002 > 198.18.0.2.22", "win 0"), "the kernel's RST was dropped:\n" + all);
            assertFalse(has(guarded, "2001:db8::1.40002 > 2001:db8::2.22", "win 0"), "the kernel's RST was dropped:\n" + all);
            assertTrue(has(guarded, "198.18.0.1.40002 > 198.18.0.2.22", "seq 3001, win 4321"), "our marked RST passes:\n" + all);
            assertTrue(has(guarded, "2001:db8::1.40002 > 2001:db8::2.22", "seq 4001, win 4321"), "our marked RST passes:\n" + all);
            assertTrue(has(guarded, "198.18.0.1.40003 > 198.18.0.3.22", "seq 5001, win 0"), "other targets untouched:\n" + all);
            assertTrue(has(guarded, "198.18.0.1.41000 > 198.18.0.2.22", "seq 6001, win 0"), "other ports untouched:\n" + all);
        }
        assertEquals(before, ruleset());
    }

    static boolean has(List<String> blocks, String endpoints, String fields) {
        return blocks.stream().anyMatch(b -> b.contains(endpoints + ": Flags [R]") && b.contains(fields));
    }

    private Process holder(List<String> prefix) throws Exception {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(io.synprobe.testutil.Jvm.JAVA, io.synprobe.testutil.Jvm.NATIVE_ACCESS, "-cp",
                System.getProperty("java.class.path"), GuardHolder.class.getName(), lab.proberNetnsPath(),
                Integer.toString(LO), Integer.toString(HI), "198.18.0.2", "2001:db8::2"));
        return new ProcessBuilder(cmd).start();
    }

    private static String installed(Process holder) throws Exception {
        String line = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8)).readLine();
        Matcher m = Pattern.compile("installed (synprobe_\\d+_[0-9a-f]{8})").matcher(String.valueOf(line));
        if (!m.matches()) {
            holder.destroyForcibly();
            throw new AssertionError("holder said " + line + ": " + new String(holder.getErrorStream().readAllBytes()));
        }
        return m.group(1);
    }
}
