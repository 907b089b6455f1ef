/* Rebuilding every rollup from the raw data (rollup.h), in short transactions that each
 * lock a few kindergartens (docs/api-dashboards.md, "Rebuilding"):
 * 1. what is expected under each unit (rollup_units), from the org tree;
 * 2. kindergartens in chunks by id: under the lock of the chunk's kindergartens (their
 *    org_units rows, which every incremental update of their rollups takes first), the rows
 *    of the kindergartens and the units below them are deleted and written again from their
 *    sheets, scores and parent responses;
 * 3. every unit above the kindergartens, deepest first: under the lock of the kindergartens
 *    below it, its rows are written again from its children's rows.
 * Each statement reads a chunk's rows only; a status change waits at most for one chunk. One
 * rebuild at a time across every host: a second one is refused (the lease "rollup_rebuild" of
 * job_lease.h, renewed before every chunk). */
#include "dashboards/rollup.h"

#include "db/job_lease.h"
#include "http/http.h"
#include "core/log.h"
#include "dashboards/rollup_results.h"
#include "dashboards/rollup_rules.h"
#include "core/strmap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Kindergartens per transaction: about 25 sheets, 270 parent responses and 3,000 rollup
 * rows at the sizes of a region (tests/bench/README.md), well under a second of locks. */
#define CHUNK_KINDERGARTENS 4

#define IDS(name) "JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT UNSIGNED PATH '$')) " name

/* The ancestors (and the unit itself) of org unit `o`, from its materialised path. */
#define PATH_ANCESTORS                                                                             \
    "JSON_TABLE(CONCAT('[', REPLACE(TRIM(BOTH '/' FROM o.path), '/', ','), ']'), '$[*]' "          \
    "COLUMNS (id BIGINT UNSIGNED PATH '$')) a"

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

static const char *const COUNT =
    "SELECT (SELECT COUNT(*) FROM rollup_results) + (SELECT COUNT(*) FROM rollup_completion) + "
    "(SELECT COUNT(*) FROM rollup_parent_responses) + (SELECT COUNT(*) FROM "
    "rollup_parent_statements) + (SELECT COUNT(*) FROM rollup_units)";

/* The rows of the units in a JSON list, in every table a chunk writes. */
static const char *const CLEAR[] = {
    "DELETE r FROM " IDS("u") " JOIN rollup_results r ON r.unit_id = u.id",
    "DELETE r FROM " IDS("u") " JOIN rollup_completion r ON r.unit_id = u.id",
    "DELETE r FROM " IDS("u") " JOIN rollup_parent_responses r ON r.unit_id = u.id",
    "DELETE r FROM " IDS("u") " JOIN rollup_parent_statements r ON r.unit_id = u.id",
};

/* Completion of the sheets aimed inside the chunk, for the units of the chunk on their
 * paths (the kindergarten and below): parameters the chunk's units twice. */
static const char *const COMPLETION =
    "INSERT INTO rollup_completion (campaign_id, instrument_id, source, unit_id, submitted, "
    "approved) SELECT s.campaign_id, s.instrument_id, " ROLLUP_SOURCE_SQL
    ", a.id, COUNT(*), SUM(s.status = 'approved') FROM " IDS(
        "j") " JOIN submissions s ON "
             "s.target_unit_id = j.id JOIN org_units o ON o.id = s.target_unit_id "
             "JOIN " PATH_ANCESTORS " JOIN " IDS(
                 "w") " ON w.id = a.id WHERE s.status IN ('submitted', 'approved') GROUP BY 1, "
                      "2, 3, 4";

/* ---------------------------------------------------------------- the parent responses */

