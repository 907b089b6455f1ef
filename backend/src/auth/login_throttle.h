/* The back-off of password guesses (docs/api-org.md, "Sign-in and passwords"): failures are
 * counted per login name, whether or not an account has it (table login_failures,
 * migration 016), so that an unknown login is refused exactly like an existing one. After
 * LOGIN_THROTTLE_FREE failures in a row the name is locked for 30 s, doubling with every
 * further failure up to 15 min; a success (or a manager's password reset) clears it, and a
 * name that has not failed for a day starts again from zero. POST /auth/login and the
 * current password of POST /me/password both count here. */
#ifndef VSOK_LOGIN_THROTTLE_H
#define VSOK_LOGIN_THROTTLE_H

#include "http/http.h"

#define LOGIN_THROTTLE_FREE 5

/* *retry_after: seconds until login may be tried again (0: not locked). */
db_status login_throttle_check(request *rq, const char *login, long *retry_after);

/* Counts one failure of login (and forgets names idle for a day). */
db_status login_throttle_fail(request *rq, const char *login);

/* Forgets the failures of login (a success, a password reset). */
db_status login_throttle_clear(request *rq, const char *login);

/* Answers 429 /problems/too-many-attempts with Retry-After. */
int login_throttle_refuse(request *rq, response *rs, long retry_after);

#endif
