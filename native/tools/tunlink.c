/* tunlink: userspace delay + loss link between two network namespaces over two TUN devices.
 *
 * The kernel in our CI has no netem, so latency tests and benchmarks use this instead:
 *
 *   tunlink --ns-a NAME_A --ns-b NAME_B --dev-a tla0 --dev-b tlb0 \
 *           [--delay-us D] [--delay-ab-us D] [--delay-ba-us D] \
 *           [--loss P] [--loss-ab P] [--loss-ba P] [--seed S] \
 *           [--max-seconds N] [--queue N] [--spin-us N] [--rt] [--exit-on-stdin-eof]
 *
 * Each device is created (IFF_TUN | IFF_NO_PI, non-persistent) inside its namespace: the process setns()es
 * into /var/run/netns/NAME (or NAME itself if it contains '/'; omitted = current namespace) before TUNSETIFF,
 * and the fd stays bound to that namespace. Every packet read from one device is, with probability
 * loss (independent per direction, seeded splitmix64), dropped; otherwise it is queued (bounded FIFO per
 * direction, drops counted when full) and written to the other device exactly delay after its read time
 * (CLOCK_MONOTONIC). Waiting is epoll_pwait2 with a nanosecond timeout and 1 ns timer slack, up to
 * --spin-us (default 100) before the due time, then a busy wait that keeps reading both devices so
 * arrival timestamps do not suffer from the spin.
 *
 * Prints "ready" on stdout once both devices exist, then runs until SIGTERM/SIGINT or --max-seconds
 * (default 600). SIGUSR1 prints the counters to stderr; they are printed again on exit as one line:
 *   stats ab_rx=N ab_fwd=N ab_loss=N ab_qdrop=N ab_werr=N ... ba_rx=N ba_fwd=N ...
 * (rx = read, fwd = written, loss = dropped by the loss model, qdrop = dropped because the queue was full,
 *  werr/rerr = write/read errors, queued = still in the queue, late_* = write time minus due time,
 *  late50 = packets written more than 50 us late).
 * The devices vanish when the process exits. --exit-on-stdin-eof also stops it when stdin reaches EOF, so a
 * parent that keeps a pipe open (the Java LinkLab) takes the link down with it even if it is SIGKILLed.
 * --rt asks for SCHED_FIFO (priority 10) and mlockall; --queue bounds each direction's FIFO (default 16384
 * packets); --spin-us sets the busy-wait window before each due time (default 100).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define SLOT_INLINE 2048      /* covers MTU 1500 without malloc; larger packets get a heap copy */
#define MAX_PKT     65536     /* TUN never hands out more than 64 KiB */
#define READ_BATCH  64        /* packets drained per device per wake, so the other side is not starved */

typedef struct {
    uint64_t due_ns;
    uint32_t len;
    uint8_t *heap;            /* non-NULL when len > SLOT_INLINE */
    uint8_t data[SLOT_INLINE];
} slot_t;

typedef struct {
    const char *name;         /* "ab" or "ba" */
    int in_fd, out_fd;
    uint64_t delay_ns;
    uint64_t loss_threshold;  /* drop when rng() < threshold; 0 = never, UINT64_MAX+ = handled by always_drop */
    int always_drop;
    uint64_t rng;
    slot_t *q;
    uint32_t cap, head, count;
    uint64_t rx, fwd, loss, qdrop, werr, rerr, bytes;
    uint64_t max_late_ns;     /* worst observed (write time - due time) */
    uint64_t sum_late_ns;
    uint64_t late50;          /* packets written more than 50 us after their due time */
} dir_t;

static volatile sig_atomic_t g_stop, g_dump;
static void on_stop(int sig) { (void)sig; g_stop = 1; }
static void on_usr1(int sig) { (void)sig; g_dump = 1; }

