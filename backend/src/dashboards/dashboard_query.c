/* The query of a dashboard view (dash_query_parse) and the reads the views share
 * (dashboard_data.h). */
#include "dashboards/dashboard_data.h"
#include "db/db_json.h"
#include "auth/principal.h"

#include "dashboards/rollup_rules.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- the query */

static int parse_positive(const char *s, long long max, long long *out)
{
    long long v = uri_parse_digits(s, 18);
    if (v < 0 || v > max)
        return -1;
    *out = v;
    return 0;
}

static int is_source(const char *s)
{
    static const char *const names[] = {"self", "group", "expert", "teacher"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(s, names[i]) == 0)
            return 1;
    return 0;
}

static int is_view(const request *rq, const char *name)
{
    return rq->route && rq->route->pattern && strstr(rq->route->pattern, name) != NULL;
}

static int is_parents_view(const request *rq)
{
    return is_view(rq, "/parents");
}

/* Unit id when it is an ancestor of one of the caller's scope roots (the region of a
 * municipal coordinator, the municipality of an expert's kindergartens). */
static db_status find_above_scope(request *rq, uint64_t id, scope_unit *out, int *found)
{
    return scope_find_unit_by(rq,
                              "SELECT " SCOPE_UNIT_COLUMNS " FROM org_units o WHERE o.id = ? AND "
                              "EXISTS (SELECT 1 FROM " SCOPE_PATHS_SQL
                              " us WHERE us.path LIKE CONCAT(o.path, '_%'))",
                              id, out, found);
}

/* The instrument of the campaign the view shows by default: the quality scale (code QS)
 * or, for the parents view, the parent questionnaire. 0 when the campaign has none. */
db_status dash_default_instrument(request *rq, uint64_t campaign, int parents, uint64_t *out)
{
    db_result r;
    db_val p[] = {DB_INT(campaign), DB_INT(parents)};
    db_status s =
        DB_EXEC(rq->db, rq->a,
                "SELECT i.id FROM campaign_instruments ci JOIN instruments i ON i.id = "
                "ci.instrument_id WHERE ci.campaign_id = ? AND (FIND_IN_SET('parent', "
                "i.respondents) > 0) = (? = 1) ORDER BY i.code = 'QS' DESC, i.code, i.id LIMIT 1",
                p, &r);
    *out = s == DB_OK && r.nrows == 1 ? (uint64_t)db_cell_int(&r, 0, 0, 0) : 0;
    return s;
}

static db_status in_campaign(request *rq, uint64_t campaign, uint64_t instrument_id, int *found)
{
    db_result r;
    db_val p[] = {DB_INT(campaign), DB_INT(instrument_id)};
    db_status s = DB_EXEC(rq->db, rq->a,
                          "SELECT 1 FROM campaign_instruments WHERE campaign_id = ? AND "
                          "instrument_id = ?",
                          p, &r);
    *found = s == DB_OK && r.nrows == 1;
    return s;
}

/* The area codes of the instrument, for sort=section:<code> and section=<code>. */
static int has_section(request *rq, uint64_t instrument_id, const char *code)
{
    stored_instrument si;
    if (dash_instrument_load(rq, instrument_id, &si) != DB_OK)
        return -1;
    for (size_t i = 0; i < si.ins->n_sections; i++)
        if (strcmp(si.ins->sections[i].code, code) == 0)
            return 1;
    return 0;
}

static int parse_sort(const char *v, dash_query *q)
{
    q->sort_desc = v[0] == '-';
    const char *k = v + q->sort_desc;
    if (strcmp(k, "name") == 0)
        q->sort = DASH_SORT_NAME;
    else if (strcmp(k, "overall") == 0)
        q->sort = DASH_SORT_OVERALL;
    else if (strcmp(k, "completion") == 0)
        q->sort = DASH_SORT_COMPLETION;
    else if (strncmp(k, "section:", 8) == 0 && k[8])
        q->sort = DASH_SORT_SECTION, q->sort_code = k + 8;
    else
        return -1;
    return 0;
}

