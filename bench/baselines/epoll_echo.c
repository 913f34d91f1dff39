/*
 * epoll_echo: the plain epoll echo server the library is measured against.
 * One thread, non-blocking sockets, level-triggered epoll:
 *
 *   - a readable connection is read once (up to 64 KiB into one shared
 *     buffer: no memory is tied to an idle connection) and echoed at once;
 *   - a short send keeps the rest in a buffer of that connection, stops
 *     reading it (back-pressure: the peer must take its echo before sending
 *     more) and waits for EPOLLOUT; the order of bytes is kept;
 *   - level-triggered, one read per wake-up: fair among connections, and
 *     nothing is lost if a read does not drain the socket.
 *
 *   epoll_echo [--port N (0 = any)] [--max-seconds N]
 *
 * Prints "epoll_echo: listening on 127.0.0.1:PORT" and, at the end, a
 * summary line. Stops on a line or end of file on stdin, or after
 * --max-seconds.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define RBUF 65536

typedef struct conn {
    int fd;
    uint8_t *pend;           /* unsent rest of an echo, NULL when none */
    uint32_t pend_len, pend_off;
} conn;

/* Sentinels for the epoll data of the two non-connection descriptors. */
static char tag_listen, tag_stdin;
static int ep;
static uint8_t rbuf[RBUF];
static unsigned long long n_conns, n_bytes;

static void conn_close(conn *c)
{
    close(c->fd);            /* also leaves the epoll set */
    free(c->pend);
    free(c);
}

static void watch(conn *c, uint32_t events)
{
    struct epoll_event ev = { .events = events, .data.ptr = c };
    epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
}

/* Sends p[0..n); keeps what the socket did not take. False: close it. */
static bool send_or_keep(conn *c, const uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t r = send(c->fd, p, n, MSG_NOSIGNAL);
        if (r > 0) {
            n_bytes += (size_t)r;
            p += r;
            n -= (size_t)r;
        } else if (r < 0 && errno == EINTR) {
            continue;
        } else if (r < 0 && errno == EAGAIN) {
            break;
        } else {
            return false;
        }
    }
    if (n == 0)
        return true;
    uint8_t *keep = malloc(n);
    if (!keep)
        return false;
    memcpy(keep, p, n);      /* p may be the shared read buffer */
    free(c->pend);
    c->pend = keep;
    c->pend_len = (uint32_t)n;
    c->pend_off = 0;
    watch(c, EPOLLOUT);
    return true;
}

static void on_writable(conn *c)
{
    while (c->pend_off < c->pend_len) {
        ssize_t r = send(c->fd, c->pend + c->pend_off, c->pend_len - c->pend_off, MSG_NOSIGNAL);
        if (r > 0) {
            n_bytes += (size_t)r;
            c->pend_off += (uint32_t)r;
        } else if (r < 0 && errno == EINTR) {
            continue;
        } else if (r < 0 && errno == EAGAIN) {
            return;
        } else {
            conn_close(c);
            return;
        }
    }
    free(c->pend);
    c->pend = NULL;
    watch(c, EPOLLIN);
}

static void on_readable(conn *c)
{
    ssize_t n = recv(c->fd, rbuf, RBUF, 0);
    if (n > 0) {
        if (!send_or_keep(c, rbuf, (size_t)n))
            conn_close(c);
    } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
        conn_close(c);
    }
}

static void on_accept(int lfd)
{
    for (;;) {
        int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
                fprintf(stderr, "epoll_echo: accept: %s\n", strerror(errno));
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            return;
        }
        int one = 1;
        /* Each echo is one send; Nagle would hold it behind unacknowledged data. */
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        conn *c = calloc(1, sizeof(*c));
        if (!c) {
            close(fd);
            continue;
        }
        c->fd = fd;
        struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };
        if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
            close(fd);
            free(c);
            continue;
        }
        n_conns++;
    }
}

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

int main(int argc, char **argv)
{
    unsigned long port = 0, max_seconds = 0;
    for (int i = 1; i < argc; i += 2) {
        char *end = NULL;
        unsigned long v = i + 1 < argc ? strtoul(argv[i + 1], &end, 10) : 0;
        bool ok = end && *end == '\0' && end != argv[i + 1];
        if (ok && !strcmp(argv[i], "--port") && v <= 65535)
            port = v;
        else if (ok && !strcmp(argv[i], "--max-seconds") && v <= 86400)
            max_seconds = v;
        else {
            fprintf(stderr, "usage: epoll_echo [--port N (0 = any)] [--max-seconds N]\n");
            return 2;
        }
    }
    signal(SIGPIPE, SIG_IGN);
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }

    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    struct sockaddr_in a;
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons((uint16_t)port);
    socklen_t alen = sizeof(a);
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(lfd, 4096) < 0 ||
        getsockname(lfd, (struct sockaddr *)&a, &alen) < 0) {
        fprintf(stderr, "epoll_echo: cannot listen on 127.0.0.1:%lu: %s\n", port, strerror(errno));
        return 1;
    }
    ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &tag_listen };
    epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
    ev.data.ptr = &tag_stdin;
    bool stop = false;
    if (epoll_ctl(ep, EPOLL_CTL_ADD, STDIN_FILENO, &ev) < 0) {
        /* A regular file or /dev/null cannot be watched; it is at end of
         * file (or as good as), which means stop. */
        stop = true;
    }
    printf("epoll_echo: listening on 127.0.0.1:%u, one thread, level-triggered\n",
           (unsigned)ntohs(a.sin_port));
    fflush(stdout);

    uint64_t deadline = max_seconds ? now_ms() + max_seconds * 1000u : 0;
    struct epoll_event evs[512];
    while (!stop) {
        int timeout = -1;
        if (deadline) {
            uint64_t t = now_ms();
            if (t >= deadline)
                break;
            timeout = (int)(deadline - t);
        }
        int n = epoll_wait(ep, evs, 512, timeout);
        for (int i = 0; i < n; i++) {
            void *p = evs[i].data.ptr;
            if (p == &tag_listen)
                on_accept(lfd);
            else if (p == &tag_stdin)
                stop = true;
            else if (((conn *)p)->pend)
                on_writable(p);      /* EPOLLOUT, or an error that send reports */
            else
                on_readable(p);
        }
    }
    printf("epoll_echo: summary: connections %llu, bytes echoed %llu\n", n_conns, n_bytes);
    fflush(stdout);
    return 0;
}
