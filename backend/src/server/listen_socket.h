/* The FastCGI listening socket (a unix socket, non-blocking, shared by the workers). */
#ifndef VSOK_LISTEN_SOCKET_H
#define VSOK_LISTEN_SOCKET_H

#include <stddef.h>

/* Binds path with mode, refusing to steal a socket that another process still serves.
 * Returns the fd, or -1 with err filled. */
int listen_socket_open(const char *path, unsigned mode, char *err, size_t errlen);

#endif
