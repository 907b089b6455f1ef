/* The master process, as php-fpm does it: binds the FastCGI socket, forks the workers,
 * replaces a worker that dies, reloads on SIGHUP (new workers first, then the old ones
 * drain), drains and exits on SIGTERM. It never touches the database. */
#ifndef VSOK_MASTER_H
#define VSOK_MASTER_H

#include "core/config.h"

/* Reloads cfg from the environment and key files; returns 0 or -1 with err filled. */
typedef int (*config_reloader)(config *cfg, char *err, size_t errlen);

int master_run(config *cfg, config_reloader reload);

#endif
