#include "campaigns/calendar.h"
#include "auth/principal.h"

#include "campaigns/handlers.h"
#include "auth/scope.h"
#include "campaigns/stage_kinds.h"

#include <string.h>

/* The kindergartens taking part in the stages that match STAGES_WHERE (with campaign c and
 * its unit cu), under the path bound first: the columns of calendar_stage_units, then the
 * stage id. */
#define STAGE_UNITS_SQL(STAGES_WHERE)                                                              \
    "SELECT k.id, k.name, m.id, m.name, DATE_FORMAT(x.deadline, '%Y-%m-%d'), "                     \
    "CURRENT_DATE > x.deadline, x.expected, x.done, x.sid FROM (SELECT st.id AS sid, k.id AS "     \
    "kid, GREATEST(LEAST(st.closes_on, COALESCE(d.due_on, st.closes_on)), COALESCE((SELECT "       \
    "MAX(r.until_on) FROM stage_reopenings r WHERE r.stage_id = st.id AND r.kindergarten_id = "    \
    "k.id), '1000-01-01')) AS deadline, CASE st.target_level WHEN 'group' THEN GREATEST(1, "       \
    "(SELECT COUNT(*) FROM org_units g WHERE g.parent_id = k.id AND g.level = 'group' AND "        \
    "g.active = 1)) WHEN 'teacher' THEN (SELECT COUNT(*) FROM users u WHERE u.org_unit_id = k.id " \
    "AND u.active = 1 AND FIND_IN_SET(u.role, st.respondents)) ELSE 1 END AS expected, (SELECT "   \
    "COUNT(*) FROM submissions s WHERE s.campaign_id = st.campaign_id AND s.instrument_id = "      \
    "st.instrument_id AND s.kindergarten_id = k.id AND FIND_IN_SET(s.respondent_role, "            \
    "st.respondents) AND s.status IN ('submitted', 'approved')) AS done FROM campaign_stages st "  \
    "JOIN campaigns c ON c.id = st.campaign_id AND c.cancelled_at IS NULL JOIN org_units cu ON "   \
    "cu.id = c.org_unit_id JOIN "                                                                  \
    "org_units k ON k.level = 'kindergarten' AND k.active = 1 AND k.path LIKE CONCAT(cu.path, "    \
    "'%') AND k.path LIKE CONCAT(?, '%') LEFT JOIN stage_deadlines d ON d.stage_id = st.id AND "   \
    "d.municipality_id = k.parent_id WHERE " STAGES_WHERE " AND st.instrument_id IS NOT NULL AND " \
    "(c.participation = 'all' OR EXISTS (SELECT 1 FROM campaign_participants p WHERE "             \
    "p.campaign_id = c.id AND p.kindergarten_id = k.id))) x JOIN org_units k ON k.id = x.kid "     \
    "JOIN org_units m ON m.id = k.parent_id ORDER BY x.sid, m.name, k.name, k.id"

db_status calendar_stage_units(request *rq, uint64_t stage_id, const char *path, db_result *r)
{
    db_val p[] = {DB_STR(path), DB_INT(stage_id)};
    return DB_EXEC(rq->db, rq->a, STAGE_UNITS_SQL("st.id = ?"), p, r);
}

/* calendar_stage_units of every stage whose window meets [from, to] in the campaigns the
 * caller sees, in one statement (column 8: the stage id). */
static db_status scope_stage_units(request *rq, const char *from, const char *to, db_result *r)
{
    db_val p[] = {DB_STR(rq->me->org_path), DB_STR(from), DB_STR(to), DB_STR(rq->me->org_path),
                  DB_INT(rq->me->user_id)};
    return DB_EXEC(
        rq->db, rq->a,
        STAGE_UNITS_SQL("st.closes_on >= ? AND st.opens_on <= ? AND " CAMPAIGN_VISIBLE_SQL("cu")),
        p, r);
}

