#include "core/child_run.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The tools need nothing from the worker's environment (and must not inherit sanitizer or
 * preload settings): a fixed one, one libvips thread so that a preview takes one core. */
static char *const CHILD_ENV[] = {"PATH=/usr/bin:/bin", "LC_ALL=C", "VIPS_CONCURRENCY=1",
                                  "VIPS_BLOCK_UNTRUSTED=1", NULL};

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reads what is there from the stderr pipe into err; returns 0 at end of file. */
static int drain(int fd, char *err, size_t errlen, size_t *used)
{
    char buf[512];
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0)
        return errno == EINTR || errno == EAGAIN ? 1 : 0;
    if (n == 0)
        return 0;
    if (errlen > 1 && *used < errlen - 1) {
        size_t take = (size_t)n < errlen - 1 - *used ? (size_t)n : errlen - 1 - *used;
        for (size_t i = 0; i < take; i++) /* one log line */
            err[*used + i] = (unsigned char)buf[i] < 0x20 ? ' ' : buf[i];
        *used += take;
        err[*used] = '\0';
    }
    return 1;
}

child_result child_run(const char *const argv[], long timeout_s, char *err, size_t errlen)
{
    if (errlen)
        err[0] = '\0';
    if (!argv[0] || argv[0][0] != '/' || access(argv[0], X_OK) != 0)
        return CHILD_NO_START;
    int pipefd[2];
    if (pipe2(pipefd, O_CLOEXEC) != 0)
        return CHILD_NO_START;
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&attr);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, pipefd[1], 2);
    /* The worker's signal handlers and mask are not the tool's business. */
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    sigdelset(&all, SIGKILL);
    sigdelset(&all, SIGSTOP);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
                                        POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    pid_t pid;
    int rc = posix_spawn(&pid, argv[0], &fa, &attr, (char *const *)argv, CHILD_ENV);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    close(pipefd[1]);
    if (rc != 0) {
        close(pipefd[0]);
        return CHILD_NO_START;
    }
    long long deadline = now_ms() + timeout_s * 1000;
    size_t used = 0;
    int open_pipe = 1, status = 0, timed_out = 0;
    for (;;) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid)
            break;
        if (w < 0 && errno != EINTR) {
            status = -1;
            break;
        }
        long long left = deadline - now_ms();
        if (left <= 0) {
            /* The whole process group: ffmpeg or vips may have helpers of their own. */
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
            timed_out = 1;
            break;
        }
        if (open_pipe) {
            struct pollfd p = {.fd = pipefd[0], .events = POLLIN};
            int n = poll(&p, 1, left < 50 ? (int)left : 50);
            if (n > 0)
                open_pipe = drain(pipefd[0], err, errlen, &used);
        } else {
            struct timespec ts = {0, 10 * 1000000L};
            nanosleep(&ts, NULL);
        }
    }
    while (open_pipe && !timed_out) {
        struct pollfd p = {.fd = pipefd[0], .events = POLLIN};
        if (poll(&p, 1, 0) <= 0)
            break;
        open_pipe = drain(pipefd[0], err, errlen, &used);
    }
    close(pipefd[0]);
    if (timed_out)
        return CHILD_TIMEOUT;
    return status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? CHILD_OK : CHILD_FAILED;
}
