/* Rebuilding every rollup from the raw data (rollup.h): the results and completion with one
 * grouped INSERT … SELECT each (every sheet joined to the ancestors of its target unit, by
 * the SQL reading of rollup_rules.h), the parent questionnaire response by response with
 * the same code as the incremental update. One transaction: readers see the old figures
 * or the new ones. */
#include "rollup.h"

#include "log.h"
#include "rollup_rules.h"

#include "strmap.h"

#include <stdio.h>
#include <stdlib.h>

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

/* Responses are read in batches by id; each batch is tallied in memory per (campaign,
 * instrument, unit[, statement]) with the same rule as the incremental update, written with
 * one statement per table, and its memory released before the next. */
#define RESPONSE_BATCH 500

typedef struct {
    strmap index; /* key -> long[2] */
    json_t *rows; /* [[campaign, instrument, unit, (code,) a, b], …] in first-seen order */
} tally;

static int tally_init(tally *t, arena *a)
{
    t->rows = arena_json(a, json_array());
    return t->rows && strmap_init(&t->index, a, 64) == 0 ? 0 : -1;
}

/* Adds (da, db) to the row of key, made from prefix on first sight. */
static int tally_add(tally *t, arena *a, const char *key, json_t *prefix, long da, long dbv)
{
    json_t *row = strmap_get(&t->index, key);
    if (!row) {
        row = prefix;
        json_array_append_new(row, json_integer(0));
        json_array_append_new(row, json_integer(0));
        char *k = arena_strdup(a, key);
        if (!k || json_array_append_new(t->rows, row) != 0 || strmap_put(&t->index, k, row) != 0)
            return -1;
    } else {
        json_decref(prefix);
    }
    size_t n = json_array_size(row);
    json_t *x = json_array_get(row, n - 2), *y = json_array_get(row, n - 1);
    json_integer_set(x, json_integer_value(x) + da);
    json_integer_set(y, json_integer_value(y) + dbv);
    return 0;
}

static db_status flush(db_conn *db, arena *a, const tally *responses, const tally *statements)
{
    char *rj = json_dumps(responses->rows, JSON_COMPACT);
    char *sj = json_dumps(statements->rows, JSON_COMPACT);
    char *r = rj ? arena_strdup(a, rj) : NULL, *st = sj ? arena_strdup(a, sj) : NULL;
    free(rj);
    free(sj);
    if (!r || !st)
        return DB_ERROR;
    db_val p[] = {DB_STR(r)};
    db_status s = db_exec(
        db, a,
        "INSERT INTO rollup_parent_responses (campaign_id, instrument_id, unit_id, responses) "
        "SELECT j.c, j.i, j.u, j.n FROM JSON_TABLE(?, '$[*]' COLUMNS (c BIGINT UNSIGNED PATH "
        "'$[0]', i BIGINT UNSIGNED PATH '$[1]', u BIGINT UNSIGNED PATH '$[2]', n INT PATH '$[3]')) "
        "j WHERE j.c IS NOT NULL ON DUPLICATE KEY UPDATE rollup_parent_responses.responses = "
        "rollup_parent_responses.responses + VALUES(responses)",
        p, 1, NULL);
    db_val q[] = {DB_STR(st)};
    if (s == DB_OK)
        s = db_exec(db, a,
                    "INSERT INTO rollup_parent_statements (campaign_id, instrument_id, unit_id, "
                    "code, answered, positive) SELECT j.c, j.i, j.u, j.code, j.a, j.p FROM "
                    "JSON_TABLE(?, '$[*]' COLUMNS (c BIGINT UNSIGNED PATH '$[0]', i BIGINT "
                    "UNSIGNED PATH '$[1]', u BIGINT UNSIGNED PATH '$[2]', code VARCHAR(64) PATH "
                    "'$[3]', a INT PATH '$[4]', p INT PATH '$[5]')) j WHERE j.c IS NOT NULL ON "
                    "DUPLICATE KEY UPDATE rollup_parent_statements.answered = "
                    "rollup_parent_statements.answered + VALUES(answered), "
                    "rollup_parent_statements.positive = rollup_parent_statements.positive + "
                    "VALUES(positive)",
                    q, 1, NULL);
    return s;
}

/* Tallies one response (campaign c, instrument i, answers, the path of its unit). */
static db_status tally_response(db_conn *db, arena *a, instrument_cache *cache, tally *responses,
                                tally *statements, long long c, long long i, const char *answers,
                                const char *path)
{
    unsigned long long ids[64];
    long nids = rollup_path_id_list(path, ids, 64);
    parent_statement *st;
    long n = 0;
    db_status s = rollup_response_statements(db, a, cache, (uint64_t)i, answers, &st, &n);
    if (s != DB_OK || nids < 0)
        return s == DB_OK ? DB_ERROR : s;
    for (long u = 0; u < nids; u++) {
        char *key = arena_sprintf(a, "%lld:%lld:%llu", c, i, ids[u]);
        if (!key ||
            tally_add(responses, a, key, json_pack("[I,I,I]", c, i, (json_int_t)ids[u]), 1, 0) != 0)
            return DB_ERROR;
        for (long k = 0; k < n; k++) {
            if (!st[k].answered)
                continue;
            key = arena_sprintf(a, "%lld:%lld:%llu:%s", c, i, ids[u], st[k].code);
            if (!key || tally_add(statements, a, key,
                                  json_pack("[I,I,I,s]", c, i, (json_int_t)ids[u], st[k].code), 1,
                                  st[k].positive) != 0)
                return DB_ERROR;
        }
    }
    return DB_OK;
}

static db_status rebuild_parents(db_conn *db, instrument_cache *cache)
{
    arena a;
    arena_init(&a, 64 * 1024);
    long long after = 0;
    db_status s = DB_OK;
    for (;;) {
        db_result r;
        db_val p[] = {DB_INT(after), DB_INT(RESPONSE_BATCH)};
        s = db_exec(db, &a,
                    "SELECT r.id, r.campaign_id, r.instrument_id, r.answers, COALESCE(g.path, "
                    "k.path) FROM survey_responses r JOIN org_units k ON k.id = r.kindergarten_id "
                    "LEFT JOIN org_units g ON g.id = r.group_id WHERE r.id > ? ORDER BY r.id "
                    "LIMIT ?",
                    p, 2, &r);
        if (s != DB_OK || r.nrows == 0)
            break;
        tally responses, statements;
        if (tally_init(&responses, &a) != 0 || tally_init(&statements, &a) != 0)
            s = DB_ERROR;
        for (size_t i = 0; s == DB_OK && i < r.nrows; i++)
            s = tally_response(db, &a, cache, &responses, &statements, db_cell_int(&r, i, 1, 0),
                               db_cell_int(&r, i, 2, 0), db_cell(&r, i, 3), db_cell(&r, i, 4));
        if (s == DB_OK)
            s = flush(db, &a, &responses, &statements);
        size_t n = r.nrows;
        after = db_cell_int(&r, n - 1, 0, 0);
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
