/* Sheets: start one for (campaign, instrument, target), list the caller's, read one with
 * its answers, scores and history. Saving and the review flow: submission_save.c,
 * submission_review.c. */
#include "forms/handlers.h"
#include "auth/principal.h"

#include "forms/answers.h"
#include "auth/audit.h"
#include "forms/instrument_store.h"
#include "auth/scope.h"
#include "campaigns/stage_window.h"
#include "forms/submission_reply.h"
#include "forms/submission_store.h"

#include <stdlib.h>
#include <string.h>

static int not_found(request *rq, response *rs)
{
    return reply_problem(rq, rs, PK_NOT_FOUND, "Анкета не найдена.");
}

static int invalid(request *rq, response *rs, const char *field, const char *message)
{
    return reply_field_error(rq, rs, message, field, message);
}

static uint64_t body_id(request *rq, const char *key)
{
    json_t *v = body_field(rq, key);
    return json_is_integer(v) && json_integer_value(v) > 0 ? (uint64_t)json_integer_value(v) : 0;
}

/* The campaign is visible to the caller and uses the instrument. */
static db_status check_campaign(request *rq, uint64_t campaign, uint64_t instrument_id, int *ok)
{
    db_result r;
    db_val p[] = {DB_INT(campaign), DB_INT(instrument_id), DB_STR(rq->me->org_path),
                  DB_INT(rq->me->user_id)};
    db_status s = DB_EXEC(rq->db, rq->a,
                          "SELECT c.id FROM campaigns c "
                          "JOIN org_units cu ON cu.id = c.org_unit_id JOIN campaign_instruments ci "
                          "ON ci.campaign_id = c.id WHERE c.id = ? AND ci.instrument_id = ? "
                          "AND " CAMPAIGN_VISIBLE_SQL("cu"),
                          p, &r);
    *ok = s == DB_OK && r.nrows == 1;
    return s;
}

/* The sheet already started for (campaign, instrument, target). */
static int respond_existing(request *rq, response *rs, uint64_t campaign, uint64_t instrument_id,
                            uint64_t unit, uint64_t target_user)
{
    db_result r;
    db_val q[] = {DB_INT(campaign), DB_INT(instrument_id), DB_INT(unit), DB_INT(target_user)};
    db_status s = DB_EXEC(rq->db, rq->a,
                          "SELECT id FROM submissions WHERE campaign_id = ? AND instrument_id = ? "
                          "AND target_unit_id = ? AND target_user_id = ?",
                          q, &r);
    if (s != DB_OK || r.nrows != 1)
        return reply_db_error(rq, rs, s == DB_OK ? DB_DUPLICATE : s);
    return submission_respond(rq, rs, (uint64_t)db_cell_int(&r, 0, 0, 0), 200);
}

/* The sheet's target from target_id (0: none given): a personal sheet (target "teacher") is
 * about the caller in their own kindergarten; otherwise a kindergarten or group in the
 * caller's scope that the instrument is filled for. Fills rs and returns -1 when there is
 * none. */
static int sheet_target(request *rq, response *rs, const instrument *ins, uint64_t target_id,
                        scope_unit *t, uint64_t *target_user, uint64_t *kindergarten)
{
    *target_user = 0;
    *kindergarten = 0;
    if (instrument_has_target(ins, "teacher") && !target_id) {
        target_id = rq->me->org_unit_id;
        *target_user = rq->me->user_id;
    }
    if (!target_id) {
        invalid(rq, rs, "target_unit_id", "укажите детский сад или группу, для которой анкета");
        return -1;
    }
    int found = 0;
    db_status s = scope_find_unit(rq, target_id, t, &found);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s), -1;
    if (!found)
        return reply_problem(rq, rs, PK_NOT_FOUND, "Организация не найдена."), -1;
    if (t->level == LEVEL_KINDERGARTEN &&
        (instrument_has_target(ins, "kindergarten") || *target_user))
        *kindergarten = t->id;
    else if (t->level == LEVEL_GROUP && instrument_has_target(ins, "group"))
        *kindergarten = t->parent_id;
    else if ((t->level == LEVEL_MUNICIPALITY && instrument_has_target(ins, "municipality")) ||
             (t->level == LEVEL_REGION && instrument_has_target(ins, "region")))
        *kindergarten = t->id; /* a founder's or the region's own sheet: about the unit itself */
    if (!*kindergarten) {
        invalid(rq, rs, "target_unit_id", "этот инструмент заполняется для другого уровня");
        return -1;
    }
    if (rq->me->role == ROLE_TEACHER && !*target_user && t->level != LEVEL_GROUP) {
        /* A teacher reads only their own and their groups' sheets: the kindergarten's
         * self-assessment is the coordinator's. */
        invalid(rq, rs, "target_unit_id", "педагог заполняет эту анкету для своей группы");
        return -1;
    }
    return 0;
}