/* The unit of the query: in the caller's scope, or above it for the children view. */
static int query_unit(request *rq, dash_query *q, response *rs)
{
    int found = 0;
    uint64_t id = rq->scoped_id ? rq->scoped_id : scope_parse_id(rq->params[0]);
    db_status s = scope_find_unit(rq, id, &q->unit, &found);
    if (s == DB_OK && !found && is_view(rq, "/children")) {
        s = find_above_scope(rq, id, &q->unit, &found);
        q->above_scope = found;
    }
    if (s != DB_OK || !found) {
        if (s != DB_OK)
            reply_db_error(rq, rs, s);
        else
            reply_problem(rq, rs, PK_NOT_FOUND, "Организация не найдена.");
        return -1;
    }
    return 0;
}

/* The query's arguments into q; adds an error to p for each bad one and returns how many. */
static int query_args(request *rq, dash_query *q, json_t *p)
{
    int bad = 0;
    long long v;
    const char *campaign = uri_param_get(&rq->args, "campaign");
    if (parse_positive(campaign, 1LL << 53, &v) != 0 || v == 0)
        bad = 1, problem_add_error(p, "campaign", "укажите кампанию: её id");
    else
        q->campaign_id = (uint64_t)v;
    const char *ins_arg = uri_param_get(&rq->args, "instrument");
    if (ins_arg && (parse_positive(ins_arg, 1LL << 53, &v) != 0 || v == 0))
        bad = 1, problem_add_error(p, "instrument", "id инструмента кампании");
    else if (ins_arg)
        q->instrument_id = (uint64_t)v, q->instrument_given = 1;
    const char *source = uri_param_get(&rq->args, "source");
    if (source && !is_source(source))
        bad = 1, problem_add_error(p, "source", "одно из: self, group, expert, teacher");
    else if (source)
        q->source = source, q->source_given = 1;
    const char *sort = uri_param_get(&rq->args, "sort");
    if (sort && parse_sort(sort, q) != 0)
        bad = 1, problem_add_error(p, "sort",
                                   "name, overall, completion или section:<код области>; "
                                   "«-» в начале — по убыванию");
    q->section = uri_param_get(&rq->args, "section");
    const char *below = uri_param_get(&rq->args, "below");
    if (below) {
        char *end;
        errno = 0;
        q->below = strtod(below, &end);
        q->has_below = 1;
        if (!*below || *end || errno || !isfinite(q->below))
            bad = 1, problem_add_error(p, "below", "число: порог балла области");
    }
    if (q->has_below != (q->section != NULL))
        bad = 1,
        problem_add_error(p, q->section ? "below" : "section", "section и below задаются вместе");
    const char *overdue = uri_param_get(&rq->args, "overdue");
    if (overdue && strcmp(overdue, "0") != 0 && strcmp(overdue, "1") != 0)
        bad = 1, problem_add_error(p, "overdue", "0 или 1");
    q->overdue = overdue && strcmp(overdue, "1") == 0;
    const char *confirmed = uri_param_get(&rq->args, "confirmed");
    if (confirmed && strcmp(confirmed, "0") != 0 && strcmp(confirmed, "1") != 0)
        bad = 1, problem_add_error(p, "confirmed", "0 или 1");
    q->confirmed = confirmed && strcmp(confirmed, "1") == 0;
    q->q = uri_param_get(&rq->args, "q");
    if (q->q && strlen(q->q) > 200)
        bad = 1, problem_add_error(p, "q", "не длиннее 200 символов");
    if (q->q && !*q->q)
        q->q = NULL;
    const char *limit = uri_param_get(&rq->args, "limit");
    if (limit && (parse_positive(limit, DASH_LIMIT_MAX, &v) != 0 || v == 0))
        bad = 1, problem_add_error(p, "limit", "целое число от 1 до 2000");
    else if (limit)
        q->limit = (long)v;
    const char *offset = uri_param_get(&rq->args, "offset");
    if (offset && parse_positive(offset, 1LL << 31, &v) != 0)
        bad = 1, problem_add_error(p, "offset", "целое число не меньше 0");
    else if (offset)
        q->offset = (long)v;
    return bad;
}

