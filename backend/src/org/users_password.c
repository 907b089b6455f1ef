/* POST /users/{id}/password (a manager sets a temporary password) and POST /me/password
 * (the signed-in user changes their own). docs/api-org.md, "Users". */
#include "org/handlers.h"
#include "org/route_rows.h"
#include "auth/principal.h"
#include "org/users.h"

#include "auth/audit.h"
#include "auth/login_throttle.h"
#include "auth/password.h"
#include "auth/session.h"

#include <string.h>

/* ---------------------------------------------------------------- POST /users/{id}/password */

/* The body's optional password (checked against the user's login); NULL: make one. */
static int read_reset_body(request *rq, response *rs, const char *login, const char **out)
{
    *out = NULL;
    json_t *p = problem_of(PK_VALIDATION, "Проверьте пароль.");
    json_t *pw = json_is_object(rq->json) ? json_object_get(rq->json, "password") : NULL;
    if (!json_is_object(rq->json)) {
        problem_add_error(p, "body", "ожидается объект JSON, например {}");
    } else if (pw && !json_is_null(pw)) {
        user_password_check(p, "password", pw, login); /* adds its errors to p */
        *out = json_string_value(pw);
    }
    return reply_field_errors(rq, rs, p);
}

db_status user_password_store(request *rq, uint64_t user_id, const char *hash, int must_change)
{
    db_val v[] = {DB_STR(hash), DB_INT(must_change), DB_INT(user_id)};
    db_status s = DB_EXEC(rq->db, rq->a,
                          "UPDATE users SET password_hash = ?, must_change_password = ?, "
                          "session_version = session_version + 1 WHERE id = ?",
                          v, NULL);
    if (s == DB_OK)
        s = session_revoke_user(rq, user_id);
    return s;
}

static db_status store_reset(request *rq, const user_row *u, const char *hash)
{
    db_status s = db_begin(rq->db);
    if (s == DB_OK)
        s = user_password_store(rq, u->id, hash, 1);
    if (s == DB_OK) /* a reset lifts a lock-out */
        s = login_throttle_clear(rq, u->login);
    if (s == DB_OK)
        s = audit_write(rq, "user.password_reset", "user", u->id, u->unit_id, NULL);
    return s;
}

int handle_user_password_reset(request *rq, response *rs)
{
    user_row u;
    if (route_user(rq, rs, &u) != 0)
        return rs->status;
    if (u.id == rq->me->user_id)
        return reply_problem(rq, rs, PK_FORBIDDEN,
                             "Свой пароль меняйте в профиле: POST /me/password.");
    if (!scope_can_manage_role(rq->me->role, u.role))
        return users_forbidden_role(rq, rs, u.role);
    const char *given;
    if (read_reset_body(rq, rs, u.login, &given) != 0)
        return rs->status;
    char temp[USER_TEMP_PASSWORD_LEN + 1], hash[PASSWORD_HASH_MAX];
    const char *pw = given ? given : temp;
    if ((!given && user_temp_password(temp) != 0) ||
        password_hash(pw, strlen(pw), hash, sizeof hash) != 0)
        return reply_problem(rq, rs, PK_INTERNAL, "Не удалось создать пароль.");
    if (reply_tx_end(rq, rs, store_reset(rq, &u, hash), users_login_taken()) != 0)
        return rs->status;
    respond_json(rq, rs, 200, json_pack("{s:s}", "temporary_password", pw));
    principal_cache_forget(rq->principals, u.id);
    return rs->status;
}

/* ---------------------------------------------------------------- POST /me/password */

/* old_password and new_password; the new one follows the rules and differs from the old. */
static int read_change_body(request *rq, response *rs, const char **old_pw, const char **new_pw)
{
    json_t *p = problem_of(PK_VALIDATION, "Проверьте пароли.");
    if (!json_is_object(rq->json)) {
        problem_add_error(p, "body", "ожидается объект с полями old_password и new_password");
        reply_problem_doc(rq, rs, p);
        return -1;
    }
    json_t *o = json_object_get(rq->json, "old_password");
    json_t *n = json_object_get(rq->json, "new_password");
    int bad = 0;
    if (!json_is_string(o) || json_string_length(o) == 0 ||
        json_string_length(o) > PASSWORD_MAX_LEN ||
        strlen(json_string_value(o)) != json_string_length(o)) {
        problem_add_error(p, "old_password", "укажите текущий пароль");
        bad = 1;
    }
    if (user_password_check(p, "new_password", n, rq->me->login) != 0) {
        bad = 1;
    } else if (!bad && strcmp(json_string_value(n), json_string_value(o)) == 0) {
        problem_add_error(p, "new_password", "новый пароль должен отличаться от текущего");
        bad = 1;
    }
    if (reply_field_errors(rq, rs, p) != 0)
        return -1;
    *old_pw = json_string_value(o);
    *new_pw = json_string_value(n);
    return 0;
}

/* Compares the old password with the stored hash: 1 when it matches. */
static db_status old_password_matches(request *rq, const char *pw, int *match)
{
    db_result r;
    db_val v[] = {DB_INT(rq->me->user_id)};
    db_status s = DB_EXEC(rq->db, rq->a, "SELECT password_hash FROM users WHERE id = ?", v, &r);
    *match = s == DB_OK && r.nrows == 1 && password_verify(db_cell(&r, 0, 0), pw, strlen(pw));
    return s;
}

/* The new hash; every session of the user ends (user_password_store: a stolen refresh cookie with
 * it), and the caller gets a new one (token_out), so that only the browser that changed the
 * password stays signed in: its next request refreshes with the new cookie. */
static db_status store_change(request *rq, const char *hash, char *token_out)
{
    db_status s = db_begin(rq->db);
    if (s == DB_OK)
        s = user_password_store(rq, rq->me->user_id, hash, 0);
    if (s == DB_OK)
        session_start(rq, rq->me->user_id, token_out, &s);
    if (s == DB_OK)
        s = login_throttle_clear(rq, rq->me->login);
    if (s == DB_OK)
        s = audit_write(rq, "user.password_change", "user", rq->me->user_id, rq->me->org_unit_id,
                        NULL);
    return s;
}

/* A wrong current password counts like a failed login (login_throttle.h). */
static int wrong_old_password(request *rq, response *rs)
{
    db_status s = login_throttle_fail(rq, rq->me->login);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    return users_invalid(rq, rs, "old_password", "текущий пароль указан неверно");
}

int handle_me_password(request *rq, response *rs)
{
    const char *old_pw, *new_pw;
    if (read_change_body(rq, rs, &old_pw, &new_pw) != 0)
        return rs->status;
    long wait = 0;
    int match = 0;
    db_status s = login_throttle_check(rq, rq->me->login, &wait);
    if (s == DB_OK && wait > 0)
        return login_throttle_refuse(rq, rs, wait);
    if (s == DB_OK)
        s = old_password_matches(rq, old_pw, &match);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    if (!match) {
        wrong_old_password(rq, rs);
        return rs->status;
    }
    char hash[PASSWORD_HASH_MAX], token[64];
    if (password_hash(new_pw, strlen(new_pw), hash, sizeof hash) != 0)
        return reply_problem(rq, rs, PK_INTERNAL, "Не удалось сохранить пароль.");
    uint64_t me = rq->me->user_id;
    if (reply_tx_end(rq, rs, store_change(rq, hash, token), users_login_taken()) != 0)
        return rs->status;
    session_set_cookie(rq, rs, token);
    respond_empty(rs, 204);
    principal_cache_forget(rq->principals, me);
    return rs->status;
}
