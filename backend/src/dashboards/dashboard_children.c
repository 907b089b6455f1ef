/* GET /api/v1/dashboards/units/{id}/children: the unit's children with completion and
 * results (mean per area and overall, level distribution), filtered, sorted and paged. */
#include "dashboards/dashboard_data.h"

#include <string.h>

/* {"n","overall","sections":{code: mean},"levels"} from the overall figure and one per
 * area. */
static json_t *results_json(const dash_figure *o, const dash_figure *sections,
                            const instrument *ins)
{
    json_t *by_code = json_object();
    for (size_t i = 0; i < ins->n_sections; i++)
        json_object_set_new(by_code, ins->sections[i].code, dash_mean_json(&sections[i]));
    json_t *f = dash_figure_json(o);
    json_t *out =
        json_pack("{s:O, s:o, s:o, s:O}", "n", json_object_get(f, "n"), "overall",
                  dash_mean_json(o), "sections", by_code, "levels", json_object_get(f, "levels"));
    json_decref(f);
    return out;
}

/* The unit's own figures from its rollup rows. */
static int unit_figures(request *rq, const strmap *res, uint64_t unit, const instrument *ins,
                        dash_figure *overall, dash_figure **sections)
{
    *overall = *dash_results_get(rq, res, unit, "overall", ins->code);
    *sections = arena_alloc(rq->a, (ins->n_sections ? ins->n_sections : 1) * sizeof **sections);
    if (!*sections)
        return -1;
    for (size_t k = 0; k < ins->n_sections; k++)
        (*sections)[k] = *dash_results_get(rq, res, unit, "section", ins->sections[k].code);
    return 0;
}

static json_t *completion_json(long expected, long submitted, long approved)
{
    return json_pack("{s:I, s:I, s:I}", "expected", (json_int_t)expected, "submitted",
                     (json_int_t)submitted, "approved", (json_int_t)approved);
}

static dash_order order_of(dash_sort s)
{
    switch (s) {
    case DASH_SORT_OVERALL:
        return DASH_ORDER_OVERALL;
    case DASH_SORT_COMPLETION:
        return DASH_ORDER_COMPLETION;
    case DASH_SORT_SECTION:
        return DASH_ORDER_SECTION;
    default:
        return DASH_ORDER_NAME;
    }
}

static size_t section_index(const instrument *ins, const char *code)
{
    for (size_t i = 0; code && i < ins->n_sections; i++)
        if (strcmp(ins->sections[i].code, code) == 0)
            return i;
    return 0;
}

/* The rollup reads of a list for the units of one JSON id list: figures, completion and
 * what is expected ("<unit>:<kind>:<code>" and "<unit>" maps of dashboard_data.h). */
typedef struct {
    strmap res, done, expected;
    long total_expected;
} list_reads;

/* How much of every child a list reads before it knows its page. */
typedef enum {
    READ_PAGE,   /* the name order without filters: the page's children only */
    READ_NARROW, /* a filter or an order by a figure: of every child the figures it names */
    READ_ALL     /* above the scope or confirmed=1: every figure of every child */
} read_mode;

static read_mode mode_of(const dash_query *q)
{
    int whole =
        q->sort != DASH_SORT_NAME || q->sort_desc || q->has_below || q->overdue || q->above_scope;
    if (!whole)
        return READ_PAGE;
    /* above the scope the totals add up every child's figures; confirmed=1 makes every
     * child's figures again from its confirmed kindergartens' (dash_confirmed_apply) */
    return q->above_scope || q->confirmed ? READ_ALL : READ_NARROW;
}

/* Reads for ids. narrow: the overall figure and the areas the query filters or sorts by
 * only, and completion only when the query filters or sorts by it. */
