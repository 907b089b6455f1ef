/* Targeted recommendations (адресные рекомендации): the region writes them to a
 * municipality or a kindergarten, a municipality to one of its kindergartens; everyone
 * whose scope holds the receiver reads them, the sender follows their status. The receiver
 * turns one into a plan task in recommend_accept.c. Contract: docs/analysis.md. */
#include "analysis/handlers.h"
#include "org/route_rows.h"
#include "analysis/recommend.h"

#include "auth/audit.h"
#include "auth/principal.h"
#include "auth/scope.h"
#include "campaigns/stage_kinds.h"
#include "http/form_text.h"
#include "org/unit_store.h"
#include "plans/plans.h"

#include <string.h>

static json_t *nullable(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *unit_ref(const db_result *r, size_t i, size_t col)
{
    return json_pack("{s:I, s:s, s:s}", "id", (json_int_t)db_cell_int(r, i, col, 0), "name",
                     db_cell(r, i, col + 1), "level", db_cell(r, i, col + 2));
}

json_t *recommend_json(const db_result *r, size_t i)
{
    long long campaign = db_cell_int(r, i, 7, 0);
    json_t *task =
        db_cell(r, i, RECOMMEND_COL_TASK)
            ? json_pack("{s:I, s:s}", "id", (json_int_t)db_cell_int(r, i, RECOMMEND_COL_TASK, 0),
                        "status", db_cell(r, i, 16))
            : json_null();
    return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:s, s:s, s:s, s:s, s:b, s:o, s:s, s:o}", "id",
                     (json_int_t)db_cell_int(r, i, 0, 0), "sender", unit_ref(r, i, 1), "receiver",
                     unit_ref(r, i, 4), "campaign_id",
                     campaign ? json_integer(campaign) : json_null(), "area",
                     nullable(db_cell(r, i, 8)), "indicator", nullable(db_cell(r, i, 9)), "title",
                     db_cell(r, i, 10), "text", db_cell(r, i, 11), "due_on", db_cell(r, i, 12),
                     "status", db_cell(r, i, RECOMMEND_COL_STATUS), "overdue",
                     (int)db_cell_int(r, i, RECOMMEND_COL_OVERDUE, 0), "plan_task", task,
                     "created_at", db_cell(r, i, 17), "accepted_at", nullable(db_cell(r, i, 18)));
}

db_status recommend_load(request *rq, uint64_t id, int lock, db_result *r, int *found)
{
    db_val p[] = {DB_INT(id), DB_INT(rq->me->user_id)};
    db_status s = DB_EXEC(rq->db, rq->a,
                          lock ? "SELECT " RECOMMEND_COLUMNS RECOMMEND_FROM
                                 "WHERE r.id = ? AND " SCOPE_SQL("ru") " FOR UPDATE"
                               : "SELECT " RECOMMEND_COLUMNS RECOMMEND_FROM
                                 "WHERE r.id = ? AND " SCOPE_SQL("ru"),
                          p, r);
    *found = s == DB_OK && r->nrows == 1;
    return s;
}

int recommend_text_ok(const char *s, size_t max)
{
    return s && s[strspn(s, " \t\r\n")] && form_utf8_length(s) <= max;
}

static int code_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > 64)
        return 0;
    return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") == n;
}

typedef struct {
    const char *title, *text, *due_on, *area, *indicator;
    uint64_t campaign_id;
} rec_fields;

/* Reads and checks the body of a new recommendation: 0, or -1 with the 422 written. */
static int read_fields(request *rq, response *rs, rec_fields *f)
{
    json_t *b = rq->json;
    memset(f, 0, sizeof *f);
    json_t *p = body_problem(rq, "Проверьте поля рекомендации.");
    json_t *area = json_object_get(b, "area"), *ind = json_object_get(b, "indicator");
    f->title = json_string_value(json_object_get(b, "title"));
    f->text = json_string_value(json_object_get(b, "text"));
    f->due_on = json_string_value(json_object_get(b, "due_on"));
    f->area = json_string_value(area);
    f->indicator = json_string_value(ind);
    if (!recommend_text_ok(f->title, 300))
        problem_add_error(p, "title", "заголовок: от 1 до 300 символов");
    if (!recommend_text_ok(f->text, 8000))
        problem_add_error(p, "text", "текст рекомендации: от 1 до 8000 символов");
    if (!stage_date_valid(f->due_on))
        problem_add_error(p, "due_on", "срок в виде ГГГГ-ММ-ДД");
    if (area && !json_is_null(area) && !code_ok(f->area))
        problem_add_error(p, "area", "код области (латиница, цифры, точка) или null");
    if (ind && !json_is_null(ind) && !code_ok(f->indicator))
        problem_add_error(p, "indicator", "код показателя (латиница, цифры, точка) или null");
    json_t *camp = json_object_get(b, "campaign_id");
    if (json_is_integer(camp) && json_integer_value(camp) > 0)
        f->campaign_id = (uint64_t)json_integer_value(camp);
    else if (camp && !json_is_null(camp))
        problem_add_error(p, "campaign_id", "id кампании — целое число или null");
    return reply_field_errors(rq, rs, p);
}

/* The receiver must lie strictly below the caller's unit: a municipality or a kindergarten
 * for the region, a kindergarten for a municipality. 0, or -1 with the answer written. */
static int receiver_fits(request *rq, response *rs, const scope_unit *u)
{
    int below = strncmp(u->path, rq->me->org_path, strlen(rq->me->org_path)) == 0 &&
                u->id != rq->me->org_unit_id;
    int level_ok = u->level == LEVEL_KINDERGARTEN ||
                   (u->level == LEVEL_MUNICIPALITY && rq->me->role == ROLE_REGION_COORDINATOR);
    if (below && level_ok)
        return 0;
    reply_problem(rq, rs, PK_RECOMMENDATION_RECEIVER,
                  "Рекомендации адресуют регион — муниципалитетам и детским садам, "
                  "муниципалитет — своим детским садам.");
    return -1;
}

