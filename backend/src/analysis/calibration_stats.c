/* The groups of a calibration and their figures as JSON: pure, no I/O. */
#include "analysis/calibration.h"

#include <math.h>
#include <string.h>

int calibration_groups_init(calibration_groups *g, arena *a)
{
    memset(g, 0, sizeof *g);
    g->a = a;
    return strmap_init(&g->index, a, 64);
}

calibration_group *calibration_group_of(calibration_groups *g, const char *key, uint64_t id,
                                        const char *label)
{
    calibration_group *c = strmap_get(&g->index, key);
    if (c)
        return c;
    if (g->n == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 16;
        calibration_group **items = arena_alloc(g->a, cap * sizeof *items);
        if (!items)
            return NULL;
        if (g->n)
            memcpy(items, g->items, g->n * sizeof *items);
        g->items = items;
        g->cap = cap;
    }
    c = arena_alloc(g->a, sizeof *c);
    char *k = arena_strdup(g->a, key);
    if (!c || !k || kappa_table_init(&c->t, KAPPA_MAX_LEVELS) != 0)
        return NULL;
    c->key = k;
    c->id = id;
    c->label = label;
    if (strmap_put(&g->index, k, c) != 0)
        return NULL;
    g->items[g->n++] = c;
    return c;
}

const char *calibration_area_of(arena *a, const char *indicator)
{
    const char *dot = strrchr(indicator, '.');
    return dot ? arena_strndup(a, indicator, (size_t)(dot - indicator)) : indicator;
}

/* Three decimals are plenty for shares and kappa; the client rounds for display. */
static json_t *num(double v)
{
    return json_real(round(v * 10000.0) / 10000.0);
}

json_t *calibration_stats_json(const kappa_table *t, const calibration_flags *f)
{
    kappa_result r;
    if (kappa_compute(t, KAPPA_QUADRATIC, &r) != 0)
        return json_null();
    int flagged = r.n >= (double)f->min_items && r.n > 0 && fabs(r.mean_diff) >= f->gap;
    return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:b}", "n", (json_int_t)r.n, "exact",
                     num(r.exact), "within_one", num(r.within_one), "mean_diff", num(r.mean_diff),
                     "kappa", r.defined ? num(r.kappa) : json_null(), "se",
                     r.defined ? num(r.se) : json_null(), "ci",
                     r.defined ? json_pack("[o, o]", num(r.ci_low), num(r.ci_high)) : json_null(),
                     "flagged", flagged);
}

json_t *calibration_groups_json(const calibration_groups *g, const calibration_flags *f,
                                const char *id_key, const char *label_key)
{
    json_t *out = json_array();
    for (size_t i = 0; i < g->n; i++) {
        const calibration_group *c = g->items[i];
        json_t *o = json_object();
        if (c->id)
            json_object_set_new(o, id_key, json_integer((json_int_t)c->id));
        else
            json_object_set_new(o, id_key, json_string(c->key));
        json_object_set_new(o, label_key, c->label ? json_string(c->label) : json_null());
        json_t *stats = calibration_stats_json(&c->t, f);
        json_object_update(o, stats);
        json_decref(stats);
        json_array_append_new(out, o);
    }
    return out;
}
