/* The two layers of the result rollups (rollup_results.h). */
#include "dashboards/rollup_results.h"

#include "http/http.h"
#include "dashboards/rollup_rules.h"

#include <stdlib.h>
#include <string.h>

struct rollup_cell {
    struct rollup_cell *next;
    uint64_t campaign, instrument_id, unit;
    const char *source, *kind, *code;
    long n;
    rollup_dec sum;
    long levels[7];
};

int rollup_delta_init(rollup_delta *d, arena *a)
{
    d->cells = NULL;
    d->n = 0;
    return strmap_init(&d->index, a, 256);
}

/* The cell of the key, made on first sight; NULL when out of memory. */
static struct rollup_cell *cell(rollup_delta *d, arena *a, uint64_t campaign,
                                uint64_t instrument_id, const char *source, uint64_t unit,
                                const char *kind, const char *code)
{
    char *key = arena_sprintf(a, "%llu:%llu:%s:%llu:%s:%s", (unsigned long long)campaign,
                              (unsigned long long)instrument_id, source, (unsigned long long)unit,
                              kind, code);
    if (!key)
        return NULL;
    struct rollup_cell *c = strmap_get(&d->index, key);
    if (c)
        return c;
    c = arena_alloc(a, sizeof *c);
    if (!c || strmap_put(&d->index, key, c) != 0)
        return NULL;
    *c = (struct rollup_cell){.next = d->cells,
                              .campaign = campaign,
                              .instrument_id = instrument_id,
                              .unit = unit,
                              .source = source,
                              .kind = kind,
                              .code = code};
    d->cells = c;
    d->n++;
    return c;
}

int rollup_delta_add(rollup_delta *d, arena *a, uint64_t campaign, uint64_t instrument_id,
                     const char *source, uint64_t unit, const char *kind, const char *code,
                     int sign, rollup_dec v, int level)
{
    struct rollup_cell *c = cell(d, a, campaign, instrument_id, source, unit, kind, code);
    if (!c)
        return -1;
    c->n += sign;
    c->sum += sign * v;
    if (level >= 1 && level <= 7)
        c->levels[level - 1] += sign;
    return 0;
}

int rollup_delta_add_row(rollup_delta *d, arena *a, uint64_t campaign, uint64_t instrument_id,
                         const char *source, uint64_t unit, const char *kind, const char *code,
                         long n, rollup_dec sum, const long levels[7])
{
    struct rollup_cell *c = cell(d, a, campaign, instrument_id, source, unit, kind, code);
    if (!c)
        return -1;
    c->n += n;
    c->sum += sum;
    for (int k = 0; k < 7; k++)
        c->levels[k] += levels[k];
    return 0;
}

#define DELTA_COLUMNS                                                                              \
    "JSON_TABLE(?, '$[*]' COLUMNS (c BIGINT UNSIGNED PATH '$[0]', i BIGINT UNSIGNED PATH '$[1]', " \
    "src VARCHAR(16) PATH '$[2]', u BIGINT UNSIGNED PATH '$[3]', kind VARCHAR(16) PATH '$[4]', "   \
    "code VARCHAR(64) PATH '$[5]', n INT PATH '$[6]', sm DECIMAL(30,20) PATH '$[7]', l1 INT PATH " \
    "'$[8]', l2 INT PATH '$[9]', l3 INT PATH '$[10]', l4 INT PATH '$[11]', l5 INT PATH '$[12]', "  \
    "l6 INT PATH '$[13]', l7 INT PATH '$[14]')) j"