/* The campaign exists and has the instrument, which has the sections the query names. */
static int query_campaign(request *rq, dash_query *q, response *rs)
{
    int found = 0;
    dash_campaign c;
    db_status s = dash_campaign_load(rq, q->campaign_id, &c, &found);
    if (s == DB_OK && found && !q->instrument_id)
        s = dash_default_instrument(rq, q->campaign_id, is_parents_view(rq), &q->instrument_id);
    int listed = 0;
    if (s == DB_OK && found && q->instrument_id)
        s = in_campaign(rq, q->campaign_id, q->instrument_id, &listed);
    if (reply_lookup(rq, rs, s, found, "Кампания не найдена.") != 0)
        return -1;
    if (!listed) {
        reply_problem(rq, rs, PK_NOT_FOUND,
                      q->instrument_given ? "В кампании нет такого инструмента."
                      : is_parents_view(rq) ? "В кампании нет анкеты для родителей."
                                            : "В кампании нет шкалы качества.");
        return -1;
    }
    const char *codes[2] = {q->sort == DASH_SORT_SECTION ? q->sort_code : NULL, q->section};
    const char *fields[2] = {"sort", "section"};
    for (int i = 0; i < 2; i++) {
        if (!codes[i])
            continue;
        int has = has_section(rq, q->instrument_id, codes[i]);
        if (has < 0) {
            reply_db_error(rq, rs, DB_ERROR);
            return -1;
        }
        if (!has) {
            json_t *e = problem_of(PK_VALIDATION, "Проверьте параметры запроса.");
            problem_add_error(e, fields[i], "в инструменте нет такой области");
            reply_problem_doc(rq, rs, e);
            return -1;
        }
    }
    return 0;
}

int dash_query_parse(request *rq, dash_query *q, response *rs)
{
    memset(q, 0, sizeof *q);
    q->limit = DASH_LIMIT_DEFAULT;
    if (query_unit(rq, q, rs) != 0)
        return -1;
    json_t *p = problem_of(PK_VALIDATION, "Проверьте параметры запроса.");
    if (query_args(rq, q, p) != 0) {
        reply_problem_doc(rq, rs, p);
        return -1;
    }
    json_decref(p);
    return query_campaign(rq, q, rs);
}

/* ---------------------------------------------------------------- headers */

db_status dash_campaign_load(request *rq, uint64_t id, dash_campaign *out, int *found)
{
    db_result r;
    db_val p[] = {DB_INT(id), DB_STR(rq->me->org_path), DB_INT(rq->me->user_id)};
    db_status s =
        DB_EXEC(rq->db, rq->a,
                "SELECT c.id, c.org_unit_id, c.title, c.year, DATE_FORMAT(c.closes_on, "
                "'%Y-%m-%d'), CURRENT_DATE > c.closes_on FROM campaigns c JOIN org_units "
                "cu ON cu.id = c.org_unit_id WHERE c.id = ? AND " CAMPAIGN_VISIBLE_SQL("cu"),
                p, &r);
    *found = s == DB_OK && r.nrows == 1;
    if (!*found)
        return s;
    out->id = (uint64_t)db_cell_int(&r, 0, 0, 0);
    out->org_unit_id = (uint64_t)db_cell_int(&r, 0, 1, 0);
    out->title = db_cell(&r, 0, 2);
    out->year = (int)db_cell_int(&r, 0, 3, 0);
    out->closes_on = db_cell(&r, 0, 4);
    out->closed = (int)db_cell_int(&r, 0, 5, 0);
    return DB_OK;
}

json_t *dash_campaign_json(const dash_campaign *c)
{
    return json_pack("{s:I, s:s, s:i, s:s, s:b}", "id", (json_int_t)c->id, "title", c->title,
                     "year", c->year, "closes_on", c->closes_on, "closed", c->closed);
}

