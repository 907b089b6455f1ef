/* Sign-in sessions: the refresh token (random 256 bits, stored only as its SHA-256, rotated
 * on every use, one family per sign-in) and the access token issued with it. */
#ifndef VSOK_SESSION_H
#define VSOK_SESSION_H

#include "http/http.h"

#define SESSION_COOKIE "vsok_refresh"

/* The columns every user query selects, in this order, so that one function turns a row
 * into the user document. */
#define SESSION_USER_COLUMNS                                                                       \
    "u.id, u.login, u.full_name, u.role, u.must_change_password, o.id, o.name, o.level, "          \
    "u.active, u.session_version"
#define SESSION_USER_NCOLS 10

/* The user document of row (columns from SESSION_USER_COLUMNS starting at col). */
json_t *session_user_json(const db_result *r, size_t row, size_t col);

typedef enum {
    SESSION_OK = 0,
    SESSION_INVALID,  /* unknown, expired, revoked or reused: 401 */
    SESSION_DB_ERROR, /* *dbs says which */
} session_status;

/* Starts a new family for user_id (login). Writes the raw token to token_out (44 bytes). */
session_status session_start(request *rq, unsigned long long user_id, char *token_out,
                             db_status *dbs);

/* Rotates presented: marks it used and issues a successor in the same family; a token
 * that was already used revokes the family. On success users holds the user's row
 * (SESSION_USER_COLUMNS). */
session_status session_rotate(request *rq, const char *presented, char *token_out, db_result *user,
                              db_status *dbs);

/* Revokes the family of presented (logout). Unknown tokens are ignored. */
db_status session_revoke(request *rq, const char *presented);

/* Revokes every refresh token of a user (password reset, deactivation). */
db_status session_revoke_user(request *rq, uint64_t user_id);

/* Adds the Set-Cookie header for token (or a clearing cookie when token is NULL). */
void session_set_cookie(request *rq, response *rs, const char *token);

/* Issues an access token for the user row and answers 200 with
 * {access_token, token_type, expires_in, user}. */
int session_respond_tokens(request *rq, response *rs, const db_result *user, size_t row);

#endif