static const char *const DELTA_ADD =
    "INSERT INTO rollup_results (campaign_id, instrument_id, source, unit_id, kind, code, n, sum, "
    "l1, l2, l3, l4, l5, l6, l7) SELECT j.c, j.i, j.src, j.u, j.kind, j.code, j.n, j.sm, j.l1, "
    "j.l2, j.l3, j.l4, j.l5, j.l6, j.l7 FROM " DELTA_COLUMNS
    " ON DUPLICATE KEY UPDATE rollup_results.n = rollup_results.n + VALUES(n), "
    "rollup_results.sum = rollup_results.sum + VALUES(sum), "
    "rollup_results.l1 = rollup_results.l1 + VALUES(l1), "
    "rollup_results.l2 = rollup_results.l2 + VALUES(l2), "
    "rollup_results.l3 = rollup_results.l3 + VALUES(l3), "
    "rollup_results.l4 = rollup_results.l4 + VALUES(l4), "
    "rollup_results.l5 = rollup_results.l5 + VALUES(l5), "
    "rollup_results.l6 = rollup_results.l6 + VALUES(l6), "
    "rollup_results.l7 = rollup_results.l7 + VALUES(l7)";

static const char *const DELTA_CLEAN =
    "DELETE r FROM " DELTA_COLUMNS " JOIN rollup_results r ON r.campaign_id = j.c AND "
    "r.instrument_id = j.i AND r.source = j.src AND r.unit_id = j.u AND r.kind = j.kind AND "
    "r.code = j.code WHERE r.n = 0";

/* Rows per statement: a few hundred kilobytes of JSON. */
#define DELTA_BATCH 2000

/* Runs sql over the rows (a JSON array, emptied after). */
static db_status write_batch(db_conn *db, arena *a, const char *sql, json_t *rows)
{
    char *text = json_dumps(rows, JSON_COMPACT);
    char *copy = text ? arena_strdup(a, text) : NULL;
    free(text);
    json_array_clear(rows);
    if (!copy)
        return DB_ERROR;
    db_val p[] = {DB_STR(copy)};
    return DB_EXEC(db, a, sql, p, NULL);
}

static json_t *cell_json(arena *a, const struct rollup_cell *c)
{
    char *sum = rollup_dec_text(a, c->sum);
    return sum ? json_pack("[I,I,s,I,s,s,I,s,I,I,I,I,I,I,I]", (json_int_t)c->campaign,
                           (json_int_t)c->instrument_id, c->source, (json_int_t)c->unit, c->kind,
                           c->code, (json_int_t)c->n, sum, (json_int_t)c->levels[0],
                           (json_int_t)c->levels[1], (json_int_t)c->levels[2],
                           (json_int_t)c->levels[3], (json_int_t)c->levels[4],
                           (json_int_t)c->levels[5], (json_int_t)c->levels[6])
               : NULL;
}

static int unchanged(const struct rollup_cell *c)
{
    for (int k = 0; k < 7; k++)
        if (c->levels[k])
            return 0;
    return c->n == 0 && c->sum == 0;
}

db_status rollup_delta_write(db_conn *db, arena *a, const rollup_delta *d)
{
    json_t *rows = arena_json(a, json_array()), *gone = arena_json(a, json_array());
    if (!rows || !gone)
        return DB_ERROR;
    db_status s = DB_OK;
    for (const struct rollup_cell *c = d->cells; c && s == DB_OK; c = c->next) {
        if (unchanged(c))
            continue;
        json_t *row = cell_json(a, c);
        if (!row || json_array_append_new(rows, row) != 0)
            return DB_ERROR;
        /* only a row that loses sheets or kindergartens may fall to n = 0 */
        if (c->n < 0 && json_array_append(gone, row) != 0)
            return DB_ERROR;
        if (json_array_size(rows) >= DELTA_BATCH)
            s = write_batch(db, a, DELTA_ADD, rows);
    }
    if (s == DB_OK && json_array_size(rows) > 0)
        s = write_batch(db, a, DELTA_ADD, rows);
    while (s == DB_OK && json_array_size(gone) > 0) {
        json_t *batch = arena_json(a, json_array());
        if (!batch)
            return DB_ERROR;
        while (json_array_size(gone) > 0 && json_array_size(batch) < DELTA_BATCH) {
            json_array_append(batch, json_array_get(gone, 0));
            json_array_remove(gone, 0);
        }
        s = write_batch(db, a, DELTA_CLEAN, batch);
    }
    return s;
}

