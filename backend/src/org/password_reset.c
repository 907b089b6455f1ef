/* «Забыли пароль?» by e-mail (docs/api-org.md, "Password reset by e-mail"), where mail is
 * configured (VSOK_MAIL record or smtp):
 *   GET  /auth/password-reset          {by_mail}: whether the login page offers the link
 *   POST /auth/password-reset          {login} → 202, the same answer whether the login
 *                                      exists, has an address or was just sent a link
 *   POST /auth/password-reset/confirm  {token, password} → 200; 400 for a token unknown,
 *                                      used or expired (one answer for all three)
 * The token is 32 random bytes (64 hex characters); only its SHA-256 is stored, it expires
 * after PASSWORD_RESET_TTL seconds and works once. One link per account per
 * PASSWORD_RESET_GAP seconds; nginx limits the requests per address like sign-in. */
#include "org/handlers.h"
#include "auth/principal.h"
#include "org/users.h"

#include "auth/audit.h"
#include "core/crypto_util.h"
#include "auth/login_throttle.h"
#include "auth/password.h"

#include <string.h>

#define PASSWORD_RESET_TTL 1800
#define PASSWORD_RESET_GAP 60

static int mail_on(const request *rq)
{
    return strcmp(rq->cfg->mail_mode, "off") != 0;
}

int handle_password_reset_info(request *rq, response *rs)
{
    return respond_json(rq, rs, 200, json_pack("{s:b}", "by_mail", mail_on(rq)));
}

/* A new token for user_id, its hash stored; hex in token_out (65 bytes). */
static db_status new_token(request *rq, uint64_t user_id, char *token_out)
{
    unsigned char raw[32], digest[32];
    char hash[65];
    if (random_bytes(raw, sizeof raw) != 0)
        return DB_ERROR;
    hex_encode(raw, sizeof raw, token_out);
    sha256(token_out, 64, digest);
    hex_encode(digest, sizeof digest, hash);
    db_val v[] = {DB_INT(user_id), DB_STR(hash), DB_INT(PASSWORD_RESET_TTL)};
    return DB_EXEC(rq->db, rq->a,
                   "INSERT INTO password_reset_tokens (user_id, token_hash, expires_at) "
                   "VALUES (?, ?, CURRENT_TIMESTAMP + INTERVAL ? SECOND)",
                   v, NULL);
}

/* The link goes to the account's address (mail_outbox, like notifications). */
static db_status send_link(request *rq, uint64_t user_id, const char *email, const char *token)
{
    const char *body = arena_sprintf(
        rq->a,
        "Вы (или кто-то другой) попросили сбросить пароль ВСОК ДО.\r\n\r\n"
        "Чтобы задать новый пароль, откройте ссылку в течение 30 минут:\r\n%s/reset-password"
        "?token=%s\r\n\r\nЕсли вы не просили сброс, ничего не делайте: пароль не изменится.\r\n",
        rq->cfg->public_url, token);
    db_val v[] = {DB_STR(email), DB_STR("Сброс пароля ВСОК ДО"), DB_STR(body),
                  DB_STR(strcmp(rq->cfg->mail_mode, "smtp") == 0 ? "queued" : "recorded")};
    db_status s = body ? DB_EXEC(rq->db, rq->a,
                                 "INSERT INTO mail_outbox (notification_id, to_address, subject, "
                                 "body, status) VALUES (NULL, ?, ?, ?, ?)",
                                 v, NULL)
                       : DB_ERROR;
    if (s == DB_OK)
        s = audit_write_as(rq, user_id, NULL, NULL, "user.password_reset_requested", "user",
                           user_id, 0, NULL);
    return s;
}

/* Sends a link when the login names an active account with an address that has not been
 * sent one in the last PASSWORD_RESET_GAP seconds; does nothing otherwise. */
static db_status maybe_send(request *rq, const char *login)
{
    db_result r;
    db_val p[] = {DB_INT(PASSWORD_RESET_GAP), DB_STR(login)};
    db_status s = DB_EXEC(rq->db, rq->a,
                          "SELECT u.id, u.email FROM users u WHERE u.active = 1 AND u.email IS "
                          "NOT NULL AND u.email <> '' AND NOT EXISTS (SELECT 1 FROM "
                          "password_reset_tokens t WHERE t.user_id = u.id AND t.created_at > "
                          "CURRENT_TIMESTAMP - INTERVAL ? SECOND) AND u.login = ?",
                          p, &r);
    if (s != DB_OK || r.nrows != 1)
        return s;
    uint64_t id = (uint64_t)db_cell_int(&r, 0, 0, 0);
    char token[65];
    s = db_begin(rq->db);
    if (s == DB_OK)
        s = new_token(rq, id, token);
    if (s == DB_OK)
        s = send_link(rq, id, db_cell(&r, 0, 1), token);
    return db_end(rq->db, s);
}

