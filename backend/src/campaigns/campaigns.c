/* Campaigns: a year's monitoring run by a region (or municipality) with the instruments it
 * uses and the dates it accepts sheets. Visible to everyone inside its unit and to those
 * whose scope covers it. */
#include "campaigns/handlers.h"
#include "auth/principal.h"

#include "analysis/signoff_levels.h"

#include "auth/audit.h"
#include "campaigns/campaign_participants.h"
#include "campaigns/campaign_stages.h"
#include "auth/scope.h"
#include "http/form_text.h"
#include "campaigns/stage_kinds.h"
#include "db/db_json.h"

#include <string.h>

#define CAMPAIGN_COLUMNS                                                                           \
    "c.id, c.title, c.year, DATE_FORMAT(c.opens_on, '%Y-%m-%d'), "                                 \
    "DATE_FORMAT(c.closes_on, '%Y-%m-%d'), cu.id, cu.name, "                                       \
    "CURRENT_DATE BETWEEN c.opens_on AND c.closes_on AND c.cancelled_at IS NULL, cu.path, "        \
    "DATE_FORMAT(c.cancelled_at, '%Y-%m-%dT%H:%i:%sZ'), c.cancel_reason"

/* The instruments of a campaign, as its JSON lists them. */
static const db_json_col INSTRUMENT_COLUMNS[] = {{"id", DBJ_INT},          {"code", DBJ_STR},
                                                 {"version", DBJ_INT},     {"title", DBJ_STR},
                                                 {"respondents", DBJ_STR}, {"targets", DBJ_STR}};

static db_status instruments_of(request *rq, uint64_t campaign_id, json_t **out)
{
    db_val p[] = {DB_INT(campaign_id)};
    return DB_ROWS_JSON(rq->db, rq->a,
                        "SELECT i.id, i.code, i.version, i.title, i.respondents, i.targets "
                        "FROM campaign_instruments ci JOIN instruments i "
                        "ON i.id = ci.instrument_id WHERE ci.campaign_id = ? ORDER BY i.code",
                        p, INSTRUMENT_COLUMNS, out);
}

static json_t *campaign_json(const db_result *r, size_t i, json_t *instruments, json_t *stages,
                             json_t *participation)
{
    return json_pack("{s:I, s:s, s:I, s:s, s:s, s:{s:I, s:s}, s:b, s:o, s:o, s:o}", "id",
                     (json_int_t)db_cell_int(r, i, 0, 0), "title", db_cell(r, i, 1), "year",
                     (json_int_t)db_cell_int(r, i, 2, 0), "opens_on", db_cell(r, i, 3), "closes_on",
                     db_cell(r, i, 4), "org_unit", "id", (json_int_t)db_cell_int(r, i, 5, 0),
                     "name", db_cell(r, i, 6), "open", (int)db_cell_int(r, i, 7, 0), "instruments",
                     instruments, "stages", stages, "participation", participation);
}

/* The instruments, stages and participation of campaign row i. */
static db_status campaign_parts(request *rq, const db_result *r, size_t i, json_t **doc)
{
    uint64_t id = (uint64_t)db_cell_int(r, i, 0, 0);
    json_t *ins = NULL, *stages = NULL, *part = NULL;
    db_status s = instruments_of(rq, id, &ins);
    if (s == DB_OK)
        s = campaign_stages_json(rq, id, &stages);
    if (s == DB_OK)
        s = participation_json(rq, id, db_cell(r, i, 8), &part);
    if (s != DB_OK) {
        json_decref(ins);
        json_decref(stages);
        return s;
    }
    *doc = campaign_json(r, i, ins, stages, part);
    const char *cancelled = db_cell(r, i, 9);
    json_object_set_new(*doc, "cancelled",
                        cancelled
                            ? json_pack("{s:s, s:s?}", "at", cancelled, "reason", db_cell(r, i, 10))
                            : json_null());
    return DB_OK;
}

int handle_campaigns_list(request *rq, response *rs)
{
    /* Cancelled campaigns only when asked for (?cancelled=1). */
    const char *cancelled = uri_param_get(&rq->args, "cancelled");
    db_result r;
    db_val p[] = {DB_STR(rq->me->org_path), DB_INT(rq->me->user_id),
                  DB_INT(cancelled && strcmp(cancelled, "1") == 0)};
    db_status s =
        DB_EXEC(rq->db, rq->a,
                "SELECT " CAMPAIGN_COLUMNS " FROM campaigns c JOIN org_units cu "
                "ON cu.id = c.org_unit_id WHERE " CAMPAIGN_VISIBLE_SQL(
                    "cu") " AND (c.cancelled_at IS NULL OR ? = 1) ORDER BY c.year DESC, c.id DESC",
                p, &r);
    json_t *items = json_array();
    for (size_t i = 0; s == DB_OK && i < r.nrows; i++) {
        json_t *doc = NULL;
        s = campaign_parts(rq, &r, i, &doc);
        if (s == DB_OK)
            json_array_append_new(items, doc);
    }
    if (s != DB_OK) {
        json_decref(items);
        return reply_db_error(rq, rs, s);
    }
    return respond_json(rq, rs, 200, json_pack("{s:o}", "items", items));
}

