/* The result rollups in two layers (docs/api-dashboards.md, "How a figure is made"):
 * - at a kindergarten and below (its groups), a row sums the sheets of that source aimed
 *   inside the unit: n sheets, the sum of their values, the sheets at each level;
 * - above a kindergarten (municipality, region), a row sums the kindergartens under it that
 *   have a value: n kindergartens, the sum of their values (each the mean of its sheets),
 *   the kindergartens at each level.
 * Every change of a kindergarten's sheets happens under the lock of its org_units row, so
 * that its value before and after the change is known and the layer above gets the
 * difference. Internal to rollup*.c. */
#ifndef VSOK_ROLLUP_RESULTS_H
#define VSOK_ROLLUP_RESULTS_H

#include "db/db.h"
#include "forms/instrument_store.h"
#include "dashboards/rollup_value.h"
#include "core/strmap.h"

#include <stdint.h>

/* Changes to rollup_results rows, summed per key before they are written. */
typedef struct {
    strmap index;
    struct rollup_cell *cells; /* a list, newest first */
    size_t n;
} rollup_delta;

int rollup_delta_init(rollup_delta *d, arena *a);

/* Adds sign × (1 sheet or kindergarten of value v at level) to the row of the key. */
int rollup_delta_add(rollup_delta *d, arena *a, uint64_t campaign, uint64_t instrument,
                     const char *source, uint64_t unit, const char *kind, const char *code,
                     int sign, rollup_dec v, int level);

/* Adds a whole row (n, sum, levels[7]) to the row of the key. */
int rollup_delta_add_row(rollup_delta *d, arena *a, uint64_t campaign, uint64_t instrument,
                         const char *source, uint64_t unit, const char *kind, const char *code,
                         long n, rollup_dec sum, const long levels[7]);

/* Adds every change to its row (ON DUPLICATE KEY UPDATE) and deletes the rows that fall to
 * n = 0, in statements of a bounded size. */
db_status rollup_delta_write(db_conn *db, arena *a, const rollup_delta *d);

/* Locks a kindergarten's rollups for the rest of the transaction (its org_units row). */
db_status rollup_lock_kindergarten(db_conn *db, arena *a, uint64_t kindergarten);
/* Takes the turn to write rollup deltas for the rest of the transaction (the 'rollups' row
 * of write_locks, migration 029): after the kindergartens' locks, never before them. */
db_status rollup_lock_writes(db_conn *db, arena *a);

/* A materialised path split at its kindergarten: ids[0..k) lie above it, ids[k..n) are the
 * kindergarten and the units below it (k = 0 when the path holds no kindergarten). */
#define ROLLUP_PATH_MAX 64
typedef struct {
    unsigned long long ids[ROLLUP_PATH_MAX];
    long n, k;
    uint64_t kindergarten; /* 0: none */
} rollup_path;

db_status rollup_split_path(db_conn *db, arena *a, const char *path, rollup_path *out);

/* The ids [from, to) of a path as a JSON array text. */
char *rollup_path_json(arena *a, const rollup_path *p, long from, long to);

/* A kindergarten's result rows (unit_id = kindergarten; one campaign, instrument and source
 * when campaign is not 0), to compare before and after a change. */
typedef struct {
    size_t n;
    uint64_t *campaign, *instrument;
    const char **source, **kind, **code;
    long *count;
    rollup_dec *sum;
} rollup_kg_rows;

db_status rollup_kg_rows_read(db_conn *db, arena *a, uint64_t kindergarten, uint64_t campaign,
                              uint64_t instrument, const char *source, rollup_kg_rows *out);

/* Adds to d, for the units ids[0..n), the change of the kindergarten's value from before
 * to after: the old value taken away, the new one added (nothing when unchanged). Either
 * may be NULL (no rows). */
int rollup_kg_change(rollup_delta *d, arena *a, const rollup_kg_rows *before,
                     const rollup_kg_rows *after, const unsigned long long *ids, long n);

/* The values of one sheet from its indicator rows in submission_scores (rows r from
 * column col: code, level, score), by its instrument. */
long rollup_sheet_values_of(arena *a, const instrument *ins, const db_result *r, size_t first,
                            size_t count, size_t col, rollup_value **out);

/* Adds sign × the sheet's values to the rows of the units ids[0..n) (its kindergarten
 * and the units below it down to its target). */
int rollup_sheet_delta(rollup_delta *d, arena *a, uint64_t campaign, uint64_t instrument,
                       const char *source, const unsigned long long *ids, long n,
                       const rollup_value *v, long nv, int sign);

/* Locks the kindergarten of a target unit (its current path, *p), then the rollup writes
 * (rollup_lock_writes). */
db_status rollup_anchor(db_conn *db, arena *a, uint64_t target_unit, rollup_path *p);

/* The sheet's results (sign +1 added, -1 taken away) at its kindergarten and below, and
 * the change of the kindergarten's value above it; p from rollup_anchor. */
db_status rollup_results_sheet(db_conn *db, arena *a, instrument_cache *cache,
                               uint64_t submission_id, const rollup_path *p, int sign);

/* The result rows of unit_id's subtree leave the ancestors in old_path and join those in
 * new_path (the unit's paths before and after a move, already written). */
db_status rollup_results_move(db_conn *db, arena *a, uint64_t unit_id, const char *old_path,
                              const char *new_path);

#endif
