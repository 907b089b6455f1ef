/* Rater calibration (calibration_stats.c, calibration_api.c): pairs of levels that two
 * raters gave the same indicator of the same kindergarten, gathered into groups (the whole
 * comparison, an area, an indicator, an expert, a kindergarten), each with its agreement
 * figures (analysis/kappa.h) and a flag for a systematic gap. docs/analysis.md. */
#ifndef VSOK_CALIBRATION_H
#define VSOK_CALIBRATION_H

#include "analysis/kappa.h"
#include "core/arena.h"
#include "core/strmap.h"

#include <jansson.h>
#include <stdint.h>

/* When a group's mean signed difference is "systematic": |mean (B − A)| at least gap over
 * at least min_items pairs. */
typedef struct {
    double gap;
    long min_items;
} calibration_flags;

typedef struct {
    const char *key;   /* code or id as text */
    uint64_t id;       /* expert or kindergarten id; 0 for codes */
    const char *label; /* name or title; may be NULL */
    kappa_table t;
} calibration_group;

/* A set of groups in first-seen order. */
typedef struct {
    strmap index;
    calibration_group **items;
    size_t n, cap;
    arena *a;
} calibration_groups;

int calibration_groups_init(calibration_groups *g, arena *a);

/* The group of key, made on first use (label copied by reference). NULL when out of memory. */
calibration_group *calibration_group_of(calibration_groups *g, const char *key, uint64_t id,
                                        const char *label);

/* The area of an indicator code: the code up to its last dot ("QS.3.2" → "QS.3"); the code
 * itself when it has no dot. */
const char *calibration_area_of(arena *a, const char *indicator);

/* The figures of one table as JSON: n, exact, within_one, mean_diff (B − A), kappa with
 * se and ci (null when undefined), flagged. */
json_t *calibration_stats_json(const kappa_table *t, const calibration_flags *f);

/* The groups as a JSON array, each {key fields…, stats}; id_key names the id field ("id"),
 * label_key the label ("title" or "name"). */
json_t *calibration_groups_json(const calibration_groups *g, const calibration_flags *f,
                                const char *id_key, const char *label_key);

#endif
