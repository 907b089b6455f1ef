/* One unit's result figures for a campaign as the dashboards show them (the same rollup
 * rows, docs/figures.md), for the subsystems that act on them: the status proposal of
 * docs/analysis.md reads a kindergarten's overall and area means here rather than computing
 * its own. */
#ifndef VSOK_DASH_SCORES_H
#define VSOK_DASH_SCORES_H

#include "http/http.h"

#include <stdint.h>

typedef struct {
    uint64_t instrument_id; /* the campaign's quality scale; 0 when it has none */
    int has_overall;
    double overall;      /* exact mean */
    long overall_tenths; /* as shown: one decimal, halves up, in tenths */
    size_t n;            /* the instrument's areas, in its order */
    const char **codes;
    const char **titles;
    int *has; /* the area has a value */
    double *means;
    long *tenths;
} dash_scores;

/* The figures of unit (a kindergarten: the mean of its sheets of source) in the campaign's
 * quality scale. */
db_status dash_unit_scores(request *rq, uint64_t campaign, const char *source, uint64_t unit,
                           dash_scores *out);

/* A mean as shown, in tenths (2.25 → 23, 3.972 → 40), the rule of the level buckets. */
long dash_shown_tenths(double mean);

#endif
