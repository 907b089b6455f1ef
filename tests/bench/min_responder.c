/* The FastCGI hop's own ceiling: a minimal pre-forked libfcgi responder that answers every
 * request with the same bytes (read once from a file), Content-Type application/json.
 *
 *   min_responder SOCKET_PATH BODY_FILE WORKERS
 *
 * Used by tests/bench/run.sh as the baseline that vsokd is compared with. */
#include <errno.h>
#include <fcgiapp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char body[65536];
static int body_len;
static char head[256];
static int head_len;

static volatile sig_atomic_t stop;

static void on_stop(int sig)
{
    (void)sig;
    stop = 1;
}

static void serve(int fd)
{
    FCGX_Request r;
    signal(SIGTERM, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    prctl(PR_SET_PDEATHSIG, SIGTERM); /* go when the master goes */
    FCGX_InitRequest(&r, fd, 0);
    while (FCGX_Accept_r(&r) >= 0) {
        FCGX_PutStr(head, head_len, r.out);
        FCGX_PutStr(body, body_len, r.out);
        FCGX_Finish_r(&r);
    }
    _exit(0);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s SOCKET BODY_FILE WORKERS\n", argv[0]);
        return 2;
    }
    FILE *f = fopen(argv[2], "rb");
    if (!f) {
        perror(argv[2]);
        return 1;
    }
    body_len = (int)fread(body, 1, sizeof body, f);
    fclose(f);
    head_len = snprintf(head, sizeof head,
                        "Status: 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n"
                        "Cache-Control: no-store\r\n\r\n",
                        body_len);
    int workers = atoi(argv[3]);
    if (workers < 1)
        workers = 1;

    FCGX_Init();
    int fd = FCGX_OpenSocket(argv[1], 1024);
    if (fd < 0)
        return 1;
    chmod(argv[1], 0666); /* nginx workers run as another user */

    pid_t pids[256];
    if (workers > 256)
        workers = 256;
    for (int i = 0; i < workers; i++)
        if ((pids[i] = fork()) == 0)
            serve(fd);
    /* master: replace a worker that dies; on SIGTERM/SIGINT stop the workers, reap, exit */
    struct sigaction sa = {.sa_handler = on_stop}; /* no SA_RESTART: wait() returns EINTR */
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    while (!stop) {
        pid_t dead = wait(NULL);
        for (int i = 0; i < workers && !stop; i++)
            if (dead > 0 && pids[i] == dead && (pids[i] = fork()) == 0)
                serve(fd);
    }
    for (int i = 0; i < workers; i++)
        kill(pids[i], SIGTERM);
    while (wait(NULL) > 0 || errno == EINTR)
        ;
    return 0;
}