db_status rollup_lock_writes(db_conn *db, arena *a)
{
    return DB_RUN(db, a, "SELECT name FROM write_locks WHERE name = 'rollups' FOR UPDATE", NULL);
}

db_status rollup_lock_kindergarten(db_conn *db, arena *a, uint64_t kindergarten)
{
    db_val p[] = {DB_INT(kindergarten)};
    return DB_EXEC(db, a, "SELECT id FROM org_units WHERE id = ? FOR UPDATE", p, NULL);
}

char *rollup_path_json(arena *a, const rollup_path *p, long from, long to)
{
    char *out = arena_alloc(a, (size_t)(to - from + 1) * 21 + 3);
    if (!out)
        return NULL;
    size_t len = 0;
    out[len++] = '[';
    for (long i = from; i < to; i++)
        len += (size_t)sprintf(out + len, i > from ? ",%llu" : "%llu", p->ids[i]);
    out[len++] = ']';
    out[len] = '\0';
    return out;
}

db_status rollup_split_path(db_conn *db, arena *a, const char *path, rollup_path *out)
{
    memset(out, 0, sizeof *out);
    out->n = rollup_path_id_list(path, out->ids, ROLLUP_PATH_MAX);
    char *ids = out->n > 0 ? rollup_path_json(a, out, 0, out->n) : NULL;
    if (!ids)
        return DB_ERROR;
    db_result r;
    db_val p[] = {DB_STR(ids)};
    db_status s = DB_EXEC(db, a,
                          "SELECT o.id FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT UNSIGNED "
                          "PATH '$')) a JOIN org_units o ON o.id = a.id AND o.level = "
                          "'kindergarten' LIMIT 1",
                          p, &r);
    if (s != DB_OK || r.nrows == 0)
        return s;
    out->kindergarten = (uint64_t)db_cell_int(&r, 0, 0, 0);
    for (long i = 0; i < out->n; i++)
        if (out->ids[i] == out->kindergarten)
            out->k = i;
    return DB_OK;
}

static db_status unit_path(db_conn *db, arena *a, uint64_t unit, rollup_path *p)
{
    db_result r;
    db_val q[] = {DB_INT(unit)};
    db_status s = DB_EXEC(db, a, "SELECT path FROM org_units WHERE id = ?", q, &r);
    if (s != DB_OK || r.nrows != 1)
        return s == DB_OK ? DB_ERROR : s;
    return rollup_split_path(db, a, db_cell(&r, 0, 0), p);
}

db_status rollup_anchor(db_conn *db, arena *a, uint64_t target_unit, rollup_path *p)
{
    /* lock the kindergarten of the path as read, then read the path again: a move that
     * committed in between names another kindergarten, which is locked in turn (no shared
     * lock on the target: two changes in one kindergarten would deadlock upgrading it) */
    db_status s = unit_path(db, a, target_unit, p);
    for (int i = 0; s == DB_OK && p->kindergarten && i < 4; i++) {
        uint64_t locked = p->kindergarten;
        s = rollup_lock_kindergarten(db, a, locked);
        if (s == DB_OK)
            s = unit_path(db, a, target_unit, p);
        if (s == DB_OK && p->kindergarten == locked)
            return rollup_lock_writes(db, a);
    }
    if (s != DB_OK)
        return s;
    return p->kindergarten ? DB_ERROR : rollup_lock_writes(db, a);
}

