#include "notify/notify.h"

#include <string.h>

static int mail_on(const config *cfg)
{
    return strcmp(cfg->mail_mode, "off") != 0;
}

/* The mail text: the notification, its link made absolute with VSOK_PUBLIC_URL. */
static const char *mail_body(const config *cfg, arena *a, const notice *n)
{
    const char *body = n->body ? n->body : "";
    if (!n->link)
        return arena_sprintf(a, "%s\r\n\r\n%s\r\n", n->title, body);
    return arena_sprintf(a, "%s\r\n\r\n%s\r\n\r\n%s%s\r\n", n->title, body, cfg->public_url,
                         n->link);
}

db_status notify_user(const config *cfg, db_conn *db, arena *a, uint64_t user_id, const notice *n)
{
    db_result ins;
    db_val v[] = {DB_INT(user_id),
                  DB_STR(n->kind),
                  DB_STR(n->title),
                  n->body ? DB_STR(n->body) : DB_NULL,
                  n->link ? DB_STR(n->link) : DB_NULL,
                  n->dedup_key ? DB_STR(n->dedup_key) : DB_NULL,
                  DB_INT(user_id)};
    db_status s = DB_EXEC(db, a,
                          "INSERT IGNORE INTO notifications (user_id, kind, title, body, link, "
                          "dedup_key) SELECT ?, ?, ?, ?, ?, ? FROM users WHERE id = ? AND "
                          "active = 1",
                          v, &ins);
    if (s != DB_OK || ins.affected == 0 || !mail_on(cfg))
        return s;
    db_val m[] = {DB_INT(ins.insert_id), DB_STR(n->title), DB_STR(mail_body(cfg, a, n)),
                  DB_STR(strcmp(cfg->mail_mode, "smtp") == 0 ? "queued" : "recorded"),
                  DB_INT(user_id)};
    return DB_EXEC(db, a,
                   "INSERT INTO mail_outbox (notification_id, to_address, subject, body, status) "
                   "SELECT ?, email, ?, ?, ? FROM users WHERE id = ? AND email IS NOT NULL "
                   "AND email <> ''",
                   m, NULL);
}

db_status notify_unit_role(const config *cfg, db_conn *db, arena *a, uint64_t unit_id,
                           const char *role, const notice *n)
{
    db_result r;
    db_val p[] = {DB_INT(unit_id), DB_STR(role)};
    db_status s = DB_EXEC(db, a,
                          "SELECT id FROM users WHERE org_unit_id = ? AND role = ? AND active = 1 "
                          "ORDER BY id LIMIT 500",
                          p, &r);
    for (size_t i = 0; s == DB_OK && i < r.nrows; i++)
        s = notify_user(cfg, db, a, (uint64_t)db_cell_int(&r, i, 0, 0), n);
    return s;
}