static int campaign_known(request *rq, response *rs, uint64_t id)
{
    if (!id)
        return 0;
    int found = 0;
    db_val p[] = {DB_INT(id)};
    db_status s = DB_EXISTS(rq->db, rq->a, "SELECT 1 FROM campaigns WHERE id = ?", p, &found);
    if (s != DB_OK) {
        reply_db_error(rq, rs, s);
        return -1;
    }
    if (found)
        return 0;
    json_t *pr = problem_of(PK_VALIDATION, "Проверьте поля рекомендации.");
    problem_add_error(pr, "campaign_id", "такой кампании нет");
    reply_problem_doc(rq, rs, pr);
    return -1;
}

static db_val opt(const char *s)
{
    return s ? DB_STR(s) : DB_NULL;
}

int handle_recommendation_create(request *rq, response *rs)
{
    scope_unit u;
    rec_fields f;
    if (route_unit(rq, rs, &u) != 0 || receiver_fits(rq, rs, &u) != 0 ||
        read_fields(rq, rs, &f) != 0 || campaign_known(rq, rs, f.campaign_id) != 0)
        return rs->status;
    uint64_t id = 0;
    db_val v[] = {DB_INT(rq->me->org_unit_id),
                  DB_INT(u.id),
                  f.campaign_id ? DB_INT(f.campaign_id) : DB_NULL,
                  opt(f.area),
                  opt(f.indicator),
                  DB_STR(f.title),
                  DB_STR(f.text),
                  DB_STR(f.due_on),
                  DB_INT(rq->me->user_id)};
    int found = 0;
    db_status s = db_begin(rq->db);
    if (s == DB_OK)
        s = DB_INSERT(
            rq->db, rq->a,
            "INSERT INTO recommendations (sender_unit_id, receiver_unit_id, campaign_id, "
            "area_code, indicator_code, title, body, due_on, created_by) VALUES (?, ?, ?, "
            "?, ?, ?, ?, ?, ?)",
            v, &id);
    if (s == DB_OK)
        s = audit_write(rq, "recommendation.create", "recommendation", id, u.id,
                        json_pack("{s:[n,s], s:[n,s]}", "title", f.title, "due_on", f.due_on));
    s = db_end(rq->db, s);
    db_result r;
    if (s == DB_OK)
        s = recommend_load(rq, id, 0, &r, &found);
    if (s != DB_OK || !found)
        return reply_db_error(rq, rs, s == DB_OK ? DB_ERROR : s);
    return respond_json(rq, rs, 201, recommend_json(&r, 0));
}

static int one_of(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(s, *list) == 0)
            return 1;
    return 0;
}

/* GET /recommendations: those whose receiver the caller sees, by due date; ?box=sent (the
 * caller's unit wrote them), ?box=received (addressed to the caller's unit), ?status=,
 * ?overdue=1, ?campaign_id=. */
int handle_recommendations_list(request *rq, response *rs)
{
    static const char *const BOXES[] = {"", "all", "sent", "received", NULL};
    static const char *const STATUSES[] = {"", "new", "accepted", "done", NULL};
    const char *box = uri_param_get(&rq->args, "box");
    const char *status = uri_param_get(&rq->args, "status");
    const char *overdue = uri_param_get(&rq->args, "overdue");
    const char *campaign = uri_param_get(&rq->args, "campaign_id");
    box = box ? box : "";
    status = status ? status : "";
    uint64_t camp = campaign && *campaign ? scope_parse_id(campaign) : 0;
    if (!one_of(box, BOXES) || !one_of(status, STATUSES) || (campaign && *campaign && !camp)) {
        return reply_problem(
            rq, rs, PK_BAD_QUERY,
            "box: sent или received; status: new, accepted или done; campaign_id — "
            "число.");
    }
    int sent = strcmp(box, "sent") == 0, received = strcmp(box, "received") == 0;
    int only_overdue = overdue && strcmp(overdue, "1") == 0;
    db_val p[] = {DB_INT(rq->me->user_id),
                  DB_INT(sent),
                  DB_INT(rq->me->org_unit_id),
                  DB_INT(received),
                  DB_INT(rq->me->org_unit_id),
                  DB_STR(status),
                  DB_STR(status),
                  DB_INT(only_overdue),
                  DB_INT(camp),
                  DB_INT(camp)};
    db_result r;
    db_status s = DB_EXEC(
        rq->db, rq->a,
        "SELECT " RECOMMEND_COLUMNS RECOMMEND_FROM "WHERE " SCOPE_SQL(
            "ru") " AND (? = 0 OR r.sender_unit_id = ?) AND (? = 0 OR r.receiver_unit_id = ?) "
                  "AND (? = '' OR " RECOMMEND_STATUS_SQL
                  " = ?) AND (? = 0 OR ((" RECOMMEND_STATUS_SQL
                  ") <> 'done' AND r.due_on < CURRENT_DATE)) AND (? = 0 OR r.campaign_id = ?) "
                  "ORDER BY r.due_on, r.id LIMIT 5000",
        p, &r);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    json_t *counts =
        json_pack("{s:i, s:i, s:i, s:i}", "new", 0, "accepted", 0, "done", 0, "overdue", 0);
    json_t *items =
        plans_count_rows(&r, recommend_json, RECOMMEND_COL_STATUS, RECOMMEND_COL_OVERDUE, counts);
    return respond_json(rq, rs, 200, json_pack("{s:o, s:o}", "items", items, "counts", counts));
}