static inline uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static inline uint64_t splitmix64(uint64_t *s) {
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static void die(const char *what) {
    fprintf(stderr, "tunlink: %s: %s\n", what, strerror(errno));
    exit(1);
}

static int open_tun_in_ns(const char *ns, const char *dev) {
    int orig = -1, target = -1;
    if (ns && *ns) {
        char path[512];
        if (strchr(ns, '/')) snprintf(path, sizeof path, "%s", ns);
        else snprintf(path, sizeof path, "/var/run/netns/%s", ns);
        orig = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
        if (orig < 0) die("open /proc/self/ns/net");
        target = open(path, O_RDONLY | O_CLOEXEC);
        if (target < 0) { fprintf(stderr, "tunlink: netns %s: %s\n", path, strerror(errno)); exit(1); }
        if (setns(target, CLONE_NEWNET) < 0) die("setns");
    }
    int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) die("open /dev/net/tun");
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
    snprintf(ifr.ifr_name, IFNAMSIZ, "%s", dev);
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        fprintf(stderr, "tunlink: TUNSETIFF %s in %s: %s\n", dev, ns ? ns : "(current ns)", strerror(errno));
        exit(1);
    }
    if (orig >= 0) {
        if (setns(orig, CLONE_NEWNET) < 0) die("setns back");
        close(orig);
        close(target);
    }
    return fd;
}

static void dump_stats(dir_t *d0, dir_t *d1) {
    char buf[2048];
    int n = 0;
    n += snprintf(buf + n, sizeof buf - n, "stats");
    dir_t *ds[2] = {d0, d1};
    for (int i = 0; i < 2; i++) {
        dir_t *d = ds[i];
        n += snprintf(buf + n, sizeof buf - n,
                      " %s_rx=%" PRIu64 " %s_fwd=%" PRIu64 " %s_loss=%" PRIu64 " %s_qdrop=%" PRIu64
                      " %s_werr=%" PRIu64 " %s_rerr=%" PRIu64 " %s_queued=%" PRIu32 " %s_bytes=%" PRIu64
                      " %s_late_max_ns=%" PRIu64 " %s_late_avg_ns=%" PRIu64 " %s_late50=%" PRIu64,
                      d->name, d->rx, d->name, d->fwd, d->name, d->loss, d->name, d->qdrop, d->name, d->werr,
                      d->name, d->rerr, d->name, d->count, d->name, d->bytes, d->name, d->max_late_ns, d->name,
                      d->fwd ? d->sum_late_ns / d->fwd : 0, d->name, d->late50);
    }
    if (n > (int)sizeof buf - 2) n = (int)sizeof buf - 2;
    buf[n++] = '\n';
    /* one write(): readers polling a log file never see half a line */
    if (write(2, buf, (size_t)n) < 0) { /* nothing sensible to do */ }
}

/* Read up to READ_BATCH packets from d->in_fd; timestamp each right after read(). */
static void drain(dir_t *d, uint8_t *scratch) {
    for (int i = 0; i < READ_BATCH; i++) {
        slot_t *s = NULL;
        slot_t tmp; /* used only when the queue is full or the packet will be dropped */
        int keep = d->count < d->cap;
        s = keep ? &d->q[(d->head + d->count) % d->cap] : &tmp;
        struct iovec iov[2] = {{s->data, SLOT_INLINE}, {scratch, MAX_PKT}};
        ssize_t n = readv(d->in_fd, iov, 2);
        uint64_t t = now_ns();
        if (n < 0) {
            if (errno != EAGAIN && errno != EINTR) d->rerr++;
            return;
        }
        if (n == 0) return;
        d->rx++;
        int drop = d->always_drop || (d->loss_threshold && splitmix64(&d->rng) < d->loss_threshold);
        if (drop) { d->loss++; continue; }
        if (!keep) { d->qdrop++; continue; }
        s->due_ns = t + d->delay_ns;
        s->len = (uint32_t)n;
        s->heap = NULL;
        if (n > SLOT_INLINE) {
            s->heap = malloc((size_t)n);
            if (!s->heap) { d->qdrop++; continue; }
            memcpy(s->heap, s->data, SLOT_INLINE);
            memcpy(s->heap + SLOT_INLINE, scratch, (size_t)n - SLOT_INLINE);
        }
        d->count++;
    }
}

/* Write every packet whose due time has passed. */
static void flush(dir_t *d) {
    while (d->count) {
        slot_t *s = &d->q[d->head];
        uint64_t t = now_ns();
        if (s->due_ns > t) return;
        ssize_t w = write(d->out_fd, s->heap ? s->heap : s->data, s->len);
        if (w == (ssize_t)s->len) {
            d->fwd++;
            d->bytes += s->len;
            uint64_t late = t - s->due_ns;
            d->sum_late_ns += late;
            if (late > d->max_late_ns) d->max_late_ns = late;
            if (late > 50000) d->late50++;
        } else {
            d->werr++;
        }
        free(s->heap);
        s->heap = NULL;
        d->head = (d->head + 1) % d->cap;
        d->count--;
    }
}

