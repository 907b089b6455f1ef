/* Rebuilding every rollup from the raw data (rollup.h): the results and completion with one
 * grouped INSERT … SELECT each (every sheet joined to the ancestors of its target unit, by
 * the SQL reading of rollup_rules.h), the parent questionnaire response by response with
 * the same code as the incremental update. One transaction: readers see the old figures
 * or the new ones. */
#include "rollup.h"

#include "log.h"
#include "rollup_rules.h"

#include <stdio.h>

/* The ancestors (and the unit itself) of org unit `o`, from its materialised path. */
#define PATH_ANCESTORS                                                                             \
    "JSON_TABLE(CONCAT('[', REPLACE(TRIM(BOTH '/' FROM o.path), '/', ','), ']'), '$[*]' "          \
    "COLUMNS (id BIGINT UNSIGNED PATH '$')) a"

#define BUCKET "COALESCE(sc.level, FLOOR(sc.score))"

/* Locks first what the incremental updates lock first (the sheets, the responses, the org
 * tree), so that a status change, a response or a move waits for the rebuild instead of
 * deadlocking with it. */
static const char *const LOCK[] = {
    "SELECT COUNT(*) FROM (SELECT id FROM submissions FOR UPDATE) x",
    "SELECT COUNT(*) FROM (SELECT id FROM survey_responses FOR UPDATE) x",
    "SELECT COUNT(*) FROM (SELECT id FROM org_units LOCK IN SHARE MODE) x",
    "SELECT COUNT(*) FROM (SELECT id FROM users LOCK IN SHARE MODE) x",
    "SELECT COUNT(*) FROM (SELECT expert_id FROM expert_assignments LOCK IN SHARE MODE) x",
};

static const char *const CLEAR[] = {
    "DELETE FROM rollup_results",
    "DELETE FROM rollup_completion",
    "DELETE FROM rollup_parent_responses",
    "DELETE FROM rollup_parent_statements",
    "DELETE FROM rollup_units",
};

/* What is expected under each unit, as the triggers of migration 007 keep it. */
static const char *const UNITS =
    "INSERT INTO rollup_units (unit_id, kind, n) SELECT a.id, k.kind, SUM(k.n) FROM ("
    "SELECT o.path, 'kindergarten' AS kind, 1 AS n FROM org_units o WHERE o.level = "
    "'kindergarten' AND o.active = 1 "
    "UNION ALL SELECT o.path, 'group', 1 FROM org_units o WHERE o.level = 'group' AND o.active = 1 "
    "UNION ALL SELECT o.path, 'enrolled', o.children_enrolled FROM org_units o WHERE o.level = "
    "'group' AND o.active = 1 AND o.children_enrolled IS NOT NULL "
    "UNION ALL SELECT o.path, 'enrolled_known', 1 FROM org_units o WHERE o.level = 'group' AND "
    "o.active = 1 AND o.children_enrolled IS NOT NULL "
    "UNION ALL SELECT o.path, 'teacher', 1 FROM users t JOIN org_units o ON o.id = t.org_unit_id "
    "WHERE t.role = 'teacher' AND t.active = 1 AND o.active = 1 "
    "UNION ALL SELECT o.path, 'expert', 1 FROM expert_assignments ea JOIN users e ON e.id = "
    "ea.expert_id AND e.role = 'expert' AND e.active = 1 JOIN org_units o ON o.id = "
    "ea.kindergarten_id AND o.level = 'kindergarten' AND o.active = 1) k, JSON_TABLE(CONCAT('[', "
    "REPLACE(TRIM(BOTH '/' FROM k.path), '/', ','), ']'), '$[*]' COLUMNS (id BIGINT UNSIGNED PATH "
    "'$')) a WHERE k.path REGEXP '^/([0-9]+/)+$' GROUP BY a.id, k.kind HAVING SUM(k.n) <> 0";

