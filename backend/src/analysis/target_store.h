/* Yearly targets as stored (unit_targets, migration 025): reading a unit's targets (and its
 * children's) for a year and instrument, writing one, and adding them to the dashboards'
 * children view. The rules are in target_rules.h. */
#ifndef VSOK_TARGET_STORE_H
#define VSOK_TARGET_STORE_H

#include "http/http.h"
#include "core/strmap.h"

/* The two targets of a unit for one figure, in tenths (-1: not set). */
typedef struct {
    long above, own;
    const char *above_at, *own_at; /* when each was last set */
} target_pair;

/* The targets of unit (with_children: and of its direct children) for the year and the
 * instrument's code: map "<unit>:<kind>:<code>" -> target_pair* (code "" for overall). */
db_status target_load(request *rq, uint64_t unit, int with_children, int year,
                      const char *instrument_code, strmap *out);

/* The pair of one figure (both -1 when nothing is set). */
target_pair target_get(request *rq, const strmap *m, uint64_t unit, const char *kind,
                       const char *code);

/* {"value" (in force), "above", "own"} with values as scores (null when unset), or null when
 * neither is set. */
json_t *target_pair_json(const target_pair *p);

/* Adds to a children view document (dashboard_children_json) the overall target of the
 * total and of each child for the campaign's year and the instrument: "target" (the pair,
 * or null) and "reached" (true/false, or null without a target), beside "results". */
db_status target_annotate_children(request *rq, json_t *doc);

/* Sets (tenths >= 0) or clears (tenths < 0) one target; audit row inside the caller's
 * transaction. */
db_status target_write(request *rq, uint64_t unit, int year, const char *instrument_code,
                       const char *kind, const char *code, const char *origin, long tenths);

#endif
