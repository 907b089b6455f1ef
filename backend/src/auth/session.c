#include "auth/session.h"

#include "auth/audit.h"
#include "core/crypto_util.h"
#include "core/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TOKEN_BYTES 32

json_t *session_user_json(const db_result *r, size_t row, size_t col)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:b, s:{s:I, s:s, s:s}}", "id",
                     (json_int_t)db_cell_int(r, row, col + 0, 0), "login", db_cell(r, row, col + 1),
                     "full_name", db_cell(r, row, col + 2), "role", db_cell(r, row, col + 3),
                     "must_change_password", (int)db_cell_int(r, row, col + 4, 0), "org_unit", "id",
                     (json_int_t)db_cell_int(r, row, col + 5, 0), "name", db_cell(r, row, col + 6),
                     "level", db_cell(r, row, col + 7));
}

static int new_token(char *out, unsigned char hash[32])
{
    unsigned char raw[TOKEN_BYTES];
    if (random_bytes(raw, sizeof raw) != 0)
        return -1;
    base64url_encode(raw, sizeof raw, out);
    sha256(out, strlen(out), hash);
    return 0;
}

static db_status insert_token(request *rq, unsigned long long user_id, const unsigned char *family,
                              const unsigned char *hash)
{
    db_val p[] = {DB_INT(user_id), DB_BLOB(family, 16), DB_BLOB(hash, 32),
                  DB_INT(rq->cfg->refresh_ttl)};
    return DB_EXEC(rq->db, rq->a,
                   "INSERT INTO refresh_tokens (user_id, family, token_hash, expires_at) "
                   "VALUES (?, ?, ?, UTC_TIMESTAMP() + INTERVAL ? SECOND)",
                   p, NULL);
}

session_status session_start(request *rq, unsigned long long user_id, char *token_out,
                             db_status *dbs)
{
    unsigned char family[16], hash[32];
    if (random_bytes(family, sizeof family) != 0 || new_token(token_out, hash) != 0) {
        *dbs = DB_ERROR;
        return SESSION_DB_ERROR;
    }
    *dbs = insert_token(rq, user_id, family, hash);
    return *dbs == DB_OK ? SESSION_OK : SESSION_DB_ERROR;
}

static session_status fail(request *rq, db_status s, db_status *dbs)
{
    db_rollback(rq->db);
    *dbs = s;
    return s == DB_OK ? SESSION_INVALID : SESSION_DB_ERROR;
}

session_status session_rotate(request *rq, const char *presented, char *token_out, db_result *user,
                              db_status *dbs)
{
    unsigned char hash[32], new_hash[32];
    sha256(presented, strlen(presented), hash);
    db_status s = db_begin(rq->db);
    if (s != DB_OK)
        return fail(rq, s, dbs);
    db_result t;
    db_val p[] = {DB_BLOB(hash, 32)};
    s = DB_EXEC(rq->db, rq->a,
                "SELECT id, user_id, family, used_at IS NOT NULL, revoked_at IS NOT NULL, "
                "expires_at <= UTC_TIMESTAMP() FROM refresh_tokens WHERE token_hash = ? "
                "FOR UPDATE",
                p, &t);
    if (s != DB_OK || t.nrows == 0)
        return fail(rq, s, dbs);
    long long id = db_cell_int(&t, 0, 0, 0), user_id = db_cell_int(&t, 0, 1, 0);
    const char *family = db_cell(&t, 0, 2);
    if (!family || db_cell_len(&t, 0, 2) != 16)
        return fail(rq, DB_OK, dbs);
    if (db_cell_int(&t, 0, 4, 1) || db_cell_int(&t, 0, 5, 1))
        return fail(rq, DB_OK, dbs);
    if (db_cell_int(&t, 0, 3, 1)) {
        /* A used token came back: someone holds a copy. End every session of the family. */
        db_val f[] = {DB_BLOB(family, 16)};
        s = DB_EXEC(rq->db, rq->a,
                    "UPDATE refresh_tokens SET revoked_at = UTC_TIMESTAMP() "
                    "WHERE family = ? AND revoked_at IS NULL",
                    f, NULL);
        s = db_end(rq->db, s);
        log_info("auth: refresh token reused, family of user %lld revoked", user_id);
        *dbs = s;
        return s == DB_OK ? SESSION_INVALID : SESSION_DB_ERROR;
    }
    db_val u[] = {DB_INT(user_id)};
    s = DB_EXEC(rq->db, rq->a,
                "SELECT " SESSION_USER_COLUMNS " FROM users u "
                "JOIN org_units o ON o.id = u.org_unit_id WHERE u.id = ? AND u.active = 1",
                u, user);
    if (s != DB_OK || user->nrows == 0)
        return fail(rq, s, dbs);
    db_val used[] = {DB_INT(id)};
    s = DB_EXEC(rq->db, rq->a, "UPDATE refresh_tokens SET used_at = UTC_TIMESTAMP() WHERE id = ?",
                used, NULL);
    if (s != DB_OK)
        return fail(rq, s, dbs);
    if (new_token(token_out, new_hash) != 0)
        return fail(rq, DB_ERROR, dbs);
    s = insert_token(rq, (unsigned long long)user_id, (const unsigned char *)family, new_hash);
    if (s != DB_OK)
        return fail(rq, s, dbs);
    s = db_commit(rq->db);
    *dbs = s;
    return s == DB_OK ? SESSION_OK : SESSION_DB_ERROR;
}

