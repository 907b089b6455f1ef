/* The dashboards' confirmed=1 (docs/figures.md, "Confirmed results"): only kindergartens
 * whose results of the campaign are confirmed at the top level of its sign-off count. The
 * kindergartens' own rollup rows are read as for any view and added up by the rule above a
 * kindergarten (dash_figure_add_unit), so a filtered figure is the figure the unfiltered
 * view would show if the other kindergartens had no sheets. */
#include "dashboards/dashboard_data.h"

#include "analysis/status_store.h"

#include <stdio.h>
#include <string.h>

static void clear(dash_figure *overall, dash_figure *sections, size_t n_sections)
{
    *overall = (dash_figure){0};
    for (size_t k = 0; k < n_sections; k++)
        sections[k] = (dash_figure){0};
}

/* The path of the kindergarten at or above a unit of a kindergarten's subtree. */
static const char *kindergarten_path(arena *a, const char *path)
{
    const char *p = path;
    for (int slashes = 0; *p; p++)
        if (*p == '/' && ++slashes == 4)
            return arena_strndup(a, path, (size_t)(p - path) + 1);
    return path;
}

/* Adds kindergarten kg's figures: its own rows for itself (sheets), one value above it. */
static void add_kindergarten(request *rq, const strmap *res, uint64_t kg, const instrument *ins,
                             int as_unit, dash_figure *overall, dash_figure *sections)
{
    const dash_figure *o = dash_results_get(rq, res, kg, "overall", ins->code);
    if (as_unit)
        dash_figure_add_unit(overall, o);
    else
        *overall = *o;
    for (size_t k = 0; k < ins->n_sections; k++) {
        const dash_figure *f = dash_results_get(rq, res, kg, "section", ins->sections[k].code);
        if (as_unit)
            dash_figure_add_unit(&sections[k], f);
        else
            sections[k] = *f;
    }
}

db_status dash_confirmed_apply(request *rq, const dash_query *q, const char *source,
                               const instrument *ins, dash_child *items, size_t n,
                               dash_figure *overall, dash_figure *sections)
{
    int inside = q->unit.level >= LEVEL_KINDERGARTEN;
    const char *path = inside ? kindergarten_path(rq->a, q->unit.path) : q->unit.path;
    signoff_confirmed_set set;
    db_status s = path ? signoff_confirmed_load(rq, q->campaign_id, path, &set) : DB_ERROR;
    if (s != DB_OK)
        return s;
    if (inside) { /* the kindergarten's own figures, or none */
        if (set.n)
            return DB_OK;
        clear(overall, sections, ins->n_sections);
        for (size_t i = 0; i < n; i++)
            clear(&items[i].overall, items[i].sections, ins->n_sections);
        return DB_OK;
    }
    dash_children kgs = {.n = set.n, .ids = set.ids};
    const char *ids = dash_ids_json(rq->a, q->unit.id, &kgs, 0, -1);
    strmap res;
    s = ids ? dash_results_load(rq, q->campaign_id, q->instrument_id, source, ids, 1, &res)
            : DB_ERROR;
    if (s != DB_OK)
        return s;
    clear(overall, sections, ins->n_sections);
    for (size_t j = 0; j < set.n; j++)
        add_kindergarten(rq, &res, set.ids[j], ins, 1, overall, sections);
    for (size_t i = 0; i < n; i++) {
        dash_child *it = &items[i];
        clear(&it->overall, it->sections, ins->n_sections);
        char *seg = arena_sprintf(rq->a, "/%llu/", (unsigned long long)it->id);
        if (!seg)
            return DB_ERROR;
        int kg = strcmp(it->level, "kindergarten") == 0;
        for (size_t j = 0; j < set.n; j++)
            if (strstr(set.paths[j], seg))
                add_kindergarten(rq, &res, set.ids[j], ins, !kg, &it->overall, it->sections);
    }
    return DB_OK;
}

/* Adds kind/code of every kindergarten of set as one value to the figure of unit in out. */
static int put_sum(request *rq, const strmap *res, const signoff_confirmed_set *set, uint64_t unit,
                   const char *kind, const char *code, strmap *out)
{
    dash_figure *f = arena_alloc(rq->a, sizeof *f);
    /* the key of dash_results_load: "<unit>:<kind>:<code>" */
    char *key = arena_sprintf(rq->a, "%llu:%s:%s", (unsigned long long)unit, kind, code);
    if (!f || !key)
        return -1;
    *f = (dash_figure){0};
    for (size_t j = 0; j < set->n; j++)
        dash_figure_add_unit(f, dash_results_get(rq, res, set->ids[j], kind, code));
    return strmap_put(out, key, f);
}

db_status dash_confirmed_results(request *rq, uint64_t campaign, uint64_t instrument_id,
                                 const char *source, const scope_unit *u, const instrument *ins,
                                 strmap *out)
{
    int inside = u->level >= LEVEL_KINDERGARTEN;
    const char *path = inside ? kindergarten_path(rq->a, u->path) : u->path;
    signoff_confirmed_set set;
    db_status s = path ? signoff_confirmed_load(rq, campaign, path, &set) : DB_ERROR;
    const char *own = arena_sprintf(rq->a, "[%llu]", (unsigned long long)u->id);
    if (s != DB_OK || !own)
        return s != DB_OK ? s : DB_ERROR;
    if (inside) /* the unit's own rows while its kindergarten is confirmed, else none */
        return dash_results_load(rq, campaign, instrument_id, source, set.n ? own : "[]", 0, out);
    dash_children kgs = {.n = set.n, .ids = set.ids};
    const char *ids = dash_ids_json(rq->a, u->id, &kgs, 0, -1);
    strmap res;
    s = ids ? dash_results_load(rq, campaign, instrument_id, source, ids, 0, &res) : DB_ERROR;
    if (s != DB_OK || strmap_init(out, rq->a, ins->n_sections + ins->n_indicators + 1) != 0)
        return s != DB_OK ? s : DB_ERROR;
    int rc = put_sum(rq, &res, &set, u->id, "overall", ins->code, out);
    for (size_t i = 0; i < ins->n_sections; i++)
        rc |= put_sum(rq, &res, &set, u->id, "section", ins->sections[i].code, out);
    for (size_t k = 0; k < ins->n_indicators; k++)
        rc |= put_sum(rq, &res, &set, u->id, "indicator", ins->indicators[k].code, out);
    return rc ? DB_ERROR : DB_OK;
}

db_status dash_statuses_load(request *rq, uint64_t campaign, const dash_child *items, size_t n,
                             const char ***names)
{
    dash_children list = {.n = n, .ids = arena_alloc(rq->a, (n ? n : 1) * sizeof(uint64_t))};
    *names = arena_alloc(rq->a, (n ? n : 1) * sizeof **names);
    if (!list.ids || !*names)
        return DB_ERROR;
    for (size_t i = 0; i < n; i++)
        list.ids[i] = items[i].id;
    const char *ids = dash_ids_json(rq->a, 0, &list, 0, -1);
    strmap m;
    db_status s = ids ? status_names_load(rq, campaign, ids, &m) : DB_ERROR;
    if (s != DB_OK)
        return s;
    for (size_t i = 0; i < n; i++) {
        char key[24];
        snprintf(key, sizeof key, "%llu", (unsigned long long)items[i].id);
        (*names)[i] = strmap_get(&m, key);
    }
    return DB_OK;
}