int calendar_unit_late(const db_result *r, size_t i)
{
    return db_cell_int(r, i, 5, 0) && db_cell_int(r, i, 7, 0) < db_cell_int(r, i, 6, 0);
}

const char *calendar_status_ru(const char *status)
{
    static const char *const NAMES[][2] = {
        {"none", "без анкеты"},      {"not_started", "не начато"}, {"draft", "черновик"},
        {"submitted", "отправлено"}, {"returned", "возвращено"},   {"approved", "утверждено"},
    };
    for (size_t i = 0; i < sizeof NAMES / sizeof NAMES[0]; i++)
        if (strcmp(NAMES[i][0], status) == 0)
            return NAMES[i][1];
    return status;
}

/* The units the caller has tasks for: an expert's assigned kindergartens, else their own
 * unit. Columns: id, name, level. */
static db_status task_units(request *rq, db_result *r)
{
    db_val p[] = {DB_INT(rq->me->user_id)};
    if (rq->me->role == ROLE_EXPERT)
        return DB_EXEC(rq->db, rq->a,
                       "SELECT k.id, k.name, k.level FROM expert_assignments a JOIN org_units k "
                       "ON k.id = a.kindergarten_id WHERE a.expert_id = ? AND k.active = 1 "
                       "AND " ASSIGNMENT_CURRENT_SQL("a") " ORDER BY k.name",
                       p, r);
    db_val q[] = {DB_INT(rq->me->org_unit_id)};
    return DB_EXEC(rq->db, rq->a, "SELECT id, name, level FROM org_units WHERE id = ?", q, r);
}

/* Status from the sheets: none exists → not_started; any returned → returned; all expected
 * in → submitted (approved when all are approved); else draft. */
static const char *task_status(long long n, long long in, long long approved, long long returned,
                               long long expected)
{
    if (n == 0)
        return "not_started";
    if (returned > 0)
        return "returned";
    if (in >= expected)
        return approved >= in ? "approved" : "submitted";
    return "draft";
}

typedef struct {
    uint64_t id, campaign_id, instrument_id;
    const char *kind, *title, *code, *instrument_title, *level, *opens, *closes, *campaign;
} stage_row;

/* A kindergarten's sheets of a stage: how many are expected and in, the task's status, and
 * the sheet when there is exactly one. */
typedef struct {
    const char *status;
    long long expected, in;
    uint64_t sheet;
} progress;

static db_status sheet_progress(request *rq, const stage_row *st, uint64_t unit, long long groups,
                                progress *out)
{
    uint64_t who = rq->me->role == ROLE_EXPERT ? rq->me->user_id : 0;
    db_result b;
    db_val q[] = {DB_INT(st->campaign_id),
                  DB_INT(st->instrument_id),
                  DB_INT(unit),
                  DB_STR(st->level),
                  DB_INT(rq->me->user_id),
                  DB_STR(st->level),
                  DB_INT(unit),
                  DB_INT(who),
                  DB_INT(unit),
                  DB_INT(who)};
    db_status s =
        DB_EXEC(rq->db, rq->a,
                "SELECT COUNT(*), COALESCE(SUM(status IN ('submitted', 'approved')), 0), "
                "COALESCE(SUM(status = 'approved'), 0), COALESCE(SUM(status = "
                "'returned'), 0), MIN(id), MAX(id) FROM submissions WHERE campaign_id = ? "
                "AND instrument_id = ? AND kindergarten_id = ? AND CASE WHEN ? = 'teacher' "
                "THEN target_user_id = ? WHEN ? = 'kindergarten' THEN target_unit_id = ? "
                "AND target_user_id = ? ELSE target_unit_id <> ? AND target_user_id = ? END",
                q, &b);
    if (s != DB_OK)
        return s;
    out->expected = strcmp(st->level, "group") == 0 ? groups : 1;
    out->in = db_cell_int(&b, 0, 1, 0);
    out->status = task_status(db_cell_int(&b, 0, 0, 0), out->in, db_cell_int(&b, 0, 2, 0),
                              db_cell_int(&b, 0, 3, 0), out->expected);
    if (db_cell_int(&b, 0, 0, 0) == 1)
        out->sheet = (uint64_t)db_cell_int(&b, 0, 4, 0);
    return DB_OK;
}

