/* The arithmetic of the dashboards (dash_math.h). */
#include "dashboards/dash_math.h"

#include "dashboards/rollup_value.h"

void dash_figure_add(dash_figure *f, long n, double sum, const long levels[DASH_LEVELS])
{
    f->n += n;
    f->sum += sum;
    for (int k = 0; k < DASH_LEVELS; k++)
        f->levels[k] += levels[k];
}

void dash_figure_add_unit(dash_figure *f, const dash_figure *unit)
{
    if (!dash_figure_has_mean(unit))
        return;
    double mean = dash_figure_mean(unit);
    int level = rollup_level_of(mean);
    f->n++;
    f->sum += mean;
    if (level >= 1 && level <= DASH_LEVELS)
        f->levels[level - 1]++;
}

int dash_figure_has_mean(const dash_figure *f)
{
    return f->n > 0;
}

double dash_figure_mean(const dash_figure *f)
{
    return f->n > 0 ? f->sum / (double)f->n : 0;
}

int dash_overdue(int closed, long expected, long submitted)
{
    return closed && submitted < expected;
}

double dash_completion_share(long expected, long submitted)
{
    return expected > 0 ? (double)submitted / (double)expected : -1;
}

double dash_response_rate(long responses, long enrolled)
{
    return enrolled > 0 ? (double)responses / (double)enrolled : -1;
}

double dash_share(long answered, long positive)
{
    return answered > 0 ? (double)positive / (double)answered : -1;
}

static int below(const dash_child *c, const dash_filter *f)
{
    const dash_figure *s = &c->sections[f->below_section];
    return dash_figure_has_mean(s) && dash_figure_mean(s) < f->below;
}

size_t dash_children_filter(dash_child *items, size_t n, const dash_filter *f)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (f->below_on && !below(&items[i], f))
            continue;
        if (f->overdue_only && !items[i].overdue)
            continue;
        items[k++] = items[i];
    }
    return k;
}

/* The sort key of a child; 0 when it has none. */
static int key_of(const dash_child *c, dash_order key, size_t section, double *v)
{
    switch (key) {
    case DASH_ORDER_OVERALL:
        *v = dash_figure_mean(&c->overall);
        return dash_figure_has_mean(&c->overall);
    case DASH_ORDER_COMPLETION:
        *v = dash_completion_share(c->expected, c->submitted);
        return *v >= 0;
    case DASH_ORDER_SECTION:
        *v = dash_figure_mean(&c->sections[section]);
        return dash_figure_has_mean(&c->sections[section]);
    default:
        *v = (double)c->rank;
        return 1;
    }
}

typedef struct {
    int has;
    double v;
    dash_child c;
} keyed;

/* a before b? */
static int before(const keyed *a, const keyed *b, int desc)
{
    if (a->has != b->has)
        return a->has;
    if (a->has && a->v != b->v)
        return desc ? a->v > b->v : a->v < b->v;
    return a->c.rank < b->c.rank;
}

/* A stable merge sort of k[0..n) through tmp. */
static void merge_sort(keyed *k, keyed *tmp, size_t n, int desc)
{
    if (n < 2)
        return;
    size_t h = n / 2;
    merge_sort(k, tmp, h, desc);
    merge_sort(k + h, tmp, n - h, desc);
    size_t i = 0, j = h, o = 0;
    while (i < h && j < n)
        tmp[o++] = before(&k[j], &k[i], desc) ? k[j++] : k[i++];
    while (i < h)
        tmp[o++] = k[i++];
    while (j < n)
        tmp[o++] = k[j++];
    for (size_t x = 0; x < n; x++)
        k[x] = tmp[x];
}

int dash_children_sort(arena *a, dash_child *items, size_t n, dash_order key, size_t section,
                       int desc)
{
    keyed *k = arena_alloc(a, (n ? n : 1) * 2 * sizeof *k);
    if (!k)
        return -1;
    for (size_t i = 0; i < n; i++) {
        k[i].c = items[i];
        k[i].has = key_of(&items[i], key, section, &k[i].v);
    }
    merge_sort(k, k + n, n, desc);
    for (size_t i = 0; i < n; i++)
        items[i] = k[i].c;
    return 0;
}