typedef struct {
    strmap index; /* key -> json row */
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

static db_status flush_parents(db_conn *db, arena *a, const tally *responses,
                               const tally *statements)
{
    char *rj = json_dumps(responses->rows, JSON_COMPACT);
    char *sj = json_dumps(statements->rows, JSON_COMPACT);
    char *r = rj ? arena_strdup(a, rj) : NULL, *st = sj ? arena_strdup(a, sj) : NULL;
    free(rj);
    free(sj);
    if (!r || !st)
        return DB_ERROR;
    db_val p[] = {DB_STR(r)};
    db_status s = DB_EXEC(
        db, a,
        "INSERT INTO rollup_parent_responses (campaign_id, instrument_id, unit_id, responses) "
        "SELECT j.c, j.i, j.u, j.n FROM JSON_TABLE(?, '$[*]' COLUMNS (c BIGINT UNSIGNED PATH "
        "'$[0]', i BIGINT UNSIGNED PATH '$[1]', u BIGINT UNSIGNED PATH '$[2]', n INT PATH '$[3]')) "
        "j WHERE j.c IS NOT NULL",
        p, NULL);
    db_val q[] = {DB_STR(st)};
    if (s == DB_OK)
        s = DB_EXEC(db, a,
                    "INSERT INTO rollup_parent_statements (campaign_id, instrument_id, unit_id, "
                    "code, answered, positive) SELECT j.c, j.i, j.u, j.code, j.a, j.p FROM "
                    "JSON_TABLE(?, '$[*]' COLUMNS (c BIGINT UNSIGNED PATH '$[0]', i BIGINT "
                    "UNSIGNED PATH '$[1]', u BIGINT UNSIGNED PATH '$[2]', code VARCHAR(64) PATH "
                    "'$[3]', a INT PATH '$[4]', p INT PATH '$[5]')) j WHERE j.c IS NOT NULL",
                    q, NULL);
    return s;
}

/* Tallies one response (campaign c, instrument i, answers) for the units ids[0..n). */
static db_status tally_response(db_conn *db, arena *a, instrument_cache *cache, tally *responses,
                                tally *statements, long long c, long long i, const char *answers,
                                const unsigned long long *ids, long nids)
{
    parent_statement *st;
    long n = 0;
    db_status s = rollup_response_statements(db, a, cache, (uint64_t)i, answers, &st, &n);
    if (s != DB_OK)
        return s;
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

/* ---------------------------------------------------------------- one chunk */

typedef struct {
    const char *kgs;   /* the chunk's kindergartens, JSON */
    const char *units; /* they and every unit below them, JSON */
    strmap kg_of;      /* unit id text -> its kindergarten's id text */
} chunk;

/* The path of a unit of the chunk from its kindergarten down: ids[k..n) of p. (The units
 * below a kindergarten are its groups: the org tree has four levels.) */
static int chunk_path(const chunk *ch, arena *a, const char *unit, const char *path, rollup_path *p)
{
    memset(p, 0, sizeof *p);
    p->n = rollup_path_id_list(path, p->ids, ROLLUP_PATH_MAX);
    const char *kg = unit ? strmap_get(&ch->kg_of, unit) : NULL;
    if (p->n <= 0 || !kg)
        return -1;
    unsigned long long k = strtoull(kg, NULL, 10);
    for (long i = 0; i < p->n; i++)
        if (p->ids[i] == k)
            p->k = i, p->kindergarten = k;
    (void)a;
    return p->kindergarten ? 0 : -1;
}

static db_status chunk_units(db_conn *db, arena *a, chunk *ch)
{
    db_result r;
    db_val p[] = {DB_STR(ch->kgs)};
    db_status s =
        db_exec(db, a,
                "SELECT j.id, j.id FROM " IDS("j") " UNION ALL SELECT u.id, j.id FROM " IDS(
                    "j") " JOIN org_units u ON u.parent_id = j.id",
                (db_val[]){p[0], p[0]}, 2, &r);
    if (s != DB_OK || strmap_init(&ch->kg_of, a, r.nrows + 1) != 0)
        return s == DB_OK ? DB_ERROR : s;
    size_t cap = r.nrows * 21 + 3, len = 0;
    char *out = arena_alloc(a, cap);
    if (!out)
        return DB_ERROR;
    out[len++] = '[';
    for (size_t i = 0; i < r.nrows; i++) {
        len += (size_t)snprintf(out + len, cap - len, i ? ",%s" : "%s", db_cell(&r, i, 0));
        if (strmap_put(&ch->kg_of, db_cell(&r, i, 0), (void *)db_cell(&r, i, 1)) != 0)
            return DB_ERROR;
    }
    out[len++] = ']';
    out[len] = '\0';
    ch->units = out;
    return DB_OK;
}

/* The result rows of the chunk's units from their counted sheets' indicator scores. */
static db_status chunk_results(db_conn *db, arena *a, instrument_cache *cache, const chunk *ch)
{
    db_result r;
    db_val p[] = {DB_STR(ch->units)};
    db_status s =
        DB_EXEC(db, a,
                "SELECT s.id, s.campaign_id, s.instrument_id, " ROLLUP_SOURCE_SQL
                ", o.id, o.path, sc.code, sc.level, sc.score FROM " IDS(
                    "j") " JOIN submissions s ON "
                         "s.target_unit_id = j.id JOIN org_units o ON o.id = s.target_unit_id JOIN "
                         "submission_scores sc ON sc.submission_id = s.id AND sc.kind = "
                         "'indicator' WHERE " ROLLUP_RESULTS_SQL " ORDER BY s.id",
                p, &r);
    rollup_delta d;
    if (s != DB_OK || rollup_delta_init(&d, a) != 0)
        return s == DB_OK ? DB_ERROR : s;
    for (size_t i = 0; i < r.nrows;) {
        size_t j = i;
        while (j < r.nrows && strcmp(db_cell(&r, j, 0), db_cell(&r, i, 0)) == 0)
            j++;
        uint64_t campaign = (uint64_t)db_cell_int(&r, i, 1, 0);
        uint64_t instrument_id = (uint64_t)db_cell_int(&r, i, 2, 0);
        stored_instrument si;
        int found = 0;
        rollup_path path;
        rollup_value *v;
        s = instrument_store_get(cache, db, a, instrument_id, &si, &found);
        if (s != DB_OK || !found)
            return s == DB_OK ? DB_ERROR : s;
        long nv = rollup_sheet_values_of(a, si.ins, &r, i, j - i, 6, &v);
        if (nv < 0 || chunk_path(ch, a, db_cell(&r, i, 4), db_cell(&r, i, 5), &path) != 0 ||
            rollup_sheet_delta(&d, a, campaign, instrument_id, db_cell(&r, i, 3), path.ids + path.k,
                               path.n - path.k, v, nv, 1) != 0)
            return DB_ERROR;
        i = j;
    }
    return rollup_delta_write(db, a, &d);
}

/* The parent rows of the chunk's units from their responses. */
static db_status chunk_parents(db_conn *db, arena *a, instrument_cache *cache, const chunk *ch)
{
    db_result r;
    db_val p[] = {DB_STR(ch->units), DB_STR(ch->units)};
    db_status s =
        DB_EXEC(db, a,
                "SELECT r.campaign_id, r.instrument_id, r.answers, o.id, o.path FROM " IDS(
                    "j") " JOIN survey_responses r ON r.group_id = j.id JOIN org_units o ON o.id = "
                         "j.id UNION ALL "
                         "SELECT r.campaign_id, r.instrument_id, r.answers, o.id, o.path FROM " IDS(
                             "j") " JOIN survey_responses r ON r.kindergarten_id = j.id AND "
                                  "r.group_id IS NULL JOIN "
                                  "org_units o ON o.id = j.id",
                p, &r);
    tally responses, statements;
    if (s != DB_OK || tally_init(&responses, a) != 0 || tally_init(&statements, a) != 0)
        return s == DB_OK ? DB_ERROR : s;
    for (size_t i = 0; s == DB_OK && i < r.nrows; i++) {
        rollup_path path;
        if (chunk_path(ch, a, db_cell(&r, i, 3), db_cell(&r, i, 4), &path) != 0)
            return DB_ERROR;
        s = tally_response(db, a, cache, &responses, &statements, db_cell_int(&r, i, 0, 0),
                           db_cell_int(&r, i, 1, 0), db_cell(&r, i, 2), path.ids + path.k,
                           path.n - path.k);
    }
    return s == DB_OK ? flush_parents(db, a, &responses, &statements) : s;
}

/* One transaction: the chunk's kindergartens locked, their units' rows written again. */
static db_status rebuild_chunk(db_conn *db, arena *a, instrument_cache *cache, const char *kgs)
{
    chunk ch = {.kgs = kgs};
    db_val p[] = {DB_STR(kgs)};
    db_status s = db_begin(db);
    if (s == DB_OK)
        s = DB_EXEC(db, a,
                    "SELECT o.id FROM " IDS("j") " JOIN org_units o ON o.id = j.id ORDER BY o.id "
                                                 "FOR UPDATE",
                    p, NULL);
    if (s == DB_OK)
        s = chunk_units(db, a, &ch);
    db_val u[] = {DB_STR(ch.units), DB_STR(ch.units)};
    for (size_t i = 0; s == DB_OK && i < sizeof CLEAR / sizeof CLEAR[0]; i++)
        s = db_exec(db, a, CLEAR[i], u, 1, NULL);
    if (s == DB_OK)
        s = chunk_results(db, a, cache, &ch);
    if (s == DB_OK)
        s = DB_EXEC(db, a, COMPLETION, u, NULL);
    if (s == DB_OK)
        s = chunk_parents(db, a, cache, &ch);
    return db_end(db, s);
}

/* ---------------------------------------------------------------- above the kindergartens */

/* The sums of the children's rows (for a kindergarten child: its value) as unit's rows. */
static db_status above_results(db_conn *db, arena *a, uint64_t unit, const char *children)
{
    db_result r;
    db_val p[] = {DB_STR(children)};
    db_status s = DB_EXEC(
        db, a,
        "SELECT r.campaign_id, r.instrument_id, r.source, r.kind, r.code, r.n, r.sum, o.level = "
        "'kindergarten', r.l1, r.l2, r.l3, r.l4, r.l5, r.l6, r.l7 FROM " IDS(
            "j") " JOIN org_units o ON o.id = j.id JOIN rollup_results r ON r.unit_id = j.id",
        p, &r);
    rollup_delta d;
    if (s != DB_OK || rollup_delta_init(&d, a) != 0)
        return s == DB_OK ? DB_ERROR : s;
    for (size_t i = 0; i < r.nrows; i++) {
        uint64_t c = (uint64_t)db_cell_int(&r, i, 0, 0), ins = (uint64_t)db_cell_int(&r, i, 1, 0);
        const char *src = db_cell(&r, i, 2), *kind = db_cell(&r, i, 3), *code = db_cell(&r, i, 4);
        long n = (long)db_cell_int(&r, i, 5, 0);
        rollup_dec sum;
        if (rollup_dec_parse(db_cell(&r, i, 6), &sum) != 0)
            return DB_ERROR;
        if (db_cell_int(&r, i, 7, 0)) {
            if (n > 0) {
                rollup_dec mean = rollup_dec_mean(sum, n);
                if (rollup_delta_add(&d, a, c, ins, src, unit, kind, code, 1, mean,
                                     rollup_dec_level(mean)) != 0)
                    return DB_ERROR;
            }
            continue;
        }
        long levels[7];
        for (int k = 0; k < 7; k++)
            levels[k] = (long)db_cell_int(&r, i, 8 + (size_t)k, 0);
        if (rollup_delta_add_row(&d, a, c, ins, src, unit, kind, code, n, sum, levels) != 0)
            return DB_ERROR;
    }
    return rollup_delta_write(db, a, &d);
}

static const char *const ABOVE_SUMS[] = {
    "INSERT INTO rollup_completion (campaign_id, instrument_id, source, unit_id, submitted, "
    "approved) SELECT r.campaign_id, r.instrument_id, r.source, x.u, SUM(r.submitted), "
    "SUM(r.approved) FROM " IDS(
        "j") " JOIN rollup_completion r ON r.unit_id = j.id, (SELECT "
             "CAST(? AS UNSIGNED) AS u) x GROUP BY 1, 2, 3, 4 HAVING SUM(r.submitted) <> 0 OR "
             "SUM(r.approved) <> 0",
    "INSERT INTO rollup_parent_responses (campaign_id, instrument_id, unit_id, responses) SELECT "
    "r.campaign_id, r.instrument_id, x.u, SUM(r.responses) FROM " IDS(
        "j") " JOIN rollup_parent_responses r ON r.unit_id = j.id, (SELECT CAST(? AS UNSIGNED) AS "
             "u) x "
             "GROUP BY 1, 2, 3 HAVING SUM(r.responses) <> 0",
    "INSERT INTO rollup_parent_statements (campaign_id, instrument_id, unit_id, code, answered, "
    "positive) SELECT r.campaign_id, r.instrument_id, x.u, r.code, SUM(r.answered), "
    "SUM(r.positive) FROM " IDS(
        "j") " JOIN rollup_parent_statements r ON r.unit_id = j.id, "
             "(SELECT CAST(? AS UNSIGNED) AS u) x GROUP BY 1, 2, 3, 4 HAVING SUM(r.answered) <> 0",
};

/* One transaction: the kindergartens below unit locked, its rows written again. */
static db_status rebuild_above(db_conn *db, arena *a, uint64_t unit, const char *path)
{
    db_result r;
    db_val p[] = {DB_STR(path)};
    db_val q[] = {DB_INT(unit)};
    db_status s = db_begin(db);
    if (s == DB_OK)
        s = DB_EXEC(db, a,
                    "SELECT id FROM org_units WHERE level = 'kindergarten' AND path LIKE "
                    "CONCAT(?, '%') ORDER BY id FOR UPDATE",
                    p, NULL);
    if (s == DB_OK)
        s = DB_EXEC(db, a, "SELECT id FROM org_units WHERE parent_id = ?", q, &r);
    char *children = s == DB_OK ? arena_alloc(a, r.nrows * 21 + 3) : NULL;
    if (children) {
        size_t len = 0;
        children[len++] = '[';
        for (size_t i = 0; i < r.nrows; i++)
            len += (size_t)sprintf(children + len, i ? ",%s" : "%s", db_cell(&r, i, 0));
        children[len++] = ']';
        children[len] = '\0';
    }
    char *ids = children ? arena_sprintf(a, "[%llu]", (unsigned long long)unit) : NULL;
    if (s == DB_OK && (!children || !ids))
        s = DB_ERROR;
    db_val u[] = {DB_STR(ids ? ids : "[]")};
    for (size_t i = 0; s == DB_OK && i < sizeof CLEAR / sizeof CLEAR[0]; i++)
        s = DB_EXEC(db, a, CLEAR[i], u, NULL);
    if (s == DB_OK)
        s = above_results(db, a, unit, children);
    db_val w[] = {DB_STR(children ? children : "[]"), DB_INT(unit)};
    for (size_t i = 0; s == DB_OK && i < sizeof ABOVE_SUMS / sizeof ABOVE_SUMS[0]; i++)
        s = DB_EXEC(db, a, ABOVE_SUMS[i], w, NULL);
    return db_end(db, s);
}

/* ---------------------------------------------------------------- the whole */

#define REBUILD_JOB ROLLUP_REBUILD_JOB
#define REBUILD_LEASE_TTL ROLLUP_REBUILD_LEASE_TTL

/* Renews the lease before a chunk: a rebuild that lost it (stalled past its expiry, and
 * another one started) stops. */
static db_status keep_lease(db_conn *db, arena *a)
{
    int held = job_lease_take(db, a, REBUILD_JOB, REBUILD_LEASE_TTL, 0);
    if (held == 1)
        return DB_OK;
    if (held == 0)
        log_error("rollups: the rebuild lost its lease: stopped");
    return DB_ERROR;
}

/* A transaction that failed (a deadlock with a move, a lock wait) is tried again twice. */
#define TRIES 3

static db_status rebuild_units(db_conn *db, arena *a)
{
    db_status s = db_begin(db);
    if (s == DB_OK)
        s = DB_RUN(db, a, "DELETE FROM rollup_units", NULL);
    if (s == DB_OK)
        s = DB_RUN(db, a, UNITS, NULL);
    return db_end(db, s);
}

static db_status rebuild_kindergartens(db_conn *db, instrument_cache *cache)
{
    arena a;
    arena_init(&a, 64 * 1024);
    db_result r;
    db_status s =
        DB_RUN(db, &a, "SELECT id FROM org_units WHERE level = 'kindergarten' ORDER BY id", &r);
    arena b;
    arena_init(&b, 256 * 1024);
    for (size_t i = 0; s == DB_OK && i < r.nrows; i += CHUNK_KINDERGARTENS) {
        arena_reset(&b);
        if ((s = keep_lease(db, &b)) != DB_OK)
            break;
        for (int t = 0; t < TRIES; t++) {
            arena_reset(&b);
            char *kgs = arena_strdup(&b, "[");
            for (size_t k = i; kgs && k < r.nrows && k < i + CHUNK_KINDERGARTENS; k++)
                kgs = arena_sprintf(&b, "%s%s%s", kgs, k > i ? "," : "", db_cell(&r, k, 0));
            kgs = kgs ? arena_sprintf(&b, "%s]", kgs) : NULL;
            s = kgs ? rebuild_chunk(db, &b, cache, kgs) : DB_ERROR;
            if (s == DB_OK)
                break;
            log_error("rollups: rebuilding kindergartens from %s failed (try %d)",
                      db_cell(&r, i, 0), t + 1);
        }
    }
    arena_destroy(&b);
    arena_destroy(&a);
    return s;
}

static db_status rebuild_tops(db_conn *db)
{
    arena a;
    arena_init(&a, 64 * 1024);
    db_result r;
    /* deepest first: a unit's children are done before it */
    db_status s = DB_RUN(db, &a,
                         "SELECT id, path FROM org_units WHERE level IN ('region', "
                         "'municipality') ORDER BY LENGTH(path) - LENGTH(REPLACE(path, '/', "
                         "'')) DESC, id",
                         &r);
    arena b;
    arena_init(&b, 64 * 1024);
    for (size_t i = 0; s == DB_OK && i < r.nrows; i++) {
        arena_reset(&b);
        if ((s = keep_lease(db, &b)) != DB_OK)
            break;
        for (int t = 0; t < TRIES; t++) {
            arena_reset(&b);
            s = rebuild_above(db, &b, (uint64_t)db_cell_int(&r, i, 0, 0), db_cell(&r, i, 1));
            if (s == DB_OK)
                break;
            log_error("rollups: rebuilding unit %s failed (try %d)", db_cell(&r, i, 0), t + 1);
        }
    }
    arena_destroy(&b);
    arena_destroy(&a);
    return s;
}

db_status rollup_rebuild(db_conn *db, arena *a, instrument_cache *cache, unsigned long long *rows,
                         int *busy)
{
    *busy = 0;
    int held = job_lease_take(db, a, REBUILD_JOB, REBUILD_LEASE_TTL, 0);
    if (held < 0)
        return DB_UNAVAILABLE;
    if (held == 0) {
        *busy = 1;
        return DB_OK;
    }
    db_result r;
    db_status s = rebuild_units(db, a);
    if (s == DB_OK)
        s = rebuild_kindergartens(db, cache);
    if (s == DB_OK)
        s = rebuild_tops(db);
    if (s == DB_OK)
        s = DB_RUN(db, a, COUNT, &r);
    if (s == DB_OK && rows)
        *rows = (unsigned long long)db_cell_int(&r, 0, 0, 0);
    /* the caller records the run's outcome, then gives the lease back (rollup_admin.c): a
     * run shown as running always holds it */
    return s;
}