static double parse_double(const char *opt, const char *v, double lo, double hi) {
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    if (errno || *end || !(x >= lo && x <= hi)) {
        fprintf(stderr, "tunlink: bad value for %s: '%s' (want %g..%g)\n", opt, v, lo, hi);
        exit(2);
    }
    return x;
}

static uint64_t parse_u64(const char *opt, const char *v) {
    char *end;
    errno = 0;
    unsigned long long x = strtoull(v, &end, 0);
    if (errno || *end || *v == '-') {
        fprintf(stderr, "tunlink: bad value for %s: '%s'\n", opt, v);
        exit(2);
    }
    return x;
}

static void usage(void) {
    fprintf(stderr,
            "usage: tunlink --ns-a NS --ns-b NS --dev-a DEV --dev-b DEV [--delay-us US] [--delay-ab-us US]\n"
            "               [--delay-ba-us US] [--loss P] [--loss-ab P] [--loss-ba P] [--seed S]\n"
            "               [--max-seconds N] [--queue PKTS] [--spin-us US] [--rt] [--exit-on-stdin-eof]\n");
    exit(2);
}

static void setup_dir(dir_t *d, const char *name, int in, int out, double delay_us, double loss, uint64_t seed,
                      uint32_t cap) {
    memset(d, 0, sizeof *d);
    d->name = name;
    d->in_fd = in;
    d->out_fd = out;
    d->delay_ns = (uint64_t)(delay_us * 1000.0 + 0.5);
    d->always_drop = loss >= 1.0;
    d->loss_threshold = loss <= 0.0 ? 0 : (uint64_t)(loss * 18446744073709551616.0);
    d->rng = seed;
    d->cap = cap;
    /* calloc of a large block is mmap'd and committed lazily, so a big bound costs nothing until used */
    d->q = calloc(cap, sizeof(slot_t));
    if (!d->q) die("calloc queue");
}

