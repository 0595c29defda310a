package io.synprobe.lab;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A four-namespace chain made by the test itself: prober - r1 - r2 - target, joined by veth pairs, with
 * forwarding on in the routers and routes both ways.
 *
 * <pre>
 *   prober .2 --198.18.1.0/24-- .1 r1 .2 --198.18.2.0/24-- .1 r2 .1 --198.18.3.0/24-- .2 target
 *          2001:db8:1::/64            2001:db8:2::/64            2001:db8:3::/64
 * </pre>
 *
 * So the routers' addresses facing the prober are 198.18.1.1 / 2001:db8:1::1 (r1) and 198.18.2.1 /
 * 2001:db8:2::1 (r2); the target is 198.18.3.2 / 2001:db8:3::2. ICMP rate limits are off in the routers and the
 * target. The target listens on {@link #OPEN}; {@link #CLOSED} has no listener; {@link #PROHIBITED} is rejected
 * by the target with ICMP admin-prohibited.
 */
public final class HopLab implements AutoCloseable {
    public static final int OPEN = 80;
    public static final int CLOSED = 81;
    public static final int PROHIBITED = 84;
    private static final String TARGET_RULES = """
            table inet hoplab {
              chain input {
                type filter hook input priority 0; policy accept;
                tcp dport 84 reject with icmpx type admin-prohibited
              }
            }
            """;
    private static final String QUIET_RULES = """
            table inet hoplabquiet {
              chain output {
                type filter hook output priority 0; policy accept;
                icmp type time-exceeded drop
                icmpv6 type time-exceeded drop
              }
            }
            """;

    private final String prober, r1, r2, target;
    private final List<String> created = new ArrayList<>();
    private ChildProcess listener;

    private HopLab() {
        String id = Integer.toString(ThreadLocalRandom.current().nextInt(1 << 24), 36);
        prober = "sph" + id + "p";
        r1 = "sph" + id + "r1";
        r2 = "sph" + id + "r2";
        target = "sph" + id + "t";
    }

    public static HopLab start() {
        Privileged.require("ip", "nft");
        HopLab lab = new HopLab();
        try {
            lab.build();
            return lab;
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    private void build() {
        List<String> chain = List.of(prober, r1, r2, target);
        for (String ns : chain) {
            Shell.check("ip", "netns", "add", ns);
            created.add(ns);
            Shell.check("ip", "-n", ns, "link", "set", "lo", "up");
            sysctl(ns, "net.ipv6.conf.all.accept_dad=0");
            sysctl(ns, "net.ipv6.conf.default.accept_dad=0");
        }
        // link i joins chain[i-1] (the end towards the prober, .2 except on link 3) and chain[i]
        link(1, prober, "2", r1, "1");
        link(2, r1, "2", r2, "1");
        link(3, r2, "1", target, "2");
        for (String router : List.of(r1, r2)) {
            sysctl(router, "net.ipv4.ip_forward=1");
            sysctl(router, "net.ipv6.conf.all.forwarding=1");
        }
        for (String ns : List.of(r1, r2, target)) {
            sysctl(ns, "net.ipv4.icmp_ratelimit=0");
            sysctl(ns, "net.ipv6.icmp.ratelimit=0");
        }
        // only the lab's own prefixes are routed, so nothing can leave towards other networks
        route(prober, "198.18.0.0/15", "198.18.1.1", "2001:db8::/32", "2001:db8:1::1");
        route(r1, "198.18.3.0/24", "198.18.2.1", "2001:db8:3::/64", "2001:db8:2::1");
        route(r2, "198.18.1.0/24", "198.18.2.2", "2001:db8:1::/64", "2001:db8:2::2");
        route(target, "198.18.0.0/15", "198.18.3.1", "2001:db8::/32", "2001:db8:3::1");
        Shell.checkIn(TARGET_RULES, "ip", "netns", "exec", target, "nft", "-f", "-");
        listen();
    }

    private void link(int n, String near, String nearHost, String far, String farHost) {
        String a = near + "-" + n, b = far + "-" + n; // at most 15 characters, unique among all namespaces
        Shell.check("ip", "link", "add", a, "netns", near, "type", "veth", "peer", "name", b, "netns", far);
        address(near, a, n, nearHost);
        address(far, b, n, farHost);
    }

    private static void address(String ns, String dev, int net, String host) {
        Shell.check("ip", "-n", ns, "addr", "add", "198.18." + net + "." + host + "/24", "dev", dev);
        Shell.check("ip", "-n", ns, "addr", "add", "2001:db8:" + net + "::" + host + "/64", "dev", dev, "nodad");
        Shell.check("ip", "-n", ns, "link", "set", dev, "up");
    }

    private static void route(String ns, String net4, String via4, String net6, String via6) {
        Shell.check("ip", "-n", ns, "route", "add", net4, "via", via4);
        Shell.check("ip", "-n", ns, "-6", "route", "add", net6, "via", via6);
    }

    private static void sysctl(String ns, String setting) {
        Shell.check("ip", "netns", "exec", ns, "sysctl", "-qw", setting);
    }

    private void listen() {
        listener = Splisten.start(target, OPEN);
    }

    /** Makes r2 drop the time exceeded errors it sends, until the returned handle is closed. */
    public AutoCloseable silenceRouter2() {
        Shell.checkIn(QUIET_RULES, "ip", "netns", "exec", r2, "nft", "-f", "-");
        return () -> Shell.check("ip", "netns", "exec", r2, "nft", "delete", "table", "inet", "hoplabquiet");
    }

    /** Runs a command inside the prober namespace (e.g. another traceroute to compare with). */
    public Shell.Result inProber(long timeoutSeconds, String... cmd) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", prober));
        full.addAll(List.of(cmd));
        return Shell.run(full, null, timeoutSeconds);
    }

    public static boolean installed(String command) {
        return Privileged.onPath(command);
    }

    public String proberNetns() {
        return prober;
    }

    public String proberNetnsPath() {
        return "/var/run/netns/" + prober;
    }

    public static InetAddress target(boolean v6) {
        return inet(v6 ? "2001:db8:3::2" : "198.18.3.2");
    }

    /** The addresses of r1 and r2 on the side facing the prober, in path order. */
    public static List<InetAddress> routers(boolean v6) {
        return v6 ? List.of(inet("2001:db8:1::1"), inet("2001:db8:2::1")) : List.of(inet("198.18.1.1"), inet("198.18.2.1"));
    }

    private static InetAddress inet(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: never a name lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override
    public void close() {
        if (listener != null) Splisten.stop(listener);
        for (String ns : created) Shell.run(List.of("ip", "netns", "del", ns), null, 30);
    }
}
