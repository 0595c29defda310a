/* forger: a hostile peer for lab tests. Runs inside a target namespace, watches incoming TCP SYNs on an
 * AF_PACKET socket (which sees them before nftables can drop them) and answers every SYN to one of its --ports
 * with forged replies that a correct prober must ignore:
 *
 *   synack-wrong-ack      SYN-ACK acknowledging seq+2, and one acknowledging a random number
 *   rst-wrong-ack         RST-ACK acknowledging seq+2, and one acknowledging a random number
 *   rst-ack-equals-seq    RST-ACK acknowledging seq itself (not seq+1)
 *   icmp-wrong-seq        port unreachable quoting the probe with its sequence number changed (+1, random)
 *   icmp-other-port       port unreachable quoting the probe with another destination port (the next --port)
 *   synack-from-other-ip  SYN-ACK and RST-ACK with the right ack (seq+1) but from --other-ip4/--other-ip6
 *   dup                   a real SYN-ACK of the kernel (captured leaving for a --capture-ports port, MSS option
 *                         present) replayed for the probed port, and replayed verbatim; SYNs seen before any
 *                         capture wait for one (bounded queue)
 *   garbage               right ack but bad TCP checksum, bad TCP data offsets, truncated TCP, ICMP with a
 *                         truncated quote / bad ICMP checksum / bad quoted IHL, random payloads behind valid IP
 *                         headers, and (over AF_PACKET, so no stack repairs them) bad outer IHL and lengths
 *
 * Positive control: with --control-port P, the first SYN of each family to P gets ONE correct SYN-ACK (right
 * addresses and ports, acknowledgment seq+1), built by the same code as the forgeries, so a test can show that a
 * correct reply from this forger is accepted. Later SYNs to P get nothing.
 *
 * Replies leave from raw sockets (IPv4 IPPROTO_RAW with IP_HDRINCL, IPv6 IPPROTO_RAW), checksums correct unless
 * the mode says otherwise. Exits by itself after --max-seconds (default 60), or on SIGTERM/SIGINT, and then
 * prints "stats mode=.. syns4=.. syns6=.. sent4=.. sent6=.. errors=.. captured=.. pending=.. drops=..
 * control4=.. control6=.." (drops: packets the capture socket lost; controlN: correct replies sent, 0 or 1).
 * Prints "ready" when listening.
 *
 * usage: forger --mode M --ports 1000-1010[,22,...] [--iface IF] [--max-seconds N]
 *               [--other-ip4 A] [--other-ip6 A] [--capture-ports P,...] [--control-port P] [--seed N]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum mode { SYNACK_WRONG_ACK, RST_WRONG_ACK, RST_ACK_EQUALS_SEQ, ICMP_WRONG_SEQ, ICMP_OTHER_PORT,
            SYNACK_FROM_OTHER_IP, DUP, GARBAGE, MODE_COUNT };
static const char *MODE_NAMES[MODE_COUNT] = {"synack-wrong-ack", "rst-wrong-ack", "rst-ack-equals-seq",
    "icmp-wrong-seq", "icmp-other-port", "synack-from-other-ip", "dup", "garbage"};

#define F_FIN 0x01
#define F_SYN 0x02
#define F_RST 0x04
#define F_ACK 0x10

static volatile sig_atomic_t stop;
static void on_signal(int sig) { (void)sig; stop = 1; }

static enum mode mode = MODE_COUNT;
static uint8_t ports[65536], capture_ports[65536];
static int have_capture_ports;
static uint16_t port_list[65536];
static int port_count;
static struct in_addr other4;
static struct in6_addr other6;
static int raw4 = -1, raw6 = -1, pkt = -1;
static unsigned long syns[2], sent[2], errors, captured, control_sent[2];
static int control_port;
static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 16);
}

/* ------------------------------------------------------------------ checksums */