int handle_submission_create(request *rq, response *rs)
{
    uint64_t campaign = body_id(rq, "campaign_id"), instrument_id = body_id(rq, "instrument_id");
    uint64_t target_id = body_id(rq, "target_unit_id");
    if (!campaign || !instrument_id)
        return invalid(rq, rs, campaign ? "instrument_id" : "campaign_id",
                       "укажите кампанию и инструмент");
    int ok = 0, found = 0;
    db_status s = check_campaign(rq, campaign, instrument_id, &ok);
    stored_instrument si;
    if (s == DB_OK && ok)
        s = instrument_store_get(rq->instruments, rq->db, rq->a, instrument_id, &si, &found);
    if (reply_lookup(rq, rs, s, ok && found,
                     "Кампания не найдена или не использует этот инструмент.") != 0)
        return rs->status;
    const char *my_role = role_name(rq->me->role);
    if (!instrument_has_respondent(si.ins, my_role))
        return reply_problem(rq, rs, PK_FORBIDDEN, "Этот инструмент заполняют другие участники.");
    uint64_t target_user, kindergarten;
    scope_unit t;
    if (sheet_target(rq, rs, si.ins, target_id, &t, &target_user, &kindergarten) != 0)
        return rs->status;
    if (rq->me->role == ROLE_EXPERT)
        target_user = rq->me->user_id; /* an expert's assessment is their own sheet */
    stage_window w;
    s = stage_window_for_sheet(rq, campaign, instrument_id, my_role, kindergarten, &w);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    if (!w.open) {
        stage_window_refuse(rq, rs, &w);
        return rs->status;
    }
    /* An empty sheet's progress: how many required items it has. */
    form_errors errs;
    form_errors_init(&errs, rq->a, 1);
    answer_set empty;
    answers_progress prog = {0, 0, 0};
    json_t *none = arena_json(rq->a, json_object());
    if (answers_check(rq->a, si.ins, none, ANSWERS_DRAFT, &empty, &errs) == 0)
        answers_count(&empty, &prog);
    uint64_t id = 0;
    db_val p[] = {DB_INT(campaign),        DB_INT(instrument_id), DB_INT(t.id),
                  DB_INT(target_user),     DB_INT(kindergarten),  DB_STR(my_role),
                  DB_INT(rq->me->user_id), DB_INT(prog.required)};
    s = db_begin(rq->db);
    if (s == DB_OK)
        s = DB_INSERT(rq->db, rq->a,
                      "INSERT INTO submissions (campaign_id, instrument_id, target_unit_id, "
                      "target_user_id, kindergarten_id, respondent_role, created_by, answers, "
                      "required_count) VALUES (?, ?, ?, ?, ?, ?, ?, '{}', ?)",
                      p, &id);
    if (s == DB_OK)
        s = submission_event(rq, id, NULL, "draft", NULL, NULL);
    if (s == DB_OK)
        s = audit_write(rq, "submission.create", "submission", id, kindergarten, NULL);
    s = db_end(rq->db, s);
    if (s == DB_DUPLICATE) /* started before: answer with the existing sheet */
        return respond_existing(rq, rs, campaign, instrument_id, t.id, target_user);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    return submission_respond(rq, rs, id, 201);
}