db_status dash_unit_json(request *rq, const scope_unit *u, json_t **out)
{
    const char *ids = rollup_path_ids(rq->a, u->path, 0);
    if (!ids)
        return DB_ERROR;
    static const db_json_col PATH_COLUMNS[] = {
        {"id", DBJ_INT}, {"name", DBJ_STR}, {"level", DBJ_STR}};
    db_val p[] = {DB_STR(ids), DB_INT(u->id), DB_INT(rq->me->user_id)};
    json_t *path = NULL;
    db_status s =
        DB_ROWS_JSON(rq->db, rq->a,
                     "SELECT o.id, o.name, o.level FROM JSON_TABLE(?, '$[*]' COLUMNS (id "
                     "BIGINT UNSIGNED PATH '$')) a JOIN org_units o ON o.id = a.id WHERE (o.id "
                     "= ? OR " SCOPE_SQL("o") ") ORDER BY LENGTH(o.path)",
                     p, PATH_COLUMNS, &path);
    if (s != DB_OK)
        return s;
    *out = json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)u->id, "name", u->name, "level",
                     org_level_name(u->level), "path", path);
    return *out ? DB_OK : DB_ERROR;
}

db_status dash_instrument_load(request *rq, uint64_t id, stored_instrument *out)
{
    int found = 0;
    db_status s = instrument_store_get(rq->instruments, rq->db, rq->a, id, out, &found);
    return s == DB_OK && !found ? DB_ERROR : s;
}

json_t *dash_instrument_json(const stored_instrument *si)
{
    const instrument *ins = si->ins;
    json_t *sections = json_array();
    for (size_t i = 0; i < ins->n_sections; i++)
        json_array_append_new(sections, json_pack("{s:s, s:s?}", "code", ins->sections[i].code,
                                                  "title", ins->sections[i].title.ru));
    int max = ins->scoring == RULE_CUMULATIVE ? 5
              : ins->scoring == RULE_ECERS    ? 7
              : ins->scoring == RULE_MEAN     ? 5
                                              : 0;
    return json_pack("{s:I, s:s, s:s?, s:o, s:o}", "id", (json_int_t)si->id, "code", ins->code,
                     "title", ins->title.ru, "sections", sections, "max_level",
                     max ? json_integer(max) : json_null());
}

const char *dash_source(const dash_query *q, int for_children)
{
    if (q->source)
        return q->source;
    if (for_children)
        return q->unit.level >= LEVEL_KINDERGARTEN ? "group" : "self";
    return q->unit.level == LEVEL_GROUP ? "group" : "self";
}

/* ---------------------------------------------------------------- children */

db_status dash_children_load(request *rq, const scope_unit *u, int within, const char *q,
                             dash_children *out)
{
    memset(out, 0, sizeof *out);
    db_result r;
    db_val p[] = {DB_INT(u->id), q ? DB_STR(q) : DB_NULL, q ? DB_STR(q) : DB_NULL, DB_INT(within),
                  DB_INT(rq->me->user_id)};
    db_status s = DB_EXEC(rq->db, rq->a,
                          "SELECT o.id, o.name, o.level FROM org_units o WHERE o.parent_id = ? "
                          "AND o.active = 1 AND (? IS NULL OR o.name LIKE CONCAT('%', "
                          "REPLACE(REPLACE(REPLACE(?, '\\\\', '\\\\\\\\'), '%', '\\\\%'), '_', "
                          "'\\\\_'), '%')) AND (? = 1 OR " SCOPE_SQL("o") ") ORDER BY o.name, o.id",
                          p, &r);
    if (s != DB_OK)
        return s;
    size_t n = r.nrows ? r.nrows : 1;
    out->ids = arena_alloc(rq->a, n * sizeof *out->ids);
    out->names = arena_alloc(rq->a, n * sizeof *out->names);
    out->levels = arena_alloc(rq->a, n * sizeof *out->levels);
    if (!out->ids || !out->names || !out->levels)
        return DB_ERROR;
    for (size_t i = 0; i < r.nrows; i++) {
        out->ids[i] = (uint64_t)db_cell_int(&r, i, 0, 0);
        out->names[i] = db_cell(&r, i, 1);
        out->levels[i] = db_cell(&r, i, 2);
    }
    out->n = r.nrows;
    return DB_OK;
}