db_status rollup_kg_rows_read(db_conn *db, arena *a, uint64_t kindergarten, uint64_t campaign,
                              uint64_t instrument_id, const char *source, rollup_kg_rows *out)
{
    db_result r;
    db_val p[] = {DB_INT(kindergarten), DB_INT(campaign), DB_INT(campaign), DB_INT(instrument_id),
                  DB_STR(source ? source : "")};
    db_status s = DB_EXEC(db, a,
                          "SELECT campaign_id, instrument_id, source, kind, code, n, sum FROM "
                          "rollup_results WHERE unit_id = ? AND (? = 0 OR (campaign_id = ? AND "
                          "instrument_id = ? AND source = ?))",
                          p, &r);
    if (s != DB_OK)
        return s;
    size_t n = r.nrows ? r.nrows : 1;
    out->n = r.nrows;
    out->campaign = arena_alloc(a, n * sizeof *out->campaign);
    out->instrument = arena_alloc(a, n * sizeof *out->instrument);
    out->source = arena_alloc(a, n * sizeof *out->source);
    out->kind = arena_alloc(a, n * sizeof *out->kind);
    out->code = arena_alloc(a, n * sizeof *out->code);
    out->count = arena_alloc(a, n * sizeof *out->count);
    out->sum = arena_alloc(a, n * sizeof *out->sum);
    if (!out->campaign || !out->instrument || !out->source || !out->kind || !out->code ||
        !out->count || !out->sum)
        return DB_ERROR;
    for (size_t i = 0; i < r.nrows; i++) {
        out->campaign[i] = (uint64_t)db_cell_int(&r, i, 0, 0);
        out->instrument[i] = (uint64_t)db_cell_int(&r, i, 1, 0);
        out->source[i] = db_cell(&r, i, 2);
        out->kind[i] = db_cell(&r, i, 3);
        out->code[i] = db_cell(&r, i, 4);
        out->count[i] = (long)db_cell_int(&r, i, 5, 0);
        if (rollup_dec_parse(db_cell(&r, i, 6), &out->sum[i]) != 0)
            return DB_ERROR;
    }
    return DB_OK;
}

static char *kg_key(arena *a, const rollup_kg_rows *r, size_t i)
{
    return arena_sprintf(a, "%llu:%llu:%s:%s:%s", (unsigned long long)r->campaign[i],
                         (unsigned long long)r->instrument[i], r->source[i], r->kind[i],
                         r->code[i]);
}

/* Adds sign × the kindergarten's value of row i to the units ids[0..n). */
static int kg_value(rollup_delta *d, arena *a, const rollup_kg_rows *r, size_t i, int sign,
                    const unsigned long long *ids, long n)
{
    if (r->count[i] <= 0)
        return 0;
    rollup_dec mean = rollup_dec_mean(r->sum[i], r->count[i]);
    int level = rollup_dec_level(mean);
    for (long u = 0; u < n; u++)
        if (rollup_delta_add(d, a, r->campaign[i], r->instrument[i], r->source[i], ids[u],
                             r->kind[i], r->code[i], sign, mean, level) != 0)
            return -1;
    return 0;
}

int rollup_kg_change(rollup_delta *d, arena *a, const rollup_kg_rows *before,
                     const rollup_kg_rows *after, const unsigned long long *ids, long n)
{
    static const rollup_kg_rows none;
    before = before ? before : &none;
    after = after ? after : &none;
    if (n == 0)
        return 0;
    /* a row unchanged (same n and sum) changes nothing above */
    strmap old;
    if (strmap_init(&old, a, before->n + 1) != 0)
        return -1;
    for (size_t i = 0; i < before->n; i++) {
        char *k = kg_key(a, before, i);
        if (!k || strmap_put(&old, k, (void *)(before->sum + i)) != 0)
            return -1;
    }
    char *same = arena_alloc(a, before->n + 1);
    if (!same)
        return -1;
    memset(same, 0, before->n + 1);
    for (size_t i = 0; i < after->n; i++) {
        char *k = kg_key(a, after, i);
        rollup_dec *was = k ? strmap_get(&old, k) : NULL;
        if (!k)
            return -1;
        if (was) {
            size_t j = (size_t)(was - before->sum);
            if (before->count[j] == after->count[i] && *was == after->sum[i]) {
                same[j] = 1;
                continue;
            }
            same[j] = 1;
            if (kg_value(d, a, before, j, -1, ids, n) != 0)
                return -1;
        }
        if (kg_value(d, a, after, i, 1, ids, n) != 0)
            return -1;
    }
    for (size_t j = 0; j < before->n; j++)
        if (!same[j] && kg_value(d, a, before, j, -1, ids, n) != 0)
            return -1;
    return 0;
}