/* One row of the list's SELECT: the sheet as the list shows it. */
static json_t *listed_sheet_json(const db_result *r, size_t i)
{
    const char *score = db_cell(r, i, 15);
    return json_pack("{s:I, s:I, s:{s:I, s:s, s:s}, s:{s:I, s:s, s:s}, s:{s:I, s:s}, s:s, "
                     "s:I, s:{s:I, s:I, s:I}, s:o, s:s, s:s}",
                     "id", (json_int_t)db_cell_int(r, i, 0, 0), "campaign_id",
                     (json_int_t)db_cell_int(r, i, 1, 0), "instrument", "id",
                     (json_int_t)db_cell_int(r, i, 2, 0), "code", db_cell(r, i, 3), "title",
                     db_cell(r, i, 4), "target", "id", (json_int_t)db_cell_int(r, i, 5, 0), "name",
                     db_cell(r, i, 6), "level", db_cell(r, i, 7), "kindergarten", "id",
                     (json_int_t)db_cell_int(r, i, 8, 0), "name", db_cell(r, i, 9), "status",
                     db_cell(r, i, 10), "version", (json_int_t)db_cell_int(r, i, 11, 0), "progress",
                     "answered", (json_int_t)db_cell_int(r, i, 12, 0), "required",
                     (json_int_t)db_cell_int(r, i, 13, 0), "required_answered",
                     (json_int_t)db_cell_int(r, i, 14, 0), "overall_score",
                     score ? json_real(strtod(score, NULL)) : json_null(), "updated_at",
                     db_cell(r, i, 16), "respondent_role", db_cell(r, i, 17));
}

int handle_submissions_list(request *rq, response *rs)
{
    const char *campaign = uri_param_get(&rq->args, "campaign_id");
    const char *status = uri_param_get(&rq->args, "status");
    const char *mine = uri_param_get(&rq->args, "mine");
    int only_mine = mine && strcmp(mine, "1") == 0;
    if ((campaign && *campaign && !scope_parse_id(campaign)) ||
        (status && *status && strcmp(status, "draft") && strcmp(status, "submitted") &&
         strcmp(status, "returned") && strcmp(status, "approved")))
        return invalid(rq, rs, campaign && !scope_parse_id(campaign) ? "campaign_id" : "status",
                       "недопустимое значение фильтра");
    const char *my_role = role_name(rq->me->role);
    db_val p[] = {DB_INT(rq->me->user_id),
                  DB_STR(my_role),
                  DB_INT(rq->me->user_id),
                  DB_STR(my_role),
                  DB_STR(my_role),
                  campaign && *campaign ? DB_INT(scope_parse_id(campaign)) : DB_NULL,
                  campaign && *campaign ? DB_INT(scope_parse_id(campaign)) : DB_NULL,
                  status && *status ? DB_STR(status) : DB_NULL,
                  status && *status ? DB_STR(status) : DB_NULL,
                  DB_INT(only_mine),
                  DB_INT(rq->me->user_id)};
    db_result r;
    db_status s = DB_EXEC(
        rq->db, rq->a,
        "SELECT s.id, s.campaign_id, i.id, i.code, i.title, tu.id, tu.name, tu.level, k.id, "
        "k.name, s.status, s.version, s.answered_count, s.required_count, s.required_answered, "
        "s.overall_score, DATE_FORMAT(s.updated_at, '%Y-%m-%dT%H:%i:%sZ'), s.respondent_role "
        "FROM submissions s JOIN instruments i ON i.id = s.instrument_id "
        "JOIN org_units k ON k.id = s.kindergarten_id JOIN org_units tu ON tu.id = "
        "s.target_unit_id WHERE " SCOPE_SQL(
            "k") " AND (? NOT IN ('teacher', 'expert') OR s.target_user_id = ? "
                 "OR (? = 'teacher' AND tu.level = 'group' AND s.target_user_id = 0) "
                 "OR (? = 'expert' AND s.target_user_id = 0 AND s.respondent_role = "
                 "'doo_coordinator')) "
                 "AND (? IS NULL OR s.campaign_id = ?) AND (? IS NULL OR s.status = ?) "
                 "AND (? = 0 OR s.created_by = ?) ORDER BY s.updated_at DESC, s.id DESC LIMIT 500",
        p, &r);
    return respond_rows(rq, rs, s, &r, listed_sheet_json);
}