int campaign_respond(request *rq, response *rs, int status, uint64_t id)
{
    db_result r;
    db_val p[] = {DB_INT(id), DB_STR(rq->me->org_path), DB_INT(rq->me->user_id)};
    db_status s = DB_EXEC(rq->db, rq->a,
                          "SELECT " CAMPAIGN_COLUMNS " FROM campaigns c JOIN org_units cu "
                          "ON cu.id = c.org_unit_id WHERE c.id = ? AND " CAMPAIGN_VISIBLE_SQL("cu"),
                          p, &r);
    json_t *doc = NULL;
    if (s == DB_OK && r.nrows == 1)
        s = campaign_parts(rq, &r, 0, &doc);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    if (r.nrows != 1)
        return reply_problem(rq, rs, PK_NOT_FOUND, "Кампания не найдена.");
    return respond_json(rq, rs, status, doc);
}

int handle_campaign_get(request *rq, response *rs)
{
    return campaign_respond(rq, rs, 200, scope_parse_id(rq->params[0]));
}

/* Reads body.stages into specs (none when absent). Returns the count; bad set on errors. */
static size_t read_stages(request *rq, json_t *arr, json_t *p, stage_spec **specs,
                          const char ***fields, int *bad)
{
    if (!arr)
        return 0;
    if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > STAGES_MAX) {
        *bad = 1;
        problem_add_error(p, "stages", "список от 1 до 20 этапов");
        return 0;
    }
    size_t n = json_array_size(arr);
    *specs = arena_alloc(rq->a, n * sizeof **specs);
    *fields = arena_alloc(rq->a, n * sizeof **fields);
    if (!*specs || !*fields) {
        *bad = 1;
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        (*fields)[i] = arena_sprintf(rq->a, "stages[%zu]", i);
        if (stage_spec_read(rq, json_array_get(arr, i), (*fields)[i], NULL, &(*specs)[i], p) != 0)
            *bad = 1;
    }
    return *bad ? 0 : n;
}

/* The campaign's window: given, or spanning its stages (and then no narrower than they). */
static void campaign_window(const stage_spec *specs, size_t nst, int has_stages, const char **opens,
                            const char **closes, json_t *p, int *bad_out)
{
    int bad = 0;
    if (nst) {
        /* The campaign's own window spans its stages. */
        const char *first = specs[0].opens_on, *last = specs[0].closes_on;
        for (size_t i = 1; i < nst; i++) {
            if (strcmp(specs[i].opens_on, first) < 0)
                first = specs[i].opens_on;
            if (strcmp(specs[i].closes_on, last) > 0)
                last = specs[i].closes_on;
        }
        if (*opens && (!stage_date_valid(*opens) || strcmp(*opens, first) > 0))
            bad = 1, problem_add_error(p, "opens_on", "дата начала не позже начала первого этапа");
        if (*closes && (!stage_date_valid(*closes) || strcmp(*closes, last) < 0))
            bad = 1,
            problem_add_error(p, "closes_on", "дата окончания не раньше конца последнего этапа");
        *opens = *opens ? *opens : first;
        *closes = *closes ? *closes : last;
    } else if (!has_stages) {
        if (!stage_date_valid(*opens))
            bad = 1, problem_add_error(p, "opens_on", "дата начала в виде ГГГГ-ММ-ДД");
        if (!stage_date_valid(*closes) || (*opens && *closes && strcmp(*closes, *opens) < 0))
            bad = 1, problem_add_error(p, "closes_on", "дата окончания не раньше даты начала");
    }
    if (bad)
        *bad_out = 1;
}

/* Lists the instruments ids in campaign id; an id that is no published instrument is an
 * error in p. */
static db_status add_instruments(request *rq, uint64_t id, json_t *ids, json_t *p, int *bad)
{
    db_status s = DB_OK;
    for (size_t i = 0; s == DB_OK && i < json_array_size(ids); i++) {
        db_result r;
        db_val v[] = {DB_INT(id), DB_INT(json_integer_value(json_array_get(ids, i)))};
        s = DB_EXEC(rq->db, rq->a,
                    "INSERT IGNORE INTO campaign_instruments (campaign_id, instrument_id) "
                    "SELECT ?, id FROM instruments WHERE id = ? AND status = 'published'",
                    v, &r);
        if (s == DB_OK && r.affected == 0 && !*bad) {
            *bad = 1;
            problem_add_error(p, "instrument_ids", "такого опубликованного инструмента нет");
        }
    }
    return s;
}

