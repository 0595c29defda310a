/* ceiling: the C sendmmsg ceiling for SYN scanning in the scan lab (scripts/lab).
 *
 *   ceiling [--netns NAME] [--src 198.18.0.1] [--first 198.18.0.2] [--hosts N] [--ports SPEC]
 *           [--count N] [--batch 256] [--rate PPS] [--sport P] [--wait-ms MS] [--max-seconds S] [--quiet]
 *           [--packet DEV]
 *
 * Prebuilds every IPv4+TCP SYN (hosts x ports, host varying fastest, correct IP and TCP checksums, a per-probe
 * sequence cookie) and sends them from one IPPROTO_RAW socket with sendmmsg() in batches of --batch (default
 * 256), as fast as possible (or paced to --rate). --count bounds the total: fewer than hosts x ports sends a
 * prefix; more repeats the set with the source port bumped each round. --max-seconds (default 60) bounds
 * the send loop in time as well.
 *
 * A second thread reads a raw TCP socket and a raw ICMP socket in the same namespace and counts, per distinct
 * probe (bitmap), replies whose cookie matches: SYN-ACK (open), RST (closed), ICMP unreachable (filtered).
 * It keeps reading --wait-ms (default 1000) after the last send for late replies.
 *
 * --packet DEV sends Ethernet frames on an AF_PACKET socket with PACKET_QDISC_BYPASS bound to DEV instead
 * (no IP output path, no netfilter, no neighbour layer), to the MAC the kernel's ARP table holds for --first
 * (SIOCGARP) from DEV's own MAC: the packet-socket ceiling.
 *
 * --netns NAME setns()es into /var/run/netns/NAME first (same as running it under "ip netns exec NAME").
 *
 * Output: a human summary on stderr, and one machine-readable line on stdout:
 *   ceiling sent=N send_s=S pps=P send_errors=N synack=N rst=N icmp=N answered=N answered_pct=X
 *           answered_pps=P wall_s=S user_s=S sys_s=S dev_rx_drop=N dev_tx_drop=N
 * answered_pps = answered / send_s: the probe rate the link and the target actually took.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PKT_LEN 44 /* 20 IP + 24 TCP (MSS option, like real scanners) */
#define MAX_BATCH 1024

struct pkt { uint8_t eth[14]; uint8_t b[PKT_LEN]; }; /* eth + b is the frame of --packet */

static uint32_t g_src;            /* host order */
static uint32_t g_first;          /* host order */
static int g_hosts = 253;
static uint16_t *g_ports;
static int g_nports;
static uint16_t g_sport_base = 40000;
static int g_rounds;              /* number of distinct source ports used */
static uint32_t g_key = 0x5eed1234;
static int g_port_index[65536];
static _Atomic uint64_t *g_bits_synack, *g_bits_rst, *g_bits_icmp;
static uint64_t g_ncombos;
static _Atomic uint64_t g_synack, g_rst, g_icmp, g_rx_other;
static atomic_int g_recv_stop;
static volatile sig_atomic_t g_interrupted;

static void on_signal(int s) { (void)s; g_interrupted = 1; }

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint32_t mix32(uint32_t x) {
    x ^= x >> 16; x *= 0x7feb352dU; x ^= x >> 15; x *= 0x846ca68bU; x ^= x >> 16;
    return x;
}
static uint32_t cookie(uint32_t dst, uint16_t dport, uint16_t sport) {
    return mix32(dst ^ mix32(((uint32_t)dport << 16 | sport) ^ g_key));
}

static uint16_t csum_fold(uint32_t s) {
    while (s >> 16) s = (s & 0xffff) + (s >> 16);
    return (uint16_t)~s;
}
static uint32_t csum_add(uint32_t s, const void *data, size_t len) {
    const uint8_t *p = data;
    for (size_t i = 0; i + 1 < len; i += 2) s += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (len & 1) s += (uint32_t)(p[len - 1] << 8);
    return s;
}

