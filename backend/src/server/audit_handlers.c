/* GET /api/v1/audit: the audit log of the caller's scope, newest first, with filters. */
#include "server/handlers.h"
#include "auth/principal.h"

#include "auth/scope.h"

#include <stdlib.h>
#include <string.h>

/* A filter value from the query: NULL when absent or empty. */
static const char *arg(request *rq, const char *name)
{
    const char *v = uri_param_get(&rq->args, name);
    return v && *v ? v : NULL;
}

static int valid_date(const char *s)
{
    /* YYYY-MM-DD, optionally followed by a time part that MariaDB parses. */
    if (!s)
        return 1;
    size_t n = strlen(s);
    if (n < 10 || n > 25)
        return 0;
    for (int i = 0; i < 10; i++)
        if ((i == 4 || i == 7) ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
            return 0;
    for (size_t i = 10; i < n; i++)
        if (!strchr("T :.0123456789Z", s[i]))
            return 0;
    return 1;
}

/* One row of the audit list's SELECT as JSON. */
static json_t *audit_row_json(const db_result *r, size_t i)
{
    const char *changes = db_cell(r, i, 8);
    json_t *cj = changes ? json_loads(changes, 0, NULL) : NULL;
    json_t *actor =
        db_cell(r, i, 2) || db_cell(r, i, 3)
            ? json_pack("{s:o, s:s?, s:s?}", "id",
                        db_cell(r, i, 2) ? json_integer(db_cell_int(r, i, 2, 0)) : json_null(),
                        "login", db_cell(r, i, 3), "role", db_cell(r, i, 4))
            : json_null();
    return json_pack("{s:I, s:s, s:o, s:s, s:s?, s:o, s:o, s:s?}", "id",
                     (json_int_t)db_cell_int(r, i, 0, 0), "at", db_cell(r, i, 1), "actor", actor,
                     "action", db_cell(r, i, 5), "entity", db_cell(r, i, 6), "entity_id",
                     db_cell(r, i, 7) ? json_integer(db_cell_int(r, i, 7, 0)) : json_null(),
                     "changes", cj ? cj : json_null(), "ip", db_cell(r, i, 9));
}

int handle_audit_list(request *rq, response *rs)
{
    const char *action = arg(rq, "action"), *entity = arg(rq, "entity");
    const char *entity_id = arg(rq, "entity_id"), *actor_id = arg(rq, "actor_id");
    const char *from = arg(rq, "from"), *to = arg(rq, "to"), *before = arg(rq, "before");
    const char *limit_s = arg(rq, "limit");
    long limit = limit_s ? (long)scope_parse_id(limit_s) : 50;
    json_t *p = problem_of(PK_VALIDATION, "Проверьте фильтры.");
    if (limit < 1 || limit > 200)
        problem_add_error(p, "limit", "число от 1 до 200");
    if (entity_id && !scope_parse_id(entity_id))
        problem_add_error(p, "entity_id", "положительное целое число");
    if (actor_id && !scope_parse_id(actor_id))
        problem_add_error(p, "actor_id", "положительное целое число");
    if (before && !scope_parse_id(before))
        problem_add_error(p, "before", "положительное целое число");
    if (!valid_date(from))
        problem_add_error(p, "from", "дата в виде ГГГГ-ММ-ДД");
    if (!valid_date(to))
        problem_add_error(p, "to", "дата в виде ГГГГ-ММ-ДД");
    if ((action && strlen(action) > 64) || (entity && strlen(entity) > 32))
        problem_add_error(p, action ? "action" : "entity", "слишком длинное значение");
    if (reply_field_errors(rq, rs, p) != 0)
        return rs->status;
#define OPT_STR(v) ((v) ? DB_STR(v) : DB_NULL)
#define OPT_ID(v) ((v) ? DB_INT(scope_parse_id(v)) : DB_NULL)
    db_val v[] = {DB_INT(rq->me->user_id),
                  OPT_STR(action),
                  OPT_STR(action),
                  OPT_STR(entity),
                  OPT_STR(entity),
                  OPT_ID(entity_id),
                  OPT_ID(entity_id),
                  OPT_ID(actor_id),
                  OPT_ID(actor_id),
                  OPT_STR(from),
                  OPT_STR(from),
                  OPT_STR(to),
                  OPT_STR(to),
                  OPT_ID(before),
                  OPT_ID(before),
                  DB_INT(limit + 1)};
#undef OPT_STR
#undef OPT_ID
    db_result r;
    db_status s = DB_EXEC(
        rq->db, rq->a,
        "SELECT a.id, DATE_FORMAT(a.at, '%Y-%m-%dT%H:%i:%s.%fZ'), a.actor_id, a.actor_login, "
        "a.actor_role, a.action, a.entity, a.entity_id, a.changes, a.ip FROM audit_log a "
        "WHERE EXISTS (SELECT 1 FROM " SCOPE_PATHS_SQL " s WHERE a.unit_path LIKE "
        "CONCAT(s.path, '%')) AND (? IS NULL OR a.action = ?) AND (? IS NULL OR a.entity = ?) "
        "AND (? IS NULL OR a.entity_id = ?) AND (? IS NULL OR a.actor_id = ?) "
        "AND (? IS NULL OR a.at >= ?) AND (? IS NULL OR a.at < ? + INTERVAL 1 DAY) "
        "AND (? IS NULL OR a.id < ?) ORDER BY a.id DESC LIMIT ?",
        v, &r);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    size_t n = r.nrows > (size_t)limit ? (size_t)limit : r.nrows;
    json_t *items = rows_json(&r, n, audit_row_json);
    json_t *next =
        r.nrows > (size_t)limit ? json_integer(db_cell_int(&r, n - 1, 0, 0)) : json_null();
    return respond_json(rq, rs, 200, json_pack("{s:o, s:o}", "items", items, "next_before", next));
}