long rollup_sheet_values_of(arena *a, const instrument *ins, const db_result *r, size_t first,
                            size_t count, size_t col, rollup_value **out)
{
    rollup_score_row *rows = arena_alloc(a, (count ? count : 1) * sizeof *rows);
    if (!rows)
        return -1;
    for (size_t i = 0; i < count; i++) {
        rows[i].code = db_cell(r, first + i, col);
        rows[i].level = (int)db_cell_int(r, first + i, col + 1, 0);
        rows[i].score = db_cell(r, first + i, col + 2);
        if (!rows[i].code || (!rows[i].level && !rows[i].score))
            return -1;
    }
    return rollup_sheet_values(a, ins, rows, count, out);
}

int rollup_sheet_delta(rollup_delta *d, arena *a, uint64_t campaign, uint64_t instrument_id,
                       const char *source, const unsigned long long *ids, long n,
                       const rollup_value *v, long nv, int sign)
{
    for (long u = 0; u < n; u++)
        for (long k = 0; k < nv; k++)
            if (rollup_delta_add(d, a, campaign, instrument_id, source, ids[u], v[k].kind,
                                 v[k].code, sign, v[k].value, v[k].level) != 0)
                return -1;
    return 0;
}

db_status rollup_results_sheet(db_conn *db, arena *a, instrument_cache *cache,
                               uint64_t submission_id, const rollup_path *p, int sign)
{
    db_result r;
    db_val q[] = {DB_INT(submission_id)};
    db_status s =
        DB_EXEC(db, a,
                "SELECT s.campaign_id, s.instrument_id, " ROLLUP_SOURCE_SQL
                ", sc.code, sc.level, sc.score FROM submissions s JOIN org_units o ON o.id = "
                "s.target_unit_id LEFT JOIN submission_scores sc ON sc.submission_id = s.id AND "
                "sc.kind = 'indicator' WHERE s.id = ?",
                q, &r);
    if (s != DB_OK || r.nrows == 0)
        return s == DB_OK ? DB_ERROR : s;
    uint64_t campaign = (uint64_t)db_cell_int(&r, 0, 0, 0);
    uint64_t instrument_id = (uint64_t)db_cell_int(&r, 0, 1, 0);
    const char *source = db_cell(&r, 0, 2);
    stored_instrument si;
    int found = 0;
    s = instrument_store_get(cache, db, a, instrument_id, &si, &found);
    if (s != DB_OK || !found)
        return s == DB_OK ? DB_ERROR : s;
    rollup_value *v = NULL;
    long nv = db_cell(&r, 0, 3) ? rollup_sheet_values_of(a, si.ins, &r, 0, r.nrows, 3, &v) : 0;
    rollup_kg_rows before, after;
    rollup_delta d, up;
    if (nv < 0 || rollup_delta_init(&d, a) != 0 || rollup_delta_init(&up, a) != 0 ||
        rollup_sheet_delta(&d, a, campaign, instrument_id, source, p->ids + p->k, p->n - p->k, v,
                           nv, sign) != 0)
        return DB_ERROR;
    if (p->kindergarten)
        s = rollup_kg_rows_read(db, a, p->kindergarten, campaign, instrument_id, source, &before);
    if (s == DB_OK)
        s = rollup_delta_write(db, a, &d);
    if (s != DB_OK || !p->kindergarten)
        return s;
    s = rollup_kg_rows_read(db, a, p->kindergarten, campaign, instrument_id, source, &after);
    if (s == DB_OK && rollup_kg_change(&up, a, &before, &after, p->ids, p->k) != 0)
        s = DB_ERROR;
    return s == DB_OK ? rollup_delta_write(db, a, &up) : s;
}

