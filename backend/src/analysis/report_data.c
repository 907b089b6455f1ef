/* The figures of an analytic report (report_data.h): each read through a dashboard view. */
#include "analysis/status_store.h"
#include "core/strmap.h"
#include "analysis/report_data.h"
#include "analysis/target_rules.h"
#include "analysis/target_store.h"

#include <stdlib.h>
#include <string.h>

#define REPORT_TOP 3 /* strongest and weakest: three of each */

void report_dash_query(dash_query *q, const scope_unit *u, uint64_t campaign, uint64_t instrument,
                       const char *source)
{
    memset(q, 0, sizeof *q);
    q->unit = *u;
    q->campaign_id = campaign;
    q->instrument_id = instrument;
    q->instrument_given = instrument != 0;
    q->source = source;
    q->source_given = source != NULL;
    q->limit = DASH_LIMIT_MAX;
}

/* ---------------------------------------------------------------- ranking */

typedef struct {
    json_t *row; /* a section or indicator of the breakdown */
    double mean;
    size_t order;
} ranked;

static int by_mean_desc(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->mean != y->mean)
        return x->mean > y->mean ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* {"code","title","mean","n"} of a ranked row. */
static json_t *ranked_json(const ranked *r)
{
    json_t *unit = json_object_get(r->row, "unit");
    return json_pack("{s:O, s:O, s:O, s:O}", "code", json_object_get(r->row, "code"), "title",
                     json_object_get(r->row, "title"), "mean", json_object_get(unit, "mean"), "n",
                     json_object_get(unit, "n"));
}

/* {"strongest": [...], "weakest": [...]} of the rows with a mean: the first REPORT_TOP by
 * mean descending and the last REPORT_TOP ascending (fewer when there are fewer rows, and no
 * row in both lists). */
static json_t *extremes(request *rq, json_t **rows, size_t n)
{
    ranked *r = arena_alloc(rq->a, (n ? n : 1) * sizeof *r);
    size_t k = 0;
    for (size_t i = 0; r && i < n; i++) {
        json_t *mean = json_object_get(json_object_get(rows[i], "unit"), "mean");
        if (json_is_number(mean))
            r[k++] = (ranked){rows[i], json_number_value(mean), i};
    }
    json_t *strong = json_array(), *weak = json_array();
    if (r && k) {
        qsort(r, k, sizeof *r, by_mean_desc);
        size_t top = k < REPORT_TOP ? k : REPORT_TOP;
        size_t bottom = k - top < REPORT_TOP ? k - top : REPORT_TOP;
        for (size_t i = 0; i < top; i++)
            json_array_append_new(strong, ranked_json(&r[i]));
        for (size_t i = 0; i < bottom; i++)
            json_array_append_new(weak, ranked_json(&r[k - 1 - i]));
    }
    return json_pack("{s:o, s:o}", "strongest", strong, "weakest", weak);
}

/* The rows of the breakdown: its areas, or all its indicators. */
static json_t **breakdown_rows(request *rq, const json_t *bd, int indicators, size_t *n)
{
    json_t *sections = json_object_get(bd, "sections");
    size_t cap = 0, i, j;
    json_t *s, *ind;
    json_array_foreach(sections, i, s)
    {
        cap += indicators ? json_array_size(json_object_get(s, "indicators")) : 1;
    }
    json_t **rows = arena_alloc(rq->a, (cap ? cap : 1) * sizeof *rows);
    *n = 0;
    if (!rows)
        return NULL;
    json_array_foreach(sections, i, s)
    {
        if (!indicators) {
            rows[(*n)++] = s;
            continue;
        }
        json_array_foreach(json_object_get(s, "indicators"), j, ind)
        {
            rows[(*n)++] = ind;
        }
    }
    return rows;
}

static json_t *ranking_json(request *rq, const json_t *bd)
{
    size_t ns = 0, ni = 0;
    json_t **secs = breakdown_rows(rq, bd, 0, &ns);
    json_t **inds = breakdown_rows(rq, bd, 1, &ni);
    if (!secs || !inds)
        return NULL;
    return json_pack("{s:o, s:o}", "sections", extremes(rq, secs, ns), "indicators",
                     extremes(rq, inds, ni));
}

/* ---------------------------------------------------------------- self vs expert */

static json_t *gap_of(const json_t *self_fig, const json_t *expert_fig)
{
    json_t *a = json_object_get(self_fig, "mean"), *b = json_object_get(expert_fig, "mean");
    if (!json_is_number(a) || !json_is_number(b))
        return json_null();
    return json_real(json_number_value(b) - json_number_value(a));
}