/* One event of a sheet's history (history_json's rows). */
static json_t *history_event_json(const db_result *r, size_t i)
{
    const char *ic = db_cell(r, i, 7);
    json_t *comments = ic ? json_loads(ic, 0, NULL) : NULL;
    return json_pack("{s:s, s:{s:I, s:s, s:s}, s:s?, s:s, s:s?, s:o}", "at", db_cell(r, i, 0),
                     "actor", "id", (json_int_t)db_cell_int(r, i, 1, 0), "full_name",
                     db_cell(r, i, 2), "role", db_cell(r, i, 3), "from", db_cell(r, i, 4), "to",
                     db_cell(r, i, 5), "comment", db_cell(r, i, 6), "indicator_comments",
                     comments ? comments : json_object());
}

static db_status history_json(request *rq, uint64_t id, json_t **out)
{
    db_val p[] = {DB_INT(id)};
    return SELECT_JSON(rq,
                       "SELECT DATE_FORMAT(e.at, '%Y-%m-%dT%H:%i:%sZ'), u.id, u.full_name, "
                       "u.role, e.from_status, e.to_status, e.comment, e.indicator_comments "
                       "FROM submission_events e JOIN users u ON u.id = e.actor_id "
                       "WHERE e.submission_id = ? ORDER BY e.id",
                       p, history_event_json, out);
}

/* The state kept by the last return (answers and linked files), or JSON null. */
static db_status since_return_json(request *rq, uint64_t id, json_t **out)
{
    db_result r;
    db_val p[] = {DB_INT(id)};
    db_status s = DB_EXEC(rq->db, rq->a,
                          "SELECT DATE_FORMAT(at, '%Y-%m-%dT%H:%i:%sZ'), answers_snapshot, "
                          "evidence_snapshot FROM submission_events WHERE submission_id = ? "
                          "AND to_status = 'returned' AND answers_snapshot IS NOT NULL "
                          "ORDER BY id DESC LIMIT 1",
                          p, &r);
    if (s != DB_OK)
        return s;
    if (r.nrows == 0) {
        *out = json_null();
        return DB_OK;
    }
    json_t *answers = json_loads(db_cell(&r, 0, 1), 0, NULL);
    const char *ev = db_cell(&r, 0, 2);
    json_t *files = ev ? json_loads(ev, 0, NULL) : NULL;
    *out = json_pack("{s:s, s:o, s:o}", "at", db_cell(&r, 0, 0), "answers",
                     json_is_object(answers) ? answers : json_object(), "evidence",
                     json_is_array(files) ? files : json_array());
    if (!json_is_object(answers))
        json_decref(answers);
    if (!json_is_array(files))
        json_decref(files);
    return *out ? DB_OK : DB_ERROR;
}

/* ?with=instrument: the sheet's instrument version rides along as included.instrument, so a
 * device that does not keep it yet opens the sheet in one round trip. */
static db_status include_asked(request *rq, json_t *doc, uint64_t instrument_id)
{
    const char *with = uri_param_get(&rq->args, "with");
    if (!with || strcmp(with, "instrument") != 0)
        return DB_OK;
    json_t *ins = NULL;
    db_status s = instrument_document(rq, instrument_id, &ins);
    if (s == DB_OK && ins)
        json_object_set_new(doc, "included", json_pack("{s:o}", "instrument", ins));
    return s;
}