static const char *const RESULTS =
    "INSERT INTO rollup_results (campaign_id, instrument_id, source, unit_id, kind, code, n, "
    "sum, l1, l2, l3, l4, l5, l6, l7) SELECT s.campaign_id, s.instrument_id, " ROLLUP_SOURCE_SQL
    ", a.id, sc.kind, sc.code, COUNT(*), SUM(sc.score), SUM(" BUCKET " = 1), SUM(" BUCKET
    " = 2), SUM(" BUCKET " = 3), SUM(" BUCKET " = 4), SUM(" BUCKET " = 5), SUM(" BUCKET
    " = 6), SUM(" BUCKET " = 7) FROM submissions s JOIN org_units o ON o.id = "
    "s.target_unit_id JOIN " PATH_ANCESTORS " JOIN submission_scores sc ON sc.submission_id = "
    "s.id WHERE " ROLLUP_RESULTS_SQL " GROUP BY 1, 2, 3, 4, 5, 6";

static const char *const COMPLETION =
    "INSERT INTO rollup_completion (campaign_id, instrument_id, source, unit_id, submitted, "
    "approved) SELECT s.campaign_id, s.instrument_id, " ROLLUP_SOURCE_SQL
    ", a.id, COUNT(*), SUM(s.status = 'approved') FROM submissions s JOIN org_units o ON o.id "
    "= s.target_unit_id JOIN " PATH_ANCESTORS
    " WHERE s.status IN ('submitted', 'approved') GROUP BY 1, 2, 3, 4";

static const char *const COUNT =
    "SELECT (SELECT COUNT(*) FROM rollup_results) + (SELECT COUNT(*) FROM rollup_completion) + "
    "(SELECT COUNT(*) FROM rollup_parent_responses) + (SELECT COUNT(*) FROM "
    "rollup_parent_statements) + (SELECT COUNT(*) FROM rollup_units)";

/* Responses are read in batches by id; each batch's memory is released before the next. */
#define RESPONSE_BATCH 500

static db_status rebuild_parents(db_conn *db, instrument_cache *cache)
{
    arena a;
    arena_init(&a, 64 * 1024);
    long long after = 0;
    db_status s = DB_OK;
    for (;;) {
        db_result r;
        db_val p[] = {DB_INT(after), DB_INT(RESPONSE_BATCH)};
        s = db_exec(db, &a, "SELECT id FROM survey_responses WHERE id > ? ORDER BY id LIMIT ?", p,
                    2, &r);
        if (s != DB_OK || r.nrows == 0)
            break;
        size_t n = r.nrows;
        long long *ids = arena_alloc(&a, n * sizeof *ids);
        if (!ids) {
            s = DB_ERROR;
            break;
        }
        for (size_t i = 0; i < n; i++)
            ids[i] = db_cell_int(&r, i, 0, 0);
        for (size_t i = 0; s == DB_OK && i < n; i++)
            s = rollup_apply_response(db, &a, cache, (uint64_t)ids[i]);
        after = ids[n - 1];
        arena_reset(&a);
        if (s != DB_OK || n < RESPONSE_BATCH)
            break;
    }
    arena_destroy(&a);
    return s;
}

db_status rollup_rebuild(db_conn *db, arena *a, instrument_cache *cache, unsigned long long *rows)
{
    db_status s = db_begin(db);
    for (size_t i = 0; s == DB_OK && i < sizeof LOCK / sizeof LOCK[0]; i++)
        s = db_exec(db, a, LOCK[i], NULL, 0, NULL);
    for (size_t i = 0; s == DB_OK && i < sizeof CLEAR / sizeof CLEAR[0]; i++)
        s = db_exec(db, a, CLEAR[i], NULL, 0, NULL);
    if (s == DB_OK)
        s = db_exec(db, a, RESULTS, NULL, 0, NULL);
    if (s == DB_OK)
        s = db_exec(db, a, COMPLETION, NULL, 0, NULL);
    if (s == DB_OK)
        s = db_exec(db, a, UNITS, NULL, 0, NULL);
    if (s == DB_OK)
        s = rebuild_parents(db, cache);
    db_result r;
    if (s == DB_OK)
        s = db_exec(db, a, COUNT, NULL, 0, &r);
    if (s == DB_OK)
        s = db_commit(db);
    else
        db_rollback(db);
    if (s == DB_OK && rows)
        *rows = (unsigned long long)db_cell_int(&r, 0, 0, 0);
    return s;
}
