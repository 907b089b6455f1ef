/* The plan-schedule of a campaign: the template of the yearly stages, editing a stage, a
 * municipality's internal deadline, reopening a stage for one kindergarten.
 * docs/api-campaigns.md. */
#include "campaigns/handlers.h"
#include "auth/principal.h"

#include "auth/audit.h"
#include "campaigns/campaign_stages.h"
#include "auth/scope.h"
#include "campaigns/stage_kinds.h"
#include "campaigns/stage_window.h"

#include <stdlib.h>
#include <string.h>

static int invalid(request *rq, response *rs, const char *field, const char *message)
{
    json_t *p = problem_of(PK_VALIDATION, message);
    problem_add_error(p, field, message);
    return reply_problem_doc(rq, rs, p);
}

int handle_campaign_template(request *rq, response *rs)
{
    const char *y = uri_param_get(&rq->args, "year");
    long year = y ? strtol(y, NULL, 10) : 0;
    if (!y || strlen(y) != 4 || year < 2000 || year > 2100)
        return invalid(rq, rs, "year", "год кампании: ГГГГ от 2000 до 2100");
    json_t *stages = json_array();
    for (size_t i = 0; i < STAGE_KINDS_COUNT; i++) {
        const stage_kind_def *d = &STAGE_KINDS[i];
        json_t *ins = json_null();
        if (d->instrument_code) {
            db_result r;
            db_val p[] = {DB_STR(d->instrument_code)};
            db_status s = DB_EXEC(rq->db, rq->a,
                                  "SELECT id, code, version, title FROM instruments WHERE code = "
                                  "? AND status = 'published' ORDER BY version DESC LIMIT 1",
                                  p, &r);
            if (s != DB_OK) {
                json_decref(stages);
                return reply_db_error(rq, rs, s);
            }
            if (r.nrows == 1)
                ins = json_pack("{s:I, s:s, s:I, s:s}", "id", (json_int_t)db_cell_int(&r, 0, 0, 0),
                                "code", db_cell(&r, 0, 1), "version",
                                (json_int_t)db_cell_int(&r, 0, 2, 0), "title", db_cell(&r, 0, 3));
        }
        json_array_append_new(
            stages,
            json_pack(
                "{s:s, s:s, s:o, s:o, s:s, s:s, s:s}", "kind", d->kind, "title", d->title,
                "instrument", ins, "respondents", stage_respondents_json(d->respondents),
                "target_level", d->target_level, "opens_on",
                arena_sprintf(rq->a, "%04ld-%02d-%02d", year, d->opens_month, d->opens_day),
                "closes_on",
                arena_sprintf(rq->a, "%04ld-%02d-%02d", year, d->closes_month, d->closes_day)));
    }
    return respond_json(rq, rs, 200,
                        json_pack("{s:I, s:o, s:{s:s}}", "year", (json_int_t)year, "stages", stages,
                                  "participation", "mode", "all"));
}

/* The stage {stage_id} of the campaign, among specs. */
static stage_spec *stage_of(request *rq, stage_spec *specs, size_t n)
{
    uint64_t id = scope_parse_id(rq->params[1]);
    for (size_t i = 0; id && i < n; i++)
        if (specs[i].id == id)
            return &specs[i];
    return NULL;
}

/* The campaign {id} of the path, its stages, and the stage {stage_id} among them. */
typedef struct {
    campaign_ref c;
    stage_spec *specs;
    size_t n;
    stage_spec *st;
} stage_path;

static int load_stage(request *rq, response *rs, int must_run, stage_path *at)
{
    if (campaign_find_or_respond(rq, rs, must_run, &at->c) != 0)
        return -1;
    db_status s = campaign_stage_specs(rq, at->c.id, &at->specs, &at->n);
    if (s != DB_OK) {
        reply_db_error(rq, rs, s);
        return -1;
    }
    at->st = stage_of(rq, at->specs, at->n);
    if (!at->st) {
        reply_problem(rq, rs, PK_NOT_FOUND, "Этап не найден.");
        return -1;
    }
    return 0;
}

