/* Improvement plans: the tasks of a kindergarten's, a municipality's or a region's plan
 * (action, responsible person, due date, status, result, evidence), most drawn from weak
 * indicators of a quality profile. Everyone who sees the unit reads its plan; managers
 * (coordinators and administrators) whose scope holds the unit write it. Contract:
 * docs/api-plans.md. */
#include "plans/handlers.h"
#include "org/route_rows.h"
#include "auth/principal.h"

#include "plans/plans.h"
#include "campaigns/stage_kinds.h"

#include "auth/audit.h"
#include "http/form_text.h"
#include "org/unit_store.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define TASK_COLUMNS                                                                               \
    "t.id, t.org_unit_id, o.name, t.campaign_id, t.indicator_code, t.action, t.responsible, "      \
    "DATE_FORMAT(t.due_on, '%Y-%m-%d'), t.status, t.result, t.evidence, t.version, "               \
    "t.status IN ('planned', 'in_progress') AND t.due_on < CURRENT_DATE, "                         \
    "DATE_FORMAT(t.created_at, '%Y-%m-%dT%H:%i:%s'), DATE_FORMAT(t.updated_at, "                   \
    "'%Y-%m-%dT%H:%i:%s'), t.recommendation_id"

static const char *const STATUSES[] = {"planned", "in_progress", "done", "cancelled"};

static json_t *nullable_string(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *task_json(const db_result *r, size_t i)
{
    long long campaign = db_cell_int(r, i, 3, 0), recommendation = db_cell_int(r, i, 15, 0);
    return json_pack(
        "{s:I, s:{s:I, s:s}, s:o, s:o, s:s, s:s, s:s, s:s, s:o, s:o, s:I, s:b, s:s, s:s, s:o}",
        "id", (json_int_t)db_cell_int(r, i, 0, 0), "unit", "id",
        (json_int_t)db_cell_int(r, i, 1, 0), "name", db_cell(r, i, 2), "campaign_id",
        campaign ? json_integer(campaign) : json_null(), "indicator",
        nullable_string(db_cell(r, i, 4)), "action", db_cell(r, i, 5), "responsible",
        db_cell(r, i, 6), "due_on", db_cell(r, i, 7), "status", db_cell(r, i, 8), "result",
        nullable_string(db_cell(r, i, 9)), "evidence", nullable_string(db_cell(r, i, 10)),
        "version", (json_int_t)db_cell_int(r, i, 11, 0), "overdue", (int)db_cell_int(r, i, 12, 0),
        "created_at", db_cell(r, i, 13), "updated_at", db_cell(r, i, 14), "recommendation_id",
        recommendation ? json_integer(recommendation) : json_null());
}

static int status_known(const char *s)
{
    for (size_t i = 0; s && i < sizeof STATUSES / sizeof STATUSES[0]; i++)
        if (strcmp(s, STATUSES[i]) == 0)
            return 1;
    return 0;
}

static int valid_code(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > 64)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
              (s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == '_' || s[i] == '-'))
            return 0;
    return 1;
}

/* The fields of a task as sent; `present` says which keys the body had. */
typedef struct {
    const char *action, *responsible, *due_on, *status, *result, *evidence, *indicator;
    uint64_t campaign_id;
    long long version; /* 0: not given */
    unsigned present;
} task_fields;

enum {
    F_ACTION = 1u << 0,
    F_RESPONSIBLE = 1u << 1,
    F_DUE = 1u << 2,
    F_STATUS = 1u << 3,
    F_RESULT = 1u << 4,
    F_EVIDENCE = 1u << 5,
    F_INDICATOR = 1u << 6,
    F_CAMPAIGN = 1u << 7,
};

/* How a text field of a task is checked. */
typedef enum {
    FK_TEXT,         /* something other than blanks, at most max characters */
    FK_TEXT_OR_NULL, /* the same, or null or blank (cleared) */
    FK_DATE,         /* YYYY-MM-DD */
    FK_STATUS,       /* one of STATUSES */
    FK_CODE_OR_NULL  /* an indicator code, or null */
} field_kind;