int submission_respond(request *rq, response *rs, uint64_t id, int status)
{
    submission_row sub;
    int found;
    db_status s = submission_find(rq, id, 0, &sub, &found);
    if (s != DB_OK || !found)
        return s != DB_OK ? reply_db_error(rq, rs, s) : not_found(rq, rs);
    db_result r;
    db_val p[] = {DB_INT(sub.id)};
    s = DB_EXEC(rq->db, rq->a,
                "SELECT c.id, c.title, c.year, i.id, i.code, i.version, i.title, i.scoring_rule, "
                "tu.id, tu.name, tu.level, k.id, k.name, tgt.id, tgt.full_name, s.scores, "
                "s.overall_score, s.answered_count, s.required_count, s.required_answered, "
                "DATE_FORMAT(s.updated_at, '%Y-%m-%dT%H:%i:%sZ'), "
                "DATE_FORMAT(s.submitted_at, '%Y-%m-%dT%H:%i:%sZ') "
                "FROM submissions s JOIN campaigns c ON c.id = s.campaign_id "
                "JOIN instruments i ON i.id = s.instrument_id JOIN org_units tu ON tu.id = "
                "s.target_unit_id JOIN org_units k ON k.id = s.kindergarten_id "
                "LEFT JOIN users tgt ON tgt.id = s.target_user_id WHERE s.id = ?",
                p, &r);
    json_t *history = NULL, *since = NULL;
    if (s == DB_OK && r.nrows == 1)
        s = history_json(rq, sub.id, &history);
    if (s == DB_OK && r.nrows == 1)
        s = since_return_json(rq, sub.id, &since);
    if (s != DB_OK || r.nrows != 1) {
        json_decref(history);
        return reply_db_error(rq, rs, s == DB_OK ? DB_ERROR : s);
    }
    const char *scores = db_cell(&r, 0, 15), *overall = db_cell(&r, 0, 16);
    json_t *doc = json_pack(
        "{s:I, s:{s:I, s:s, s:I, s:b}, s:{s:I, s:s, s:I, s:s, s:s}, s:{s:{s:I, s:s, s:s}, s:o}, "
        "s:{s:I, s:s}, s:s, s:s, s:I, s:o, s:{s:I, s:I, s:I}, s:o, s:o, s:b, s:b, s:o, s:s, "
        "s:s?}",
        "id", (json_int_t)sub.id, "campaign", "id", (json_int_t)db_cell_int(&r, 0, 0, 0), "title",
        db_cell(&r, 0, 1), "year", (json_int_t)db_cell_int(&r, 0, 2, 0), "open", sub.campaign_open,
        "instrument", "id", (json_int_t)db_cell_int(&r, 0, 3, 0), "code", db_cell(&r, 0, 4),
        "version", (json_int_t)db_cell_int(&r, 0, 5, 0), "title", db_cell(&r, 0, 6), "scoring",
        db_cell(&r, 0, 7), "target", "unit", "id", (json_int_t)db_cell_int(&r, 0, 8, 0), "name",
        db_cell(&r, 0, 9), "level", db_cell(&r, 0, 10), "user",
        db_cell(&r, 0, 13) ? json_pack("{s:I, s:s}", "id", (json_int_t)db_cell_int(&r, 0, 13, 0),
                                       "full_name", db_cell(&r, 0, 14))
                           : json_null(),
        "kindergarten", "id", (json_int_t)db_cell_int(&r, 0, 11, 0), "name", db_cell(&r, 0, 12),
        "respondent_role", sub.respondent_role, "status", sub.status, "version",
        (json_int_t)sub.version, "answers", json_loads(sub.answers, 0, NULL), "progress",
        "answered", (json_int_t)db_cell_int(&r, 0, 17, 0), "required",
        (json_int_t)db_cell_int(&r, 0, 18, 0), "required_answered",
        (json_int_t)db_cell_int(&r, 0, 19, 0), "scores",
        scores ? json_loads(scores, 0, NULL) : json_null(), "overall_score",
        overall ? json_real(strtod(overall, NULL)) : json_null(), "can_edit",
        submission_can_edit(rq, &sub) && sub.campaign_open, "can_review",
        submission_can_review(rq, &sub), "history", history, "updated_at", db_cell(&r, 0, 20),
        "submitted_at", db_cell(&r, 0, 21));
    const stage_window *w = &sub.window;
    json_object_set_new(
        doc, "window",
        json_pack("{s:o, s:s, s:s, s:s?, s:b, s:b}", "stage",
                  w->stage_id ? json_pack("{s:I, s:s, s:s}", "id", (json_int_t)w->stage_id, "kind",
                                          w->stage_kind, "title", w->stage_title)
                              : json_null(),
                  "opens_on", w->opens_on, "closes_on", w->closes_on, "reopened_until",
                  w->reopened_until, "in_sample", w->in_sample, "open", w->open));
    json_object_set_new(doc, "since_return", since);
    s = include_asked(rq, doc, (uint64_t)db_cell_int(&r, 0, 3, 0));
    if (s != DB_OK) {
        json_decref(doc);
        return reply_db_error(rq, rs, s);
    }
    return respond_json(rq, rs, status, doc);
}

int handle_submission_get(request *rq, response *rs)
{
    return submission_respond(rq, rs, scope_parse_id(rq->params[0]), 200);
}