/* Per area and overall: the self-assessment's mean, the experts' and expert − self. */
static json_t *gaps_json(const json_t *self_bd, const json_t *expert_bd)
{
    json_t *rows = json_array();
    size_t i;
    json_t *s;
    json_t *es = json_object_get(expert_bd, "sections");
    json_array_foreach(json_object_get(self_bd, "sections"), i, s)
    {
        json_t *self_fig = json_object_get(s, "unit");
        json_t *exp_fig = json_object_get(json_array_get(es, i), "unit");
        json_array_append_new(
            rows, json_pack("{s:O, s:O, s:O, s:O, s:o}", "code", json_object_get(s, "code"),
                            "title", json_object_get(s, "title"), "self", self_fig, "expert",
                            exp_fig ? exp_fig : json_null(), "gap", gap_of(self_fig, exp_fig)));
    }
    json_t *so = json_object_get(json_object_get(self_bd, "overall"), "unit");
    json_t *eo = json_object_get(json_object_get(expert_bd, "overall"), "unit");
    return json_pack("{s:O, s:{s:O, s:O, s:o}, s:o}", "basis", json_object_get(expert_bd, "basis"),
                     "overall", "self", so, "expert", eo ? eo : json_null(), "gap", gap_of(so, eo),
                     "sections", rows);
}

/* ---------------------------------------------------------------- the document */

static db_status view(request *rq, const scope_unit *u, uint64_t campaign, uint64_t instrument,
                      const char *source, db_status (*fn)(request *, const dash_query *, json_t **),
                      json_t **out)
{
    dash_query q;
    report_dash_query(&q, u, campaign, instrument, source);
    return fn(rq, &q, out);
}

/* The parents view's total and statements, or null when the campaign has no questionnaire. */
static db_status parents_part(request *rq, const scope_unit *u, uint64_t campaign, json_t **out)
{
    uint64_t pq = 0;
    db_status s = dash_default_instrument(rq, campaign, 1, &pq);
    *out = NULL;
    if (s != DB_OK || !pq) {
        *out = json_null();
        return s;
    }
    json_t *doc = NULL;
    s = view(rq, u, campaign, pq, NULL, dashboard_parents_json, &doc);
    if (s == DB_OK)
        *out =
            json_pack("{s:O, s:O, s:O, s:O}", "instrument", json_object_get(doc, "instrument"),
                      "total", json_object_get(doc, "total"), "statements",
                      json_object_get(doc, "statements"), "items", json_object_get(doc, "items"));
    json_decref(doc);
    return s;
}

/* The completion of every instrument of the campaign. */
static db_status completion_part(request *rq, const scope_unit *u, uint64_t campaign, json_t **out)
{
    dash_query q;
    report_dash_query(&q, u, campaign, 0, NULL);
    json_t *doc = NULL;
    db_status s = dashboard_completion_json(rq, &q, &doc);
    *out = s == DB_OK ? json_incref(json_object_get(doc, "instruments")) : NULL;
    json_decref(doc);
    return s;
}

/* The children view (with each child's target) without its header. */
static db_status children_part(request *rq, const scope_unit *u, uint64_t campaign,
                               uint64_t instrument, json_t **out)
{
    json_t *doc = NULL;
    db_status s = view(rq, u, campaign, instrument, NULL, dashboard_children_json, &doc);
    if (s == DB_OK)
        s = target_annotate_children(rq, doc);
    *out = s == DB_OK
               ? json_pack("{s:O, s:O, s:O, s:O, s:O?}", "source", json_object_get(doc, "source"),
                           "basis", json_object_get(doc, "basis"), "total",
                           json_object_get(doc, "total"), "items", json_object_get(doc, "items"),
                           "own_sheets", json_object_get(doc, "own_sheets"))
               : NULL;
    json_decref(doc);
    return s;
}

/* The status the kindergarten was given in the campaign (docs/analysis.md, "Statuses"), or
 * null: not given yet, or the unit is not a kindergarten. */
static db_status unit_status_json(request *rq, const scope_unit *u, uint64_t campaign, json_t **out)
{
    *out = json_null();
    if (u->level != LEVEL_KINDERGARTEN)
        return DB_OK;
    char ids[32], key[24];
    snprintf(ids, sizeof ids, "[%llu]", (unsigned long long)u->id);
    snprintf(key, sizeof key, "%llu", (unsigned long long)u->id);
    strmap m;
    db_status s = status_names_load(rq, campaign, ids, &m);
    const char *name = s == DB_OK ? strmap_get(&m, key) : NULL;
    if (name)
        *out = json_string(name);
    return s;
}