static uint32_t sum16(const uint8_t *p, size_t n, uint32_t s) {
    for (; n > 1; p += 2, n -= 2) s += (uint32_t)p[0] << 8 | p[1];
    if (n) s += (uint32_t)p[0] << 8;
    return s;
}

static uint16_t fold(uint32_t s) {
    while (s >> 16) s = (s & 0xffff) + (s >> 16);
    return (uint16_t)~s;
}

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, (uint16_t)(v >> 16)); put16(p + 2, (uint16_t)v); }
static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t get32(const uint8_t *p) { return (uint32_t)get16(p) << 16 | get16(p + 2); }

/* the L4 checksum (TCP, or ICMPv6 when proto is 58) of a packet whose IP header starts at ip */
static uint16_t l4sum(const uint8_t *ip, int family, int proto, const uint8_t *l4, size_t len) {
    uint32_t s = proto + (uint32_t)len;
    if (family == 4) s = sum16(ip + 12, 8, s);
    else s = sum16(ip + 8, 32, s);
    return fold(sum16(l4, len, s));
}

/* ------------------------------------------------------------------ building packets */

/* A probe as seen on the wire: addresses (IP header kept for quoting), ports, sequence number. */
struct probe {
    int family;
    const uint8_t *ip;   /* the probe's IP header and everything after it */
    size_t len;          /* bytes of the probe from ip */
    size_t l4off;        /* where TCP starts */
    uint16_t sport, dport;
    uint32_t seq;
    struct sockaddr_ll from;
};

/* Writes an IP header from src to dst (addresses from the probe, swapped), returns its length. */
static size_t ip_header(uint8_t *b, const struct probe *p, const void *src, int proto, size_t l4len) {
    if (p->family == 4) {
        memset(b, 0, 20);
        b[0] = 0x45;
        put16(b + 2, (uint16_t)(20 + l4len));
        put16(b + 4, (uint16_t)rnd());
        b[6] = 0x40; /* DF */
        b[8] = 64;
        b[9] = (uint8_t)proto;
        memcpy(b + 12, src ? src : p->ip + 16, 4);
        memcpy(b + 16, p->ip + 12, 4);
        put16(b + 10, fold(sum16(b, 20, 0)));
        return 20;
    }
    memset(b, 0, 40);
    b[0] = 0x60;
    put16(b + 4, (uint16_t)l4len);
    b[6] = (uint8_t)proto;
    b[7] = 64;
    memcpy(b + 8, src ? src : p->ip + 24, 16);
    memcpy(b + 24, p->ip + 8, 16);
    return 40;
}

static void send_raw(const struct probe *p, const uint8_t *b, size_t len) {
    ssize_t r;
    if (p->family == 4) {
        struct sockaddr_in to = {.sin_family = AF_INET};
        memcpy(&to.sin_addr, b + 16, 4);
        r = sendto(raw4, b, len, 0, (struct sockaddr *)&to, sizeof to);
    } else {
        struct sockaddr_in6 to = {.sin6_family = AF_INET6};
        memcpy(&to.sin6_addr, b + 24, 16);
        r = sendto(raw6, b, len, 0, (struct sockaddr *)&to, sizeof to);
    }
    if (r == (ssize_t)len) sent[p->family == 6]++;
    else errors++;
}

/* Sends bytes exactly as given, back to the link-layer address the probe came from (no IP stack on our side). */
static void send_link(const struct probe *p, const uint8_t *b, size_t len) {
    struct sockaddr_ll to = p->from;
    to.sll_protocol = htons(p->family == 4 ? ETH_P_IP : ETH_P_IPV6);
    to.sll_pkttype = 0;
    if (sendto(pkt, b, len, 0, (struct sockaddr *)&to, sizeof to) == (ssize_t)len) sent[p->family == 6]++;
    else errors++;
}

