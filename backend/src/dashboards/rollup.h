/* Rollup tables (migration 007): the figures the dashboards read, kept per org unit and
 * every ancestor in the same transaction as the change they summarise, so that a dashboard
 * request reads a few rows by index. The raw answers stay the source of truth:
 * rollup_rebuild recomputes every rollup from them (docs/api-dashboards.md). */
#ifndef VSOK_ROLLUP_H
#define VSOK_ROLLUP_H

#include "http/http.h"
#include "dashboards/rollup_rules.h"

#include <stdint.h>

/* A sheet's status changed from `from` to `to` (e.g. "submitted" -> "approved"). Updates the
 * completion rollups (submitted / approved counts) and the result rollups (the sheet's
 * stored submission_scores) of its target unit and every ancestor, as the counting rules of
 * docs/api-dashboards.md say. Call inside the transaction of the status change, after the
 * new status and (on submit) the new scores are written. */
db_status rollup_status_change(request *rq, uint64_t submission_id, const char *from,
                               const char *to);

/* A subtree moved: unit_id's own rollup rows (its whole subtree) are subtracted from the
 * ancestors in old_path and added to the ancestors in new_path. Paths are the unit's
 * materialised paths before and after the move ("/1/7/112/"). Call in the same transaction
 * as the path rewrite. */
db_status rollup_move_unit(request *rq, uint64_t unit_id, const char *old_path,
                           const char *new_path);

/* A parent questionnaire answer was stored (survey_responses row response_id): adds it to
 * the parent rollups of its kindergarten (and group) and every ancestor. Call in the same
 * transaction as the INSERT. Takes the connection, not a request: the public survey and the
 * rebuild call it alike. cache may be NULL. */
db_status rollup_parent_response(db_conn *db, arena *a, instrument_cache *cache,
                                 uint64_t response_id);

/* The statements of one response's answers (JSON text) to instrument instrument_id, by
 * the share-positive rule (rollup_rules.h). *out in a, *n their count. */
db_status rollup_response_statements(db_conn *db, arena *a, instrument_cache *cache,
                                     uint64_t instrument_id, const char *answers_text,
                                     parent_statement **out, long *n);

/* The named lock (GET_LOCK) a rebuild holds: one rebuild at a time. A connection may take it
 * again while it holds it (MariaDB counts the nesting). */
/* The rebuild's lease (db/job_lease.h, job_leases row of migration 027) and the seconds it
 * lasts without a renewal: many chunks' worth. */
#define ROLLUP_REBUILD_JOB "rollup_rebuild"
#define ROLLUP_REBUILD_LEASE_TTL 120

/* Recomputes every rollup from the raw data in short transactions, a few kindergartens
 * at a time (rollup_rebuild.c). rows: rollup rows at the end; may be NULL. It takes (or
 * renews) the rebuild's lease and renews it before each chunk, but leaves it held: the
 * caller records the outcome and then releases it. *busy = 1 (and DB_OK) when another
 * process holds the lease: nothing is done. Uses the instrument cache of the worker when
 * cache is not NULL. */
db_status rollup_rebuild(db_conn *db, arena *a, instrument_cache *cache, unsigned long long *rows,
                         int *busy);

/* `vsokd rebuild-rollups`: connects, rebuilds, prints the row count. Exit status. */
int rollup_rebuild_command(const config *cfg);

#endif
