/* The arithmetic of the dashboards, apart from I/O: a figure (n, sum, levels) and its
 * mean, overdue and completion shares, and the filters and orders of the children list
 * (docs/api-dashboards.md). */
#ifndef VSOK_DASH_MATH_H
#define VSOK_DASH_MATH_H

#include "core/arena.h"

#include <stddef.h>
#include <stdint.h>

#define DASH_LEVELS 7

/* What a rollup row holds: n sheets, the sum of their values, and how many at each level. */
typedef struct {
    long n;
    double sum;
    long levels[DASH_LEVELS]; /* levels[k]: at level k + 1 */
} dash_figure;

/* Adds a rollup row's cells to f. */
void dash_figure_add(dash_figure *f, long n, double sum, const long levels[DASH_LEVELS]);

/* Adds a kindergarten's figure as one value: n 1, its mean, counted at the level of its
 * shown mean (nothing when it has none): above a kindergarten a figure is the mean over the
 * kindergartens, each the mean of its sheets. */
void dash_figure_add_unit(dash_figure *f, const dash_figure *unit);

/* sum / n; 0 when n is 0 (has_mean says whether there is one). */
int dash_figure_has_mean(const dash_figure *f);
double dash_figure_mean(const dash_figure *f);

/* The campaign closed (its closing date passed) with expected sheets not all submitted. */
int dash_overdue(int closed, long expected, long submitted);

/* submitted / expected, or -1 when nothing is expected. */
double dash_completion_share(long expected, long submitted);

/* responses / enrolled, or -1 while enrolment is unknown (0). */
double dash_response_rate(long responses, long enrolled);

/* positive / answered, or -1 when nothing was answered. */
double dash_share(long answered, long positive);

typedef enum {
    DASH_ORDER_NAME = 0,
    DASH_ORDER_OVERALL,
    DASH_ORDER_COMPLETION,
    DASH_ORDER_SECTION
} dash_order;

/* One child of the unit in the children view. */
typedef struct {
    uint64_t id;
    const char *name;
    const char *level;
    size_t rank; /* position in the name order (ties of other keys keep it) */
    long expected, submitted, approved;
    int overdue;
    dash_figure overall;
    dash_figure *sections; /* one per area of the instrument, in its order */
} dash_child;

typedef struct {
    int below_on; /* keep children whose score in area below_section is below below */
    size_t below_section;
    double below;
    int overdue_only;
} dash_filter;

/* Keeps the children that pass f, in order, at the front; returns how many. A child with no
 * score in the area does not count as below. */
size_t dash_children_filter(dash_child *items, size_t n, const dash_filter *f);

/* Sorts by key (section: the area's mean), ascending or descending; children without a
 * value (no sheet, nothing expected) come last either way; ties keep the name order.
 * Returns 0, or -1 when out of memory. */
int dash_children_sort(arena *a, dash_child *items, size_t n, dash_order key, size_t section,
                       int desc);

#endif