/* A TCP reply to the probe; csum_xor != 0 spoils the checksum, doff_words != 5 lies about the header length. */
static void tcp_reply(const struct probe *p, const void *src, int flags, uint32_t seq, uint32_t ack,
                      uint16_t csum_xor, int doff_words) {
    uint8_t b[80];
    size_t h = ip_header(b, p, src, IPPROTO_TCP, 20);
    uint8_t *t = b + h;
    memset(t, 0, 20);
    put16(t, p->dport);
    put16(t + 2, p->sport);
    put32(t + 4, seq);
    put32(t + 8, ack);
    t[12] = (uint8_t)(doff_words << 4);
    t[13] = (uint8_t)flags;
    put16(t + 14, (flags & F_RST) ? 0 : 65535);
    uint16_t c = l4sum(b, p->family, IPPROTO_TCP, t, 20);
    if (csum_xor) {
        c ^= csum_xor;
        /* never land on the pseudo-header-only sum a decoder accepts as checksum offload */
        uint16_t partial = (uint16_t)~fold(sum16(b + (p->family == 4 ? 12 : 8), p->family == 4 ? 8 : 32,
                                                 IPPROTO_TCP + 20));
        if (c == partial || c == l4sum(b, p->family, IPPROTO_TCP, t, 20)) c ^= 0x0101;
    }
    put16(t + 16, c);
    send_raw(p, b, h + 20);
}

/* An ICMP port unreachable quoting quote[0..qlen) (a possibly altered copy of the probe). */
static void icmp_unreach(const struct probe *p, const uint8_t *quote, size_t qlen, uint16_t csum_xor) {
    uint8_t b[1280];
    if (qlen > sizeof b - 48) qlen = sizeof b - 48;
    int proto = p->family == 4 ? IPPROTO_ICMP : IPPROTO_ICMPV6;
    size_t h = ip_header(b, p, NULL, proto, 8 + qlen);
    uint8_t *m = b + h;
    memset(m, 0, 8);
    m[0] = p->family == 4 ? 3 : 1;
    m[1] = p->family == 4 ? 3 : 4;
    memcpy(m + 8, quote, qlen);
    uint16_t c = p->family == 4 ? fold(sum16(m, 8 + qlen, 0)) : l4sum(b, 6, IPPROTO_ICMPV6, m, 8 + qlen);
    put16(m + 2, c ^ csum_xor);
    send_raw(p, b, h + 8 + qlen);
}

/* a copy of the probe to quote, at most its IP header and TCP header */
static size_t quote_of(const struct probe *p, uint8_t *q) {
    size_t n = p->len < p->l4off + 20 ? p->len : p->l4off + 20;
    memcpy(q, p->ip, n);
    return n;
}

static uint16_t next_port(uint16_t port) {
    for (int i = 0; i < port_count; i++)
        if (port_list[i] == port) return port_list[(i + 1) % port_count];
    return (uint16_t)(port + 1);
}

/* ------------------------------------------------------------------ dup: kernel SYN-ACKs, captured */

static uint8_t kernel_synack[2][128];
static size_t kernel_synack_len[2];

#define MAX_PENDING 512
static struct { struct probe p; uint8_t bytes[128]; } pending[MAX_PENDING];
static int pending_count;

static void replay(const struct probe *p) {
    int f = p->family == 6;
    uint8_t b[128];
    size_t len = kernel_synack_len[f];
    size_t l4 = p->family == 4 ? (size_t)(kernel_synack[f][0] & 0x0f) * 4 : 40;
    /* 1. verbatim: the very same SYN-ACK once more (checksum filled in; the kernel left it to offload) */
    memcpy(b, kernel_synack[f], len);
    put16(b + l4 + 16, 0);
    put16(b + l4 + 16, l4sum(b, p->family, IPPROTO_TCP, b + l4, len - l4));
    send_raw(p, b, len);
    /* 2. the same segment, ack and all, re-addressed to the probe this forger answers */
    if (p->family == 4) {
        memcpy(b + 12, p->ip + 16, 4);
        memcpy(b + 16, p->ip + 12, 4);
        put16(b + 10, 0);
        put16(b + 10, fold(sum16(b, l4, 0)));
    } else {
        memcpy(b + 8, p->ip + 24, 16);
        memcpy(b + 24, p->ip + 8, 16);
    }
    put16(b + l4, p->dport);
    put16(b + l4 + 2, p->sport);
    put16(b + l4 + 16, 0);
    put16(b + l4 + 16, l4sum(b, p->family, IPPROTO_TCP, b + l4, len - l4));
    send_raw(p, b, len);
}