static db_status list_reads_load(request *rq, const dash_query *q, uint64_t campaign,
                                 const stored_instrument *si, const char *source, const char *ids,
                                 int narrow, list_reads *r)
{
    uint64_t instrument_id = si->id;
    r->total_expected = 0;
    db_status s = narrow ? dash_results_load_order(
                               rq, campaign, instrument_id, source, ids, si->ins->code, q->section,
                               q->sort == DASH_SORT_SECTION ? q->sort_code : NULL, &r->res)
                         : dash_results_load(rq, campaign, instrument_id, source, ids, 1, &r->res);
    if (s == DB_OK && narrow && !q->overdue && q->sort != DASH_SORT_COMPLETION)
        return strmap_init(&r->done, rq->a, 1) || strmap_init(&r->expected, rq->a, 1) ? DB_ERROR
                                                                                      : DB_OK;
    if (s == DB_OK)
        s = dash_completion_load(rq, campaign, instrument_id, source, ids, &r->done);
    if (s == DB_OK)
        s = dash_expected_load(rq, campaign, ids, q->unit.id, source, &r->expected,
                               &r->total_expected);
    return s;
}

/* Child it's completion, overdue flag and figures from r. */
static int child_fill(request *rq, dash_child *it, const list_reads *r, const dash_late *late,
                      const instrument *ins)
{
    it->expected = dash_map_long(rq, &r->expected, it->id, 0, 0);
    it->submitted = dash_map_long(rq, &r->done, it->id, 0, 0);
    it->approved = dash_map_long(rq, &r->done, it->id, 1, 0);
    it->overdue = dash_late_overdue(rq, late, it->id, it->level, it->expected, it->submitted);
    return unit_figures(rq, &r->res, it->id, ins, &it->overall, &it->sections);
}

/* The children's rows with their figures, in the order of ch; NULL when out of memory. */
static dash_child *child_items(request *rq, const dash_children *ch, const list_reads *r,
                               const dash_late *late, const instrument *ins)
{
    dash_child *items = arena_alloc(rq->a, (ch->n ? ch->n : 1) * sizeof *items);
    if (!items)
        return NULL;
    for (size_t i = 0; i < ch->n; i++) {
        dash_child *it = &items[i];
        it->id = ch->ids[i];
        it->name = ch->names[i];
        it->level = ch->levels[i];
        it->rank = i;
        if (child_fill(rq, it, r, late, ins) != 0)
            return NULL;
    }
    return items;
}

/* Above the scope the totals are the sums of the children shown: above a kindergarten a
 * figure is over kindergartens, so a kindergarten child adds its value and a municipality
 * its sums (docs/api-dashboards.md). Returns whether any child is overdue. */
static int sum_children(const dash_child *items, size_t n, const instrument *ins,
                        dash_figure *overall, dash_figure *sections, long *expected,
                        long *submitted, long *approved)
{
    int overdue = 0;
    *overall = (dash_figure){0};
    for (size_t k = 0; k < ins->n_sections; k++)
        sections[k] = (dash_figure){0};
    *expected = *submitted = *approved = 0;
    for (size_t i = 0; i < n; i++) {
        int kg = strcmp(items[i].level, "kindergarten") == 0;
        if (kg)
            dash_figure_add_unit(overall, &items[i].overall);
        else
            dash_figure_add(overall, items[i].overall.n, items[i].overall.sum,
                            items[i].overall.levels);
        for (size_t k = 0; k < ins->n_sections; k++)
            if (kg)
                dash_figure_add_unit(&sections[k], &items[i].sections[k]);
            else
                dash_figure_add(&sections[k], items[i].sections[k].n, items[i].sections[k].sum,
                                items[i].sections[k].levels);
        *expected += items[i].expected;
        *submitted += items[i].submitted;
        *approved += items[i].approved;
        overdue |= items[i].overdue; /* nothing of the others shows through */
    }
    return overdue;
}

/* The listed page: items[from, to) of the filtered and sorted list; statuses[i] is the
 * status kindergarten from + i was given (analysis/), or NULL. */
static json_t *page_json(const dash_child *items, size_t from, size_t to, const instrument *ins,
                         const char *const *statuses)
{
    json_t *list = json_array();
    for (size_t i = from; i < to; i++) {
        const dash_child *it = &items[i];
        json_array_append_new(
            list,
            json_pack("{s:I, s:s, s:s, s:b, s:o, s:o, s:s?}", "id", (json_int_t)it->id, "name",
                      it->name, "level", it->level, "overdue", it->overdue, "completion",
                      completion_json(it->expected, it->submitted, it->approved), "results",
                      results_json(&it->overall, it->sections, ins), "status", statuses[i - from]));
    }
    return list;
}