/* One task of the caller: stage st for unit (id, name, level). Appends to tasks unless the
 * unit does not take part. */
static db_status add_task(request *rq, const stage_row *st, const db_result *units, size_t u,
                          json_t *tasks)
{
    uint64_t unit = (uint64_t)db_cell_int(units, u, 0, 0);
    db_result a;
    db_val p[] = {DB_INT(st->id), DB_INT(unit)};
    db_status s = DB_EXEC(
        rq->db, rq->a,
        "SELECT k.level <> 'kindergarten' OR c.participation = 'all' OR EXISTS (SELECT 1 FROM "
        "campaign_participants p WHERE p.campaign_id = c.id AND p.kindergarten_id = k.id), "
        "k.path LIKE CONCAT(cu.path, '%'), DATE_FORMAT(d.due_on, '%Y-%m-%d'), (SELECT "
        "DATE_FORMAT(MAX(r.until_on), '%Y-%m-%d') FROM stage_reopenings r WHERE r.stage_id = "
        "st.id AND r.kindergarten_id = k.id AND r.until_on >= CURRENT_DATE), CURRENT_DATE "
        "BETWEEN st.opens_on AND st.closes_on, CASE WHEN st.target_level = 'group' THEN "
        "GREATEST(1, (SELECT COUNT(*) FROM org_units g WHERE g.parent_id = k.id AND g.level = "
        "'group' AND g.active = 1)) ELSE 1 END, CURRENT_DATE > LEAST(st.closes_on, "
        "COALESCE(d.due_on, st.closes_on)), DATE_FORMAT(LEAST(st.closes_on, COALESCE(d.due_on, "
        "st.closes_on)), '%Y-%m-%d') FROM org_units k JOIN campaign_stages st ON st.id = ? JOIN "
        "campaigns c ON c.id = st.campaign_id AND c.cancelled_at IS NULL JOIN org_units cu ON "
        "cu.id = c.org_unit_id LEFT "
        "JOIN stage_deadlines d ON d.stage_id = st.id AND d.municipality_id = IF(k.level = "
        "'municipality', k.id, k.parent_id) WHERE k.id = ?",
        p, &a);
    if (s != DB_OK || a.nrows == 0 || !db_cell_int(&a, 0, 0, 0) || !db_cell_int(&a, 0, 1, 0))
        return s;
    const char *level = db_cell(units, u, 2);
    progress pr = {"none", 0, 0, 0};
    if (st->instrument_id && strcmp(level, "kindergarten") == 0) {
        s = sheet_progress(rq, st, unit, db_cell_int(&a, 0, 5, 1), &pr);
        if (s != DB_OK)
            return s;
    }
    int late = st->instrument_id && db_cell_int(&a, 0, 6, 0) && !db_cell(&a, 0, 3) &&
               strcmp(pr.status, "submitted") != 0 && strcmp(pr.status, "approved") != 0 &&
               strcmp(pr.status, "none") != 0;
    int open = db_cell_int(&a, 0, 4, 0) || db_cell(&a, 0, 3);
    json_t *ins = st->instrument_id
                      ? json_pack("{s:I, s:s, s:s}", "id", (json_int_t)st->instrument_id, "code",
                                  st->code, "title", st->instrument_title)
                      : json_null();
    json_array_append_new(
        tasks,
        json_pack("{s:s, s:{s:I, s:s}, s:{s:I, s:s, s:s}, s:o, s:{s:I, s:s, s:s}, s:s, s:s, "
                  "s:s, s:s?, s:s, s:b, s:b, s:{s:I, s:I}, s:o, s:s?}",
                  "id",
                  arena_sprintf(rq->a, "stage-%llu-unit-%llu", (unsigned long long)st->id,
                                (unsigned long long)unit),
                  "campaign", "id", (json_int_t)st->campaign_id, "title", st->campaign, "stage",
                  "id", (json_int_t)st->id, "kind", st->kind, "title", st->title, "instrument", ins,
                  "unit", "id", (json_int_t)unit, "name", db_cell(units, u, 1), "level", level,
                  "opens_on", st->opens, "closes_on", db_cell(&a, 0, 7), "stage_closes_on",
                  st->closes, "municipal_deadline", db_cell(&a, 0, 2), "status", pr.status, "late",
                  late, "open", open, "progress", "done", (json_int_t)pr.in, "expected",
                  (json_int_t)pr.expected, "submission_id",
                  pr.sheet ? json_integer((json_int_t)pr.sheet) : json_null(), "reopened_until",
                  db_cell(&a, 0, 3)));
    return DB_OK;
}