/* The text fields of a task: the body's key, its check, its bit in `present`, where it goes
 * in task_fields, its column in a task row when an edit audits it (-1: not audited) and the
 * message when it is bad. UPDATE_SQL sets them in this order. */
static const struct {
    const char *key;
    field_kind kind;
    size_t max;
    unsigned bit;
    size_t offset;
    int audit_col;
    const char *message;
} TEXT_FIELDS[] = {
    {"action", FK_TEXT, 2000, F_ACTION, offsetof(task_fields, action), PLAN_COL_ACTION,
     "мероприятие: текст от 1 до 2000 символов"},
    {"responsible", FK_TEXT, 300, F_RESPONSIBLE, offsetof(task_fields, responsible),
     PLAN_COL_RESPONSIBLE, "ответственный: от 1 до 300 символов"},
    {"result", FK_TEXT_OR_NULL, 4000, F_RESULT, offsetof(task_fields, result), PLAN_COL_RESULT,
     "результат: текст до 4000 символов или null"},
    {"evidence", FK_TEXT_OR_NULL, 4000, F_EVIDENCE, offsetof(task_fields, evidence),
     PLAN_COL_EVIDENCE, "подтверждение: текст до 4000 символов или null"},
    {"due_on", FK_DATE, 0, F_DUE, offsetof(task_fields, due_on), PLAN_COL_DUE,
     "срок в виде ГГГГ-ММ-ДД"},
    {"status", FK_STATUS, 0, F_STATUS, offsetof(task_fields, status), PLAN_COL_STATUS,
     "planned, in_progress, done или cancelled"},
    {"indicator", FK_CODE_OR_NULL, 0, F_INDICATOR, offsetof(task_fields, indicator), -1,
     "код показателя (латиница, цифры, точка)"},
};
#define N_TEXT_FIELDS (sizeof TEXT_FIELDS / sizeof TEXT_FIELDS[0])

/* An edit: each text field of TEXT_FIELDS and the campaign as IF(given, value, kept). */
#define UPDATE_SQL                                                                                 \
    "UPDATE plan_tasks SET action = IF(?, ?, action), responsible = IF(?, ?, responsible), "       \
    "result = IF(?, ?, result), evidence = IF(?, ?, evidence), due_on = IF(?, ?, due_on), "        \
    "status = IF(?, ?, status), indicator_code = IF(?, ?, indicator_code), campaign_id = IF(?, "   \
    "?, campaign_id), version = version + 1 WHERE id = ?"

/* Where text field i of TEXT_FIELDS goes in f. */
static const char **text_field(const task_fields *f, size_t i)
{
    return (const char **)((const char *)f + TEXT_FIELDS[i].offset);
}

/* Whether value v of a field of this kind is good; *out is its text (NULL: cleared). */
static int field_ok(field_kind kind, size_t max, json_t *v, const char **out)
{
    const char *s = json_string_value(v);
    int blank = s && !s[strspn(s, " \t\r\n")];
    *out = s;
    switch (kind) {
    case FK_TEXT_OR_NULL:
        if (json_is_null(v) || blank) {
            *out = NULL;
            return 1;
        }
        return s && form_utf8_length(s) <= max;
    case FK_TEXT:
        return s && !blank && form_utf8_length(s) <= max;
    case FK_DATE:
        return stage_date_valid(s);
    case FK_STATUS:
        return status_known(s);
    case FK_CODE_OR_NULL:
        return json_is_null(v) || valid_code(s);
    }
    return 0;
}

