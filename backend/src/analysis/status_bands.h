/* The region's status bands (docs/analysis.md, "Statuses"): named bands from the highest
 * down, each with optional minimums on the overall score and on area scores; a
 * kindergarten is proposed the first band whose every minimum its shown scores meet (a
 * minimum on a score it does not have is not met). A band without minimums takes every
 * kindergarten that reaches it. Pure: the figures come from dashboards/dash_scores.h. */
#ifndef VSOK_STATUS_BANDS_H
#define VSOK_STATUS_BANDS_H

#include "core/arena.h"
#include "dashboards/dash_scores.h"

#include <jansson.h>

#define STATUS_BANDS_MAX 12
#define STATUS_NAME_MAX 100

typedef struct {
    const char *name;
    long min_overall; /* tenths; -1: none */
    size_t n;         /* area minimums */
    const char **codes;
    long *mins; /* tenths */
} status_band;

typedef struct {
    const char *source; /* self, group, expert: whose figures the bands read */
    size_t n;
    status_band *bands;
} status_scale;

/* Reads {"source", "bands": [{"name", "min_overall", "min_sections": {code: value}}]}; the
 * area codes must be among codes (NULL: not checked, for stored bands). Adds errors to p and
 * returns -1 on bad input. */
int status_scale_read(arena *a, json_t *body, const char *const *codes, size_t n_codes,
                      status_scale *out, json_t *p);

/* The bands as JSON (the stored text and the API's "bands"). */
json_t *status_bands_json(const status_scale *s);

/* The index of the proposed band, or -1 when none fits. */
int status_propose(const status_scale *s, const dash_scores *f);

/* Index of the band called name, or -1. */
int status_band_index(const status_scale *s, const char *name);

#endif