char *dash_ids_json(arena *a, uint64_t unit, const dash_children *c, long offset, long limit)
{
    size_t from = offset > 0 ? (size_t)offset : 0;
    size_t to = limit < 0 || from + (size_t)limit > c->n ? c->n : from + (size_t)limit;
    if (from > to)
        from = to;
    char *out = arena_alloc(a, (to - from + 1) * 21 + 3);
    if (!out)
        return NULL;
    size_t len = (size_t)sprintf(out, "[%llu", (unsigned long long)unit);
    for (size_t i = from; i < to; i++)
        len += (size_t)sprintf(out + len, ",%llu", (unsigned long long)c->ids[i]);
    out[len++] = ']';
    out[len] = '\0';
    return out;
}

/* ---------------------------------------------------------------- rollup reads */

#define IDS_TABLE "JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT UNSIGNED PATH '$')) a"

static char *key3(arena *a, uint64_t unit, const char *kind, const char *code)
{
    return arena_sprintf(a, "%llu:%s:%s", (unsigned long long)unit, kind, code);
}

/* Result rows (unit, kind, code, n, sum, l1…l7) into the map "<unit>:<kind>:<code>". */
static db_status results_map(request *rq, const db_result *r, strmap *out)
{
    if (strmap_init(out, rq->a, r->nrows) != 0)
        return DB_ERROR;
    for (size_t i = 0; i < r->nrows; i++) {
        dash_figure *f = arena_alloc(rq->a, sizeof *f);
        if (!f)
            return DB_ERROR;
        long levels[DASH_LEVELS];
        for (int k = 0; k < DASH_LEVELS; k++)
            levels[k] = (long)db_cell_int(r, i, 5 + (size_t)k, 0);
        dash_figure_add(f, (long)db_cell_int(r, i, 3, 0), strtod(db_cell(r, i, 4), NULL), levels);
        char *k =
            key3(rq->a, (uint64_t)db_cell_int(r, i, 0, 0), db_cell(r, i, 1), db_cell(r, i, 2));
        if (!k || strmap_put(out, k, f) != 0)
            return DB_ERROR;
    }
    return DB_OK;
}

#define RESULTS_SELECT                                                                             \
    "SELECT r.unit_id, r.kind, r.code, r.n, r.sum, r.l1, r.l2, r.l3, r.l4, r.l5, r.l6, r.l7 "      \
    "FROM " IDS_TABLE " JOIN rollup_results r ON r.campaign_id = ? AND r.instrument_id = ? AND "   \
    "r.source = ? AND r.unit_id = a.id"

db_status dash_results_load(request *rq, uint64_t campaign, uint64_t instrument_id,
                            const char *source, const char *ids, int section_overall_only,
                            strmap *out)
{
    db_result r;
    db_val p[] = {DB_STR(ids), DB_INT(campaign), DB_INT(instrument_id), DB_STR(source)};
    /* areas and overall only: a range of the primary key per unit, not all its indicators */
    const char *sql = section_overall_only ? RESULTS_SELECT " AND r.kind IN ('section', 'overall')"
                                           : RESULTS_SELECT;
    db_status s = DB_EXEC(rq->db, rq->a, sql, p, &r);
    return s == DB_OK ? results_map(rq, &r, out) : s;
}

db_status dash_results_load_order(request *rq, uint64_t campaign, uint64_t instrument_id,
                                  const char *source, const char *ids, const char *overall_code,
                                  const char *code1, const char *code2, strmap *out)
{
    db_result r;
    if (code2 && code1 && strcmp(code1, code2) == 0)
        code2 = NULL;
#define ORDER_PART(code) DB_STR(ids), DB_INT(campaign), DB_INT(instrument_id), DB_STR(source), code
    if (!code1)
        code1 = code2, code2 = NULL;
    db_val p[] = {ORDER_PART(DB_STR(overall_code)), ORDER_PART(code1 ? DB_STR(code1) : DB_NULL),
                  ORDER_PART(code2 ? DB_STR(code2) : DB_NULL)};
#undef ORDER_PART
    /* the whole primary key by equality in each part: one row per child and figure, not the
     * unit's every row (the optimizer reads a unit's range when kind and code are not both
     * fixed); a part per area named, none for an area not named */
#define ORDER_OVERALL RESULTS_SELECT " AND r.kind = 'overall' AND r.code = ?"
#define ORDER_AREA " UNION ALL " RESULTS_SELECT " AND r.kind = 'section' AND r.code = ?"
    static const char *const sql[] = {ORDER_OVERALL, ORDER_OVERALL ORDER_AREA,
                                      ORDER_OVERALL ORDER_AREA ORDER_AREA};
#undef ORDER_OVERALL
#undef ORDER_AREA
    size_t parts = code2 ? 3 : code1 ? 2 : 1;
    db_status s = db_exec(rq->db, rq->a, sql[parts - 1], p, ARRAY_LEN(p) / 3 * parts, &r);
    return s == DB_OK ? results_map(rq, &r, out) : s;
}

