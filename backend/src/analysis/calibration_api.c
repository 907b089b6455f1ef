/* GET /units/{id}/calibration: how well the raters of a campaign agree within a unit's
 * subtree — the kindergarten's self-assessment against each expert who scored it, and two
 * experts against each other where both scored the same kindergarten — on the indicator
 * levels of one instrument, overall and by area, indicator, expert and kindergarten, with
 * flags for a systematic gap. The figures: calibration_stats.c and kappa.c; the contract:
 * docs/analysis.md, "Rater calibration". */
#include "analysis/calibration.h"
#include "org/route_rows.h"
#include "analysis/handlers.h"

#include "auth/principal.h"
#include "auth/scope.h"
#include "forms/instrument_store.h"
#include "org/unit_store.h"

#include <stdlib.h>
#include <string.h>

/* The pairs: comparison ('self' or 'experts'), kindergarten id and name, rater A's and
 * rater B's user ids (0 for the kindergarten's own sheet) and names, indicator code, A's
 * level, B's level. Sheets count as the results count them (rollup_rules.h): the
 * kindergarten's own sheet when approved, an expert's from submitted on. */
#define PAIRS_SQL                                                                                  \
    "SELECT 'self', k.id, k.name, 0, '', e.target_user_id, eu.full_name, a.code, a.level, "        \
    "b.level FROM submissions s JOIN org_units k ON k.id = s.kindergarten_id JOIN "                \
    "submission_scores a ON a.submission_id = s.id AND a.kind = 'indicator' AND a.level IS NOT "   \
    "NULL JOIN submissions e ON e.campaign_id = s.campaign_id AND e.instrument_id = "              \
    "s.instrument_id AND e.kindergarten_id = s.kindergarten_id AND e.respondent_role = 'expert' "  \
    "AND e.status IN ('submitted', 'approved') JOIN users eu ON eu.id = e.target_user_id JOIN "    \
    "submission_scores b ON b.submission_id = e.id AND b.kind = 'indicator' AND b.code = a.code "  \
    "AND b.level IS NOT NULL WHERE s.campaign_id = ? AND s.instrument_id = ? AND "                 \
    "s.respondent_role <> 'expert' AND s.target_user_id = 0 AND s.target_unit_id = "               \
    "s.kindergarten_id AND s.status = 'approved' AND k.path LIKE CONCAT(?, '%') AND " SCOPE_SQL(   \
        "k") " UNION ALL SELECT 'experts', k.id, k.name, s.target_user_id, su.full_name, "         \
             "e.target_user_id, eu.full_name, a.code, a.level, b.level FROM submissions s JOIN "   \
             "org_units k ON k.id = s.kindergarten_id JOIN users su ON su.id = s.target_user_id "  \
             "JOIN submission_scores a ON a.submission_id = s.id AND a.kind = 'indicator' AND "    \
             "a.level IS NOT NULL JOIN submissions e ON e.campaign_id = s.campaign_id AND "        \
             "e.instrument_id = s.instrument_id AND e.kindergarten_id = s.kindergarten_id AND "    \
             "e.respondent_role = 'expert' AND e.status IN ('submitted', 'approved') AND "         \
             "e.target_user_id > s.target_user_id JOIN users eu ON eu.id = e.target_user_id "      \
             "JOIN submission_scores b ON b.submission_id = e.id AND b.kind = 'indicator' AND "    \
             "b.code = a.code AND b.level IS NOT NULL WHERE s.campaign_id = ? AND "                \
             "s.instrument_id = ? AND s.respondent_role = 'expert' AND s.status IN "               \
             "('submitted', 'approved') AND k.path LIKE CONCAT(?, '%') AND " SCOPE_SQL("k")

/* One comparison's groups. */
typedef struct {
    kappa_table all;
    calibration_groups areas, indicators, experts, kindergartens;
} comparison;