/* The filters of the query, then its order; *n: how many children remain. */
static int filter_and_sort(request *rq, const dash_query *q, const instrument *ins,
                           dash_child *items, size_t all, size_t *n)
{
    dash_filter f = {.below_on = q->has_below,
                     .below_section = section_index(ins, q->section),
                     .below = q->below,
                     .overdue_only = q->overdue};
    *n = dash_children_filter(items, all, &f);
    return dash_children_sort(rq->a, items, *n, order_of(q->sort), section_index(ins, q->sort_code),
                              q->sort_desc);
}

/* The page's bounds [*from, *to) in a list of n. */
static void page_bounds(const dash_query *q, size_t n, size_t *from, size_t *to)
{
    *from = (size_t)q->offset < n ? (size_t)q->offset : n;
    *to = n - *from > (size_t)q->limit ? *from + (size_t)q->limit : n;
}

/* The listed page with the status each of its kindergartens was given (analysis/), and the
 * unit's own sheets (a founder's assessment of itself). */
static db_status page_list(request *rq, uint64_t campaign, const dash_child *items, size_t n,
                           const dash_query *q, const instrument *ins, json_t **list, json_t **own)
{
    const char **statuses = NULL;
    *own = NULL;
    size_t from, to;
    page_bounds(q, n, &from, &to);
    db_status s = dash_statuses_load(rq, campaign, items + from, to - from, &statuses);
    if (s != DB_OK)
        return s;
    *list = page_json(items, from, to, ins, statuses);
    if (!*list)
        return DB_ERROR;
    s = dash_own_sheets_json(rq, &q->unit, campaign, own);
    if (s != DB_OK) {
        json_decref(*own);
        json_decref(*list);
        *own = *list = NULL;
    }
    return s;
}

/* The totals of the list: the unit's own figures and completion, or above the scope the
 * sums of every child (not only the filtered ones); confirmed=1 keeps the confirmed
 * kindergartens' figures only. */
typedef struct {
    dash_figure overall;
    dash_figure *sections;
    long expected, submitted, approved;
    int overdue;
} list_total;

static db_status list_total_of(request *rq, const dash_query *q, const char *source,
                               const instrument *ins, const list_reads *r, const dash_late *late,
                               dash_child *items, size_t n, list_total *t)
{
    if (unit_figures(rq, &r->res, q->unit.id, ins, &t->overall, &t->sections) != 0)
        return DB_ERROR;
    if (q->confirmed &&
        dash_confirmed_apply(rq, q, source, ins, items, n, &t->overall, t->sections) != DB_OK)
        return DB_ERROR;
    t->expected = r->total_expected;
    t->submitted = dash_map_long(rq, &r->done, q->unit.id, 0, 0);
    t->approved = dash_map_long(rq, &r->done, q->unit.id, 1, 0);
    if (q->above_scope)
        t->overdue = sum_children(items, n, ins, &t->overall, t->sections, &t->expected,
                                  &t->submitted, &t->approved);
    else
        t->overdue = dash_late_overdue(rq, late, q->unit.id, NULL, t->expected, t->submitted);
    return DB_OK;
}

/* After a narrow read (READ_NARROW), every figure and the completion of the page's
 * children and of the unit itself, into the page's items and r. */
static db_status page_reads(request *rq, const dash_query *q, uint64_t campaign,
                            const stored_instrument *si, const char *source, const dash_late *late,
                            dash_child *items, size_t n, list_reads *r)
{
    size_t from, to;
    page_bounds(q, n, &from, &to);
    dash_children page = {.n = to - from};
    page.ids = arena_alloc(rq->a, (page.n ? page.n : 1) * sizeof *page.ids);
    if (!page.ids)
        return DB_ERROR;
    for (size_t i = from; i < to; i++)
        page.ids[i - from] = items[i].id;
    const char *ids = dash_ids_json(rq->a, q->unit.id, &page, 0, -1);
    db_status s = ids ? list_reads_load(rq, q, campaign, si, source, ids, 0, r) : DB_ERROR;
    for (size_t i = from; s == DB_OK && i < to; i++)
        if (child_fill(rq, &items[i], r, late, si->ins) != 0)
            s = DB_ERROR;
    return s;
}