/* 1 with the errors added to p when the title or the year is not acceptable. */
static int title_year_invalid(json_t *b, const char *title, json_t *year, json_t *p)
{
    int bad = 0;
    if (!title || !*title || json_string_length(json_object_get(b, "title")) > 300 ||
        !form_is_single_line(title))
        bad = 1, problem_add_error(p, "title",
                                   "название: одна строка от 1 до 300 символов, без переводов "
                                   "строк и управляющих символов");
    if (!json_is_integer(year) || json_integer_value(year) < 2000 ||
        json_integer_value(year) > 2100)
        bad = 1, problem_add_error(p, "year", "год: целое число от 2000 до 2100");
    return bad;
}

/* 1 with an error added to p when instrument_ids is not a list of 1 to 50 ids (empty is
 * allowed with stages, which name their instruments). */
static int instrument_ids_invalid(json_t *ids, int with_stages, json_t *p)
{
    if (!json_is_array(ids) || (json_array_size(ids) == 0 && !with_stages) ||
        json_array_size(ids) > 50) {
        problem_add_error(p, "instrument_ids", "список от 1 до 50 инструментов");
        return 1;
    }
    for (size_t i = 0; i < json_array_size(ids); i++)
        if (!json_is_integer(json_array_get(ids, i)) ||
            json_integer_value(json_array_get(ids, i)) <= 0) {
            problem_add_error(p, "instrument_ids", "id инструментов — целые числа");
            return 1;
        }
    return 0;
}

int handle_campaign_create(request *rq, response *rs)
{
    json_t *b = rq->json;
    json_t *p = problem_of(PK_VALIDATION, "Проверьте поля кампании.");
    const char *title = json_string_value(json_object_get(b, "title"));
    json_t *year = json_object_get(b, "year");
    const char *opens = json_string_value(json_object_get(b, "opens_on"));
    const char *closes = json_string_value(json_object_get(b, "closes_on"));
    json_t *ids = json_object_get(b, "instrument_ids");
    json_t *stages = json_object_get(b, "stages");
    int bad = 0;
    if (!json_is_object(b)) {
        problem_add_error(p, "body", "ожидается объект JSON");
        return reply_problem_doc(rq, rs, p);
    }
    bad = title_year_invalid(b, title, year, p);
    stage_spec *specs = NULL;
    const char **fields = NULL;
    size_t nst = read_stages(rq, stages, p, &specs, &fields, &bad);
    campaign_window(specs, nst, stages != NULL, &opens, &closes, p, &bad);
    if (stages && !ids)
        ids = arena_json(rq->a, json_array());
    if (instrument_ids_invalid(ids, stages != NULL, p))
        bad = 1;
    participation_req part;
    if (participation_read(rq, b, &part, p) != 0)
        bad = 1;
    signoff_chain chain; /* who signs the results off (docs/analysis.md) */
    int chain_given = 0;
    if (signoff_levels_read(b, &chain, &chain_given, p) != 0)
        bad = 1;
    db_status s = DB_OK;
    if (!bad && nst)
        s = stage_specs_check(rq, specs, nst, fields, p, &bad);
    if (s == DB_OK && bad)
        return reply_problem_doc(rq, rs, p);
    if (s == DB_OK)
        s = db_begin(rq->db);
    uint64_t id = 0;
    if (s == DB_OK) {
        db_val v[] = {DB_INT(rq->me->org_unit_id),
                      DB_STR(title),
                      DB_INT(json_integer_value(year)),
                      DB_STR(opens),
                      DB_STR(closes),
                      DB_INT(rq->me->user_id)};
        s = DB_INSERT(rq->db, rq->a,
                      "INSERT INTO campaigns (org_unit_id, title, year, opens_on, closes_on, "
                      "created_by) VALUES (?, ?, ?, ?, ?, ?)",
                      v, &id);
    }
    if (s == DB_OK)
        s = add_instruments(rq, id, ids, p, &bad);
    if (s == DB_OK && nst)
        s = stage_specs_insert(rq, id, specs, nst);
    if (s == DB_OK && part.given)
        s = participation_store(rq, id, rq->me->org_path, &part, p, &bad);
    if (s == DB_OK && chain_given)
        s = signoff_levels_store(rq, id, &chain);
    if (s == DB_OK && bad) {
        db_rollback(rq->db);
        return reply_problem_doc(rq, rs, p);
    }
    json_decref(p);
    if (s == DB_OK)
        s = audit_write(rq, "campaign.create", "campaign", id, rq->me->org_unit_id,
                        json_pack("{s:[n,s], s:[n,I], s:[n,s]}", "title", title, "stages",
                                  (json_int_t)nst, "participation",
                                  part.sample ? "sample" : "all"));
    if (reply_tx_end(rq, rs, s, NULL) != 0)
        return rs->status;
    return campaign_respond(rq, rs, 201, id);
}
