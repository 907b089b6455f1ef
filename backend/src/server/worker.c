#include "server/worker.h"

#include "core/arena.h"
#include "db/db.h"
#include "db/replica.h"
#include "server/dispatch.h"
#include "evidence/evidence_storage.h"
#include "core/log.h"
#include "notify/mail_send.h"
#include "notify/reminders.h"
#include "evidence/upload_sweep.h"

#include <errno.h>
#include <fcgiapp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define DRAIN_MAX_QUEUED 4096

/* Set by SIGTERM, which is blocked except while the worker waits in epoll_pwait, so a
 * request in progress is never interrupted. */
static volatile sig_atomic_t stop_requested;

static void on_term(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static int setup_epoll(int listen_fd, int ctl_fd)
{
    int efd = epoll_create1(EPOLL_CLOEXEC);
    if (efd < 0)
        return -1;
    /* EPOLLEXCLUSIVE wakes one waiting worker per connection instead of all of them. */
    struct epoll_event l = {.events = EPOLLIN | EPOLLEXCLUSIVE, .data.fd = listen_fd};
    struct epoll_event c = {.events = EPOLLIN, .data.fd = ctl_fd};
    if (epoll_ctl(efd, EPOLL_CTL_ADD, listen_fd, &l) != 0 ||
        epoll_ctl(efd, EPOLL_CTL_ADD, ctl_fd, &c) != 0) {
        close(efd);
        return -1;
    }
    return efd;
}

/* Waits for a connection. Returns 1 when one may be accepted, 0 when the worker should
 * stop. */
static int wait_for_work(int efd, int ctl_fd)
{
    sigset_t none;
    sigemptyset(&none);
    while (!stop_requested) {
        struct epoll_event ev[2];
        int n = epoll_pwait(efd, ev, 2, -1, &none);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            log_error("worker: epoll_pwait: %s", strerror(errno));
            return 0;
        }
        for (int i = 0; i < n; i++)
            if (ev[i].data.fd == ctl_fd)
                return 0;
        return 1;
    }
    return 0;
}

/* What a worker keeps between requests: its connection, caches and request arena. */
typedef struct {
    const config *cfg;
    db_conn *db;
    db_replica *replica; /* NULL: none configured */
    principal_cache principals;
    instrument_cache instruments;
    arena a;
    FCGX_Request req;
    long rss_first; /* KiB resident after the first request; -1 until then */
} worker_state;

/* The worker's peak resident memory in KiB (getrusage: one cheap system call, where
 * /proc/self/statm costs a file read and a parse per request), -1 on failure. Resident
 * memory that grows for good raises the peak as much. */
static long peak_resident_kib(void)
{
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : -1;
}

/* After a request: 1 when the worker's resident memory grew by more than max_rss_growth
 * since its first request (which warms the connection, the statements and the caches), so
 * it should make way for a fresh one. */
static int grew_too_much(worker_state *w)
{
    if (!w->cfg->max_rss_growth)
        return 0;
    long kib = peak_resident_kib();
    if (kib < 0)
        return 0;
    if (w->rss_first < 0) {
        w->rss_first = kib;
        return 0;
    }
    if (kib - w->rss_first <= w->cfg->max_rss_growth)
        return 0;
    log_info("worker: peak resident memory grew from %ld to %ld KiB (VSOK_MAX_RSS_GROWTH %ld): "
             "replaced",
             w->rss_first, kib, w->cfg->max_rss_growth);
    return 1;
}

/* Accepts and serves one connection. Returns 1 when served, 0 when none was waiting (the
 * socket is non-blocking and another worker may have taken it), -1 on an accept error. */
static int serve_one(worker_state *w)
{
    int rc = FCGX_Accept_r(&w->req);
    if (rc < 0) {
        if (rc == -EAGAIN || rc == -EWOULDBLOCK || rc == -EINTR)
            return 0;
        log_error("worker: accept failed: %d", rc);
        return -1;
    }
    dispatch_request(&w->req, w->cfg, w->db, w->replica, &w->principals, &w->instruments, &w->a);
    dispatch_finish(&w->req);
    arena_reset(&w->a);
    return 1;
}

int worker_run(const config *cfg, int listen_fd, int ctl_fd, worker_pool pool)
{
    /* The pool shows in ps and /proc/PID/comm: vsokd (the API) or vsokd-upload. */
    if (pool == WORKER_POOL_UPLOAD)
        prctl(PR_SET_NAME, "vsokd-upload", 0, 0, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_term;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGINT);
    sigprocmask(SIG_SETMASK, &block, NULL);

    int efd = setup_epoll(listen_fd, ctl_fd);
    worker_state *w = calloc(1, sizeof *w);
    if (efd < 0 || !w || !(w->db = db_open(cfg))) {
        log_error("worker: cannot start: %s", strerror(errno));
        return 1;
    }
    w->cfg = cfg;
    w->replica = db_replica_open(cfg);
    principal_cache_init(&w->principals, cfg->auth_cache_ttl);
    instrument_cache_init(&w->instruments);
    arena_init(&w->a, 64 * 1024);
    w->rss_first = -1;
    if (FCGX_InitRequest(&w->req, listen_fd, 0) != 0) {
        log_error("worker: FCGX_InitRequest failed");
        return 1;
    }
    long served = 0;
    time_t next_sweep = time(NULL) + 60;
    while (wait_for_work(efd, ctl_fd)) {
        int rc = serve_one(w);
        if (rc > 0 && cfg->max_requests && ++served >= cfg->max_requests)
            break;
        if (rc > 0 && grew_too_much(w))
            break;
        if (time(NULL) >= next_sweep) {
            /* Between requests: the database decides which worker sweeps this time. */
            upload_sweep(cfg, w->db, &w->a, 0, NULL);
            arena_reset(&w->a);
            mail_send_queued(cfg, w->db, &w->a, 0);
            arena_reset(&w->a);
            reminders_run(cfg, w->db, &w->a, 0);
            arena_reset(&w->a);
            storage_check(cfg, w->db, &w->a, 0);
            arena_reset(&w->a);
            next_sweep = time(NULL) + 60;
        }
    }
    /* Told to stop: connections already queued on the socket were sent by nginx before the
     * stop and count as in flight, so serve them (bounded) until the queue is empty. */
    for (int i = 0; i < DRAIN_MAX_QUEUED && serve_one(w) > 0; i++)
        ;
    FCGX_Free(&w->req, 1);
    arena_destroy(&w->a);
    instrument_cache_destroy(&w->instruments);
    db_close(w->db);
    db_replica_close(w->replica);
    free(w);
    close(efd);
    return 0;
}