/* The body's numbers: campaign_id (null clears it) and version. */
static void read_numbers(json_t *b, task_fields *f, json_t *p)
{
    json_t *camp = json_object_get(b, "campaign_id");
    if (camp) {
        f->present |= F_CAMPAIGN;
        if (json_is_integer(camp) && json_integer_value(camp) > 0)
            f->campaign_id = (uint64_t)json_integer_value(camp);
        else if (!json_is_null(camp))
            problem_add_error(p, "campaign_id", "id кампании — целое число или null");
    }
    json_t *ver = json_object_get(b, "version");
    if (ver) {
        if (json_is_integer(ver) && json_integer_value(ver) > 0)
            f->version = json_integer_value(ver);
        else
            problem_add_error(p, "version", "версия — целое положительное число");
    }
}

static int read_fields(request *rq, response *rs, task_fields *f, int creating)
{
    json_t *b = rq->json;
    memset(f, 0, sizeof *f);
    json_t *p = body_problem(rq, "Проверьте поля задачи.");
    for (size_t i = 0; i < N_TEXT_FIELDS; i++) {
        json_t *v = json_object_get(b, TEXT_FIELDS[i].key);
        if (!v)
            continue;
        f->present |= TEXT_FIELDS[i].bit;
        if (!field_ok(TEXT_FIELDS[i].kind, TEXT_FIELDS[i].max, v, text_field(f, i)))
            problem_add_error(p, TEXT_FIELDS[i].key, TEXT_FIELDS[i].message);
    }
    read_numbers(b, f, p);
    int bad = json_array_size(json_object_get(p, "errors")) > 0;
    if (creating) {
        if (!(f->present & F_ACTION))
            problem_add_error(p, "action", "опишите мероприятие");
        if (!(f->present & F_RESPONSIBLE))
            problem_add_error(p, "responsible", "укажите ответственного");
        if (!(f->present & F_DUE))
            problem_add_error(p, "due_on", "укажите срок");
    } else if (!bad && f->present == 0) {
        problem_add_error(p, "", "нет полей для изменения");
    }
    return reply_field_errors(rq, rs, p);
}

/* The unit of the route, which must be able to have a plan (not a group): 0, or -1 with the
 * answer written. */
static int plan_unit(request *rq, response *rs, scope_unit *u)
{
    if (route_unit(rq, rs, u) != 0)
        return -1;
    if (u->level == LEVEL_GROUP) {
        reply_problem(rq, rs, PK_PLAN_LEVEL,
                      "План повышения качества ведут детский сад, муниципалитет и регион, "
                      "а не группа.");
        return -1;
    }
    return 0;
}

static db_status load_task(request *rq, uint64_t id, uint64_t unit_id, int lock, db_result *r)
{
    db_val p[] = {DB_INT(id), DB_INT(unit_id)};
    return DB_EXEC(rq->db, rq->a,
                   lock ? "SELECT " TASK_COLUMNS " FROM plan_tasks t JOIN org_units o ON o.id = "
                          "t.org_unit_id WHERE t.id = ? AND t.org_unit_id = ? FOR UPDATE"
                        : "SELECT " TASK_COLUMNS " FROM plan_tasks t JOIN org_units o ON o.id = "
                          "t.org_unit_id WHERE t.id = ? AND t.org_unit_id = ?",
                   p, r);
}

static int respond_task(request *rq, response *rs, int status, uint64_t id, uint64_t unit_id)
{
    db_result r;
    db_status s = load_task(rq, id, unit_id, 0, &r);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    if (r.nrows != 1)
        return reply_problem(rq, rs, PK_NOT_FOUND, "Задача плана не найдена.");
    return respond_json(rq, rs, status, task_json(&r, 0));
}