static void build(struct pkt *k, uint32_t dst, uint16_t dport, uint16_t sport, uint16_t ipid) {
    uint8_t *b = k->b;
    memset(b, 0, PKT_LEN);
    b[0] = 0x45; b[1] = 0;
    b[2] = 0; b[3] = PKT_LEN;
    b[4] = ipid >> 8; b[5] = ipid & 0xff;
    b[6] = 0; b[7] = 0;          /* no DF, like nmap/masscan */
    b[8] = 64; b[9] = IPPROTO_TCP;
    uint32_t s = htonl(g_src), d = htonl(dst);
    memcpy(b + 12, &s, 4); memcpy(b + 16, &d, 4);
    uint16_t ic = csum_fold(csum_add(0, b, 20));
    b[10] = ic >> 8; b[11] = ic & 0xff;
    uint8_t *t = b + 20;
    t[0] = sport >> 8; t[1] = sport & 0xff;
    t[2] = dport >> 8; t[3] = dport & 0xff;
    uint32_t seq = cookie(dst, dport, sport);
    t[4] = seq >> 24; t[5] = seq >> 16; t[6] = seq >> 8; t[7] = seq;
    t[12] = (24 / 4) << 4;
    t[13] = 0x02;                 /* SYN */
    t[14] = 0x04; t[15] = 0x00;   /* window 1024 */
    t[20] = 2; t[21] = 4; t[22] = 0x05; t[23] = 0xb4; /* MSS 1460 */
    uint8_t ph[12];
    memcpy(ph, b + 12, 8); ph[8] = 0; ph[9] = IPPROTO_TCP; ph[10] = 0; ph[11] = 24;
    uint16_t tc = csum_fold(csum_add(csum_add(0, ph, 12), t, 24));
    t[16] = tc >> 8; t[17] = tc & 0xff;
}

/* Probe id from (dst, dport, sport) or -1 if not ours. */
static int64_t probe_id(uint32_t dst, uint16_t dport, uint16_t sport) {
    if (dst < g_first || dst >= g_first + (uint32_t)g_hosts) return -1;
    int pi = g_port_index[dport];
    if (pi < 0) return -1;
    if (sport < g_sport_base || sport >= g_sport_base + g_rounds) return -1;
    return (int64_t)pi * g_hosts + (dst - g_first);
}

static int mark(_Atomic uint64_t *bits, int64_t id) {
    uint64_t m = 1ULL << (id & 63);
    return !(atomic_fetch_or(&bits[id >> 6], m) & m);
}

static void handle_tcp(const uint8_t *b, ssize_t n) {
    if (n < 20) return;
    int ihl = (b[0] & 0x0f) * 4;
    if (n < ihl + 20 || b[9] != IPPROTO_TCP) return;
    const uint8_t *t = b + ihl;
    uint32_t src; memcpy(&src, b + 12, 4); src = ntohl(src);
    uint16_t sp = (uint16_t)(t[0] << 8 | t[1]), dp = (uint16_t)(t[2] << 8 | t[3]);
    uint32_t ack = (uint32_t)t[8] << 24 | (uint32_t)t[9] << 16 | (uint32_t)t[10] << 8 | t[11];
    uint8_t fl = t[13];
    int64_t id = probe_id(src, sp, dp);
    if (id < 0 || ack != cookie(src, sp, dp) + 1) { atomic_fetch_add(&g_rx_other, 1); return; }
    if ((fl & 0x12) == 0x12) { if (mark(g_bits_synack, id)) atomic_fetch_add(&g_synack, 1); }
    else if (fl & 0x04) { if (mark(g_bits_rst, id)) atomic_fetch_add(&g_rst, 1); }
}

