/* What the rollups count (docs/api-dashboards.md, "What is counted"), as pure functions for
 * the incremental updates and as SQL expressions for the rebuild; the rollup-vs-rebuild
 * test keeps both readings equal. No I/O. */
#ifndef VSOK_ROLLUP_RULES_H
#define VSOK_ROLLUP_RULES_H

#include "forms/answers.h"
#include "core/arena.h"
#include "forms/instrument.h"

#include <stddef.h>
#include <stdint.h>

/* The source of a sheet: "expert" (an expert's sheet), "teacher" (a personal sheet),
 * "group" (a group's sheet) or "self" (the kindergarten's own). */
const char *rollup_source(const char *respondent_role, uint64_t target_user_id,
                          const char *target_level);

/* The same in SQL over submissions `s` and the target org unit `o`. */
#define ROLLUP_SOURCE_SQL                                                                          \
    "CASE WHEN s.respondent_role = 'expert' THEN 'expert' WHEN s.target_user_id <> 0 THEN "        \
    "'teacher' WHEN o.level = 'group' THEN 'group' ELSE 'self' END"

/* The sources the sheets of an instrument come from, in this order: "self" (it aims at
 * kindergartens and their coordinators fill it), "group" (at groups), "teacher" (at
 * teachers), "expert" (experts fill it). Returns how many were written to out (at most 4). */
size_t rollup_instrument_sources(const instrument *ins, const char *out[4]);

/* Does a sheet in this status count in the results? Approved sheets; sheets nobody
 * reviews (experts') from submitted on. */
int rollup_counts_results(const char *status, const char *respondent_role);
#define ROLLUP_RESULTS_SQL                                                                         \
    "(s.status = 'approved' OR (s.status = 'submitted' AND s.respondent_role = 'expert'))"

/* Completion: submitted counts submitted and approved sheets; approved only approved. */
int rollup_counts_submitted(const char *status);
int rollup_counts_approved(const char *status);

/* The ids of a materialised path ("/1/7/112/") as a JSON array text ("[1,7,112]"), for
 * JSON_TABLE. skip_last leaves out the last id (the unit itself). NULL on a malformed path
 * or out of memory. */
char *rollup_path_ids(arena *a, const char *path, int skip_last);

/* The ids of a materialised path into ids (at most cap); the count, or -1 when the path is
 * malformed or longer. */
long rollup_path_id_list(const char *path, unsigned long long *ids, size_t cap);

/* The ids of path a that are not in path b, as a JSON array text (both without their last
 * id, the moved unit itself). NULL on a malformed path or out of memory. */
char *rollup_path_diff(arena *a, const char *path_a, const char *path_b);

/* One statement of a parent questionnaire in one response. */
typedef struct {
    const char *code; /* the item's code */
    int answered;     /* a value was given (not blank, not "na") */
    int positive;     /* likert5 4 or 5, or "yes" */
} parent_statement;

/* The statements of ins (its likert5, yes_no and yes_no_unsure items, in order) as answered
 * in set. *out is allocated in a; returns the count, or -1 when out of memory. */
long rollup_parent_statements(arena *a, const instrument *ins, const answer_set *set,
                              parent_statement **out);

/* The statements as a JSON array text [{"code","answered","positive"}] for JSON_TABLE, only
 * those answered. NULL when out of memory. */
char *rollup_parent_statements_json(arena *a, const parent_statement *st, size_t n);

#endif