#define STAGE_SELECT                                                                               \
    "SELECT st.id, c.id, COALESCE(st.instrument_id, 0), st.kind, st.title, i.code, i.title, "      \
    "st.target_level, DATE_FORMAT(st.opens_on, '%Y-%m-%d'), DATE_FORMAT(st.closes_on, "            \
    "'%Y-%m-%d'), c.title FROM campaign_stages st JOIN campaigns c ON c.id = st.campaign_id AND "  \
    "c.cancelled_at IS NULL "                                                                      \
    "JOIN org_units cu ON cu.id = c.org_unit_id LEFT JOIN instruments i ON i.id = "                \
    "st.instrument_id WHERE st.closes_on >= ? AND st.opens_on <= ? AND " CAMPAIGN_VISIBLE_SQL(     \
        "cu") " "

static stage_row stage_at(const db_result *r, size_t i)
{
    return (stage_row){(uint64_t)db_cell_int(r, i, 0, 0),
                       (uint64_t)db_cell_int(r, i, 1, 0),
                       (uint64_t)db_cell_int(r, i, 2, 0),
                       db_cell(r, i, 3),
                       db_cell(r, i, 4),
                       db_cell(r, i, 5),
                       db_cell(r, i, 6),
                       db_cell(r, i, 7),
                       db_cell(r, i, 8),
                       db_cell(r, i, 9),
                       db_cell(r, i, 10)};
}

/* The coordinator's view of one stage from the rows of scope_stage_units: kindergartens of
 * their scope taking part, done, late; due: their municipality's deadline or NULL. */
static void add_stage(const stage_row *st, const db_result *units, const char *due, json_t *stages)
{
    long long expected = 0, done = 0, late = 0;
    for (size_t i = 0; i < units->nrows; i++) {
        if ((uint64_t)db_cell_int(units, i, 8, 0) != st->id)
            continue;
        expected++;
        done += db_cell_int(units, i, 7, 0) >= db_cell_int(units, i, 6, 0);
        late += calendar_unit_late(units, i);
    }
    json_array_append_new(
        stages,
        json_pack("{s:{s:I, s:s}, s:{s:I, s:s, s:s}, s:s, s:s, s:s?, s:I, s:I, s:I}", "campaign",
                  "id", (json_int_t)st->campaign_id, "title", st->campaign, "stage", "id",
                  (json_int_t)st->id, "kind", st->kind, "title", st->title, "opens_on", st->opens,
                  "closes_on", st->closes, "municipal_deadline", due, "expected",
                  (json_int_t)expected, "done", (json_int_t)done, "late", (json_int_t)late));
}

