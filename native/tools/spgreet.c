/* spgreet: a lab service that greets first, like SSH, SMTP or FTP. Binds [::] dual-stack on every port given;
 * after each accept it writes the greeting line (--greet TEXT, sent as TEXT followed by CRLF), prints
 * "accept <port>" on stdout (a test counts those lines), and keeps the connection until the peer closes or
 * resets it. Prints "ready" once every port is bound; stops at --max-seconds (default 600) or SIGTERM. */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_PORTS 64
#define MAX_FDS 1024

static volatile sig_atomic_t stop;
static void on_signal(int sig) { (void)sig; stop = 1; }

static int listen_on(int port) {
    int fd = socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (fd < 0) return -1;
    int zero = 0, one = 1;
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port), .sin6_addr = in6addr_any};
    if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 1024) < 0) {
        fprintf(stderr, "spgreet: port %d: %s\n", port, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

int main(int argc, char **argv) {
    static struct pollfd fds[MAX_FDS];
    static int ports[MAX_FDS];
    int nlisten = 0, n = 0;
    long max_seconds = 600;
    const char *greet = "";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--max-seconds") == 0 && i + 1 < argc) {
            max_seconds = strtol(argv[++i], NULL, 10);
            continue;
        }
        if (strcmp(argv[i], "--greet") == 0 && i + 1 < argc) {
            greet = argv[++i];
            continue;
        }
        char *end;
        long port = strtol(argv[i], &end, 10);
        if (*end || port < 1 || port > 65535 || nlisten == MAX_PORTS) {
            fprintf(stderr, "spgreet: bad port '%s'\n", argv[i]);
            return 2;
        }
        int fd = listen_on((int)port);
        if (fd < 0) return 1;
        ports[nlisten] = (int)port;
        fds[nlisten].fd = fd;
        fds[nlisten++].events = POLLIN;
    }
    n = nlisten;
    char line[1024];
    int line_len = snprintf(line, sizeof line, "%s\r\n", greet);
    if (line_len >= (int)sizeof line) line_len = sizeof line - 1;
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    signal(SIGPIPE, SIG_IGN);
    printf("ready\n");
    fflush(stdout);
    time_t deadline = time(NULL) + max_seconds;
    while (!stop && time(NULL) < deadline) {
        if (poll(fds, (nfds_t)n, 500) <= 0) continue;
        for (int i = 0; i < n; i++) {
            if (!fds[i].revents) continue;
            if (i < nlisten) {
                int c;
                while ((c = accept4(fds[i].fd, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    if (write(c, line, (size_t)line_len) < 0) { /* the peer may already be gone */ }
                    printf("accept %d\n", ports[i]);
                    fflush(stdout);
                    if (n == MAX_FDS) {
                        close(c);
                        continue;
                    }
                    fds[n].fd = c;
                    fds[n].events = POLLIN;
                    fds[n].revents = 0;
                    n++;
                }
                continue;
            }
            char buf[512];
            ssize_t r = read(fds[i].fd, buf, sizeof buf);
            if (r > 0 || (r < 0 && errno == EAGAIN)) continue;
            close(fds[i].fd);
            fds[i] = fds[n - 1];
            n--;
            i--;
        }
    }
    return 0;
}
