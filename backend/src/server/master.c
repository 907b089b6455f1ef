#include "server/master.h"

#include "server/listen_socket.h"
#include "core/log.h"
#include "server/worker.h"

#include <errno.h>
#include <fcntl.h>
#include <fcgiapp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_SLOTS 1024
#define QUICK_DEATH_SECONDS 1

typedef enum { SLOT_FREE = 0, SLOT_RUNNING, SLOT_DRAINING, SLOT_RESPAWN } slot_state;

typedef struct {
    slot_state state;
    worker_pool pool;
    pid_t pid;
    int ctl_w; /* write end of the worker's control pipe; closing it means "drain" */
    time_t started;
    time_t deadline; /* SLOT_DRAINING: SIGKILL after; SLOT_RESPAWN: fork at */
} slot;

typedef struct {
    config *cfg;
    int listen_fd[2]; /* per worker_pool; the upload pool's is -1 without VSOK_UPLOAD_SOCKET */
    int sig_fd;
    slot slots[MAX_SLOTS];
    int stopping;
} master;

static time_t now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec;
}

static void child_close_inherited(master *m, worker_pool own)
{
    close(m->sig_fd);
    for (int p = 0; p < 2; p++)
        if (p != (int)own && m->listen_fd[p] >= 0)
            close(m->listen_fd[p]);
    for (int i = 0; i < MAX_SLOTS; i++)
        if (m->slots[i].state == SLOT_RUNNING || m->slots[i].state == SLOT_DRAINING)
            if (m->slots[i].ctl_w >= 0)
                close(m->slots[i].ctl_w);
}

static int spawn(master *m, slot *s, worker_pool pool)
{
    int ctl[2];
    if (pipe2(ctl, O_CLOEXEC) != 0) {
        log_error("master: pipe: %s", strerror(errno));
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        log_error("master: fork: %s", strerror(errno));
        close(ctl[0]);
        close(ctl[1]);
        return -1;
    }
    if (pid == 0) {
        close(ctl[1]);
        child_close_inherited(m, pool);
        signal(SIGCHLD, SIG_DFL);
        signal(SIGHUP, SIG_IGN);
        signal(SIGQUIT, SIG_IGN);
        _exit(worker_run(m->cfg, m->listen_fd[pool], ctl[0], pool));
    }
    close(ctl[0]);
    s->state = SLOT_RUNNING;
    s->pool = pool;
    s->pid = pid;
    s->ctl_w = ctl[1];
    s->started = now();
    return 0;
}

static slot *free_slot(master *m)
{
    for (int i = 0; i < MAX_SLOTS; i++)
        if (m->slots[i].state == SLOT_FREE)
            return &m->slots[i];
    return NULL;
}

static int spawn_pool(master *m, worker_pool pool, int n)
{
    for (int i = 0; i < n; i++) {
        slot *s = free_slot(m);
        if (!s || spawn(m, s, pool) != 0)
            return -1;
    }
    return 0;
}

/* Both pools: the API's VSOK_WORKERS, and VSOK_UPLOAD_WORKERS when there is an upload
 * socket. */
static int spawn_workers(master *m)
{
    if (spawn_pool(m, WORKER_POOL_API, m->cfg->workers) != 0)
        return -1;
    if (m->listen_fd[WORKER_POOL_UPLOAD] >= 0 &&
        spawn_pool(m, WORKER_POOL_UPLOAD, m->cfg->upload_workers) != 0)
        return -1;
    return 0;
}

static void drain(master *m, slot *s)
{
    if (s->ctl_w >= 0)
        close(s->ctl_w);
    s->ctl_w = -1;
    s->state = SLOT_DRAINING;
    s->deadline = now() + m->cfg->drain_timeout;
    kill(s->pid, SIGTERM);
}

static slot *slot_of(master *m, pid_t pid)
{
    for (int i = 0; i < MAX_SLOTS; i++)
        if (m->slots[i].pid == pid &&
            (m->slots[i].state == SLOT_RUNNING || m->slots[i].state == SLOT_DRAINING))
            return &m->slots[i];
    return NULL;
}