static void flush_pending(int family) {
    int kept = 0;
    for (int i = 0; i < pending_count; i++) {
        pending[i].p.ip = pending[i].bytes;
        if (pending[i].p.family == family) replay(&pending[i].p);
        else pending[kept++] = pending[i];
    }
    pending_count = kept;
}

/* ------------------------------------------------------------------ garbage */

static void garbage(const struct probe *p) {
    uint8_t b[256], q[128];
    uint32_t good_ack = p->seq + 1;
    const uint8_t *addr_src = NULL;
    /* 1-2. the right answer, spoilt by a bad TCP checksum */
    tcp_reply(p, addr_src, F_SYN | F_ACK, rnd(), good_ack, 0x5a5a, 5);
    tcp_reply(p, addr_src, F_RST | F_ACK, 0, good_ack, 0x00ff, 5);
    /* 3-4. the right answer with a data offset past the segment, or below the header */
    tcp_reply(p, addr_src, F_SYN | F_ACK, rnd(), good_ack, 0, 15);
    tcp_reply(p, addr_src, F_RST | F_ACK, 0, good_ack, 0, 2);
    /* 5. a TCP segment cut to 12 bytes (ports, seq, ack) */
    {
        size_t h = ip_header(b, p, NULL, IPPROTO_TCP, 12);
        put16(b + h, p->dport);
        put16(b + h + 2, p->sport);
        put32(b + h + 4, rnd());
        put32(b + h + 8, good_ack);
        send_raw(p, b, h + 12);
    }
    /* 6. ICMP quoting the probe, cut before its sequence number */
    size_t qn = quote_of(p, q);
    icmp_unreach(p, q, p->l4off + 4, 0);
    /* 7. ICMP quoting the probe faithfully, with a bad ICMP checksum */
    icmp_unreach(p, q, qn, 0x1234);
    /* 8. ICMP whose quoted IPv4 header claims 60 bytes, or 12; an IPv6 quote of another version */
    if (p->family == 4) {
        q[0] = 0x4f;
        icmp_unreach(p, q, qn, 0);
        q[0] = 0x43;
        icmp_unreach(p, q, qn, 0);
        q[0] = 0x45;
    } else {
        q[0] = 0x40 | (q[0] & 0x0f);
        icmp_unreach(p, q, qn, 0);
        q[0] = 0x60 | (q[0] & 0x0f);
    }
    /* 9. ICMP quoting the probe with a quoted protocol that is not TCP */
    q[p->family == 4 ? 9 : 6] = IPPROTO_UDP;
    icmp_unreach(p, q, qn, 0);
    /* 10. random bytes behind a valid IP header, as TCP, ICMP and an unknown protocol */
    static const int protos4[] = {IPPROTO_TCP, IPPROTO_ICMP, 253};
    static const int protos6[] = {IPPROTO_TCP, IPPROTO_ICMPV6, 253};
    for (int i = 0; i < 3; i++) {
        size_t n = rnd() % 61;
        size_t h = ip_header(b, p, NULL, p->family == 4 ? protos4[i] : protos6[i], n);
        for (size_t k = 0; k < n; k++) b[h + k] = (uint8_t)rnd();
        if (n >= 4 && i == 0) { /* aimed at the probe's ports, so it gets as far as TCP parsing */
            put16(b + h, p->dport);
            put16(b + h + 2, p->sport);
        }
        send_raw(p, b, h + n);
    }
    /* 11. over the link, where nothing repairs them: bad outer IHL and lengths (the receiving stack should drop
     * these before any socket sees them; they are here to make sure nothing worse happens) */
    {
        size_t h = ip_header(b, p, NULL, IPPROTO_TCP, 20);
        memset(b + h, 0, 20);
        put16(b + h, p->dport);
        put16(b + h + 2, p->sport);
        put32(b + h + 8, good_ack);
        b[h + 12] = 0x50;
        b[h + 13] = F_SYN | F_ACK;
        put16(b + h + 16, l4sum(b, p->family, IPPROTO_TCP, b + h, 20));
        if (p->family == 4) {
            b[0] = 0x4f; /* 60-byte header in a 40-byte packet */
            put16(b + 10, 0);
            put16(b + 10, fold(sum16(b, 20, 0)));
            send_link(p, b, h + 20);
            b[0] = 0x45;
            put16(b + 2, 200); /* total length past the end */
            put16(b + 10, 0);
            put16(b + 10, fold(sum16(b, 20, 0)));
            send_link(p, b, h + 20);
        } else {
            put16(b + 4, 200); /* payload length past the end */
            send_link(p, b, h + 20);
        }
    }
}