static void handle_icmp(const uint8_t *b, ssize_t n) {
    if (n < 20) return;
    int ihl = (b[0] & 0x0f) * 4;
    if (n < ihl + 8 + 20 + 8 || b[9] != IPPROTO_ICMP) return;
    const uint8_t *ic = b + ihl;
    if (ic[0] != ICMP_DEST_UNREACH) return;
    const uint8_t *in = ic + 8;
    int ihl2 = (in[0] & 0x0f) * 4;
    if (n < ihl + 8 + ihl2 + 8 || in[9] != IPPROTO_TCP) return;
    uint32_t dst; memcpy(&dst, in + 16, 4); dst = ntohl(dst);
    const uint8_t *t = in + ihl2;
    uint16_t sp = (uint16_t)(t[0] << 8 | t[1]), dp = (uint16_t)(t[2] << 8 | t[3]);
    uint32_t seq = (uint32_t)t[4] << 24 | (uint32_t)t[5] << 16 | (uint32_t)t[6] << 8 | t[7];
    int64_t id = probe_id(dst, dp, sp);
    if (id < 0 || seq != cookie(dst, dp, sp)) return;
    if (mark(g_bits_icmp, id)) atomic_fetch_add(&g_icmp, 1);
}

struct rx { int tcp, icmp; };

static void *receiver(void *arg) {
    struct rx *r = arg;
    struct pollfd pf[2] = {{.fd = r->tcp, .events = POLLIN}, {.fd = r->icmp, .events = POLLIN}};
    static uint8_t buf[64][256];
    struct mmsghdr mm[64];
    struct iovec iov[64];
    for (int i = 0; i < 64; i++) {
        iov[i].iov_base = buf[i]; iov[i].iov_len = sizeof buf[i];
        memset(&mm[i], 0, sizeof mm[i]);
        mm[i].msg_hdr.msg_iov = &iov[i]; mm[i].msg_hdr.msg_iovlen = 1;
    }
    while (!atomic_load(&g_recv_stop)) {
        if (poll(pf, 2, 20) <= 0) continue;
        for (int s = 0; s < 2; s++) {
            if (!(pf[s].revents & POLLIN)) continue;
            int got;
            while ((got = recvmmsg(pf[s].fd, mm, 64, MSG_DONTWAIT, NULL)) > 0) {
                for (int i = 0; i < got; i++) {
                    if (s == 0) handle_tcp(buf[i], mm[i].msg_len);
                    else handle_icmp(buf[i], mm[i].msg_len);
                }
            }
        }
    }
    return NULL;
}

static int parse_ports(const char *spec) {
    char *dup = strdup(spec), *save = NULL;
    static uint8_t seen[65536];
    g_ports = malloc(65536 * sizeof *g_ports);
    for (char *tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *dash = strchr(tok, '-');
        long lo = strtol(tok, NULL, 10), hi = dash ? strtol(dash + 1, NULL, 10) : lo;
        if (lo < 1 || hi > 65535 || lo > hi) { fprintf(stderr, "ceiling: bad port range '%s'\n", tok); return -1; }
        for (long p = lo; p <= hi; p++)
            if (!seen[p]) { seen[p] = 1; g_ports[g_nports++] = (uint16_t)p; }
    }
    free(dup);
    return g_nports ? 0 : -1;
}

/* Sum of rx_drop and tx_drop over all interfaces of the current namespace (/proc/net/dev). */
static void dev_drops(uint64_t *rx, uint64_t *tx) {
    *rx = *tx = 0;
    FILE *f = fopen("/proc/net/dev", "r");
    if (!f) return;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        char *c = strchr(line, ':');
        if (!c) continue;
        unsigned long long v[16] = {0};
        if (sscanf(c + 1, "%llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2],
                   &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9], &v[10], &v[11]) == 12) {
            *rx += v[3];
            *tx += v[11];
        }
    }
    fclose(f);
}

static int enter_netns(const char *name) {
    char path[512];
    if (strchr(name, '/')) snprintf(path, sizeof path, "%s", name);
    else snprintf(path, sizeof path, "/var/run/netns/%s", name);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || setns(fd, CLONE_NEWNET) < 0) {
        fprintf(stderr, "ceiling: netns %s: %s\n", path, strerror(errno));
        return -1;
    }
    close(fd);
    return 0;
}

static void usage(void) {
    fprintf(stderr, "usage: ceiling [--netns NAME] [--src IP] [--first IP] [--hosts N] [--ports SPEC] [--count N]\n"
                    "               [--batch N] [--rate PPS] [--sport P] [--wait-ms MS] [--max-seconds S] [--quiet]\n"
                    "               [--packet DEV]\n");
    exit(2);
}