static int comparison_init(comparison *c, arena *a)
{
    if (kappa_table_init(&c->all, KAPPA_MAX_LEVELS) != 0)
        return -1;
    return calibration_groups_init(&c->areas, a) | calibration_groups_init(&c->indicators, a) |
           calibration_groups_init(&c->experts, a) | calibration_groups_init(&c->kindergartens, a);
}

static const char *id_text(arena *a, const char *id)
{
    return arena_sprintf(a, "%s", id ? id : "0");
}

/* Adds row i of the pairs to comparison c: 0, or -1 when out of memory. A level outside the
 * tables (never from the scoring rules) is left out. */
static int add_pair(arena *a, const instrument *ins, comparison *c, const db_result *r, size_t i)
{
    int la = (int)db_cell_int(r, i, 8, 0), lb = (int)db_cell_int(r, i, 9, 0);
    if (kappa_table_add(&c->all, la, lb) != 0)
        return 0;
    const char *code = db_cell(r, i, 7), *area = calibration_area_of(a, code);
    const inst_indicator *ind = instrument_indicator(ins, code);
    const inst_section *sec = instrument_section(ins, area);
    calibration_group *g[5] = {
        calibration_group_of(&c->indicators, code, 0, ind ? ind->title.ru : NULL),
        calibration_group_of(&c->areas, area, 0, sec ? sec->title.ru : NULL),
        calibration_group_of(&c->kindergartens, id_text(a, db_cell(r, i, 1)),
                             (uint64_t)db_cell_int(r, i, 1, 0), db_cell(r, i, 2)),
        calibration_group_of(&c->experts, id_text(a, db_cell(r, i, 5)),
                             (uint64_t)db_cell_int(r, i, 5, 0), db_cell(r, i, 6)),
        NULL};
    uint64_t first = (uint64_t)db_cell_int(r, i, 3, 0);
    if (first) /* two experts: each is also measured as "this expert − the other" */
        g[4] = calibration_group_of(&c->experts, id_text(a, db_cell(r, i, 3)), first,
                                    db_cell(r, i, 4));
    for (int k = 0; k < 4; k++)
        if (!g[k] || kappa_table_add(&g[k]->t, la, lb) != 0)
            return -1;
    if (first && (!g[4] || kappa_table_add(&g[4]->t, lb, la) != 0))
        return -1;
    return 0;
}

static json_t *comparison_json(const comparison *c, const calibration_flags *f)
{
    return json_pack("{s:o, s:o, s:o, s:o, s:o}", "overall", calibration_stats_json(&c->all, f),
                     "areas", calibration_groups_json(&c->areas, f, "code", "title"), "indicators",
                     calibration_groups_json(&c->indicators, f, "code", "title"), "experts",
                     calibration_groups_json(&c->experts, f, "id", "name"), "kindergartens",
                     calibration_groups_json(&c->kindergartens, f, "id", "name"));
}

/* The campaign (visible to the caller) and its instrument: the one asked for, or the first
 * that experts fill for kindergartens. 0 with *instrument_id set, 0 with it 0 when there is
 * none, or -1 on a database error (answered). */
static int pick_instrument(request *rq, response *rs, uint64_t campaign, uint64_t *instrument_id)
{
    db_result r;
    db_val p[] = {DB_INT(campaign), DB_INT(*instrument_id), DB_INT(*instrument_id),
                  DB_STR(rq->me->org_path), DB_INT(rq->me->user_id)};
    db_status s = DB_EXEC(
        rq->db, rq->a,
        "SELECT ci.instrument_id FROM campaigns c JOIN org_units cu ON cu.id = c.org_unit_id "
        "JOIN campaign_instruments ci ON ci.campaign_id = c.id JOIN instruments i ON i.id = "
        "ci.instrument_id WHERE c.id = ? AND (ci.instrument_id = ? OR (? = 0 AND "
        "FIND_IN_SET('expert', i.respondents) AND FIND_IN_SET('kindergarten', i.targets))) "
        "AND " CAMPAIGN_VISIBLE_SQL("cu") " ORDER BY ci.instrument_id LIMIT 1",
        p, &r);
    if (s != DB_OK) {
        reply_db_error(rq, rs, s);
        return -1;
    }
    *instrument_id = r.nrows == 1 ? (uint64_t)db_cell_int(&r, 0, 0, 0) : 0;
    return 0;
}