/* ---------------------------------------------------------------- moves */

/* sign × the result rows of unit x added to the units of ids (JSON), zeros deleted. */
static db_status raw_rows(db_conn *db, arena *a, uint64_t x, const char *ids, int sign)
{
    if (strcmp(ids, "[]") == 0)
        return DB_OK;
    db_val p[] = {DB_STR(ids), DB_INT(sign), DB_INT(x)};
    db_status s = DB_EXEC(
        db, a,
        "INSERT INTO rollup_results (campaign_id, instrument_id, source, unit_id, kind, code, n, "
        "sum, l1, l2, l3, l4, l5, l6, l7) SELECT r.campaign_id, r.instrument_id, r.source, a.id, "
        "r.kind, r.code, x.sg * r.n, x.sg * r.sum, x.sg * r.l1, x.sg * r.l2, x.sg * r.l3, x.sg * "
        "r.l4, x.sg * r.l5, x.sg * r.l6, x.sg * r.l7 FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT "
        "UNSIGNED PATH '$')) a, (SELECT CAST(? AS SIGNED) AS sg) x, rollup_results r WHERE "
        "r.unit_id = ? ON DUPLICATE KEY UPDATE rollup_results.n = rollup_results.n + VALUES(n), "
        "rollup_results.sum = rollup_results.sum + VALUES(sum), rollup_results.l1 = "
        "rollup_results.l1 + VALUES(l1), rollup_results.l2 = rollup_results.l2 + VALUES(l2), "
        "rollup_results.l3 = rollup_results.l3 + VALUES(l3), rollup_results.l4 = "
        "rollup_results.l4 + VALUES(l4), rollup_results.l5 = rollup_results.l5 + VALUES(l5), "
        "rollup_results.l6 = rollup_results.l6 + VALUES(l6), rollup_results.l7 = "
        "rollup_results.l7 + VALUES(l7)",
        p, NULL);
    if (s == DB_OK && sign < 0)
        s = db_exec(db, a,
                    "DELETE r FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT UNSIGNED PATH '$')) "
                    "a JOIN rollup_results r ON r.unit_id = a.id WHERE r.n = 0",
                    p, 1, NULL);
    return s;
}

/* The ids of a->ids[from..to) that are not on path b (b's own unit left out), as JSON. */
static char *ids_not_in(arena *a, const rollup_path *pa, long from, long to, const rollup_path *pb)
{
    rollup_path out = {.n = 0};
    for (long i = from; i < to; i++) {
        int shared = 0;
        for (long j = 0; j < pb->n - 1 && !shared; j++)
            shared = pa->ids[i] == pb->ids[j];
        if (!shared)
            out.ids[out.n++] = pa->ids[i];
    }
    return rollup_path_json(a, &out, 0, out.n);
}

/* A kindergarten moved: its value leaves the units above it on the old path and joins
 * those on the new one. */
static db_status move_kindergarten(db_conn *db, arena *a, const rollup_path *op,
                                   const rollup_path *np)
{
    uint64_t x = op->kindergarten;
    rollup_kg_rows rows;
    rollup_delta d;
    db_status s = rollup_lock_kindergarten(db, a, x);
    if (s == DB_OK)
        s = rollup_lock_writes(db, a);
    if (s == DB_OK)
        s = rollup_kg_rows_read(db, a, x, 0, 0, NULL, &rows);
    if (s != DB_OK)
        return s;
    rollup_path gone = {.n = 0}, gained = {.n = 0};
    for (int side = 0; side < 2; side++) {
        const rollup_path *from = side ? np : op, *other = side ? op : np;
        rollup_path *to = side ? &gained : &gone;
        for (long i = 0; i < from->k; i++) {
            int shared = 0;
            for (long j = 0; j < other->k && !shared; j++)
                shared = from->ids[i] == other->ids[j];
            if (!shared)
                to->ids[to->n++] = from->ids[i];
        }
    }
    if (rollup_delta_init(&d, a) != 0 || rollup_kg_change(&d, a, &rows, NULL, gone.ids, gone.n) ||
        rollup_kg_change(&d, a, NULL, &rows, gained.ids, gained.n))
        return DB_ERROR;
    return rollup_delta_write(db, a, &d);
}

