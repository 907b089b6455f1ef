/* A worker process: its own database connection, one request at a time. */
#ifndef VSOK_WORKER_H
#define VSOK_WORKER_H

#include "core/config.h"

/* The API pool serves VSOK_SOCKET; the upload pool (tus) serves VSOK_UPLOAD_SOCKET, so
 * that uploads never occupy the workers the API needs. Both run the same code. */
typedef enum { WORKER_POOL_API = 0, WORKER_POOL_UPLOAD = 1 } worker_pool;

/* Serves requests from listen_fd until ctl_fd becomes readable (the master closed its end:
 * drain), SIGTERM arrives, max_requests is reached or the resident memory grew by more
 * than max_rss_growth. The request in progress always finishes. Returns the process exit
 * code. */
int worker_run(const config *cfg, int listen_fd, int ctl_fd, worker_pool pool);

#endif
