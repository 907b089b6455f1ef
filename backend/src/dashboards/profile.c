/* GET /api/v1/units/{id}/profile: a kindergarten's quality profile for a campaign — area
 * scores and indicator levels of its self-assessment and of the experts' assessments side
 * by side, and the means of the kindergartens of its municipality. */
#include "dashboards/handlers.h"
#include "org/route_rows.h"

#include "dashboards/dashboard_data.h"
#include "forms/instrument_store.h"
#include "auth/scope.h"
#include "org/unit_store.h"

#include <stdlib.h>
#include <string.h>

/* Adds {kind: {code: value}} maps of one sheet's scores. */
static void add_score(json_t *sheet, const char *kind, const char *code, const char *level,
                      const char *score)
{
    const char *key = strcmp(kind, "indicator") == 0 ? "indicators"
                      : strcmp(kind, "section") == 0 ? "sections"
                                                     : NULL;
    if (!key) {
        json_object_set_new(sheet, "overall", score ? json_real(strtod(score, NULL)) : json_null());
        return;
    }
    json_t *map = json_object_get(sheet, key);
    json_t *v = json_pack("{s:o, s:o}", "level", level ? json_integer(atoi(level)) : json_null(),
                          "score", score ? json_real(strtod(score, NULL)) : json_null());
    json_object_set_new(map, code, v);
}

/* The sheets (self-assessment and experts') of the kindergarten with their scores. */
static db_status sheets_json(request *rq, uint64_t campaign, uint64_t unit, const char *code,
                             json_t **self, json_t **experts, uint64_t *instrument_id)
{
    db_result r;
    db_val p[] = {DB_INT(campaign), DB_INT(unit), DB_STR(code)};
    db_status s = DB_EXEC(
        rq->db, rq->a,
        "SELECT s.id, s.status, s.respondent_role, u.id, u.full_name, sc.kind, sc.code, "
        "sc.level, sc.score, s.instrument_id FROM submissions s JOIN instruments i ON i.id = "
        "s.instrument_id LEFT JOIN users u ON u.id = s.target_user_id JOIN submission_scores "
        "sc ON sc.submission_id = s.id WHERE s.campaign_id = ? AND s.target_unit_id = ? AND "
        "i.code = ? AND s.status IN ('submitted', 'approved') AND s.respondent_role IN "
        "('doo_coordinator', 'expert') ORDER BY s.id",
        p, &r);
    if (s != DB_OK)
        return s;
    *self = json_null();
    *experts = json_array();
    json_t *cur = NULL;
    long long cur_id = 0;
    for (size_t i = 0; i < r.nrows; i++) {
        long long id = db_cell_int(&r, i, 0, 0);
        if (id != cur_id) {
            cur_id = id;
            int expert = strcmp(db_cell(&r, i, 2), "expert") == 0;
            cur = json_pack("{s:I, s:s, s:o, s:{}, s:{}, s:n}", "submission_id", (json_int_t)id,
                            "status", db_cell(&r, i, 1), "expert",
                            expert ? json_pack("{s:I, s:s}", "id",
                                               (json_int_t)db_cell_int(&r, i, 3, 0), "full_name",
                                               db_cell(&r, i, 4))
                                   : json_null(),
                            "sections", "indicators", "overall");
            if (expert) {
                json_array_append_new(*experts, cur);
            } else {
                json_decref(*self);
                *self = cur;
                *instrument_id = (uint64_t)db_cell_int(&r, i, 9, 0);
            }
            if (!*instrument_id)
                *instrument_id = (uint64_t)db_cell_int(&r, i, 9, 0);
        }
        add_score(cur, db_cell(&r, i, 5), db_cell(&r, i, 6), db_cell(&r, i, 7), db_cell(&r, i, 8));
    }
    return DB_OK;
}

/* The municipality's means: the rollups of its self-assessments (docs/figures.md, R1 and
 * R3: approved sheets only, a mean over its kindergartens), as its dashboard shows them.
 * "kindergartens" is the number of kindergartens with an approved overall score. */