int handle_password_reset_request(request *rq, response *rs)
{
    if (!mail_on(rq))
        return reply_problem(
            rq, rs, PK_NO_MAIL,
            "Сброс по почте не настроен: обратитесь к координатору детского сада или "
            "администратору.");
    json_t *login_j = json_is_object(rq->json) ? json_object_get(rq->json, "login") : NULL;
    const char *login = json_string_value(login_j);
    if (!login || !*login || json_string_length(login_j) > 64) {
        json_t *p = problem_of(PK_VALIDATION, "Укажите логин.");
        problem_add_error(p, "login", "логин: от 1 до 64 символов");
        return reply_problem_doc(rq, rs, p);
    }
    db_status s = maybe_send(rq, login);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    return respond_json(rq, rs, 202,
                        json_pack("{s:s}", "detail",
                                  "Если такой логин есть и в учётной записи указан e-mail, на него "
                                  "отправлена ссылка для сброса пароля. Она действует 30 минут."));
}

static int invalid_link(request *rq, response *rs)
{
    return reply_problem(
        rq, rs, PK_RESET_LINK_INVALID,
        "Ссылка недействительна: она уже использована или устарела. Запросите новую.");
}

/* The token's user (id, login) when it is known, unused and not expired; locks the row. */
static db_status token_user(request *rq, const char *token, db_result *r)
{
    unsigned char digest[32];
    char hash[65];
    sha256(token, strlen(token), digest);
    hex_encode(digest, sizeof digest, hash);
    db_val p[] = {DB_STR(hash)};
    return DB_EXEC(rq->db, rq->a,
                   "SELECT u.id, u.login, u.org_unit_id FROM password_reset_tokens t JOIN users "
                   "u ON u.id = t.user_id WHERE t.token_hash = ? AND t.used_at IS NULL AND "
                   "t.expires_at > CURRENT_TIMESTAMP AND u.active = 1 FOR UPDATE",
                   p, r);
}

static db_status use_token(request *rq, const db_result *r, const char *hash)
{
    uint64_t id = (uint64_t)db_cell_int(r, 0, 0, 0);
    db_status s = user_password_store(rq, id, hash, 0);
    db_val p[] = {DB_INT(id)};
    if (s == DB_OK) /* this link and every other one of the account stop working */
        s = DB_EXEC(rq->db, rq->a,
                    "UPDATE password_reset_tokens SET used_at = CURRENT_TIMESTAMP WHERE "
                    "user_id = ? AND used_at IS NULL",
                    p, NULL);
    if (s == DB_OK)
        s = login_throttle_clear(rq, db_cell(r, 0, 1));
    if (s == DB_OK)
        s = audit_write_as(rq, id, db_cell(r, 0, 1), NULL, "user.password_reset_by_mail", "user",
                           id, (uint64_t)db_cell_int(r, 0, 2, 0), NULL);
    return s;
}

int handle_password_reset_confirm(request *rq, response *rs)
{
    json_t *tok = json_is_object(rq->json) ? json_object_get(rq->json, "token") : NULL;
    json_t *pw = json_is_object(rq->json) ? json_object_get(rq->json, "password") : NULL;
    const char *token = json_string_value(tok);
    if (!token || strlen(token) != 64)
        return invalid_link(rq, rs);
    db_result r;
    db_status s = db_begin(rq->db);
    if (s == DB_OK)
        s = token_user(rq, token, &r);
    if (s == DB_OK && r.nrows != 1) {
        db_rollback(rq->db);
        return invalid_link(rq, rs);
    }
    json_t *p = problem_of(PK_VALIDATION, "Проверьте пароль.");
    if (s == DB_OK && user_password_check(p, "password", pw, db_cell(&r, 0, 1)) != 0) {
        db_rollback(rq->db);
        return reply_problem_doc(rq, rs, p);
    }
    json_decref(p);
    char hash[PASSWORD_HASH_MAX];
    const char *text = json_string_value(pw);
    if (s == DB_OK && password_hash(text, strlen(text), hash, sizeof hash) != 0)
        s = DB_ERROR;
    if (s == DB_OK)
        s = use_token(rq, &r, hash);
    if (reply_tx_end(rq, rs, s, NULL) != 0)
        return rs->status;
    principal_cache_forget(rq->principals, (uint64_t)db_cell_int(&r, 0, 0, 0));
    return respond_json(rq, rs, 200, json_pack("{s:s}", "login", db_cell(&r, 0, 1)));
}