db_status session_revoke(request *rq, const char *presented)
{
    unsigned char hash[32];
    sha256(presented, strlen(presented), hash);
    db_result t;
    db_val p[] = {DB_BLOB(hash, 32)};
    db_status s = DB_EXEC(rq->db, rq->a,
                          "SELECT r.family, u.id, u.login, u.role, u.org_unit_id "
                          "FROM refresh_tokens r JOIN users u ON u.id = r.user_id "
                          "WHERE r.token_hash = ?",
                          p, &t);
    if (s != DB_OK || t.nrows == 0 || db_cell_len(&t, 0, 0) != 16)
        return s;
    db_val f[] = {DB_BLOB(db_cell(&t, 0, 0), 16)};
    s = DB_EXEC(rq->db, rq->a,
                "UPDATE refresh_tokens SET revoked_at = UTC_TIMESTAMP() "
                "WHERE family = ? AND revoked_at IS NULL",
                f, NULL);
    if (s == DB_OK)
        s = audit_write_as(rq, (uint64_t)db_cell_int(&t, 0, 1, 0), db_cell(&t, 0, 2),
                           db_cell(&t, 0, 3), "auth.logout", "user",
                           (uint64_t)db_cell_int(&t, 0, 1, 0), (uint64_t)db_cell_int(&t, 0, 4, 0),
                           NULL);
    return s;
}

db_status session_revoke_user(request *rq, uint64_t user_id)
{
    db_val p[] = {DB_INT(user_id)};
    return DB_EXEC(rq->db, rq->a,
                   "UPDATE refresh_tokens SET revoked_at = UTC_TIMESTAMP() "
                   "WHERE user_id = ? AND revoked_at IS NULL",
                   p, NULL);
}

void session_set_cookie(request *rq, response *rs, const char *token)
{
    const char *secure = rq->cfg->cookie_secure ? "; Secure" : "";
    char *v;
    if (token)
        v = arena_sprintf(rq->a,
                          SESSION_COOKIE "=%s; Path=/api/v1/auth; Max-Age=%ld; HttpOnly; "
                                         "SameSite=Strict%s",
                          token, rq->cfg->refresh_ttl, secure);
    else
        v = arena_sprintf(rq->a,
                          SESSION_COOKIE "=; Path=/api/v1/auth; Max-Age=0; HttpOnly; "
                                         "SameSite=Strict%s",
                          secure);
    if (v)
        response_header(rq->a, rs, "Set-Cookie", v);
}

int session_respond_tokens(request *rq, response *rs, const db_result *user, size_t row)
{
    token_claims c;
    memset(&c, 0, sizeof c);
    c.user_id = (uint64_t)db_cell_int(user, row, 0, 0);
    snprintf(c.role, sizeof c.role, "%s", db_cell(user, row, 3));
    c.org_unit_id = (uint64_t)db_cell_int(user, row, 5, 0);
    c.session_version = (long)db_cell_int(user, row, 9, 0);
    c.iat = (long)time(NULL);
    c.exp = c.iat + rq->cfg->access_ttl;
    char token[JWT_TOKEN_MAX];
    if (jwt_token_issue(rq->cfg->jwt_key, rq->cfg->jwt_key_len, &c, token, sizeof token) !=
        TOKEN_OK) {
        log_error("auth: cannot issue an access token");
        return reply_problem(rq, rs, PK_INTERNAL, "Внутренняя ошибка сервера.");
    }
    rq->authenticated = 1;
    rq->auth = c;
    return respond_json(rq, rs, 200,
                        json_pack("{s:s, s:s, s:I, s:o}", "access_token", token, "token_type",
                                  "Bearer", "expires_in", (json_int_t)rq->cfg->access_ttl, "user",
                                  session_user_json(user, row, 0)));
}
