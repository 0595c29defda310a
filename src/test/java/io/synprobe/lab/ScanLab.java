package io.synprobe.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A two-namespace lab made by the test itself: a prober namespace and a target namespace joined by a veth pair,
 * with real listeners and nftables rules in the target. IPv4 198.18.0.0/24 and IPv6 2001:db8::/64; the prober is
 * .1 / ::1, the targets .2 up (at most 253). ICMP rate limits are off in the target so every reject is answered.
 *
 * <p>Ports of every target (both families unless noted): 22, 80 open; 81 closed (no listener); 82 dropped;
 * 83 icmp port-unreachable; 84 admin-prohibited; 85 host-unreachable; 86 tcp reset (with a listener behind it);
 * 87 no-route; IPv4 only: 88 net-prohibited, 89 host-prohibited, 90 protocol-unreachable.
 */
public final class ScanLab implements AutoCloseable {
    public static final int[] OPEN = {22, 80, 86};
    public static final String RULES = """
            table inet lab {
              chain input {
                type filter hook input priority 0; policy accept;
                tcp dport 82 drop
                tcp dport 83 reject with icmpx type port-unreachable
                tcp dport 84 reject with icmpx type admin-prohibited
                tcp dport 85 reject with icmpx type host-unreachable
                tcp dport 86 reject with tcp reset
                tcp dport 87 reject with icmpx type no-route
                meta nfproto ipv4 tcp dport 88 reject with icmp type net-prohibited
                meta nfproto ipv4 tcp dport 89 reject with icmp type host-prohibited
                meta nfproto ipv4 tcp dport 90 reject with icmp type prot-unreachable
              }
            }
            """;

    private final String prober;
    private final String target;
    private final int hosts;
    private final List<ChildProcess> processes = new ArrayList<>();

    private ScanLab(int hosts) {
        String id = Integer.toString(ThreadLocalRandom.current().nextInt(1 << 24), 36);
        this.prober = "sp" + id + "p";
        this.target = "sp" + id + "t";
        this.hosts = hosts;
    }

    /** Builds the lab with target addresses .2 .. .(hosts+1) (and 2001:db8::2 ..). */
    public static ScanLab start(int hosts) {
        Privileged.require("ip", "nft");
        ScanLab lab = new ScanLab(hosts);
        try {
            lab.build();
            return lab;
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    private void build() {
        Shell.check("ip", "netns", "add", prober);
        Shell.check("ip", "netns", "add", target);
        Shell.check("ip", "link", "add", "veth-" + prober, "netns", prober, "type", "veth", "peer", "name", "veth-" + target,
                "netns", target);
        for (String ns : List.of(prober, target)) {
            Shell.check("ip", "-n", ns, "link", "set", "lo", "up");
            Shell.check("ip", "-n", ns, "link", "set", "veth-" + ns, "up");
            Shell.check("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.accept_dad=0");
        }
        Shell.check("ip", "-n", prober, "addr", "add", "198.18.0.1/24", "dev", "veth-" + prober);
        Shell.check("ip", "-n", prober, "addr", "add", "2001:db8::1/64", "dev", "veth-" + prober, "nodad");
        StringBuilder addresses = new StringBuilder(); // one ip process for all of them: 253 hosts take a moment
        for (int i = 0; i < hosts; i++) {
            addresses.append("addr add ").append(v4(i)).append("/24 dev veth-").append(target).append('\n');
            addresses.append("addr add ").append(v6(i)).append("/64 dev veth-").append(target).append(" nodad\n");
        }
        Shell.checkIn(addresses.toString(), "ip", "-n", target, "-batch", "-");
        // every reject is answered: no per-destination limit, and no global one (ratemask: no type is limited)
        Shell.check("ip", "netns", "exec", target, "sysctl", "-qw", "net.ipv4.icmp_ratelimit=0");
        Shell.check("ip", "netns", "exec", target, "sysctl", "-qw", "net.ipv6.icmp.ratelimit=0");
        Shell.check("ip", "netns", "exec", target, "sysctl", "-qw", "net.ipv4.icmp_ratemask=0");
        Shell.check("ip", "netns", "exec", target, "sysctl", "-qw", "net.ipv6.icmp.ratemask=");
        Shell.checkIn(RULES, "ip", "netns", "exec", target, "nft", "-f", "-");
        listen(OPEN);
        if (io.synprobe.nativeio.SendPath.current() != io.synprobe.nativeio.SendPath.IP) pinNextHops();
    }

    /**
     * On the packet path a probe to a next hop the kernel has not resolved yet goes the IP way (which resolves it):
     * pinning the target's MAC for every address makes the frames carry the probes from the first one on.
     */
    private void pinNextHops() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("link/ether ([0-9a-f:]{17})")
                .matcher(Shell.check("ip", "-n", target, "link", "show", "dev", "veth-" + target));
        if (!m.find()) throw new IllegalStateException("no MAC on veth-" + target);
        StringBuilder neigh = new StringBuilder();
        for (int i = 0; i < hosts; i++) {
            for (String a : List.of(v4(i), v6(i))) {
                neigh.append("neigh replace ").append(a).append(" lladdr ").append(m.group(1)).append(" dev veth-")
                        .append(prober).append(" nud permanent\n");
            }
        }
        Shell.checkIn(neigh.toString(), "ip", "-n", prober, "-batch", "-");
    }

    /** Starts real listeners in the target namespace (all its addresses, both families). */
    public void listen(int... ports) {
        processes.add(Splisten.start(target, ports));
    }

    public String proberNetns() {
        return prober;
    }

    public String targetNetns() {
        return target;
    }

    public String proberNetnsPath() {
        return "/var/run/netns/" + prober;
    }

    public static String v4(int i) {
        return "198.18.0." + (i + 2);
    }

    public static String v6(int i) {
        return "2001:db8::" + Integer.toHexString(i + 2);
    }

    public int hosts() {
        return hosts;
    }

    @Override
    public void close() {
        processes.forEach(Splisten::stop);
        Shell.run(List.of("ip", "netns", "del", prober), null, 30);
        Shell.run(List.of("ip", "netns", "del", target), null, 30);
    }
}