db_status calendar_build(request *rq, const char *from, const char *to, json_t **tasks,
                         json_t **stages)
{
    *tasks = json_array();
    *stages = json_array();
    const char *my_role = role_name(rq->me->role);
    db_result st, units;
    db_val p[] = {DB_STR(from), DB_STR(to), DB_STR(rq->me->org_path), DB_INT(rq->me->user_id),
                  DB_STR(my_role)};
    db_status s = DB_EXEC(rq->db, rq->a,
                          STAGE_SELECT "AND FIND_IN_SET(?, st.respondents) ORDER BY st.closes_on, "
                                       "st.id",
                          p, &st);
    if (s == DB_OK && st.nrows)
        s = task_units(rq, &units);
    for (size_t i = 0; s == DB_OK && i < st.nrows; i++) {
        stage_row row = stage_at(&st, i);
        for (size_t u = 0; s == DB_OK && u < units.nrows; u++)
            s = add_task(rq, &row, &units, u, *tasks);
    }
    int coordinator = rq->me->role == ROLE_ADMINISTRATOR ||
                      rq->me->role == ROLE_REGION_COORDINATOR ||
                      rq->me->role == ROLE_MUNICIPAL_COORDINATOR;
    if (s == DB_OK && coordinator) {
        db_result all, rows = {0}, due = {0};
        db_val m[] = {DB_INT(rq->me->org_unit_id), DB_STR(from), DB_STR(to)};
        s = db_exec(rq->db, rq->a,
                    STAGE_SELECT "AND st.instrument_id IS NOT NULL ORDER BY st.closes_on, st.id", p,
                    4, &all);
        if (s == DB_OK && all.nrows)
            s = scope_stage_units(rq, from, to, &rows);
        if (s == DB_OK && all.nrows)
            s = DB_EXEC(rq->db, rq->a,
                        "SELECT d.stage_id, DATE_FORMAT(d.due_on, '%Y-%m-%d') FROM "
                        "stage_deadlines d JOIN campaign_stages st ON st.id = d.stage_id WHERE "
                        "d.municipality_id = ? AND st.closes_on >= ? AND st.opens_on <= ?",
                        m, &due);
        for (size_t i = 0; s == DB_OK && i < all.nrows; i++) {
            stage_row row = stage_at(&all, i);
            const char *mine = NULL;
            for (size_t j = 0; j < due.nrows; j++)
                if ((uint64_t)db_cell_int(&due, j, 0, 0) == row.id)
                    mine = db_cell(&due, j, 1);
            add_stage(&row, &rows, mine, *stages);
        }
    }
    if (s != DB_OK) {
        json_decref(*tasks);
        json_decref(*stages);
        *tasks = *stages = NULL;
    }
    return s;
}

/* GET /me/calendar?from=&to= */
int handle_me_calendar(request *rq, response *rs)
{
    const char *from = uri_param_get(&rq->args, "from");
    const char *to = uri_param_get(&rq->args, "to");
    if ((from && !stage_date_valid(from)) || (to && !stage_date_valid(to)) ||
        (from && to && strcmp(to, from) < 0)) {
        json_t *p = problem_of(PK_VALIDATION, "Проверьте период.");
        problem_add_error(p, from && !stage_date_valid(from) ? "from" : "to",
                          "даты ГГГГ-ММ-ДД, конец не раньше начала");
        return reply_problem_doc(rq, rs, p);
    }
    db_result r;
    db_val q[] = {DB_INT(rq->me->user_id)};
    db_status s = DB_EXEC(rq->db, rq->a,
                          "SELECT DATE_FORMAT(CURRENT_DATE, '%Y-%m-%d'), DATE_FORMAT(CURRENT_DATE "
                          "- INTERVAL 90 DAY, '%Y-%m-%d'), DATE_FORMAT(CURRENT_DATE + INTERVAL 365 "
                          "DAY, '%Y-%m-%d'), (SELECT DATE_FORMAT(created_at, "
                          "'%Y-%m-%dT%H:%i:%sZ') FROM calendar_feeds WHERE user_id = ?)",
                          q, &r);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    from = from ? from : db_cell(&r, 0, 1);
    to = to ? to : db_cell(&r, 0, 2);
    json_t *tasks, *stages;
    s = calendar_build(rq, from, to, &tasks, &stages);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    const char *feed = db_cell(&r, 0, 3);
    return respond_json(rq, rs, 200,
                        json_pack("{s:s, s:s, s:s, s:o, s:o, s:{s:b, s:o}}", "from", from, "to", to,
                                  "today", db_cell(&r, 0, 0), "tasks", tasks, "stages", stages,
                                  "feed", "active", feed != NULL, "created_at",
                                  feed ? json_string(feed) : json_null()));
}