/* ?campaign_id= (required), ?instrument_id=, ?gap= (0 < gap ≤ 4, default 0.5),
 * ?min_items= (1..1000, default 10): 0, or -1 with a 400 written. */
static int read_query(request *rq, response *rs, uint64_t *campaign, uint64_t *instrument_out,
                      calibration_flags *f)
{
    const char *c = uri_param_get(&rq->args, "campaign_id");
    const char *i = uri_param_get(&rq->args, "instrument_id");
    const char *g = uri_param_get(&rq->args, "gap");
    const char *m = uri_param_get(&rq->args, "min_items");
    *campaign = c ? scope_parse_id(c) : 0;
    *instrument_out = i && *i ? scope_parse_id(i) : 0;
    f->gap = 0.5;
    f->min_items = 10;
    char *end = NULL;
    int bad = !*campaign || (i && *i && !*instrument_out);
    if (g && *g) {
        f->gap = strtod(g, &end);
        bad |= *end || !(f->gap > 0 && f->gap <= 4);
    }
    if (m && *m) {
        f->min_items = strtol(m, &end, 10);
        bad |= *end || f->min_items < 1 || f->min_items > 1000;
    }
    if (bad)
        reply_problem(rq, rs, PK_BAD_QUERY,
                      "campaign_id обязателен; instrument_id — число; gap от 0 до 4; "
                      "min_items от 1 до 1000.");
    return bad ? -1 : 0;
}

int handle_unit_calibration(request *rq, response *rs)
{
    uint64_t campaign, instrument_id;
    calibration_flags f;
    scope_unit u;
    int found = 0;
    if (read_query(rq, rs, &campaign, &instrument_id, &f) != 0)
        return rs->status;
    if (route_unit(rq, rs, &u) != 0)
        return rs->status;
    if (pick_instrument(rq, rs, campaign, &instrument_id) != 0)
        return rs->status;
    db_status s = DB_OK;
    stored_instrument si;
    if (instrument_id)
        s = instrument_store_get(rq->instruments, rq->db, rq->a, instrument_id, &si, &found);
    if (reply_lookup(rq, rs, s, found,
                     "Кампания не найдена или в ней нет инструмента экспертной оценки.") != 0)
        return rs->status;
    db_result r;
    db_val p[] = {DB_INT(campaign), DB_INT(instrument_id), DB_STR(u.path), DB_INT(rq->me->user_id),
                  DB_INT(campaign), DB_INT(instrument_id), DB_STR(u.path), DB_INT(rq->me->user_id)};
    s = DB_EXEC(rq->db, rq->a, PAIRS_SQL, p, &r);
    comparison self, experts;
    if (s == DB_OK && (comparison_init(&self, rq->a) != 0 || comparison_init(&experts, rq->a) != 0))
        s = DB_ERROR;
    for (size_t i = 0; s == DB_OK && i < r.nrows; i++)
        if (add_pair(rq->a, si.ins, strcmp(db_cell(&r, i, 0), "self") == 0 ? &self : &experts, &r,
                     i) != 0)
            s = DB_ERROR;
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    return respond_json(
        rq, rs, 200,
        json_pack("{s:{s:I, s:s, s:s}, s:I, s:{s:I, s:s, s:s}, s:{s:f, s:I}, s:o, s:o}", "unit",
                  "id", (json_int_t)u.id, "name", u.name, "level", org_level_name(u.level),
                  "campaign_id", (json_int_t)campaign, "instrument", "id",
                  (json_int_t)instrument_id, "code", si.code, "title", si.ins->title.ru, "flags",
                  "gap", f.gap, "min_items", (json_int_t)f.min_items, "self_vs_expert",
                  comparison_json(&self, &f), "expert_vs_expert", comparison_json(&experts, &f)));
}
