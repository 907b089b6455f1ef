/* Yearly targets of a unit (docs/analysis.md, "Yearly targets"): read them beside the actual
 * figures of the dashboards, set or clear one. The campaign (and instrument, source) are the
 * dashboards' own query parameters: a target belongs to the campaign's year and the
 * instrument's code. */
#include "analysis/handlers.h"
#include "analysis/report_data.h"
#include "analysis/target_rules.h"
#include "analysis/target_store.h"
#include "auth/principal.h"

#include <string.h>

/* The targets view of q's unit: the breakdown's figures with the targets, and what the
 * caller may set. */
static db_status targets_doc(request *rq, const dash_query *q, json_t **bd_out, json_t **out)
{
    json_t *bd = NULL, *t = NULL;
    *out = NULL;
    db_status s = dashboard_breakdown_json(rq, q, &bd);
    if (s == DB_OK)
        s = report_targets_json(rq, bd, &t);
    if (s != DB_OK) {
        json_decref(bd);
        return s;
    }
    target_origin o = TARGET_ABOVE;
    int coord = target_origin_for(rq->me->role, rq->me->org_path, q->unit.path, &o) == 0;
    int admin = rq->me->role == ROLE_ADMINISTRATOR, group = q->unit.level == LEVEL_GROUP;
    *out = json_pack("{s:O, s:O, s:O, s:O, s:O, s:O, s:{s:b, s:b}}", "unit",
                     json_object_get(bd, "unit"), "campaign", json_object_get(bd, "campaign"),
                     "instrument", json_object_get(bd, "instrument"), "source",
                     json_object_get(bd, "source"), "year", json_object_get(t, "year"), "items",
                     json_object_get(t, "items"), "can_set", "above",
                     !group && (admin || (coord && o == TARGET_ABOVE)), "own",
                     !group && (admin || (coord && o == TARGET_OWN)));
    json_decref(t);
    if (bd_out)
        *bd_out = bd;
    else
        json_decref(bd);
    return *out ? DB_OK : DB_ERROR;
}

int handle_targets_get(request *rq, response *rs)
{
    dash_query q;
    if (dash_query_parse(rq, &q, rs) != 0)
        return rs->status;
    json_t *doc = NULL;
    db_status s = targets_doc(rq, &q, NULL, &doc);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    return respond_json(rq, rs, 200, doc);
}

/* Is code an area (kind section) or indicator of the breakdown? */
static int code_known(const json_t *bd, const char *kind, const char *code)
{
    size_t i, j;
    json_t *s, *ind;
    json_array_foreach(json_object_get(bd, "sections"), i, s)
    {
        if (strcmp(kind, "section") == 0 &&
            strcmp(json_string_value(json_object_get(s, "code")), code) == 0)
            return 1;
        json_array_foreach(json_object_get(s, "indicators"), j, ind)
        {
            if (strcmp(kind, "indicator") == 0 &&
                strcmp(json_string_value(json_object_get(ind, "code")), code) == 0)
                return 1;
        }
    }
    return 0;
}

typedef struct {
    const char *kind, *code;
    long tenths; /* -1: clear */
    target_origin origin;
} target_input;