int handle_stage_update(request *rq, response *rs)
{
    stage_path at;
    if (load_stage(rq, rs, 1, &at) != 0)
        return rs->status;
    json_t *p = problem_of(PK_VALIDATION, "Проверьте поля этапа.");
    stage_spec before = *at.st, after;
    if (json_object_get(rq->json, "kind"))
        problem_add_error(p, "kind", "вид этапа не меняется");
    if (json_object_get(rq->json, "kind") ||
        stage_spec_read(rq, rq->json, "stage", at.st, &after, p) != 0)
        return reply_problem_doc(rq, rs, p);
    *at.st = after;
    const char **fields = arena_alloc(rq->a, at.n * sizeof *fields);
    for (size_t i = 0; fields && i < at.n; i++)
        fields[i] = &at.specs[i] == at.st ? "stage" : arena_sprintf(rq->a, "stages[%zu]", i);
    int bad = 0;
    db_status s = fields ? stage_specs_check(rq, at.specs, at.n, fields, p, &bad) : DB_ERROR;
    if (s == DB_OK && bad)
        return reply_problem_doc(rq, rs, p);
    json_decref(p);
    if (s == DB_OK)
        s = db_begin(rq->db);
    if (s == DB_OK) {
        db_val v[] = {
            DB_STR(after.title),       after.instrument_id ? DB_INT(after.instrument_id) : DB_NULL,
            DB_STR(after.respondents), DB_STR(after.target_level),
            DB_STR(after.opens_on),    DB_STR(after.closes_on),
            DB_INT(after.id)};
        s = DB_EXEC(rq->db, rq->a,
                    "UPDATE campaign_stages SET title = ?, instrument_id = ?, respondents = ?, "
                    "target_level = ?, opens_on = ?, closes_on = ? WHERE id = ?",
                    v, NULL);
    }
    if (s == DB_OK && after.instrument_id) {
        db_val v[] = {DB_INT(at.c.id), DB_INT(after.instrument_id)};
        s = DB_EXEC(rq->db, rq->a,
                    "INSERT IGNORE INTO campaign_instruments (campaign_id, instrument_id) "
                    "VALUES (?, ?)",
                    v, NULL);
    }
    if (s == DB_OK) {
        /* Municipal deadlines stay inside the window. */
        db_val v[] = {DB_STR(after.opens_on), DB_STR(after.closes_on), DB_INT(after.id)};
        s = DB_EXEC(rq->db, rq->a,
                    "UPDATE stage_deadlines SET due_on = LEAST(GREATEST(due_on, ?), ?) WHERE "
                    "stage_id = ?",
                    v, NULL);
    }
    if (s == DB_OK)
        s = campaign_window_from_stages(rq, at.c.id);
    if (s == DB_OK) {
        json_t *changes = json_object();
        audit_diff_str(changes, "title", before.title, after.title);
        audit_diff_str(changes, "respondents", before.respondents, after.respondents);
        audit_diff_str(changes, "target_level", before.target_level, after.target_level);
        audit_diff_str(changes, "opens_on", before.opens_on, after.opens_on);
        audit_diff_str(changes, "closes_on", before.closes_on, after.closes_on);
        if (before.instrument_id != after.instrument_id)
            json_object_set_new(
                changes, "instrument_id",
                json_pack("[o,o]",
                          before.instrument_id ? json_integer((json_int_t)before.instrument_id)
                                               : json_null(),
                          after.instrument_id ? json_integer((json_int_t)after.instrument_id)
                                              : json_null()));
        s = audit_write(rq, "stage.update", "campaign_stage", after.id, at.c.org_unit_id, changes);
    }
    if (reply_tx_end(rq, rs, s, NULL) != 0)
        return rs->status;
    return campaign_respond(rq, rs, 200, at.c.id);
}

/* PUT /campaigns/{id}/stages/{stage_id}/deadline: the caller's municipality's internal
 * deadline ({due_on} inside the stage window, or null to remove it). */
int handle_stage_deadline_put(request *rq, response *rs)
{
    stage_path at;
    if (load_stage(rq, rs, 0, &at) != 0)
        return rs->status;
    json_t *m = json_object_get(rq->json, "municipality_id");
    if (m && !(json_is_integer(m) && (uint64_t)json_integer_value(m) == rq->me->org_unit_id))
        return reply_problem(rq, rs, PK_FORBIDDEN,
                             "Срок муниципалитета устанавливает его муниципальный координатор.");
    json_t *due = json_object_get(rq->json, "due_on");
    const char *d = json_string_value(due);
    if (!json_is_null(due) && !stage_date_valid(d))
        return invalid(rq, rs, "due_on", "срок в виде ГГГГ-ММ-ДД или null");
    if (d && (strcmp(d, at.st->opens_on) < 0 || strcmp(d, at.st->closes_on) > 0))
        return invalid(rq, rs, "due_on",
                       arena_sprintf(rq->a, "срок муниципалитета — внутри сроков этапа: с %s по %s",
                                     stage_date_ru(rq->a, at.st->opens_on),
                                     stage_date_ru(rq->a, at.st->closes_on)));
    db_status s = db_begin(rq->db);
    db_val k[] = {DB_INT(at.st->id), DB_INT(rq->me->org_unit_id)};
    if (s == DB_OK && d) {
        db_val v[] = {DB_INT(at.st->id), DB_INT(rq->me->org_unit_id), DB_STR(d),
                      DB_INT(rq->me->user_id)};
        s = DB_EXEC(rq->db, rq->a,
                    "INSERT INTO stage_deadlines (stage_id, municipality_id, due_on, set_by) "
                    "VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE due_on = VALUES(due_on), "
                    "set_by = VALUES(set_by)",
                    v, NULL);
    } else if (s == DB_OK) {
        s = DB_EXEC(rq->db, rq->a,
                    "DELETE FROM stage_deadlines WHERE stage_id = ? AND municipality_id = ?", k,
                    NULL);
    }
    if (s == DB_OK)
        s = audit_write(rq, "stage.deadline", "campaign_stage", at.st->id, rq->me->org_unit_id,
                        json_pack("{s:[n,o]}", "due_on", d ? json_string(d) : json_null()));
    if (reply_tx_end(rq, rs, s, NULL) != 0)
        return rs->status;
    return respond_json(rq, rs, 200,
                        json_pack("{s:I, s:{s:I, s:s}, s:o, s:s, s:s}", "stage_id",
                                  (json_int_t)at.st->id, "municipality", "id",
                                  (json_int_t)rq->me->org_unit_id, "name", rq->me->org_name,
                                  "due_on", d ? json_string(d) : json_null(), "opens_on",
                                  at.st->opens_on, "closes_on", at.st->closes_on));
}

