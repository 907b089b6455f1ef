/* GET /api/v1/audit: the audit log of the caller's scope, newest first, with filters. */
#include "server/handlers.h"
#include "auth/principal.h"

#include "auth/audit.h"
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

int handle_audit_list(request *rq, response *rs)
{
    audit_filter f = {.action = arg(rq, "action"),
                      .entity = arg(rq, "entity"),
                      .entity_id = arg(rq, "entity_id"),
                      .actor_id = arg(rq, "actor_id"),
                      .from = arg(rq, "from"),
                      .to = arg(rq, "to"),
                      .before = arg(rq, "before"),
                      .limit = 50};
    const char *limit_s = arg(rq, "limit");
    if (limit_s)
        f.limit = (long)scope_parse_id(limit_s);
    json_t *p = problem_of(PK_VALIDATION, "Проверьте фильтры.");
    if (f.limit < 1 || f.limit > 200)
        problem_add_error(p, "limit", "число от 1 до 200");
    if (f.entity_id && !scope_parse_id(f.entity_id))
        problem_add_error(p, "entity_id", "положительное целое число");
    if (f.actor_id && !scope_parse_id(f.actor_id))
        problem_add_error(p, "actor_id", "положительное целое число");
    if (f.before && !scope_parse_id(f.before))
        problem_add_error(p, "before", "положительное целое число");
    if (!valid_date(f.from))
        problem_add_error(p, "from", "дата в виде ГГГГ-ММ-ДД");
    if (!valid_date(f.to))
        problem_add_error(p, "to", "дата в виде ГГГГ-ММ-ДД");
    if ((f.action && strlen(f.action) > 64) || (f.entity && strlen(f.entity) > 32))
        problem_add_error(p, f.action ? "action" : "entity", "слишком длинное значение");
    if (reply_field_errors(rq, rs, p) != 0)
        return rs->status;
    db_result r;
    db_status s = audit_read(rq, &f, &r);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    size_t n = r.nrows > (size_t)f.limit ? (size_t)f.limit : r.nrows;
    json_t *items = rows_json(&r, n, audit_row_json);
    json_t *next =
        r.nrows > (size_t)f.limit ? json_integer(db_cell_int(&r, n - 1, 0, 0)) : json_null();
    return respond_json(rq, rs, 200, json_pack("{s:o, s:o}", "items", items, "next_before", next));
}