static db_status means_json(request *rq, uint64_t campaign, uint64_t instrument_id,
                            uint64_t municipality, const stored_instrument *si, json_t **out)
{
    strmap m;
    char *ids = arena_sprintf(rq->a, "[%llu]", (unsigned long long)municipality);
    db_status s =
        ids ? dash_results_load(rq, campaign, instrument_id, "self", ids, 1, &m) : DB_ERROR;
    if (s != DB_OK)
        return s;
    const dash_figure *o = dash_results_get(rq, &m, municipality, "overall", si->ins->code);
    json_t *sections = json_object();
    for (size_t i = 0; i < si->ins->n_sections; i++) {
        const char *code = si->ins->sections[i].code;
        const dash_figure *f = dash_results_get(rq, &m, municipality, "section", code);
        if (dash_figure_has_mean(f))
            json_object_set_new(sections, code, json_real(dash_figure_mean(f)));
    }
    *out =
        json_pack("{s:o, s:o, s:I, s:s, s:s}", "sections", sections, "overall", dash_mean_json(o),
                  "kindergartens", (json_int_t)o->n, "source", "self", "status", "approved");
    return *out ? DB_OK : DB_ERROR;
}

/* The number of evidence files per indicator of a sheet: {"code": n}. */
static db_status evidence_counts(request *rq, json_t *sheet)
{
    db_result r;
    db_val p[] = {DB_INT(json_integer_value(json_object_get(sheet, "submission_id")))};
    db_status s = DB_EXEC(rq->db, rq->a,
                          "SELECT indicator_code, COUNT(*) FROM evidence_links "
                          "WHERE submission_id = ? GROUP BY indicator_code",
                          p, &r);
    if (s != DB_OK)
        return s;
    json_t *counts = json_object();
    for (size_t i = 0; i < r.nrows; i++)
        json_object_set_new(counts, db_cell(&r, i, 0), json_integer(db_cell_int(&r, i, 1, 0)));
    json_object_set_new(sheet, "evidence", counts);
    return DB_OK;
}

/* A sheet's comments per indicator: the text answers of the indicator's text items
 * (the justification of the level). */
static db_status sheet_comments(request *rq, const instrument *ins, json_t *sheet)
{
    db_result r;
    db_val p[] = {DB_INT(json_integer_value(json_object_get(sheet, "submission_id")))};
    db_status s = DB_EXEC(rq->db, rq->a, "SELECT answers FROM submissions WHERE id = ?", p, &r);
    if (s != DB_OK || r.nrows != 1)
        return s;
    json_t *answers = arena_json(rq->a, json_loads(db_cell(&r, 0, 0), 0, NULL));
    json_t *comments = json_object();
    for (size_t i = 0; answers && i < ins->n_items; i++) {
        const inst_item *it = &ins->items[i];
        const char *text = json_string_value(json_object_get(answers, it->code));
        if ((it->type != ITEM_TEXT && it->type != ITEM_LONGTEXT) || !text || !*text)
            continue;
        const char *ind = ins->indicators[it->indicator].code;
        const char *prev = json_string_value(json_object_get(comments, ind));
        json_object_set_new(comments, ind,
                            json_string(prev ? arena_sprintf(rq->a, "%s\n%s", prev, text) : text));
    }
    json_object_set_new(sheet, "comments", comments);
    return DB_OK;
}

/* The areas and indicators of the instrument, for labels and order. */
static json_t *structure_json(const instrument *ins)
{
    json_t *sections = json_array();
    for (size_t i = 0; i < ins->n_sections; i++) {
        const inst_section *sec = &ins->sections[i];
        json_t *inds = json_array();
        for (size_t k = 0; k < sec->n_indicators; k++) {
            const inst_indicator *ind = &ins->indicators[sec->first_indicator + k];
            json_array_append_new(inds, json_pack("{s:s, s:s}", "code", ind->code, "title",
                                                  ind->title.ru ? ind->title.ru : ind->code));
        }
        json_array_append_new(sections, json_pack("{s:s, s:s, s:o}", "code", sec->code, "title",
                                                  sec->title.ru ? sec->title.ru : sec->code,
                                                  "indicators", inds));
    }
    return json_pack("{s:s, s:I, s:s, s:o}", "code", ins->code, "version", (json_int_t)ins->version,
                     "title", ins->title.ru ? ins->title.ru : ins->code, "sections", sections);
}