static void reap(master *m)
{
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        slot *s = slot_of(m, pid);
        if (!s)
            continue;
        if (s->ctl_w >= 0)
            close(s->ctl_w);
        s->ctl_w = -1;
        int was_running = s->state == SLOT_RUNNING;
        if (WIFSIGNALED(status))
            log_error("master: worker %d killed by signal %d", (int)pid, WTERMSIG(status));
        else if (WEXITSTATUS(status) != 0)
            log_error("master: worker %d exited with %d", (int)pid, WEXITSTATUS(status));
        if (!was_running || m->stopping) {
            s->state = SLOT_FREE;
            s->pid = 0;
            continue;
        }
        /* Replace it at once, unless it keeps dying right after start. */
        int quick = now() - s->started < QUICK_DEATH_SECONDS &&
                    (WIFSIGNALED(status) || WEXITSTATUS(status) != 0);
        s->state = SLOT_RESPAWN;
        s->pid = 0;
        s->deadline = quick ? now() + 1 : now();
    }
}

static void respawn_due(master *m)
{
    time_t t = now();
    for (int i = 0; i < MAX_SLOTS; i++) {
        slot *s = &m->slots[i];
        if (s->state == SLOT_RESPAWN && s->deadline <= t && spawn(m, s, s->pool) != 0)
            s->deadline = t + 1;
        if (s->state == SLOT_DRAINING && s->deadline <= t) {
            log_error("master: worker %d did not drain in time, killing it", (int)s->pid);
            kill(s->pid, SIGKILL);
            s->deadline = t + 5;
        }
    }
}

static void reload(master *m, config_reloader reloader)
{
    char err[256];
    if (reloader && reloader(m->cfg, err, sizeof err) != 0) {
        log_error("master: reload failed, keeping the running workers: %s", err);
        return;
    }
    /* Old workers first learn that they must drain only after the new ones are forked, so
     * the socket always has someone accepting. */
    int old[MAX_SLOTS];
    int nold = 0;
    for (int i = 0; i < MAX_SLOTS; i++)
        if (m->slots[i].state == SLOT_RUNNING || m->slots[i].state == SLOT_RESPAWN)
            old[nold++] = i;
    if (spawn_workers(m) != 0)
        log_error("master: could not start every new worker");
    for (int i = 0; i < nold; i++) {
        slot *s = &m->slots[old[i]];
        if (s->state == SLOT_RUNNING)
            drain(m, s);
        else
            s->state = SLOT_FREE;
    }
    log_info("master: reloaded, %d workers replaced", nold);
}

static void begin_stop(master *m)
{
    /* No new connections from here on; the workers still serve what is queued. */
    unlink(m->cfg->socket_path);
    if (m->listen_fd[WORKER_POOL_UPLOAD] >= 0)
        unlink(m->cfg->upload_socket_path);
    m->stopping = 1;
    for (int i = 0; i < MAX_SLOTS; i++) {
        if (m->slots[i].state == SLOT_RUNNING)
            drain(m, &m->slots[i]);
        else if (m->slots[i].state == SLOT_RESPAWN)
            m->slots[i].state = SLOT_FREE;
    }
}

static int live_workers(master *m)
{
    int n = 0;
    for (int i = 0; i < MAX_SLOTS; i++)
        if (m->slots[i].state == SLOT_RUNNING || m->slots[i].state == SLOT_DRAINING)
            n++;
    return n;
}

static int pending_timers(master *m)
{
    for (int i = 0; i < MAX_SLOTS; i++)
        if (m->slots[i].state == SLOT_RESPAWN || m->slots[i].state == SLOT_DRAINING)
            return 1;
    return 0;
}

static int open_signal_fd(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGQUIT);
    if (sigprocmask(SIG_BLOCK, &set, NULL) != 0)
        return -1;
    return signalfd(-1, &set, SFD_CLOEXEC);
}