static int is_blank(const char *s)
{
    for (; s && *s; s++)
        if (!strchr(" \t\r\n", *s))
            return 0;
    return 1;
}

/* POST /campaigns/{id}/stages/{stage_id}/reopen: {kindergarten_id, until, reason}. */
int handle_stage_reopen(request *rq, response *rs)
{
    stage_path at;
    if (load_stage(rq, rs, 0, &at) != 0)
        return rs->status;
    json_t *kg = json_object_get(rq->json, "kindergarten_id");
    const char *until = json_string_value(json_object_get(rq->json, "until"));
    json_t *reason_j = json_object_get(rq->json, "reason");
    const char *reason = json_string_value(reason_j);
    json_t *p = problem_of(PK_VALIDATION, "Проверьте поля.");
    int bad = 0;
    if (!json_is_integer(kg) || json_integer_value(kg) <= 0)
        bad = 1, problem_add_error(p, "kindergarten_id", "id детского сада");
    if (!stage_date_valid(until))
        bad = 1, problem_add_error(p, "until", "дата в виде ГГГГ-ММ-ДД");
    if (is_blank(reason) || json_string_length(reason_j) > 1000)
        bad = 1, problem_add_error(p, "reason", "причина: от 1 до 1000 символов");
    if (bad)
        return reply_problem_doc(rq, rs, p);
    scope_unit u;
    int found = 0;
    db_status s = scope_find_unit(rq, (uint64_t)json_integer_value(kg), &u, &found);
    if (s != DB_OK) {
        json_decref(p);
        return reply_db_error(rq, rs, s);
    }
    if (!found || u.level != LEVEL_KINDERGARTEN ||
        strncmp(u.path, at.c.unit_path, strlen(at.c.unit_path)) != 0) {
        problem_add_error(p, "kindergarten_id",
                          "детский сад кампании в вашей зоне ответственности");
        return reply_problem_doc(rq, rs, p);
    }
    db_result r;
    db_val q[] = {DB_STR(until)};
    s = DB_EXEC(rq->db, rq->a, "SELECT ? >= CURRENT_DATE", q, &r);
    if (s == DB_OK && !db_cell_int(&r, 0, 0, 0)) {
        problem_add_error(p, "until", "дата не раньше сегодняшней");
        return reply_problem_doc(rq, rs, p);
    }
    json_decref(p);
    if (s == DB_OK)
        s = db_begin(rq->db);
    db_result ins;
    if (s == DB_OK) {
        db_val v[] = {DB_INT(at.st->id), DB_INT(u.id), DB_STR(until), DB_STR(reason),
                      DB_INT(rq->me->user_id)};
        s = DB_EXEC(rq->db, rq->a,
                    "INSERT INTO stage_reopenings (stage_id, kindergarten_id, until_on, reason, "
                    "created_by) VALUES (?, ?, ?, ?, ?)",
                    v, &ins);
    }
    if (s == DB_OK)
        s = audit_write(rq, "stage.reopen", "campaign_stage", at.st->id, u.id,
                        json_pack("{s:[n,s], s:[n,s]}", "until", until, "reason", reason));
    if (reply_tx_end(rq, rs, s, NULL) != 0)
        return rs->status;
    return respond_json(rq, rs, 201,
                        json_pack("{s:I, s:I, s:{s:I, s:s}, s:s, s:s}", "id",
                                  (json_int_t)ins.insert_id, "stage_id", (json_int_t)at.st->id,
                                  "kindergarten", "id", (json_int_t)u.id, "name", u.name, "until",
                                  until, "reason", reason));
}
