#include "dashboards/dash_scores.h"

#include "dashboards/dashboard_data.h"

#include <math.h>
#include <string.h>

long dash_shown_tenths(double mean)
{
    return isfinite(mean) && mean >= 0 ? (long)floor(10.0 * mean + 0.5 + 1e-9) : 0;
}

db_status dash_unit_scores(request *rq, uint64_t campaign, const char *source, uint64_t unit,
                           dash_scores *out)
{
    memset(out, 0, sizeof *out);
    db_status s = dash_default_instrument(rq, campaign, 0, &out->instrument_id);
    if (s != DB_OK || !out->instrument_id)
        return s;
    stored_instrument si;
    strmap res;
    const char *ids = arena_sprintf(rq->a, "[%llu]", (unsigned long long)unit);
    s = ids ? dash_instrument_load(rq, out->instrument_id, &si) : DB_ERROR;
    if (s == DB_OK)
        s = dash_results_load(rq, campaign, out->instrument_id, source, ids, 1, &res);
    if (s != DB_OK)
        return s;
    const instrument *ins = si.ins;
    size_t n = ins->n_sections ? ins->n_sections : 1;
    out->codes = arena_alloc(rq->a, n * sizeof *out->codes);
    out->titles = arena_alloc(rq->a, n * sizeof *out->titles);
    out->has = arena_alloc(rq->a, n * sizeof *out->has);
    out->means = arena_alloc(rq->a, n * sizeof *out->means);
    out->tenths = arena_alloc(rq->a, n * sizeof *out->tenths);
    if (!out->codes || !out->titles || !out->has || !out->means || !out->tenths)
        return DB_ERROR;
    const dash_figure *o = dash_results_get(rq, &res, unit, "overall", ins->code);
    out->has_overall = dash_figure_has_mean(o);
    out->overall = dash_figure_mean(o);
    out->overall_tenths = dash_shown_tenths(out->overall);
    out->n = ins->n_sections;
    for (size_t i = 0; i < ins->n_sections; i++) {
        const dash_figure *f = dash_results_get(rq, &res, unit, "section", ins->sections[i].code);
        out->codes[i] = ins->sections[i].code;
        out->titles[i] = ins->sections[i].title.ru;
        out->has[i] = dash_figure_has_mean(f);
        out->means[i] = dash_figure_mean(f);
        out->tenths[i] = dash_shown_tenths(out->means[i]);
    }
    return DB_OK;
}