int main(int argc, char **argv) {
    const char *ns_a = NULL, *ns_b = NULL, *dev_a = "tla0", *dev_b = "tlb0";
    double delay = 0, delay_ab = -1, delay_ba = -1, loss = 0, loss_ab = -1, loss_ba = -1;
    uint64_t seed = 1, max_seconds = 600, queue = 16384, spin_us = 100;
    int rt = 0, stdin_eof = 0;
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        if (strcmp(o, "--rt") == 0) { rt = 1; continue; }
        if (strcmp(o, "--exit-on-stdin-eof") == 0) { stdin_eof = 1; continue; }
        if (strcmp(o, "-h") == 0 || strcmp(o, "--help") == 0) usage();
        if (i + 1 >= argc) usage();
        const char *v = argv[++i];
        if (strcmp(o, "--ns-a") == 0) ns_a = v;
        else if (strcmp(o, "--ns-b") == 0) ns_b = v;
        else if (strcmp(o, "--dev-a") == 0) dev_a = v;
        else if (strcmp(o, "--dev-b") == 0) dev_b = v;
        else if (strcmp(o, "--delay-us") == 0) delay = parse_double(o, v, 0, 60e6);
        else if (strcmp(o, "--delay-ab-us") == 0) delay_ab = parse_double(o, v, 0, 60e6);
        else if (strcmp(o, "--delay-ba-us") == 0) delay_ba = parse_double(o, v, 0, 60e6);
        else if (strcmp(o, "--loss") == 0) loss = parse_double(o, v, 0, 1);
        else if (strcmp(o, "--loss-ab") == 0) loss_ab = parse_double(o, v, 0, 1);
        else if (strcmp(o, "--loss-ba") == 0) loss_ba = parse_double(o, v, 0, 1);
        else if (strcmp(o, "--seed") == 0) seed = parse_u64(o, v);
        else if (strcmp(o, "--max-seconds") == 0) max_seconds = parse_u64(o, v);
        else if (strcmp(o, "--queue") == 0) queue = parse_u64(o, v);
        else if (strcmp(o, "--spin-us") == 0) spin_us = parse_u64(o, v);
        else { fprintf(stderr, "tunlink: unknown option %s\n", o); usage(); }
    }
    if (strlen(dev_a) >= IFNAMSIZ || strlen(dev_b) >= IFNAMSIZ) { fprintf(stderr, "tunlink: device name too long\n"); return 2; }
    if (queue < 1 || queue > (1u << 20)) { fprintf(stderr, "tunlink: --queue must be 1..1048576\n"); return 2; }
    if (spin_us > 10000) spin_us = 10000;
    if (max_seconds > 7 * 86400) max_seconds = 7 * 86400;
    if (delay_ab < 0) delay_ab = delay;
    if (delay_ba < 0) delay_ba = delay;
    if (loss_ab < 0) loss_ab = loss;
    if (loss_ba < 0) loss_ba = loss;

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop; /* no SA_RESTART: epoll_pwait2 returns EINTR */
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    /* Precise sleeps: default timer slack is 50 us, which would show up directly as delay error. */
    prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
    if (rt) {
        struct sched_param sp = {.sched_priority = 10};
        if (sched_setscheduler(0, SCHED_FIFO, &sp) < 0) fprintf(stderr, "tunlink: SCHED_FIFO: %s (continuing)\n", strerror(errno));
        if (mlockall(MCL_CURRENT) < 0) fprintf(stderr, "tunlink: mlockall: %s (continuing)\n", strerror(errno));
    }

    int fa = open_tun_in_ns(ns_a, dev_a);
    int fb = open_tun_in_ns(ns_b, dev_b);

    uint64_t s = seed;
    uint64_t seed_ab = splitmix64(&s), seed_ba = splitmix64(&s);
    dir_t ab, ba;
    setup_dir(&ab, "ab", fa, fb, delay_ab, loss_ab, seed_ab, (uint32_t)queue);
    setup_dir(&ba, "ba", fb, fa, delay_ba, loss_ba, seed_ba, (uint32_t)queue);
    static uint8_t scratch[MAX_PKT];

    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0) die("epoll_create1");
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &ab};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, fa, &ev) < 0) die("epoll_ctl a");
    ev.data.ptr = &ba;
    if (epoll_ctl(ep, EPOLL_CTL_ADD, fb, &ev) < 0) die("epoll_ctl b");
    if (stdin_eof) {
        ev.data.ptr = NULL;
        if (epoll_ctl(ep, EPOLL_CTL_ADD, 0, &ev) < 0) die("epoll_ctl stdin");
    }

    printf("ready\n");
    fflush(stdout);

    const uint64_t spin_ns = spin_us * 1000ull;
    const uint64_t deadline = now_ns() + max_seconds * 1000000000ull;
    while (!g_stop) {
        if (g_dump) { g_dump = 0; dump_stats(&ab, &ba); }
        flush(&ab);
        flush(&ba);
        uint64_t t = now_ns();
        if (t >= deadline) break;
        uint64_t next = deadline;
        if (ab.count && ab.q[ab.head].due_ns < next) next = ab.q[ab.head].due_ns;
        if (ba.count && ba.q[ba.head].due_ns < next) next = ba.q[ba.head].due_ns;
        uint64_t wait = next > t ? next - t : 0;
        if (wait > spin_ns) {
            uint64_t sleep_ns = wait - spin_ns;
            if (sleep_ns > 1000000000ull) sleep_ns = 1000000000ull; /* re-check signals/deadline each second */
            struct timespec to = {.tv_sec = (time_t)(sleep_ns / 1000000000ull), .tv_nsec = (long)(sleep_ns % 1000000000ull)};
            struct epoll_event evs[3];
            int n = epoll_pwait2(ep, evs, 3, &to, NULL);
            for (int i = 0; i < n; i++) {
                if (evs[i].data.ptr) {
                    drain((dir_t *)evs[i].data.ptr, scratch);
                } else {
                    ssize_t r = read(0, scratch, sizeof scratch);
                    if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) g_stop = 1;
                }
            }
        } else if (wait > 0) {
            /* Busy wait for the last stretch, still picking up arrivals promptly. */
            drain(&ab, scratch);
            drain(&ba, scratch);
        }
    }
    dump_stats(&ab, &ba);
    close(fa);
    close(fb);
    return 0;
}
