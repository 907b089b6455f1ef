/* POST /auth/login, /auth/refresh, /auth/logout and GET /me. */
#include "auth/handlers.h"
#include "auth/principal.h"

#include "auth/audit.h"
#include "core/log.h"
#include "auth/login_throttle.h"
#include "auth/password.h"
#include "auth/session.h"

#include <stdio.h>
#include <string.h>

#define LOGIN_MAX 64

static int invalid_credentials(request *rq, response *rs)
{
    return reply_problem(rq, rs, PK_INVALID_CREDENTIALS, "Неверный логин или пароль.");
}

static int session_expired(request *rq, response *rs)
{
    session_set_cookie(rq, rs, NULL);
    return reply_problem(rq, rs, PK_SESSION_EXPIRED, "Сеанс завершён, войдите снова.");
}

/* Checks the login body; on failure answers 422 naming every bad field. */
static int read_credentials(request *rq, response *rs, const char **login, const char **pw,
                            size_t *pwlen)
{
    if (!json_is_object(rq->json)) {
        reply_field_error(rq, rs, "Ожидается объект JSON.", "body",
                          "ожидается объект с полями login и password");
        return -1;
    }
    json_t *l = json_object_get(rq->json, "login"), *w = json_object_get(rq->json, "password");
    json_t *p = problem_of(PK_VALIDATION, "Проверьте логин и пароль.");
    if (!json_is_string(l) || json_string_length(l) == 0 || json_string_length(l) > LOGIN_MAX)
        problem_add_error(p, "login", "укажите логин — строку от 1 до 64 символов");
    if (!json_is_string(w) || json_string_length(w) == 0 ||
        json_string_length(w) > PASSWORD_MAX_LEN)
        problem_add_error(p, "password", "укажите пароль — строку от 1 до 256 символов");
    if (reply_field_errors(rq, rs, p) != 0)
        return -1;
    *login = json_string_value(l);
    *pw = json_string_value(w);
    *pwlen = json_string_length(w);
    if (strlen(*login) != json_string_length(l) || strlen(*pw) != *pwlen) {
        invalid_credentials(rq, rs);
        return -1;
    }
    return 0;
}

/* A wrong password or an unknown login: counted against the login name either way. */
static int refuse_credentials(request *rq, response *rs, const char *login)
{
    db_status s = login_throttle_fail(rq, login);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    return invalid_credentials(rq, rs);
}

int handle_login(request *rq, response *rs)
{
    const char *login, *pw;
    size_t pwlen;
    if (read_credentials(rq, rs, &login, &pw, &pwlen) != 0)
        return rs->status;
    long wait = 0;
    db_status s = login_throttle_check(rq, login, &wait);
    if (s == DB_OK && wait > 0)
        return login_throttle_refuse(rq, rs, wait);
    db_result r;
    db_val p[] = {DB_STR(login)};
    if (s == DB_OK)
        s = DB_EXEC(rq->db, rq->a,
                    "SELECT " SESSION_USER_COLUMNS ", u.password_hash "
                    "FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE u.login = ?",
                    p, &r);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    if (r.nrows == 0) {
        password_dummy_verify(pw, pwlen);
        log_info("auth: failed login for unknown user from %s",
                 rq->remote_addr ? rq->remote_addr : "-");
        audit_write_as(rq, 0, login, NULL, "auth.login_failed", "user", 0, 0, NULL);
        return refuse_credentials(rq, rs, login);
    }
    long long user_id = db_cell_int(&r, 0, 0, 0);
    int ok = password_verify(db_cell(&r, 0, SESSION_USER_NCOLS), pw, pwlen);
    if (!ok || !db_cell_int(&r, 0, 8, 0)) {
        log_info("auth: failed login for user %lld from %s", user_id,
                 rq->remote_addr ? rq->remote_addr : "-");
        audit_write_as(rq, (uint64_t)user_id, db_cell(&r, 0, 1), db_cell(&r, 0, 3),
                       "auth.login_failed", "user", (uint64_t)user_id,
                       (uint64_t)db_cell_int(&r, 0, 5, 0), NULL);
        if (!ok)
            refuse_credentials(rq, rs, login);
        else
            invalid_credentials(rq, rs);
        return rs->status;
    }
    char token[64];
    s = login_throttle_clear(rq, login);
    if (s == DB_OK && session_start(rq, (unsigned long long)user_id, token, &s) != SESSION_OK)
        return reply_db_error(rq, rs, s);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    audit_write_as(rq, (uint64_t)user_id, db_cell(&r, 0, 1), db_cell(&r, 0, 3), "auth.login",
                   "user", (uint64_t)user_id, (uint64_t)db_cell_int(&r, 0, 5, 0), NULL);
    session_set_cookie(rq, rs, token);
    return session_respond_tokens(rq, rs, &r, 0);
}

int handle_refresh(request *rq, response *rs)
{
    const char *presented = uri_cookie_get(rq->a, rq->cookie, SESSION_COOKIE);
    if (!presented || !*presented || strlen(presented) > 128)
        return session_expired(rq, rs);
    char token[64];
    db_result user;
    db_status s = DB_OK;
    switch (session_rotate(rq, presented, token, &user, &s)) {
    case SESSION_OK:
        session_set_cookie(rq, rs, token);
        return session_respond_tokens(rq, rs, &user, 0);
    case SESSION_INVALID:
        session_expired(rq, rs);
        return rs->status;
    case SESSION_DB_ERROR:
        return reply_db_error(rq, rs, s);
    }
    return rs->status;
}

int handle_logout(request *rq, response *rs)
{
    const char *presented = uri_cookie_get(rq->a, rq->cookie, SESSION_COOKIE);
    if (presented && *presented && strlen(presented) <= 128) {
        db_status s = session_revoke(rq, presented);
        if (s != DB_OK)
            return reply_db_error(rq, rs, s);
    }
    session_set_cookie(rq, rs, NULL);
    return respond_empty(rs, 204);
}

int handle_me(request *rq, response *rs)
{
    return respond_json(rq, rs, 200, principal_json(rq->me));
}