/* The children's rows: read as mode says, filtered and sorted, the page's read again in
 * full after a narrow read; *n: how many passed the filters. */
static db_status list_items(request *rq, const dash_query *q, uint64_t campaign,
                            const stored_instrument *si, const char *source, const dash_late *late,
                            const dash_children *ch, dash_child **items, size_t *n, list_total *t)
{
    read_mode mode = mode_of(q);
    const char *ids = dash_ids_json(rq->a, q->unit.id, ch, mode == READ_PAGE ? q->offset : 0,
                                    mode == READ_PAGE ? q->limit : -1);
    list_reads r;
    db_status s =
        ids ? list_reads_load(rq, q, campaign, si, source, ids, mode == READ_NARROW, &r) : DB_ERROR;
    if (s != DB_OK)
        return s;
    *items = child_items(rq, ch, &r, late, si->ins);
    if (!*items)
        return DB_ERROR;
    /* the totals are over every child, so they come before the filter */
    if (mode != READ_NARROW)
        s = list_total_of(rq, q, source, si->ins, &r, late, *items, ch->n, t);
    if (s == DB_OK && filter_and_sort(rq, q, si->ins, *items, ch->n, n) != 0)
        s = DB_ERROR;
    if (s != DB_OK || mode != READ_NARROW)
        return s;
    s = page_reads(rq, q, campaign, si, source, late, *items, *n, &r);
    return s == DB_OK ? list_total_of(rq, q, source, si->ins, &r, late, *items, 0, t) : s;
}

db_status dashboard_children_json(request *rq, const dash_query *q, json_t **out)
{
    *out = NULL;
    const char *source = dash_source(q, 1);
    dash_campaign c;
    int found = 0;
    stored_instrument si;
    dash_children ch;
    db_status s = dash_campaign_load(rq, q->campaign_id, &c, &found);
    if (s == DB_OK && !found)
        s = DB_ERROR; /* checked by dash_query_parse */
    if (s == DB_OK)
        s = dash_instrument_load(rq, q->instrument_id, &si);
    if (s == DB_OK)
        s = dash_children_load(rq, &q->unit, !q->above_scope, q->q, &ch);
    dash_late late;
    if (s == DB_OK)
        s = dash_late_load(rq, &c, si.id, source, &q->unit, &late);
    dash_child *items = NULL;
    size_t n = 0;
    list_total t;
    if (s == DB_OK)
        s = list_items(rq, q, c.id, &si, source, &late, &ch, &items, &n, &t);
    json_t *unit = NULL;
    if (s == DB_OK)
        s = dash_unit_json(rq, &q->unit, &unit);
    if (s != DB_OK)
        return s;
    arena_json(rq->a, unit);
    const instrument *ins = si.ins;
    json_t *list = NULL, *own = NULL;
    if (page_list(rq, c.id, items, n, q, ins, &list, &own) != DB_OK)
        return DB_ERROR;
    *out = json_pack("{s:O, s:o, s:o, s:s, s:b, s:o, s:{s:o, s:o, s:b}, s:o, s:I, s:o}", "unit",
                     unit, "campaign", dash_campaign_json(&c), "instrument",
                     dash_instrument_json(&si), "source", source, "confirmed", q->confirmed,
                     "basis", dash_basis_json(source, t.expected, t.submitted, t.approved), "total",
                     "completion", completion_json(t.expected, t.submitted, t.approved), "results",
                     results_json(&t.overall, t.sections, ins), "overdue", t.overdue, "items", list,
                     "count", (json_int_t)n, "own_sheets", own);
    return *out ? DB_OK : DB_ERROR;
}
