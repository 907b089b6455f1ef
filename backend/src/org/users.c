/* GET /users (filters, paging, total) and GET /users/{id}: only users whose org unit lies
 * within the caller's scope. docs/api-org.md, "Users". */
#include "org/handlers.h"
#include "auth/principal.h"
#include "org/users.h"
#include "http/form_text.h"

#include <string.h>

#define LIST_LIMIT_DEFAULT 50
#define LIST_LIMIT_MAX 200
#define LIST_OFFSET_MAX 1000000000LL
#define LIST_Q_MAX 200

/* Filters shared by the page and the total; parameters in list_params order. */
#define LIST_WHERE                                                                                 \
    "WHERE " SCOPE_SQL("o") " AND (? = '' OR u.role = ?) AND o.path LIKE CONCAT(?, '%') "          \
                            "AND (? < 0 OR u.active = ?) AND (? = '' OR u.login LIKE ? OR "        \
                            "u.full_name LIKE ? OR u.email LIKE ?)"
#define LIST_NPARAMS 10

typedef struct {
    const char *role;    /* "" for any */
    const char *path;    /* the subtree of unit_id; "/" for the whole scope */
    int active;          /* -1 for any */
    const char *q;       /* "" for none */
    const char *pattern; /* q as a LIKE pattern */
    long long limit, offset;
} list_query;

/* A query parameter as a whole number in [min, max]; absent keeps *out. Returns -1 when
 * malformed or out of range. */
static int uint_param(const char *s, long long min, long long max, long long *out)
{
    if (!s)
        return 0;
    long long v = uri_parse_digits(s, 12);
    if (v < 0 || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

/* Checks the query string; answers 422 naming every bad parameter. Returns -1 without an
 * answer when out of memory (the dispatcher answers 500). */
static int read_filters(request *rq, response *rs, list_query *lq, uint64_t *unit_id)
{
    const char *role_s = uri_param_get(&rq->args, "role");
    const char *unit_s = uri_param_get(&rq->args, "unit_id");
    const char *active_s = uri_param_get(&rq->args, "active");
    const char *q = uri_param_get(&rq->args, "q");
    long long active = -1;
    role r;
    json_t *p = problem_of(PK_VALIDATION, "Проверьте параметры поиска.");
    if (role_s && *role_s && role_parse(role_s, &r) != 0)
        problem_add_error(p, "role", "неизвестная роль");
    if (unit_s && *unit_s && !(*unit_id = scope_parse_id(unit_s)))
        problem_add_error(p, "unit_id", "id организации — целое число больше 0");
    if (active_s && *active_s && uint_param(active_s, 0, 1, &active) != 0)
        problem_add_error(p, "active", "0 или 1");
    if (q && form_utf8_length(q) > LIST_Q_MAX)
        problem_add_error(p, "q", "не длиннее 200 символов");
    if (uint_param(uri_param_get(&rq->args, "limit"), 1, LIST_LIMIT_MAX, &lq->limit) != 0)
        problem_add_error(p, "limit", "число от 1 до 200");
    if (uint_param(uri_param_get(&rq->args, "offset"), 0, LIST_OFFSET_MAX, &lq->offset) != 0)
        problem_add_error(p, "offset", "целое число не меньше 0");
    if (reply_field_errors(rq, rs, p) != 0)
        return -1;
    lq->role = role_s ? role_s : "";
    lq->active = (int)active;
    lq->q = q ? q : "";
    lq->pattern = db_like_pattern(rq->a, lq->q);
    return lq->pattern ? 0 : -1;
}

static void list_params(request *rq, const list_query *lq, db_val *v)
{
    db_val all[LIST_NPARAMS] = {
        DB_INT(rq->me->user_id), DB_STR(lq->role),    DB_STR(lq->role), DB_STR(lq->path),
        DB_INT(lq->active),      DB_INT(lq->active),  DB_STR(lq->q),    DB_STR(lq->pattern),
        DB_STR(lq->pattern),     DB_STR(lq->pattern),
    };
    memcpy(v, all, sizeof all);
}

static db_status run_list(request *rq, const list_query *lq, db_result *page, long long *total)
{
    db_val v[LIST_NPARAMS + 2];
    list_params(rq, lq, v);
    db_result t;
    db_status s =
        db_exec(rq->db, rq->a, "SELECT COUNT(*)" USER_FROM LIST_WHERE, v, LIST_NPARAMS, &t);
    if (s != DB_OK)
        return s;
    *total = db_cell_int(&t, 0, 0, 0);
    v[LIST_NPARAMS] = DB_INT(lq->limit);
    v[LIST_NPARAMS + 1] = DB_INT(lq->offset);
    return db_exec(rq->db, rq->a,
                   "SELECT " USER_COLUMNS USER_FROM LIST_WHERE
                   " ORDER BY u.full_name, u.id LIMIT ? OFFSET ?",
                   v, LIST_NPARAMS + 2, page);
}

int handle_users_list(request *rq, response *rs)
{
    list_query lq = {.path = "/", .limit = LIST_LIMIT_DEFAULT};
    uint64_t unit_id = 0;
    if (read_filters(rq, rs, &lq, &unit_id) != 0)
        return rs->status;
    db_status s = DB_OK;
    if (unit_id) {
        scope_unit u;
        int found = 0;
        s = scope_find_unit(rq, unit_id, &u, &found);
        if (s == DB_OK && !found)
            return users_unit_not_found(rq, rs);
        lq.path = u.path;
    }
    db_result page;
    long long total = 0;
    if (s == DB_OK)
        s = run_list(rq, &lq, &page, &total);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    return respond_json(rq, rs, 200,
                        json_pack("{s:o, s:I}", "items", rows_json(&page, page.nrows, user_json),
                                  "total", (json_int_t)total));
}

int handle_user_get(request *rq, response *rs)
{
    return user_respond(rq, rs, 200, rq->scoped_id, NULL);
}