int main(int argc, char **argv) {
    const char *src = "198.18.0.1", *first = "198.18.0.2", *ports = "1-4000", *netns = NULL, *packet_dev = NULL;
    uint64_t count = 0;
    int batch = 256, wait_ms = 1000, quiet = 0;
    double rate = 0, max_seconds = 60;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
#define ARG() (i + 1 < argc ? argv[++i] : (usage(), ""))
        if (!strcmp(a, "--netns")) netns = ARG();
        else if (!strcmp(a, "--src")) src = ARG();
        else if (!strcmp(a, "--first")) first = ARG();
        else if (!strcmp(a, "--hosts")) g_hosts = atoi(ARG());
        else if (!strcmp(a, "--ports")) ports = ARG();
        else if (!strcmp(a, "--count")) count = strtoull(ARG(), NULL, 10);
        else if (!strcmp(a, "--batch")) batch = atoi(ARG());
        else if (!strcmp(a, "--rate")) rate = atof(ARG());
        else if (!strcmp(a, "--sport")) g_sport_base = (uint16_t)atoi(ARG());
        else if (!strcmp(a, "--wait-ms")) wait_ms = atoi(ARG());
        else if (!strcmp(a, "--max-seconds")) max_seconds = atof(ARG());
        else if (!strcmp(a, "--quiet")) quiet = 1;
        else if (!strcmp(a, "--packet")) packet_dev = ARG();
        else usage();
    }
    if (batch < 1 || batch > MAX_BATCH || g_hosts < 1 || g_hosts > 65536 || max_seconds <= 0) usage();
    struct in_addr ia;
    if (inet_pton(AF_INET, src, &ia) != 1) usage();
    g_src = ntohl(ia.s_addr);
    if (inet_pton(AF_INET, first, &ia) != 1) usage();
    g_first = ntohl(ia.s_addr);
    if (parse_ports(ports) < 0) usage();
    if (netns && enter_netns(netns) < 0) return 1;

    g_ncombos = (uint64_t)g_hosts * (uint64_t)g_nports;
    if (count == 0) count = g_ncombos;
    uint64_t nbuilt = count < g_ncombos ? count : g_ncombos;
    g_rounds = (int)((count + g_ncombos - 1) / g_ncombos);
    if (g_rounds > 20000 || (uint32_t)g_sport_base + g_rounds > 65536) {
        fprintf(stderr, "ceiling: --count too large for the source port range\n");
        return 2;
    }
    for (int p = 0; p < 65536; p++) g_port_index[p] = -1;
    for (int p = 0; p < g_nports; p++) g_port_index[g_ports[p]] = p;

    struct pkt *pk = malloc(nbuilt * sizeof *pk);
    struct sockaddr_in *sa = calloc((size_t)g_hosts, sizeof *sa);
    size_t nwords = (size_t)((g_ncombos + 63) / 64);
    g_bits_synack = calloc(nwords, 8); g_bits_rst = calloc(nwords, 8); g_bits_icmp = calloc(nwords, 8);
    if (!pk || !sa || !g_bits_synack || !g_bits_rst || !g_bits_icmp) { perror("ceiling: alloc"); return 1; }
    for (int h = 0; h < g_hosts; h++) {
        sa[h].sin_family = AF_INET;
        sa[h].sin_addr.s_addr = htonl(g_first + (uint32_t)h);
    }
    for (uint64_t i = 0; i < nbuilt; i++)
        build(&pk[i], g_first + (uint32_t)(i % g_hosts), g_ports[i / g_hosts], g_sport_base, (uint16_t)mix32((uint32_t)i));

    int tx = packet_dev ? socket(AF_PACKET, SOCK_RAW, 0) : socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
    struct sockaddr_ll ll = {.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IP), .sll_halen = 6};
    if (packet_dev && tx >= 0) {
        struct ifreq ifr;
        memset(&ifr, 0, sizeof ifr);
        snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", packet_dev);
        if (ioctl(tx, SIOCGIFINDEX, &ifr) < 0) { perror("ceiling: --packet device"); return 1; }
        ll.sll_ifindex = ifr.ifr_ifindex;
        if (ioctl(tx, SIOCGIFHWADDR, &ifr) < 0) { perror("ceiling: device MAC"); return 1; }
        uint8_t smac[6], dmac[6];
        memcpy(smac, ifr.ifr_hwaddr.sa_data, 6);
        struct arpreq ar;
        memset(&ar, 0, sizeof ar);
        struct sockaddr_in *pa = (struct sockaddr_in *)&ar.arp_pa;
        pa->sin_family = AF_INET;
        pa->sin_addr.s_addr = htonl(g_first);
        snprintf(ar.arp_dev, sizeof ar.arp_dev, "%s", packet_dev);
        if (ioctl(tx, SIOCGARP, &ar) < 0 || !(ar.arp_flags & ATF_COM)) {
            fprintf(stderr, "ceiling: no resolved ARP entry for %s on %s (ping it first)\n", first, packet_dev);
            return 1;
        }
        memcpy(dmac, ar.arp_ha.sa_data, 6);
        memcpy(ll.sll_addr, dmac, 6);
        int one = 1;
        setsockopt(tx, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one);
        if (bind(tx, (struct sockaddr *)&ll, sizeof ll) < 0) { perror("ceiling: bind"); return 1; }
        for (uint64_t i = 0; i < nbuilt; i++) {
            memcpy(pk[i].eth, dmac, 6);
            memcpy(pk[i].eth + 6, smac, 6);
            pk[i].eth[12] = 0x08;
            pk[i].eth[13] = 0x00;
        }
    }
    int rtcp = socket(AF_INET, SOCK_RAW, IPPROTO_TCP);
    int ricmp = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
    if (tx < 0 || rtcp < 0 || ricmp < 0) { perror("ceiling: raw socket (need root / CAP_NET_RAW)"); return 1; }
    int big = 64 << 20;
    setsockopt(tx, SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof big);
    setsockopt(rtcp, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof big);
    setsockopt(ricmp, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof big);

    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    struct rx r = {rtcp, ricmp};
    pthread_t th;
    if (pthread_create(&th, NULL, receiver, &r)) { perror("ceiling: pthread_create"); return 1; }

    uint64_t drx0, dtx0, drx1, dtx1;
    dev_drops(&drx0, &dtx0);
    struct mmsghdr mm[MAX_BATCH];
    struct iovec iov[MAX_BATCH];
    memset(mm, 0, sizeof mm);
    uint64_t sent = 0, errors = 0;
    struct rusage ru0, ru1;
    getrusage(RUSAGE_SELF, &ru0);
    double t0 = now_s(), deadline = t0 + max_seconds;
    while (sent < count && !g_interrupted) {
        int n = 0;
        uint64_t base = sent;
        while (n < batch && base + (uint64_t)n < count) {
            uint64_t k = base + (uint64_t)n;
            uint64_t idx = k % g_ncombos;
            int round = (int)(k / g_ncombos);
            struct pkt *p = &pk[idx];
            if (round > 0 && idx == 0) {
                /* New round: rewrite the source port (and checksums) of every packet in place. */
                for (uint64_t j = 0; j < nbuilt; j++)
                    build(&pk[j], g_first + (uint32_t)(j % g_hosts), g_ports[j / g_hosts],
                          (uint16_t)(g_sport_base + round), (uint16_t)mix32((uint32_t)j));
                if (n > 0) break; /* earlier entries of this batch point at old packets: send them first */
            }
            mm[n].msg_hdr.msg_iov = &iov[n]; mm[n].msg_hdr.msg_iovlen = 1;
            if (packet_dev) {
                iov[n].iov_base = p->eth; iov[n].iov_len = sizeof p->eth + PKT_LEN;
                mm[n].msg_hdr.msg_name = &ll; mm[n].msg_hdr.msg_namelen = sizeof ll;
            } else {
                iov[n].iov_base = p->b; iov[n].iov_len = PKT_LEN;
                mm[n].msg_hdr.msg_name = &sa[idx % g_hosts]; mm[n].msg_hdr.msg_namelen = sizeof sa[0];
            }
            n++;
        }
        int off = 0;
        while (off < n) {
            int r2 = sendmmsg(tx, mm + off, (unsigned)(n - off), 0);
            if (r2 < 0) {
                if (errno == EINTR && g_interrupted) break;
                errors++;
                off++; /* skip the failing packet (ENOBUFS, EPERM from a filter, ...) */
                continue;
            }
            off += r2;
        }
        sent += (uint64_t)n;
        double t = now_s();
        if (t > deadline) { fprintf(stderr, "ceiling: --max-seconds reached\n"); break; }
        if (rate > 0) {
            double due = t0 + (double)sent / rate;
            while ((t = now_s()) < due) {
                double d = due - t;
                if (d > 200e-6) { struct timespec ts = {0, (long)((d - 100e-6) * 1e9)}; nanosleep(&ts, NULL); }
            }
        }
    }
    double t1 = now_s();
    getrusage(RUSAGE_SELF, &ru1);
    /* Wait for late replies, but stop early once every probe has an answer. */
    double wend = t1 + wait_ms / 1000.0;
    while (now_s() < wend && !g_interrupted) {
        uint64_t ans = atomic_load(&g_synack) + atomic_load(&g_rst) + atomic_load(&g_icmp);
        if (ans >= sent && sent <= g_ncombos) break;
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    atomic_store(&g_recv_stop, 1);
    pthread_join(th, NULL);
    double t2 = now_s();
    dev_drops(&drx1, &dtx1);
    struct rusage rua;
    getrusage(RUSAGE_SELF, &rua);

    double send_s = t1 - t0 > 1e-9 ? t1 - t0 : 1e-9;
    uint64_t synack = atomic_load(&g_synack), rst = atomic_load(&g_rst), icmp = atomic_load(&g_icmp);
    uint64_t answered = synack + rst + icmp;
    uint64_t distinct = sent < g_ncombos ? sent : g_ncombos;
    double user = rua.ru_utime.tv_sec + rua.ru_utime.tv_usec / 1e6;
    double sys = rua.ru_stime.tv_sec + rua.ru_stime.tv_usec / 1e6;
    double send_sys = (ru1.ru_stime.tv_sec - ru0.ru_stime.tv_sec) + (ru1.ru_stime.tv_usec - ru0.ru_stime.tv_usec) / 1e6;
    if (!quiet)
        fprintf(stderr,
                "ceiling: sent %" PRIu64 " SYNs (%d hosts x %d ports, batch %d) in %.3f s = %.0f pkt/s"
                " (send sys %.2f s), %" PRIu64 " send errors\n"
                "ceiling: replies per distinct probe: %" PRIu64 " SYN-ACK, %" PRIu64 " RST, %" PRIu64
                " ICMP unreachable; answered %" PRIu64 "/%" PRIu64 " (%.2f%%) = %.0f answered/s; dev drops rx %" PRIu64
                " tx %" PRIu64 "\n",
                sent, g_hosts, g_nports, batch, send_s, sent / send_s, send_sys, errors, synack, rst, icmp, answered,
                distinct, distinct ? 100.0 * answered / distinct : 0.0, answered / send_s, drx1 - drx0, dtx1 - dtx0);
    printf("ceiling sent=%" PRIu64 " send_s=%.4f pps=%.0f send_errors=%" PRIu64 " synack=%" PRIu64 " rst=%" PRIu64
           " icmp=%" PRIu64 " answered=%" PRIu64 " answered_pct=%.2f answered_pps=%.0f wall_s=%.3f user_s=%.3f"
           " sys_s=%.3f dev_rx_drop=%" PRIu64 " dev_tx_drop=%" PRIu64 "\n",
           sent, send_s, sent / send_s, errors, synack, rst, icmp, answered,
           distinct ? 100.0 * answered / distinct : 0.0, answered / send_s, t2 - t0, user, sys, drx1 - drx0,
           dtx1 - dtx0);
    return g_interrupted ? 130 : 0;
}