/* ------------------------------------------------------------------ answering */

static void answer(const struct probe *p) {
    uint8_t q[128];
    size_t qn;
    const void *other = p->family == 4 ? (const void *)&other4 : (const void *)&other6;
    switch (mode) {
    case SYNACK_WRONG_ACK:
        tcp_reply(p, NULL, F_SYN | F_ACK, rnd(), p->seq + 2, 0, 5);
        tcp_reply(p, NULL, F_SYN | F_ACK, rnd(), rnd(), 0, 5);
        break;
    case RST_WRONG_ACK:
        tcp_reply(p, NULL, F_RST | F_ACK, 0, p->seq + 2, 0, 5);
        tcp_reply(p, NULL, F_RST | F_ACK, 0, rnd(), 0, 5);
        break;
    case RST_ACK_EQUALS_SEQ:
        tcp_reply(p, NULL, F_RST | F_ACK, 0, p->seq, 0, 5);
        break;
    case ICMP_WRONG_SEQ:
        qn = quote_of(p, q);
        put32(q + p->l4off + 4, p->seq + 1);
        icmp_unreach(p, q, qn, 0);
        put32(q + p->l4off + 4, rnd());
        icmp_unreach(p, q, qn, 0);
        break;
    case ICMP_OTHER_PORT:
        qn = quote_of(p, q);
        put16(q + p->l4off + 2, next_port(p->dport));
        icmp_unreach(p, q, qn, 0);
        break;
    case SYNACK_FROM_OTHER_IP:
        tcp_reply(p, other, F_SYN | F_ACK, rnd(), p->seq + 1, 0, 5);
        tcp_reply(p, other, F_RST | F_ACK, 0, p->seq + 1, 0, 5);
        break;
    case DUP:
        if (kernel_synack_len[p->family == 6]) {
            replay(p);
        } else if (pending_count < MAX_PENDING && p->len <= sizeof pending[0].bytes) {
            memcpy(pending[pending_count].bytes, p->ip, p->len);
            pending[pending_count].p = *p;
            pending_count++;
        }
        break;
    case GARBAGE:
        garbage(p);
        break;
    case MODE_COUNT:
        break;
    }
}

/* Parses one captured packet; returns 1 for a TCP segment and fills the probe fields. */
static int parse(const uint8_t *b, size_t n, struct probe *p, int *flags) {
    if (n < 1) return 0;
    int v = b[0] >> 4;
    if (v == 4) {
        size_t ihl = (size_t)(b[0] & 0x0f) * 4;
        if (n < 20 || ihl < 20 || n < ihl + 20 || b[9] != IPPROTO_TCP) return 0;
        if (get16(b + 6) & 0x3fff) return 0;
        p->family = 4;
        p->l4off = ihl;
    } else if (v == 6) {
        if (n < 60 || b[6] != IPPROTO_TCP) return 0;
        p->family = 6;
        p->l4off = 40;
    } else {
        return 0;
    }
    const uint8_t *t = b + p->l4off;
    p->ip = b;
    p->len = n;
    p->sport = get16(t);
    p->dport = get16(t + 2);
    p->seq = get32(t + 4);
    *flags = t[13];
    return 1;
}