const dash_figure *dash_results_get(request *rq, const strmap *m, uint64_t unit, const char *kind,
                                    const char *code)
{
    static const dash_figure none;
    char *k = key3(rq->a, unit, kind, code);
    dash_figure *f = k ? strmap_get(m, k) : NULL;
    return f ? f : &none;
}

static int put_longs(request *rq, strmap *m, uint64_t id, long a, long b)
{
    long *v = arena_alloc(rq->a, 2 * sizeof *v);
    char *k = arena_sprintf(rq->a, "%llu", (unsigned long long)id);
    if (!v || !k)
        return -1;
    v[0] = a, v[1] = b;
    return strmap_put(m, k, v);
}

db_status dash_pairs_load(request *rq, const char *sql, const db_val *p, size_t n, strmap *out)
{
    db_result r;
    db_status s = db_exec(rq->db, rq->a, sql, p, n, &r);
    if (s != DB_OK)
        return s;
    if (strmap_init(out, rq->a, r.nrows) != 0)
        return DB_ERROR;
    for (size_t i = 0; i < r.nrows; i++)
        if (put_longs(rq, out, (uint64_t)db_cell_int(&r, i, 0, 0), (long)db_cell_int(&r, i, 1, 0),
                      (long)db_cell_int(&r, i, 2, 0)) != 0)
            return DB_ERROR;
    return DB_OK;
}

long dash_map_long(request *rq, const strmap *m, uint64_t id, int index, long def)
{
    char *k = arena_sprintf(rq->a, "%llu", (unsigned long long)id);
    long *v = k ? strmap_get(m, k) : NULL;
    return v ? v[index] : def;
}

db_status dash_completion_load(request *rq, uint64_t campaign, uint64_t instrument_id,
                               const char *source, const char *ids, strmap *out)
{
    db_val p[] = {DB_STR(ids), DB_INT(campaign), DB_INT(instrument_id), DB_STR(source)};
    return DASH_PAIRS_LOAD(rq,
                           "SELECT r.unit_id, r.submitted, r.approved FROM " IDS_TABLE
                           " JOIN rollup_completion r ON r.campaign_id = ? AND r.instrument_id = "
                           "? AND r.source = ? AND r.unit_id = a.id",
                           p, out);
}

/* Rows of rollup_units for the units in ids: kinds[k] -> out[k] ("<id>" -> long[2]: the
 * count and whether there was a row). */
static db_status unit_counts(request *rq, const char *ids, const char *kind, strmap *out)
{
    db_val p[] = {DB_STR(ids), DB_STR(kind)};
    return DASH_PAIRS_LOAD(rq,
                           "SELECT r.unit_id, r.n, 1 FROM " IDS_TABLE
                           " JOIN rollup_units r ON r.unit_id = a.id AND r.kind = ?",
                           p, out);
}

/* The kindergartens under unit u (alias k) that take part in the campaign bound first. */
#define SAMPLE_KG                                                                                  \
    " JOIN org_units k ON k.level = 'kindergarten' AND k.active = 1 AND k.path LIKE "              \
    "CONCAT(u.path, '%') JOIN campaign_participants p ON p.campaign_id = ? AND "                   \
    "p.kindergarten_id = k.id "

/* What a sample campaign expects under each unit of ids: its kindergartens in the sample,
 * their active groups, teachers or expert assignments. Same map as unit_counts. */