int handle_unit_profile(request *rq, response *rs)
{
    const char *campaign_s = uri_param_get(&rq->args, "campaign_id");
    const char *code = uri_param_get(&rq->args, "instrument");
    uint64_t campaign = scope_parse_id(campaign_s);
    if (!code || !*code)
        code = "QS";
    if (!campaign || strlen(code) > 64) {
        json_t *p = problem_of(PK_VALIDATION, "Укажите кампанию.");
        problem_add_error(p, campaign ? "instrument" : "campaign_id",
                          campaign ? "код инструмента до 64 символов" : "id кампании");
        return reply_problem_doc(rq, rs, p);
    }
    scope_unit u;
    if (route_unit(rq, rs, &u) != 0)
        return rs->status;
    if (u.level != LEVEL_KINDERGARTEN) {
        json_t *p = problem_of(PK_VALIDATION, "Профиль качества строится для детского сада.");
        problem_add_error(p, "id", "выберите детский сад");
        return reply_problem_doc(rq, rs, p);
    }
    json_t *self = NULL, *experts = NULL, *means = NULL;
    uint64_t instrument_id = 0;
    int parent_found = 0;
    db_status s = sheets_json(rq, campaign, u.id, code, &self, &experts, &instrument_id);
    arena_json(rq->a, self);
    arena_json(rq->a, experts);
    /* The municipality's path: the parent, read without a scope check (only its mean is
     * shown, never its data). */
    db_result pr;
    if (s == DB_OK) {
        db_val p[] = {DB_INT(u.parent_id)};
        s = DB_EXEC(rq->db, rq->a, "SELECT path, name FROM org_units WHERE id = ?", p, &pr);
        parent_found = s == DB_OK && pr.nrows == 1;
    }
    if (s == DB_OK && !instrument_id) {
        db_result ir;
        /* the campaign's instrument of that code, else the newest published */
        db_val p[] = {DB_INT(campaign), DB_STR(code)};
        s = DB_EXEC(rq->db, rq->a,
                    "SELECT i.id FROM instruments i LEFT JOIN campaign_instruments ci ON "
                    "ci.instrument_id = i.id AND ci.campaign_id = ? WHERE i.code = ? AND "
                    "(ci.instrument_id IS NOT NULL OR i.status = 'published') ORDER BY "
                    "ci.instrument_id IS NULL, i.version DESC LIMIT 1",
                    p, &ir);
        if (s == DB_OK && ir.nrows == 1)
            instrument_id = (uint64_t)db_cell_int(&ir, 0, 0, 0);
    }
    stored_instrument si;
    int ins_found = 0;
    if (s == DB_OK && instrument_id)
        s = instrument_store_get(rq->instruments, rq->db, rq->a, instrument_id, &si, &ins_found);
    if (s == DB_OK && ins_found && parent_found)
        s = means_json(rq, campaign, instrument_id, u.parent_id, &si, &means);
    if (s == DB_OK && json_is_object(self))
        s = evidence_counts(rq, self);
    if (s == DB_OK && ins_found && json_is_object(self))
        s = sheet_comments(rq, si.ins, self);
    for (size_t i = 0; s == DB_OK && ins_found && i < json_array_size(experts); i++)
        s = sheet_comments(rq, si.ins, json_array_get(experts, i));
    if (s != DB_OK) {
        json_decref(means);
        return reply_db_error(rq, rs, s);
    }
    if (!ins_found) {
        json_decref(means);
        return reply_problem(rq, rs, PK_NOT_FOUND, "Инструмент не найден.");
    }
    json_t *doc = json_pack(
        "{s:{s:I, s:s}, s:I, s:o, s:O, s:O, s:{s:s?, s:o}}", "unit", "id", (json_int_t)u.id, "name",
        u.name, "campaign_id", (json_int_t)campaign, "instrument", structure_json(si.ins),
        "self_assessment", self, "experts", experts, "municipality", "name",
        parent_found ? db_cell(&pr, 0, 1) : NULL, "means", means ? means : json_null());
    return respond_json(rq, rs, 200, doc);
}
