/* Bearer token check for routes that need a signed-in user. */
#ifndef VSOK_AUTH_GUARD_H
#define VSOK_AUTH_GUARD_H

#include "http.h"

/* Verifies the Authorization header and fills rq->auth. On failure fills rs with 401 and
 * returns -1. */
int auth_guard_authenticate(request *rq, response *rs);

#endif
