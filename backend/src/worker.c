#include "worker.h"

#include "arena.h"
#include "db.h"
#include "dispatch.h"
#include "log.h"

#include <errno.h>
#include <fcgiapp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
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

/* Accepts and serves one connection. Returns 1 when served, 0 when none was waiting (the
 * socket is non-blocking and another worker may have taken it), -1 on an accept error. */
static int serve_one(FCGX_Request *req, const config *cfg, db_conn *db, principal_cache *pc,
                     arena *a)
{
    int rc = FCGX_Accept_r(req);
    if (rc < 0) {
        if (rc == -EAGAIN || rc == -EWOULDBLOCK || rc == -EINTR)
            return 0;
        log_error("worker: accept failed: %d", rc);
        return -1;
    }
    dispatch_request(req, cfg, db, pc, a);
    FCGX_Finish_r(req);
    arena_reset(a);
    return 1;
}

int worker_run(const config *cfg, int listen_fd, int ctl_fd)
{
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
    db_conn *db = db_open(cfg);
    principal_cache *principals = malloc(sizeof *principals);
    if (efd < 0 || !db || !principals) {
        log_error("worker: cannot start: %s", strerror(errno));
        return 1;
    }
    principal_cache_init(principals, cfg->auth_cache_ttl);
    arena a;
    arena_init(&a, 64 * 1024);
    FCGX_Request req;
    if (FCGX_InitRequest(&req, listen_fd, 0) != 0) {
        log_error("worker: FCGX_InitRequest failed");
        return 1;
    }
    long served = 0;
    while (wait_for_work(efd, ctl_fd)) {
        int rc = serve_one(&req, cfg, db, principals, &a);
        if (rc > 0 && cfg->max_requests && ++served >= cfg->max_requests)
            break;
    }
    /* Told to stop: connections already queued on the socket were sent by nginx before the
     * stop and count as in flight, so serve them (bounded) until the queue is empty. */
    for (int i = 0; i < DRAIN_MAX_QUEUED && serve_one(&req, cfg, db, principals, &a) > 0; i++)
        ;
    FCGX_Free(&req, 1);
    arena_destroy(&a);
    db_close(db);
    free(principals);
    close(efd);
    return 0;
}