static db_status sample_counts(request *rq, uint64_t campaign, const char *ids, const char *kind,
                               strmap *out)
{
    const char *sql =
        strcmp(kind, "group") == 0
            ? "SELECT a.id, COUNT(*), 1 FROM " IDS_TABLE " JOIN org_units u ON u.id = a.id JOIN "
              "org_units g ON g.level = 'group' AND g.active = 1 AND g.path LIKE CONCAT(u.path, "
              "'%') JOIN campaign_participants p ON p.campaign_id = ? AND p.kindergarten_id = "
              "g.parent_id GROUP BY a.id"
        : strcmp(kind, "teacher") == 0
            ? "SELECT a.id, COUNT(*), 1 FROM " IDS_TABLE
              " JOIN org_units u ON u.id = a.id" SAMPLE_KG
              "JOIN users t ON t.org_unit_id = k.id AND t.role = 'teacher' AND t.active = 1 "
              "GROUP BY a.id"
        : strcmp(kind, "expert") == 0
            ? "SELECT a.id, COUNT(*), 1 FROM " IDS_TABLE
              " JOIN org_units u ON u.id = a.id" SAMPLE_KG
              "JOIN expert_assignments ea ON ea.kindergarten_id = k.id GROUP BY a.id"
            : "SELECT a.id, COUNT(*), 1 FROM " IDS_TABLE
              " JOIN org_units u ON u.id = a.id" SAMPLE_KG "GROUP BY a.id";
    db_val p[] = {DB_STR(ids), DB_INT(campaign)};
    return DASH_PAIRS_LOAD(rq, sql, p, out);
}

db_status dash_expected_load(request *rq, uint64_t campaign, const char *ids, uint64_t unit,
                             const char *source, strmap *out, long *total)
{
    const char *kind = strcmp(source, "self") == 0 ? "kindergarten" : source;
    db_result c;
    db_val p[] = {DB_INT(campaign)};
    db_status s = DB_EXEC(rq->db, rq->a,
                          "SELECT participation = 'sample' FROM campaigns WHERE id = ?", p, &c);
    if (s != DB_OK)
        return s;
    int sample = c.nrows == 1 && db_cell_int(&c, 0, 0, 0);
    s = sample ? sample_counts(rq, campaign, ids, kind, out) : unit_counts(rq, ids, kind, out);
    if (s == DB_OK)
        *total = dash_map_long(rq, out, unit, 0, 0);
    return s;
}

db_status dash_enrolled_load(request *rq, const char *ids, uint64_t unit, strmap *out, long *total)
{
    strmap sums, known;
    db_status s = unit_counts(rq, ids, "enrolled", &sums);
    if (s == DB_OK)
        s = unit_counts(rq, ids, "enrolled_known", &known);
    if (s != DB_OK || strmap_init(out, rq->a, 8) != 0)
        return s == DB_OK ? DB_ERROR : s;
    /* only the units with a group that has the figure; the others stay unknown */
    db_result r;
    db_val p[] = {DB_STR(ids)};
    s = DB_EXEC(rq->db, rq->a, "SELECT a.id FROM " IDS_TABLE, p, &r);
    if (s != DB_OK)
        return s;
    for (size_t i = 0; i < r.nrows; i++) {
        uint64_t id = (uint64_t)db_cell_int(&r, i, 0, 0);
        if (dash_map_long(rq, &known, id, 0, 0) > 0 &&
            put_longs(rq, out, id, dash_map_long(rq, &sums, id, 0, 0), 1) != 0)
            return DB_ERROR;
    }
    *total = dash_map_long(rq, out, unit, 0, -1);
    return DB_OK;
}

/* ---------------------------------------------------------------- JSON */

json_t *dash_mean_json(const dash_figure *f)
{
    return dash_figure_has_mean(f) ? json_real(dash_figure_mean(f)) : json_null();
}

json_t *dash_figure_json(const dash_figure *f)
{
    json_t *levels = json_array();
    for (int k = 0; k < DASH_LEVELS; k++)
        json_array_append_new(levels, json_integer(f->levels[k]));
    return json_pack("{s:I, s:o, s:o}", "n", (json_int_t)f->n, "mean", dash_mean_json(f), "levels",
                     levels);
}

json_t *dash_share_json(double v)
{
    return v < 0 ? json_null() : json_real(v);
}
