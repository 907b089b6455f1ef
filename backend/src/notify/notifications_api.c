/* The bell: the signed-in user's notifications, the unread count (cheap, for polling) and
 * marking them read (docs/api-notifications.md). */
#include "notify/handlers.h"
#include "auth/principal.h"

#include <stdlib.h>
#include <string.h>

static db_status unread_count(request *rq, long long *n)
{
    db_result r;
    db_val p[] = {DB_INT(rq->me->user_id)};
    db_status s =
        DB_EXEC(rq->db, rq->a,
                "SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL", p, &r);
    *n = s == DB_OK && r.nrows ? db_cell_int(&r, 0, 0, 0) : 0;
    return s;
}

static json_t *nullable(const char *s)
{
    return s ? json_string(s) : json_null();
}

int handle_notifications_list(request *rq, response *rs)
{
    const char *unread = uri_param_get(&rq->args, "unread");
    const char *limit_s = uri_param_get(&rq->args, "limit");
    const char *before_s = uri_param_get(&rq->args, "before");
    char *end = NULL;
    long limit = limit_s ? strtol(limit_s, &end, 10) : 30;
    if (limit_s && (!*limit_s || *end || limit < 1 || limit > 200))
        return reply_problem(rq, rs, PK_BAD_QUERY, "limit: от 1 до 200.");
    long long before = before_s ? strtoll(before_s, &end, 10) : 0;
    if (before_s && (!*before_s || *end || before < 1))
        return reply_problem(rq, rs, PK_BAD_QUERY,
                             "before: id уведомления, целое положительное число.");
    db_result r;
    db_val p[] = {DB_INT(rq->me->user_id), DB_INT(unread && strcmp(unread, "1") == 0),
                  DB_INT(before), DB_INT(before), DB_INT(limit)};
    db_status s = DB_EXEC(rq->db, rq->a,
                          "SELECT id, kind, title, body, link, DATE_FORMAT(created_at, "
                          "'%Y-%m-%dT%H:%i:%s'), read_at IS NOT NULL FROM notifications "
                          "WHERE user_id = ? AND (? = 0 OR read_at IS NULL) AND (? = 0 OR id < ?) "
                          "ORDER BY id DESC LIMIT ?",
                          p, &r);
    long long n = 0;
    if (s == DB_OK)
        s = unread_count(rq, &n);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    json_t *items = json_array();
    for (size_t i = 0; i < r.nrows; i++)
        json_array_append_new(
            items, json_pack("{s:I, s:s, s:s, s:o, s:o, s:s, s:b}", "id",
                             (json_int_t)db_cell_int(&r, i, 0, 0), "kind", db_cell(&r, i, 1),
                             "title", db_cell(&r, i, 2), "body", nullable(db_cell(&r, i, 3)),
                             "link", nullable(db_cell(&r, i, 4)), "created_at", db_cell(&r, i, 5),
                             "read", (int)db_cell_int(&r, i, 6, 0)));
    return respond_json(rq, rs, 200,
                        json_pack("{s:o, s:I}", "items", items, "unread", (json_int_t)n));
}

int handle_notifications_count(request *rq, response *rs)
{
    long long n = 0;
    db_status s = unread_count(rq, &n);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    response_header(rq->a, rs, "Cache-Control", "no-store");
    return respond_json(rq, rs, 200, json_pack("{s:I}", "unread", (json_int_t)n));
}

/* {"ids": [1, 2]} or {"all": true}. */
int handle_notifications_read(request *rq, response *rs)
{
    json_t *b = rq->json;
    json_t *ids = json_is_object(b) ? json_object_get(b, "ids") : NULL;
    json_t *all = json_is_object(b) ? json_object_get(b, "all") : NULL;
    int bad = !json_is_object(b) || (!ids && !all) || (ids && !json_is_array(ids)) ||
              (all && !json_is_true(all)) || (ids && json_array_size(ids) > 500);
    for (size_t i = 0; !bad && ids && i < json_array_size(ids); i++)
        if (!json_is_integer(json_array_get(ids, i)) ||
            json_integer_value(json_array_get(ids, i)) < 1)
            bad = 1;
    if (bad)
        return reply_field_error(rq, rs,
                                 "Ожидается {\"ids\": [номера уведомлений]} или {\"all\": true}.",
                                 ids ? "ids" : "all", "список номеров до 500 или all: true");
    db_status s = DB_OK;
    if (all) {
        db_val p[] = {DB_INT(rq->me->user_id)};
        s = DB_EXEC(rq->db, rq->a,
                    "UPDATE notifications SET read_at = CURRENT_TIMESTAMP WHERE user_id = ? AND "
                    "read_at IS NULL",
                    p, NULL);
    }
    for (size_t i = 0; s == DB_OK && ids && i < json_array_size(ids); i++) {
        db_val p[] = {DB_INT(json_integer_value(json_array_get(ids, i))), DB_INT(rq->me->user_id)};
        s = DB_EXEC(rq->db, rq->a,
                    "UPDATE notifications SET read_at = CURRENT_TIMESTAMP WHERE id = ? AND "
                    "user_id = ? AND read_at IS NULL",
                    p, NULL);
    }
    long long n = 0;
    if (s == DB_OK)
        s = unread_count(rq, &n);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    return respond_json(rq, rs, 200, json_pack("{s:I}", "unread", (json_int_t)n));
}