static void write_pid_file(const config *cfg)
{
    if (!cfg->pid_file[0])
        return;
    FILE *f = fopen(cfg->pid_file, "w");
    if (!f) {
        log_error("master: cannot write %s: %s", cfg->pid_file, strerror(errno));
        return;
    }
    fprintf(f, "%d\n", (int)getpid());
    fclose(f);
}

/* Removes the pid file only while it still names this process. */
static void remove_pid_file(const config *cfg)
{
    if (!cfg->pid_file[0])
        return;
    FILE *f = fopen(cfg->pid_file, "r");
    int pid = 0;
    if (!f)
        return;
    int n = fscanf(f, "%d", &pid);
    fclose(f);
    if (n == 1 && pid == (int)getpid())
        unlink(cfg->pid_file);
}

/* The API's socket, and the upload pool's when VSOK_UPLOAD_SOCKET is set. */
static int open_sockets(master *m)
{
    char err[256];
    m->listen_fd[WORKER_POOL_UPLOAD] = -1;
    m->listen_fd[WORKER_POOL_API] =
        listen_socket_open(m->cfg->socket_path, m->cfg->socket_mode, err, sizeof err);
    if (m->listen_fd[WORKER_POOL_API] < 0) {
        log_error("master: %s", err);
        return -1;
    }
    if (!m->cfg->upload_socket_path[0])
        return 0;
    m->listen_fd[WORKER_POOL_UPLOAD] =
        listen_socket_open(m->cfg->upload_socket_path, m->cfg->socket_mode, err, sizeof err);
    if (m->listen_fd[WORKER_POOL_UPLOAD] < 0) {
        log_error("master: %s", err);
        close(m->listen_fd[WORKER_POOL_API]);
        unlink(m->cfg->socket_path);
        return -1;
    }
    return 0;
}

static void close_sockets(master *m)
{
    for (int p = 0; p < 2; p++) {
        if (m->listen_fd[p] < 0)
            continue;
        close(m->listen_fd[p]);
        /* when stopping, already gone, maybe replaced by a successor */
        if (!m->stopping)
            unlink(p == WORKER_POOL_API ? m->cfg->socket_path : m->cfg->upload_socket_path);
    }
}

int master_run(config *cfg, config_reloader reloader)
{
    master m;
    memset(&m, 0, sizeof m);
    m.cfg = cfg;
    if (open_sockets(&m) != 0)
        return 1;
    signal(SIGPIPE, SIG_IGN);
    m.sig_fd = open_signal_fd();
    if (m.sig_fd < 0) {
        log_error("master: signalfd: %s", strerror(errno));
        return 1;
    }
    write_pid_file(cfg);
    if (spawn_workers(&m) != 0) {
        log_error("master: cannot start workers");
        return 1;
    }
    log_info("master: listening on %s with %d workers", cfg->socket_path, cfg->workers);
    if (m.listen_fd[WORKER_POOL_UPLOAD] >= 0)
        log_info("master: uploads on %s with %d workers", cfg->upload_socket_path,
                 cfg->upload_workers);
    while (!(m.stopping && live_workers(&m) == 0)) {
        struct pollfd p = {.fd = m.sig_fd, .events = POLLIN};
        int r = poll(&p, 1, pending_timers(&m) ? 200 : -1);
        if (r < 0 && errno != EINTR)
            break;
        if (r > 0) {
            struct signalfd_siginfo si;
            while (read(m.sig_fd, &si, sizeof si) == (ssize_t)sizeof si) {
                if (si.ssi_signo == SIGCHLD)
                    reap(&m);
                else if (si.ssi_signo == SIGHUP && !m.stopping)
                    reload(&m, reloader);
                else if (si.ssi_signo != SIGHUP && !m.stopping) {
                    log_info("master: signal %u, draining", si.ssi_signo);
                    begin_stop(&m);
                }
                struct pollfd again = {.fd = m.sig_fd, .events = POLLIN};
                if (poll(&again, 1, 0) <= 0)
                    break;
            }
            reap(&m);
        }
        respawn_due(&m);
    }
    close_sockets(&m);
    remove_pid_file(cfg);
    log_info("master: stopped");
    return 0;
}