/* Reads and checks the body against the unit's breakdown: 0, or -1 with the answer written. */
static int read_input(request *rq, response *rs, const dash_query *q, const json_t *bd,
                      target_input *in)
{
    json_t *b = rq->json;
    in->kind = json_string_value(json_object_get(b, "kind"));
    in->code = json_string_value(json_object_get(b, "code"));
    json_t *value = json_object_get(b, "value");
    const char *origin = json_string_value(json_object_get(b, "origin"));
    json_t *maxj = json_object_get(json_object_get(bd, "instrument"), "max_level");
    int max = json_is_integer(maxj) ? (int)json_integer_value(maxj) : 5;
    json_t *p = problem_of(PK_VALIDATION, "Проверьте цель.");
    if (!in->kind || (strcmp(in->kind, "overall") && strcmp(in->kind, "section") &&
                      strcmp(in->kind, "indicator")))
        problem_add_error(p, "kind", "overall, section или indicator");
    else if (strcmp(in->kind, "overall") == 0)
        in->code = "";
    else if (!in->code || !code_known(bd, in->kind, in->code))
        problem_add_error(p, "code", "код области или показателя инструмента");
    in->tenths = json_is_null(value)     ? -1
                 : json_is_number(value) ? target_tenths(json_number_value(value), max)
                                         : -2;
    if (!value || in->tenths == -2 || (!json_is_null(value) && in->tenths < 0))
        problem_add_error(p, "value",
                          arena_sprintf(rq->a,
                                        "балл с одним знаком после запятой от 1 до %d, или "
                                        "null — снять цель",
                                        max));
    int admin = rq->me->role == ROLE_ADMINISTRATOR;
    if (origin && target_origin_parse(origin, &in->origin) != 0)
        problem_add_error(p, "origin", "above или own");
    else if (admin && !origin)
        problem_add_error(p, "origin", "администратор указывает above или own");
    if (reply_field_errors(rq, rs, p) != 0)
        return -1;
    target_origin mine;
    if (!admin && (target_origin_for(rq->me->role, rq->me->org_path, q->unit.path, &mine) != 0 ||
                   (origin && mine != in->origin))) {
        reply_problem(rq, rs, PK_FORBIDDEN,
                      "Цель организации ставит уровень выше, а свою — её координатор.");
        return -1;
    }
    if (!admin)
        in->origin = mine;
    return 0;
}

/* Writes the target once the rule of the two origins allows it: 0, or -1 with the answer
 * written (the transaction rolled back). */
static int write_target(request *rq, response *rs, const json_t *bd, const target_input *in)
{
    int year = (int)json_integer_value(json_object_get(json_object_get(bd, "campaign"), "year"));
    const char *code =
        json_string_value(json_object_get(json_object_get(bd, "instrument"), "code"));
    uint64_t unit =
        (uint64_t)json_integer_value(json_object_get(json_object_get(bd, "unit"), "id"));
    strmap m;
    db_status s = db_begin(rq->db);
    if (s == DB_OK)
        s = target_load(rq, unit, 0, year, code, &m);
    target_pair cur = s == DB_OK ? target_get(rq, &m, unit, in->kind, in->code)
                                 : (target_pair){.above = -1, .own = -1};
    if (s == DB_OK && in->origin == TARGET_OWN && in->tenths >= 0 &&
        !target_own_allowed(cur.above, in->tenths)) {
        db_rollback(rq->db);
        json_t *p = problem_of(PK_TARGET_BELOW_ASSIGNED,
                               "Своя цель не может быть ниже цели, поставленной уровнем выше.");
        problem_add_error(p, "value",
                          arena_sprintf(rq->a, "не ниже %ld,%ld", cur.above / 10, cur.above % 10));
        reply_problem_doc(rq, rs, p);
        return -1;
    }
    if (s == DB_OK)
        s = target_write(rq, unit, year, code, in->kind, in->code, target_origin_name(in->origin),
                         in->tenths);
    s = db_end(rq->db, s);
    if (s != DB_OK) {
        reply_db_error(rq, rs, s);
        return -1;
    }
    return 0;
}

int handle_targets_put(request *rq, response *rs)
{
    dash_query q;
    if (dash_query_parse(rq, &q, rs) != 0)
        return rs->status;
    if (q.unit.level == LEVEL_GROUP)
        return reply_problem(rq, rs, PK_TARGET_LEVEL,
                             "Цели ставят детскому саду, муниципалитету и региону.");
    if (!json_is_object(rq->json)) {
        json_t *p = problem_of(PK_VALIDATION, "Проверьте цель.");
        problem_add_error(p, "", "ожидается объект JSON");
        return reply_problem_doc(rq, rs, p);
    }
    json_t *bd = NULL, *doc = NULL;
    db_status s = targets_doc(rq, &q, &bd, &doc);
    json_decref(doc);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    target_input in;
    int failed = read_input(rq, rs, &q, bd, &in) != 0 || write_target(rq, rs, bd, &in) != 0;
    json_decref(bd);
    if (failed)
        return rs->status;
    s = targets_doc(rq, &q, NULL, &doc);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    return respond_json(rq, rs, 200, doc);
}