static int parse_ports(const char *s, uint8_t *set, int list) {
    char *copy = strdup(s), *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *end;
        long a = strtol(tok, &end, 10), b = a;
        if (*end == '-') b = strtol(end + 1, &end, 10);
        if (*end || a < 1 || b > 65535 || a > b) {
            free(copy);
            return -1;
        }
        for (long x = a; x <= b; x++) {
            if (list && !set[x]) port_list[port_count++] = (uint16_t)x;
            set[x] = 1;
        }
    }
    free(copy);
    return 0;
}

static int usage(const char *why) {
    fprintf(stderr, "forger: %s\nusage: forger --mode M --ports LIST [--iface IF] [--max-seconds N] "
                    "[--other-ip4 A] [--other-ip6 A] [--capture-ports LIST] [--control-port P] [--seed N]\nmodes:", why);
    for (int i = 0; i < MODE_COUNT; i++) fprintf(stderr, " %s", MODE_NAMES[i]);
    fprintf(stderr, "\n");
    return 2;
}

int main(int argc, char **argv) {
    long max_seconds = 60;
    const char *iface = NULL;
    inet_pton(AF_INET, "198.18.0.250", &other4);
    inet_pton(AF_INET6, "2001:db8::fa", &other6);
    rng ^= (uint64_t)time(NULL) * 0x2545f4914f6cdd1dull ^ (uint64_t)getpid();
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v) return usage("missing value");
        i++;
        if (!strcmp(a, "--mode")) {
            for (int m = 0; m < MODE_COUNT; m++)
                if (!strcmp(v, MODE_NAMES[m])) mode = (enum mode)m;
            if (mode == MODE_COUNT) return usage("unknown mode");
        } else if (!strcmp(a, "--ports")) {
            if (parse_ports(v, ports, 1)) return usage("bad --ports");
        } else if (!strcmp(a, "--capture-ports")) {
            if (parse_ports(v, capture_ports, 0)) return usage("bad --capture-ports");
            have_capture_ports = 1;
        } else if (!strcmp(a, "--iface")) {
            iface = v;
        } else if (!strcmp(a, "--max-seconds")) {
            max_seconds = strtol(v, NULL, 10);
            if (max_seconds < 1 || max_seconds > 3600) return usage("bad --max-seconds");
        } else if (!strcmp(a, "--other-ip4")) {
            if (inet_pton(AF_INET, v, &other4) != 1) return usage("bad --other-ip4");
        } else if (!strcmp(a, "--other-ip6")) {
            if (inet_pton(AF_INET6, v, &other6) != 1) return usage("bad --other-ip6");
        } else if (!strcmp(a, "--control-port")) {
            control_port = (int)strtol(v, NULL, 10);
            if (control_port < 1 || control_port > 65535) return usage("bad --control-port");
        } else if (!strcmp(a, "--seed")) {
            rng = strtoull(v, NULL, 10) | 1;
        } else {
            return usage("unknown option");
        }
    }
    if (mode == MODE_COUNT) return usage("--mode is required");
    if (port_count == 0) return usage("--ports is required");

    pkt = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_ALL));
    raw4 = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
    raw6 = socket(AF_INET6, SOCK_RAW, IPPROTO_RAW);
    if (pkt < 0 || raw4 < 0 || raw6 < 0) {
        fprintf(stderr, "forger: sockets: %s\n", strerror(errno));
        return 1;
    }
    int one = 1, rcvbuf = 16 << 20;
    setsockopt(raw4, IPPROTO_IP, IP_HDRINCL, &one, sizeof one);
    /* every forger of a lab sees every packet on the link, garbage floods included: room for bursts, and no
     * copies of outgoing packets unless dup needs the kernel's SYN-ACKs */
    if (setsockopt(pkt, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) < 0)
        setsockopt(pkt, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    if (mode != DUP) setsockopt(pkt, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one);
    if (iface) {
        struct sockaddr_ll sll = {.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL),
                                  .sll_ifindex = (int)if_nametoindex(iface)};
        if (sll.sll_ifindex == 0 || bind(pkt, (struct sockaddr *)&sll, sizeof sll) < 0) {
            fprintf(stderr, "forger: interface %s: %s\n", iface, strerror(errno));
            return 1;
        }
    }
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    printf("ready\n");
    fflush(stdout);

    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    struct pollfd pfd = {.fd = pkt, .events = POLLIN};
    static uint8_t buf[65536];
    while (!stop) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec - start.tv_sec >= max_seconds) break;
        if (poll(&pfd, 1, 200) <= 0) continue;
        for (int burst = 0; burst < 256 && !stop; burst++) {
            struct sockaddr_ll from;
            socklen_t fl = sizeof from;
            ssize_t n = recvfrom(pkt, buf, sizeof buf, MSG_DONTWAIT, (struct sockaddr *)&from, &fl);
            if (n < 0) break;
            struct probe p;
            int flags;
            if (!parse(buf, (size_t)n, &p, &flags)) continue;
            p.from = from;
            int f = p.family == 6;
            if (from.sll_pkttype == PACKET_OUTGOING) {
                /* dup: remember the kernel's own SYN-ACKs; ours carry no MSS option, the kernel's always do */
                const uint8_t *t = buf + p.l4off;
                size_t doff = (size_t)(t[12] >> 4) * 4;
                if (mode == DUP && (flags & (F_SYN | F_ACK | F_RST)) == (F_SYN | F_ACK) && doff >= 24
                    && p.l4off + doff <= (size_t)n && (size_t)n <= sizeof kernel_synack[0] && t[20] == 2
                    && t[21] == 4 && (have_capture_ports ? capture_ports[p.sport] : !ports[p.sport])) {
                    /* our own verbatim replays leave again: only a segment that differs (checksum aside) is new */
                    size_t cs = p.l4off + 16;
                    int same = kernel_synack_len[f] == (size_t)n && !memcmp(kernel_synack[f], buf, cs)
                               && !memcmp(kernel_synack[f] + cs + 2, buf + cs + 2, (size_t)n - cs - 2);
                    if (!same) {
                        memcpy(kernel_synack[f], buf, (size_t)n);
                        kernel_synack_len[f] = (size_t)n;
                        captured++;
                    }
                    flush_pending(p.family);
                }
                continue;
            }
            if (from.sll_pkttype != PACKET_HOST) continue;
            if ((flags & (F_SYN | F_ACK | F_RST | F_FIN)) != F_SYN) continue;
            if (control_port && p.dport == control_port) {
                if (!control_sent[f]) {
                    unsigned long before = sent[f];
                    tcp_reply(&p, NULL, F_SYN | F_ACK, rnd(), p.seq + 1, 0, 5);
                    control_sent[f] = sent[f] - before;
                }
                continue;
            }
            if (!ports[p.dport]) continue;
            syns[f]++;
            answer(&p);
        }
    }
    struct tpacket_stats st = {0};
    socklen_t sl = sizeof st;
    getsockopt(pkt, SOL_PACKET, PACKET_STATISTICS, &st, &sl);
    printf("stats mode=%s syns4=%lu syns6=%lu sent4=%lu sent6=%lu errors=%lu captured=%lu pending=%d drops=%u "
           "control4=%lu control6=%lu\n", MODE_NAMES[mode], syns[0], syns[1], sent[0], sent[1], errors, captured,
           pending_count, st.tp_drops, control_sent[0], control_sent[1]);
    fflush(stdout);
    return 0;
}