/* A unit below a kindergarten moved (a group to another kindergarten): its rows leave the
 * old kindergarten's units and join the new one's, and each kindergarten's change of value
 * goes to the units above it. */
static db_status move_below(db_conn *db, arena *a, uint64_t x, const rollup_path *op,
                            const rollup_path *np)
{
    uint64_t k1 = op->kindergarten, k2 = np->kindergarten;
    uint64_t first = k1 < k2 ? k1 : k2, second = k1 < k2 ? k2 : k1;
    rollup_kg_rows b1, b2, a1, a2;
    db_status s = rollup_lock_kindergarten(db, a, first);
    if (s == DB_OK && second != first)
        s = rollup_lock_kindergarten(db, a, second);
    if (s == DB_OK)
        s = rollup_lock_writes(db, a);
    if (s == DB_OK)
        s = rollup_kg_rows_read(db, a, k1, 0, 0, NULL, &b1);
    if (s == DB_OK)
        s = rollup_kg_rows_read(db, a, k2, 0, 0, NULL, &b2);
    char *gone = ids_not_in(a, op, op->k, op->n - 1, np);
    char *gained = ids_not_in(a, np, np->k, np->n - 1, op);
    if (s == DB_OK && (!gone || !gained))
        s = DB_ERROR;
    if (s == DB_OK)
        s = raw_rows(db, a, x, gone, -1);
    if (s == DB_OK)
        s = raw_rows(db, a, x, gained, 1);
    if (s == DB_OK)
        s = rollup_kg_rows_read(db, a, k1, 0, 0, NULL, &a1);
    if (s == DB_OK)
        s = rollup_kg_rows_read(db, a, k2, 0, 0, NULL, &a2);
    if (s != DB_OK)
        return s;
    rollup_delta d;
    if (rollup_delta_init(&d, a) != 0 || rollup_kg_change(&d, a, &b1, &a1, op->ids, op->k) != 0 ||
        (k2 != k1 && rollup_kg_change(&d, a, &b2, &a2, np->ids, np->k) != 0))
        return DB_ERROR;
    return rollup_delta_write(db, a, &d);
}

db_status rollup_results_move(db_conn *db, arena *a, uint64_t unit_id, const char *old_path,
                              const char *new_path)
{
    rollup_path op, np;
    db_status s = rollup_split_path(db, a, old_path, &op);
    if (s == DB_OK)
        s = rollup_split_path(db, a, new_path, &np);
    if (s != DB_OK)
        return s;
    if (op.kindergarten == unit_id)
        return move_kindergarten(db, a, &op, &np);
    if (op.kindergarten && np.kindergarten)
        return move_below(db, a, unit_id, &op, &np);
    /* above the kindergartens: the rows are sums over kindergartens and move as they are
     * (the kindergartens below are locked already: the move rewrote their paths) */
    char *gone = rollup_path_diff(a, old_path, new_path);
    char *gained = rollup_path_diff(a, new_path, old_path);
    if (!gone || !gained)
        return DB_ERROR;
    s = rollup_lock_writes(db, a);
    if (s == DB_OK)
        s = raw_rows(db, a, unit_id, gone, -1);
    return s == DB_OK ? raw_rows(db, a, unit_id, gained, 1) : s;
}