int plan_tasks_query(request *rq, response *rs, scope_unit *u, db_result *r)
{
    if (plan_unit(rq, rs, u) != 0)
        return -1;
    const char *status = uri_param_get(&rq->args, "status");
    const char *overdue = uri_param_get(&rq->args, "overdue");
    const char *subtree = uri_param_get(&rq->args, "subtree");
    if (status && *status && !status_known(status)) {
        reply_problem(rq, rs, PK_BAD_QUERY, "status: planned, in_progress, done или cancelled.");
        return -1;
    }
    int only_overdue = overdue && strcmp(overdue, "1") == 0;
    int below = subtree && strcmp(subtree, "1") == 0;
    const char *st = status ? status : "";
    db_val p[] = {DB_INT(u->id), DB_INT(below), DB_STR(u->path),     DB_INT(rq->me->user_id),
                  DB_STR(st),    DB_STR(st),    DB_INT(only_overdue)};
    db_status s =
        DB_EXEC(rq->db, rq->a,
                "SELECT " TASK_COLUMNS " FROM plan_tasks t JOIN org_units o ON o.id = "
                "t.org_unit_id LEFT JOIN campaigns c ON c.id = t.campaign_id WHERE "
                "c.cancelled_at IS NULL AND (t.org_unit_id = ? OR (? = 1 AND o.path LIKE "
                "CONCAT(?, '%'))) AND " SCOPE_SQL(
                    "o") " AND (? = '' OR t.status = ?) "
                         "AND (? = 0 OR (t.status IN ('planned', 'in_progress') AND t.due_on < "
                         "CURRENT_DATE)) ORDER BY t.due_on, t.id LIMIT 5000",
                p, r);
    if (s != DB_OK) {
        reply_db_error(rq, rs, s);
        return -1;
    }
    return 0;
}

json_t *plans_count_rows(const db_result *r, json_t *(*row)(const db_result *r, size_t i),
                         size_t status_col, size_t overdue_col, json_t *counts)
{
    json_t *o = json_object_get(counts, "overdue");
    for (size_t i = 0; i < r->nrows; i++) {
        json_t *c = json_object_get(counts, db_cell(r, i, status_col));
        if (c)
            json_integer_set(c, json_integer_value(c) + 1);
        if (db_cell_int(r, i, overdue_col, 0))
            json_integer_set(o, json_integer_value(o) + 1);
    }
    return rows_json(r, r->nrows, row);
}

int handle_plan_list(request *rq, response *rs)
{
    scope_unit u;
    db_result r;
    if (plan_tasks_query(rq, rs, &u, &r) != 0)
        return rs->status;
    json_t *counts = json_pack("{s:i, s:i, s:i, s:i, s:i}", "planned", 0, "in_progress", 0, "done",
                               0, "cancelled", 0, "overdue", 0);
    json_t *items = plans_count_rows(&r, task_json, PLAN_COL_STATUS, PLAN_COL_OVERDUE, counts);
    return respond_json(rq, rs, 200,
                        json_pack("{s:{s:I, s:s, s:s}, s:o, s:o}", "unit", "id", (json_int_t)u.id,
                                  "name", u.name, "level", org_level_name(u.level), "items", items,
                                  "counts", counts));
}

/* 0 when the campaign exists (or none is named); -1 with a 422 written otherwise. */
static int campaign_exists(request *rq, response *rs, uint64_t id)
{
    if (!id)
        return 0;
    int found = 0;
    db_val p[] = {DB_INT(id)};
    db_status s = DB_EXISTS(
        rq->db, rq->a, "SELECT 1 FROM campaigns WHERE id = ? AND cancelled_at IS NULL", p, &found);
    if (s != DB_OK) {
        reply_db_error(rq, rs, s);
        return -1;
    }
    if (!found) {
        json_t *pr = problem_of(PK_VALIDATION, "Проверьте поля задачи.");
        problem_add_error(pr, "campaign_id", "такой кампании нет");
        reply_problem_doc(rq, rs, pr);
        return -1;
    }
    return 0;
}

static db_val opt_str(const char *s)
{
    return s ? DB_STR(s) : DB_NULL;
}