/* GET /units/{id}/late?campaign=&stage= */
int handle_unit_late(request *rq, response *rs)
{
    uint64_t campaign = scope_parse_id(uri_param_get(&rq->args, "campaign"));
    uint64_t stage = scope_parse_id(uri_param_get(&rq->args, "stage"));
    if (!campaign || !stage) {
        json_t *p = problem_of(PK_VALIDATION, "Укажите кампанию и этап.");
        problem_add_error(p, campaign ? "stage" : "campaign", "id кампании и этапа");
        return reply_problem_doc(rq, rs, p);
    }
    scope_unit u;
    int found = 0;
    db_status s = scope_find_unit(rq, scope_parse_id(rq->params[0]), &u, &found);
    db_result st;
    if (s == DB_OK && found) {
        db_val p[] = {DB_INT(stage), DB_INT(campaign), DB_STR(rq->me->org_path),
                      DB_INT(rq->me->user_id)};
        s = DB_EXEC(rq->db, rq->a,
                    "SELECT st.id, st.kind, st.title, DATE_FORMAT(st.opens_on, '%Y-%m-%d'), "
                    "DATE_FORMAT(st.closes_on, '%Y-%m-%d') FROM campaign_stages st JOIN "
                    "campaigns c ON c.id = st.campaign_id AND c.cancelled_at IS NULL JOIN "
                    "org_units cu ON cu.id = "
                    "c.org_unit_id WHERE st.id = ? AND c.id = ? AND " CAMPAIGN_VISIBLE_SQL("cu"),
                    p, &st);
    }
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    if (!found || st.nrows == 0)
        return reply_problem(rq, rs, PK_NOT_FOUND,
                             found ? "Этап кампании не найден." : "Организация не найдена.");
    db_result r;
    s = calendar_stage_units(rq, stage, u.path, &r);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    json_t *items = json_array();
    long long done = 0;
    for (size_t i = 0; i < r.nrows; i++) {
        done += db_cell_int(&r, i, 7, 0) >= db_cell_int(&r, i, 6, 0);
        if (!calendar_unit_late(&r, i))
            continue;
        json_array_append_new(
            items, json_pack("{s:{s:I, s:s}, s:{s:I, s:s}, s:s, s:I, s:I}", "kindergarten", "id",
                             (json_int_t)db_cell_int(&r, i, 0, 0), "name", db_cell(&r, i, 1),
                             "municipality", "id", (json_int_t)db_cell_int(&r, i, 2, 0), "name",
                             db_cell(&r, i, 3), "deadline", db_cell(&r, i, 4), "expected",
                             (json_int_t)db_cell_int(&r, i, 6, 0), "done",
                             (json_int_t)db_cell_int(&r, i, 7, 0)));
    }
    return respond_json(rq, rs, 200,
                        json_pack("{s:{s:I, s:s}, s:I, s:{s:I, s:s, s:s, s:s, s:s}, s:I, s:I, s:o}",
                                  "unit", "id", (json_int_t)u.id, "name", u.name, "campaign_id",
                                  (json_int_t)campaign, "stage", "id",
                                  (json_int_t)db_cell_int(&st, 0, 0, 0), "kind", db_cell(&st, 0, 1),
                                  "title", db_cell(&st, 0, 2), "opens_on", db_cell(&st, 0, 3),
                                  "closes_on", db_cell(&st, 0, 4), "total", (json_int_t)r.nrows,
                                  "done", (json_int_t)done, "items", items));
}