db_status report_data_json(request *rq, const scope_unit *u, uint64_t campaign, uint64_t instrument,
                           json_t **out)
{
    *out = NULL;
    json_t *bd = NULL, *ex = NULL, *parents = NULL, *completion = NULL, *children = NULL,
           *targets = NULL;
    db_status s = view(rq, u, campaign, instrument, "self", dashboard_breakdown_json, &bd);
    if (s == DB_OK)
        s = view(rq, u, campaign, instrument, "expert", dashboard_breakdown_json, &ex);
    if (s == DB_OK)
        s = parents_part(rq, u, campaign, &parents);
    if (s == DB_OK)
        s = completion_part(rq, u, campaign, &completion);
    if (s == DB_OK && u->level != LEVEL_GROUP)
        s = children_part(rq, u, campaign, instrument, &children);
    if (s == DB_OK)
        s = report_targets_json(rq, bd, &targets);
    json_t *ranking = s == DB_OK ? ranking_json(rq, bd) : NULL;
    if (s == DB_OK && ranking)
        *out = json_pack(
            "{s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:o, s:o, s:o, s:o, s:o, s:o}", "unit",
            json_object_get(bd, "unit"), "campaign", json_object_get(bd, "campaign"), "instrument",
            json_object_get(bd, "instrument"), "source", json_object_get(bd, "source"), "basis",
            json_object_get(bd, "basis"), "parent_unit", json_object_get(bd, "parent_unit"),
            "previous_campaign", json_object_get(bd, "previous_campaign"), "overall",
            json_object_get(bd, "overall"), "sections", json_object_get(bd, "sections"), "ranking",
            ranking, "self_vs_expert", gaps_json(bd, ex), "parents", parents, "completion",
            completion, "children", children ? children : json_null(), "targets", targets);
    else {
        json_decref(ranking);
        json_decref(parents);
        json_decref(completion);
        json_decref(children);
        json_decref(targets);
    }
    json_decref(bd);
    json_decref(ex);
    json_t *status = NULL;
    if (s == DB_OK && *out && (s = unit_status_json(rq, u, campaign, &status)) == DB_OK)
        json_object_set_new(*out, "status", status);
    return s != DB_OK ? s : *out ? DB_OK : DB_ERROR;
}

/* ---------------------------------------------------------------- targets */

static json_t *target_row(request *rq, const strmap *m, uint64_t unit, const char *kind,
                          const json_t *row, const char *code)
{
    target_pair tp = target_get(rq, m, unit, kind, code);
    long t = target_effective(tp.above, tp.own);
    json_t *fig = json_object_get(row, "unit");
    json_t *mean = json_object_get(fig, "mean");
    json_t *title = json_object_get(row, "title");
    json_t *reached =
        t < 0 ? json_null()
              : json_boolean(target_reached(json_is_number(mean), json_number_value(mean), t));
    return json_pack("{s:s, s:s?, s:O, s:o, s:{s:O, s:O}, s:o}", "kind", kind, "code",
                     *code ? code : NULL, "title", title ? title : json_null(), "target",
                     target_pair_json(&tp), "actual", "n", json_object_get(fig, "n"), "mean",
                     mean ? mean : json_null(), "reached", reached);
}

db_status report_targets_json(request *rq, const json_t *bd, json_t **out)
{
    *out = NULL;
    json_t *year = json_object_get(json_object_get(bd, "campaign"), "year");
    const char *code =
        json_string_value(json_object_get(json_object_get(bd, "instrument"), "code"));
    uint64_t unit =
        (uint64_t)json_integer_value(json_object_get(json_object_get(bd, "unit"), "id"));
    if (!code || !json_is_integer(year))
        return DB_ERROR;
    strmap m;
    db_status s = target_load(rq, unit, 0, (int)json_integer_value(year), code, &m);
    if (s != DB_OK)
        return s;
    json_t *items = json_array();
    json_array_append_new(items,
                          target_row(rq, &m, unit, "overall", json_object_get(bd, "overall"), ""));
    size_t i, j;
    json_t *sec, *ind;
    json_array_foreach(json_object_get(bd, "sections"), i, sec)
    {
        const char *sc = json_string_value(json_object_get(sec, "code"));
        json_array_append_new(items, target_row(rq, &m, unit, "section", sec, sc));
        json_array_foreach(json_object_get(sec, "indicators"), j, ind)
        {
            const char *ic = json_string_value(json_object_get(ind, "code"));
            target_pair tp = target_get(rq, &m, unit, "indicator", ic);
            if (tp.above >= 0 || tp.own >= 0)
                json_array_append_new(items, target_row(rq, &m, unit, "indicator", ind, ic));
        }
    }
    *out = json_pack("{s:O, s:s, s:o}", "year", year, "instrument", code, "items", items);
    return *out ? DB_OK : DB_ERROR;
}