int handle_plan_create(request *rq, response *rs)
{
    scope_unit u;
    task_fields f;
    if (plan_unit(rq, rs, &u) != 0 || read_fields(rq, rs, &f, 1) != 0 ||
        campaign_exists(rq, rs, f.campaign_id) != 0)
        return rs->status;
    db_status s = db_begin(rq->db);
    uint64_t id = 0;
    if (s == DB_OK) {
        db_val v[] = {DB_INT(u.id),
                      f.campaign_id ? DB_INT(f.campaign_id) : DB_NULL,
                      opt_str(f.indicator),
                      DB_STR(f.action),
                      DB_STR(f.responsible),
                      DB_STR(f.due_on),
                      DB_STR(f.status ? f.status : "planned"),
                      opt_str(f.result),
                      opt_str(f.evidence),
                      DB_INT(rq->me->user_id)};
        s = DB_INSERT(rq->db, rq->a,
                      "INSERT INTO plan_tasks (org_unit_id, campaign_id, indicator_code, action, "
                      "responsible, due_on, status, result, evidence, created_by) VALUES (?, ?, ?, "
                      "?, ?, ?, ?, ?, ?, ?)",
                      v, &id);
    }
    if (s == DB_OK)
        s = audit_write(rq, "plan_task.create", "plan_task", id, u.id,
                        json_pack("{s:[n,s], s:[n,s]}", "action", f.action, "due_on", f.due_on));
    if (reply_tx_end(rq, rs, s, NULL) != 0)
        return rs->status;
    return respond_task(rq, rs, 201, id, u.id);
}

/* Writes the fields the body gave to task id (cur: its row before) and adds the texts that
 * change to changes. */
static db_status update_task(request *rq, const task_fields *f, const db_result *cur, uint64_t id,
                             json_t *changes)
{
    db_val v[2 * N_TEXT_FIELDS + 3];
    size_t n = 0;
    for (size_t i = 0; i < N_TEXT_FIELDS; i++) {
        int given = (f->present & TEXT_FIELDS[i].bit) != 0, col = TEXT_FIELDS[i].audit_col;
        const char *value = *text_field(f, i);
        v[n++] = DB_INT(given);
        v[n++] = opt_str(value);
        if (col >= 0)
            audit_diff_str(changes, TEXT_FIELDS[i].key, db_cell(cur, 0, (size_t)col),
                           given ? value : db_cell(cur, 0, (size_t)col));
    }
    v[n++] = DB_INT((f->present & F_CAMPAIGN) != 0);
    v[n++] = f->campaign_id ? DB_INT(f->campaign_id) : DB_NULL;
    v[n++] = DB_INT(id);
    return db_exec(rq->db, rq->a, UPDATE_SQL, v, n, NULL);
}

int handle_plan_update(request *rq, response *rs)
{
    scope_unit u;
    task_fields f;
    uint64_t id = scope_parse_id(rq->params[1]);
    if (plan_unit(rq, rs, &u) != 0 || read_fields(rq, rs, &f, 0) != 0 ||
        campaign_exists(rq, rs, f.campaign_id) != 0)
        return rs->status;
    db_result cur;
    db_status s = db_begin(rq->db);
    if (s == DB_OK)
        s = load_task(rq, id, u.id, 1, &cur);
    if (s == DB_OK && cur.nrows != 1) {
        db_rollback(rq->db);
        return reply_problem(rq, rs, PK_NOT_FOUND, "Задача плана не найдена.");
    }
    if (s == DB_OK && f.version && f.version != db_cell_int(&cur, 0, 11, 0)) {
        db_rollback(rq->db);
        json_t *p = problem_of(PK_STALE_VERSION, "Задачу уже изменили: вот её текущее состояние.");
        json_object_set_new(p, "current", task_json(&cur, 0));
        return reply_problem_doc(rq, rs, p);
    }
    json_t *changes = json_object();
    if (s == DB_OK)
        s = update_task(rq, &f, &cur, id, changes);
    if (s == DB_OK)
        s = audit_write(rq, "plan_task.update", "plan_task", id, u.id, changes);
    else
        json_decref(changes);
    if (reply_tx_end(rq, rs, s, NULL) != 0)
        return rs->status;
    return respond_task(rq, rs, 200, id, u.id);
}
