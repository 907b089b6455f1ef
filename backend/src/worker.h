/* A worker process: its own database connection, one request at a time. */
#ifndef VSOK_WORKER_H
#define VSOK_WORKER_H

#include "config.h"

/* Serves requests from listen_fd until ctl_fd becomes readable (the master closed its end:
 * drain), SIGTERM arrives, or max_requests is reached. The request in progress always
 * finishes. Returns the process exit code. */
int worker_run(const config *cfg, int listen_fd, int ctl_fd);

#endif
