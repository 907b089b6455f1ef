/* Bearer token check for routes that need a signed-in user. */
#ifndef VSOK_AUTH_GUARD_H
#define VSOK_AUTH_GUARD_H

#include "http/http.h"

/* Verifies the Authorization header, then loads the user's row (principal.h): a missing
 * or deactivated account is refused even with a valid token, and so is a token issued
 * before the user's password last changed (its "sv" below users.session_version). Fills rq->auth,
 * rq->me and rq->auth_role. On failure fills rs (401, or 503 without a database) and returns -1. */
int auth_guard_authenticate(request *rq, response *rs);

#endif
