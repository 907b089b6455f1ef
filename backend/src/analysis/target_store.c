/* Yearly targets as stored (target_store.h). */
#include "analysis/target_store.h"
#include "analysis/target_rules.h"
#include "auth/audit.h"
#include "auth/principal.h"
#include "db/db.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static char *key_of(arena *a, uint64_t unit, const char *kind, const char *code)
{
    return arena_sprintf(a, "%llu:%s:%s", (unsigned long long)unit, kind, code ? code : "");
}

db_status target_load(request *rq, uint64_t unit, int with_children, int year,
                      const char *instrument_code, strmap *out)
{
    if (strmap_init(out, rq->a, 64) != 0)
        return DB_ERROR;
    db_result r;
    db_val p[] = {DB_INT(year), DB_STR(instrument_code), DB_INT(unit), DB_INT(with_children),
                  DB_INT(unit)};
    db_status s = DB_EXEC(
        rq->db, rq->a,
        "SELECT t.org_unit_id, t.kind, t.code, t.origin, t.value_tenths, DATE_FORMAT(t.updated_at, "
        "'%Y-%m-%dT%H:%i:%s') FROM unit_targets t JOIN org_units o ON o.id = t.org_unit_id WHERE "
        "t.year = ? AND t.instrument_code = ? AND (o.id = ? OR (? = 1 AND o.parent_id = ?))",
        p, &r);
    if (s != DB_OK)
        return s;
    for (size_t i = 0; i < r.nrows; i++) {
        char *k =
            key_of(rq->a, (uint64_t)db_cell_int(&r, i, 0, 0), db_cell(&r, i, 1), db_cell(&r, i, 2));
        target_pair *tp = strmap_get(out, k);
        if (!tp) {
            tp = arena_alloc(rq->a, sizeof *tp);
            if (!tp || strmap_put(out, k, tp) != 0)
                return DB_ERROR;
            *tp = (target_pair){.above = -1, .own = -1};
        }
        int own = strcmp(db_cell(&r, i, 3), "own") == 0;
        long v = (long)db_cell_int(&r, i, 4, -1);
        if (own)
            tp->own = v, tp->own_at = db_cell(&r, i, 5);
        else
            tp->above = v, tp->above_at = db_cell(&r, i, 5);
    }
    return DB_OK;
}

target_pair target_get(request *rq, const strmap *m, uint64_t unit, const char *kind,
                       const char *code)
{
    target_pair *tp = strmap_get(m, key_of(rq->a, unit, kind, code));
    return tp ? *tp : (target_pair){.above = -1, .own = -1};
}

static json_t *tenths_json(long t)
{
    return t < 0 ? json_null() : json_real((double)t / 10.0);
}

json_t *target_pair_json(const target_pair *p)
{
    if (p->above < 0 && p->own < 0)
        return json_null();
    return json_pack("{s:o, s:o, s:o}", "value", tenths_json(target_effective(p->above, p->own)),
                     "above", tenths_json(p->above), "own", tenths_json(p->own));
}

/* "target" and "reached" of one row of the children view. */
static void annotate(request *rq, const strmap *m, uint64_t unit, json_t *row)
{
    target_pair tp = target_get(rq, m, unit, "overall", "");
    json_t *overall = json_object_get(json_object_get(row, "results"), "overall");
    long t = target_effective(tp.above, tp.own);
    json_object_set_new(row, "target", target_pair_json(&tp));
    json_object_set_new(row, "reached",
                        t < 0 ? json_null()
                              : json_boolean(target_reached(json_is_number(overall),
                                                            json_number_value(overall), t)));
}

db_status target_annotate_children(request *rq, json_t *doc)
{
    json_t *year = json_object_get(json_object_get(doc, "campaign"), "year");
    const char *code =
        json_string_value(json_object_get(json_object_get(doc, "instrument"), "code"));
    uint64_t unit =
        (uint64_t)json_integer_value(json_object_get(json_object_get(doc, "unit"), "id"));
    if (!code || !json_is_integer(year) || !unit)
        return DB_ERROR;
    strmap m;
    db_status s = target_load(rq, unit, 1, (int)json_integer_value(year), code, &m);
    if (s != DB_OK)
        return s;
    annotate(rq, &m, unit, json_object_get(doc, "total"));
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(doc, "items"), i, row)
    {
        annotate(rq, &m, (uint64_t)json_integer_value(json_object_get(row, "id")), row);
    }
    return DB_OK;
}

db_status target_write(request *rq, uint64_t unit, int year, const char *instrument_code,
                       const char *kind, const char *code, const char *origin, long tenths)
{
    db_result r;
    db_status s;
    if (tenths >= 0) {
        db_val p[] = {DB_INT(unit),   DB_INT(year),           DB_STR(instrument_code),
                      DB_STR(kind),   DB_STR(code),           DB_STR(origin),
                      DB_INT(tenths), DB_INT(rq->me->user_id)};
        s = DB_EXEC(rq->db, rq->a,
                    "INSERT INTO unit_targets (org_unit_id, year, instrument_code, kind, code, "
                    "origin, value_tenths, set_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE "
                    "KEY UPDATE value_tenths = VALUES(value_tenths), set_by = VALUES(set_by)",
                    p, &r);
    } else {
        db_val p[] = {DB_INT(unit), DB_INT(year), DB_STR(instrument_code),
                      DB_STR(kind), DB_STR(code), DB_STR(origin)};
        s = DB_EXEC(rq->db, rq->a,
                    "DELETE FROM unit_targets WHERE org_unit_id = ? AND year = ? AND "
                    "instrument_code = ? AND kind = ? AND code = ? AND origin = ?",
                    p, &r);
    }
    if (s != DB_OK)
        return s;
    return audit_write(rq, tenths >= 0 ? "target.set" : "target.clear", "org_unit", unit, unit,
                       json_pack("{s:i, s:s, s:s, s:s, s:s, s:o}", "year", year, "instrument",
                                 instrument_code, "kind", kind, "code", code, "origin", origin,
                                 "value", tenths_json(tenths)));
}
