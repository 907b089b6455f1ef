#include "campaigns/campaign_stages.h"
#include "auth/principal.h"

#include "http/form_text.h"
#include "auth/scope.h"
#include "campaigns/stage_kinds.h"

#include <stdlib.h>
#include <string.h>

static void err(json_t *problem, const char *field, const char *key, const char *message,
                request *rq)
{
    problem_add_error(problem, arena_sprintf(rq->a, "%s.%s", field, key), message);
}

/* A JSON array of respondent names as a comma-separated list; NULL when bad. */
static const char *respondents_list(request *rq, json_t *arr)
{
    if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > 8)
        return NULL;
    char *out = arena_strdup(rq->a, "");
    for (size_t i = 0; i < json_array_size(arr); i++) {
        const char *name = json_string_value(json_array_get(arr, i));
        if (!stage_respondent_valid(name) || stage_list_has(out, name))
            return NULL;
        out = arena_sprintf(rq->a, "%s%s%s", out, *out ? "," : "", name);
    }
    return out;
}

json_t *stage_respondents_json(const char *list)
{
    json_t *arr = json_array();
    for (const char *p = list; p && *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        json_array_append_new(arr, json_stringn(p, len));
        p = end ? end + 1 : p + len;
    }
    return arr;
}

int stage_spec_read(request *rq, json_t *obj, const char *field, const stage_spec *base,
                    stage_spec *out, json_t *problem)
{
    int bad = 0;
    if (!json_is_object(obj)) {
        problem_add_error(problem, field, "этап — объект JSON");
        return -1;
    }
    if (base) {
        *out = *base;
    } else {
        memset(out, 0, sizeof *out);
        const char *kind = json_string_value(json_object_get(obj, "kind"));
        const stage_kind_def *def = stage_kind_find(kind);
        if (!def) {
            err(problem, field, "kind", "вид этапа из шаблона кампании", rq);
            return -1;
        }
        out->kind = def->kind;
        out->title = def->title;
        out->respondents = def->respondents;
        out->target_level = def->target_level;
    }
    json_t *v;
    if ((v = json_object_get(obj, "title"))) {
        const char *t = json_string_value(v);
        if (!t || !*t || json_string_length(v) > 300 || !form_is_single_line(t))
            bad = 1,
            err(problem, field, "title", "название этапа: одна строка от 1 до 300 символов", rq);
        else
            out->title = t;
    }
    if ((v = json_object_get(obj, "instrument_id"))) {
        if (json_is_null(v))
            out->instrument_id = 0;
        else if (json_is_integer(v) && json_integer_value(v) > 0)
            out->instrument_id = (uint64_t)json_integer_value(v);
        else
            bad = 1, err(problem, field, "instrument_id", "id инструмента или null", rq);
    }
    if ((v = json_object_get(obj, "respondents"))) {
        const char *list = respondents_list(rq, v);
        if (!list)
            bad = 1, err(problem, field, "respondents",
                         "список ролей без повторов (или parent для родителей)", rq);
        else
            out->respondents = list;
    }
    if ((v = json_object_get(obj, "target_level"))) {
        if (!stage_target_level_valid(json_string_value(v)))
            bad = 1, err(problem, field, "target_level",
                         "уровень: kindergarten, group, teacher или unit", rq);
        else
            out->target_level = json_string_value(v);
    }
    if ((v = json_object_get(obj, "opens_on"))) {
        if (!stage_date_valid(json_string_value(v)))
            bad = 1, err(problem, field, "opens_on", "дата начала в виде ГГГГ-ММ-ДД", rq);
        else
            out->opens_on = json_string_value(v);
    }
    if ((v = json_object_get(obj, "closes_on"))) {
        if (!stage_date_valid(json_string_value(v)))
            bad = 1, err(problem, field, "closes_on", "дата окончания в виде ГГГГ-ММ-ДД", rq);
        else
            out->closes_on = json_string_value(v);
    }
    if (!bad && (!out->opens_on || !out->closes_on))
        bad = 1, err(problem, field, out->opens_on ? "closes_on" : "opens_on",
                     "укажите даты начала и окончания этапа", rq);
    if (!bad && strcmp(out->closes_on, out->opens_on) < 0)
        bad = 1, err(problem, field, "closes_on", "дата окончания не раньше даты начала", rq);
    return bad ? -1 : 0;
}

/* The next role of the comma-separated list at *p, copied into the arena; NULL at the end
 * of the list. *p moves past it. */
static char *next_role(arena *a, const char **p)
{
    if (!*p || !**p)
        return NULL;
    const char *end = strchr(*p, ',');
    size_t len = end ? (size_t)(end - *p) : strlen(*p);
    char *item = arena_strndup(a, *p, len);
    *p = end ? end + 1 : *p + len;
    return item;
}

/* The roles that fill the published instrument id; NULL when there is no such instrument. */
static db_status published_respondents(request *rq, uint64_t id, const char **roles)
{
    db_result r;
    db_val p[] = {DB_INT(id)};
    db_status s = DB_EXEC(rq->db, rq->a,
                          "SELECT respondents FROM instruments WHERE id = ? AND status = "
                          "'published'",
                          p, &r);
    *roles = s == DB_OK && r.nrows > 0 ? db_cell(&r, 0, 0) : NULL;
    return s;
}

/* Stage j before stage i: the same kind, or the same instrument for a role both name. */
static void check_pair(request *rq, const stage_spec *si, const stage_spec *sj, const char *field,
                       json_t *problem, int *bad)
{
    if (strcmp(si->kind, sj->kind) == 0) {
        *bad = 1;
        err(problem, field, "kind", "такой этап в кампании уже есть", rq);
    }
    if (!si->instrument_id || si->instrument_id != sj->instrument_id)
        return;
    const char *p = si->respondents, *who;
    while ((who = next_role(rq->a, &p)))
        if (stage_list_has(sj->respondents, who)) {
            *bad = 1;
            err(problem, field, "instrument_id",
                arena_sprintf(rq->a, "этот инструмент с теми же участниками (%s) уже в этапе «%s»",
                              who, sj->title),
                rq);
            return;
        }
}

db_status stage_specs_check(request *rq, const stage_spec *specs, size_t n,
                            const char *const *fields, json_t *problem, int *bad)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < i; j++)
            check_pair(rq, &specs[i], &specs[j], fields[i], problem, bad);
        if (!specs[i].instrument_id)
            continue;
        const char *roles = NULL;
        db_status s = published_respondents(rq, specs[i].instrument_id, &roles);
        if (s != DB_OK)
            return s;
        if (!roles) {
            *bad = 1;
            err(problem, fields[i], "instrument_id", "такого опубликованного инструмента нет", rq);
            continue;
        }
        const char *p = specs[i].respondents, *who;
        while ((who = next_role(rq->a, &p)))
            if (!stage_list_has(roles, who)) {
                *bad = 1;
                err(problem, fields[i], "respondents",
                    arena_sprintf(rq->a, "инструмент не заполняет роль %s (заполняют: %s)", who,
                                  roles),
                    rq);
            }
    }
    return DB_OK;
}

db_status stage_specs_insert(request *rq, uint64_t campaign_id, const stage_spec *specs, size_t n)
{
    db_status s = DB_OK;
    for (size_t i = 0; s == DB_OK && i < n; i++) {
        const stage_spec *sp = &specs[i];
        db_val v[] = {DB_INT(campaign_id),
                      DB_STR(sp->kind),
                      DB_STR(sp->title),
                      DB_INT(i + 1),
                      sp->instrument_id ? DB_INT(sp->instrument_id) : DB_NULL,
                      DB_STR(sp->respondents),
                      DB_STR(sp->target_level),
                      DB_STR(sp->opens_on),
                      DB_STR(sp->closes_on)};
        s = DB_EXEC(rq->db, rq->a,
                    "INSERT INTO campaign_stages (campaign_id, kind, title, position, "
                    "instrument_id, respondents, target_level, opens_on, closes_on) VALUES "
                    "(?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    v, NULL);
        if (s == DB_OK && sp->instrument_id) {
            db_val w[] = {DB_INT(campaign_id), DB_INT(sp->instrument_id)};
            s = DB_EXEC(rq->db, rq->a,
                        "INSERT IGNORE INTO campaign_instruments (campaign_id, instrument_id) "
                        "VALUES (?, ?)",
                        w, NULL);
        }
    }
    return s;
}

db_status campaign_window_from_stages(request *rq, uint64_t campaign_id)
{
    db_val p[] = {DB_INT(campaign_id), DB_INT(campaign_id), DB_INT(campaign_id),
                  DB_INT(campaign_id)};
    return DB_EXEC(rq->db, rq->a,
                   "UPDATE campaigns SET opens_on = (SELECT MIN(opens_on) FROM campaign_stages "
                   "WHERE campaign_id = ?), closes_on = (SELECT MAX(closes_on) FROM "
                   "campaign_stages WHERE campaign_id = ?) WHERE id = ? AND EXISTS (SELECT 1 "
                   "FROM campaign_stages WHERE campaign_id = ?)",
                   p, NULL);
}

#define STAGE_COLUMNS                                                                              \
    "st.id, st.kind, st.title, st.position, st.instrument_id, st.respondents, st.target_level, "   \
    "DATE_FORMAT(st.opens_on, '%Y-%m-%d'), DATE_FORMAT(st.closes_on, '%Y-%m-%d'), "                \
    "CURRENT_DATE BETWEEN st.opens_on AND st.closes_on, i.code, i.version, i.title"

static db_status stage_rows(request *rq, uint64_t campaign_id, db_result *r)
{
    db_val p[] = {DB_INT(campaign_id)};
    return DB_EXEC(rq->db, rq->a,
                   "SELECT " STAGE_COLUMNS " FROM campaign_stages st LEFT JOIN instruments i ON "
                   "i.id = st.instrument_id WHERE st.campaign_id = ? ORDER BY st.position, st.id",
                   p, r);
}

db_status campaign_stage_specs(request *rq, uint64_t campaign_id, stage_spec **out, size_t *n)
{
    db_result r;
    db_status s = stage_rows(rq, campaign_id, &r);
    *n = 0;
    *out = NULL;
    if (s != DB_OK || r.nrows == 0)
        return s;
    stage_spec *specs = arena_alloc(rq->a, r.nrows * sizeof *specs);
    if (!specs)
        return DB_ERROR;
    for (size_t i = 0; i < r.nrows; i++)
        specs[i] = (stage_spec){(uint64_t)db_cell_int(&r, i, 0, 0),
                                db_cell(&r, i, 1),
                                db_cell(&r, i, 2),
                                (uint64_t)db_cell_int(&r, i, 4, 0),
                                db_cell(&r, i, 5),
                                db_cell(&r, i, 6),
                                db_cell(&r, i, 7),
                                db_cell(&r, i, 8)};
    *out = specs;
    *n = r.nrows;
    return DB_OK;
}

/* The municipal deadlines of stage_id among rows (stage id, municipality id, name, due). */
static json_t *deadlines_json(const db_result *rows, uint64_t stage_id)
{
    json_t *out = json_array();
    for (size_t i = 0; i < rows->nrows; i++)
        if ((uint64_t)db_cell_int(rows, i, 0, 0) == stage_id)
            json_array_append_new(out,
                                  json_pack("{s:{s:I, s:s}, s:s}", "municipality", "id",
                                            (json_int_t)db_cell_int(rows, i, 1, 0), "name",
                                            db_cell(rows, i, 2), "due_on", db_cell(rows, i, 3)));
    return out;
}

db_status campaign_stages_json(request *rq, uint64_t campaign_id, json_t **out)
{
    db_result r, d;
    db_status s = stage_rows(rq, campaign_id, &r);
    db_val p[] = {DB_INT(campaign_id)};
    if (s == DB_OK && r.nrows)
        s = DB_EXEC(rq->db, rq->a,
                    "SELECT d.stage_id, m.id, m.name, DATE_FORMAT(d.due_on, '%Y-%m-%d') FROM "
                    "stage_deadlines d JOIN campaign_stages st ON st.id = d.stage_id JOIN "
                    "org_units m ON m.id = d.municipality_id WHERE st.campaign_id = ? ORDER BY "
                    "m.name",
                    p, &d);
    if (s != DB_OK)
        return s;
    json_t *arr = json_array();
    for (size_t i = 0; i < r.nrows; i++) {
        json_t *deadlines = deadlines_json(&d, (uint64_t)db_cell_int(&r, i, 0, 0));
        json_t *ins =
            db_cell(&r, i, 4)
                ? json_pack("{s:I, s:s, s:I, s:s}", "id", (json_int_t)db_cell_int(&r, i, 4, 0),
                            "code", db_cell(&r, i, 10), "version",
                            (json_int_t)db_cell_int(&r, i, 11, 0), "title", db_cell(&r, i, 12))
                : json_null();
        json_array_append_new(arr,
                              json_pack("{s:I, s:s, s:s, s:I, s:o, s:o, s:s, s:s, s:s, s:b, s:o}",
                                        "id", (json_int_t)db_cell_int(&r, i, 0, 0), "kind",
                                        db_cell(&r, i, 1), "title", db_cell(&r, i, 2), "position",
                                        (json_int_t)db_cell_int(&r, i, 3, 0), "instrument", ins,
                                        "respondents", stage_respondents_json(db_cell(&r, i, 5)),
                                        "target_level", db_cell(&r, i, 6), "opens_on",
                                        db_cell(&r, i, 7), "closes_on", db_cell(&r, i, 8), "open",
                                        (int)db_cell_int(&r, i, 9, 0), "deadlines", deadlines));
    }
    *out = arr;
    return DB_OK;
}

static const db_field CAMPAIGN_REF[] = {
    DB_FIELD(0, ID, campaign_ref, id),
    DB_FIELD(1, ID, campaign_ref, org_unit_id),
    DB_FIELD(2, TEXT, campaign_ref, unit_path),
    DB_FIELD(3, TEXT, campaign_ref, title),
    DB_FIELD(4, TEXT, campaign_ref, participation),
    DB_FIELD(5, INT, campaign_ref, started),
};

db_status campaign_find(request *rq, uint64_t id, campaign_ref *out, int *found)
{
    memset(out, 0, sizeof *out);
    db_val p[] = {DB_INT(id), DB_STR(rq->me->org_path), DB_INT(rq->me->user_id)};
    db_status s = DB_ROW_LOAD(
        rq->db, rq->a,
        "SELECT c.id, cu.id, cu.path, c.title, c.participation, CURRENT_DATE >= "
        "COALESCE((SELECT MIN(st.opens_on) FROM campaign_stages st WHERE st.campaign_id = c.id), "
        "c.opens_on) FROM campaigns c JOIN org_units cu ON cu.id = c.org_unit_id WHERE c.id = ? "
        "AND " CAMPAIGN_VISIBLE_SQL("cu"),
        p, CAMPAIGN_REF, out, found);
    if (!*found)
        return s;
    size_t mine = strlen(rq->me->org_path);
    out->can_run = rq->me->role == ROLE_ADMINISTRATOR ||
                   (rq->me->role == ROLE_REGION_COORDINATOR &&
                    strncmp(out->unit_path, rq->me->org_path, mine) == 0);
    return DB_OK;
}

int campaign_find_or_respond(request *rq, response *rs, int must_run, campaign_ref *out)
{
    int found = 0;
    uint64_t id = scope_parse_id(rq->params[0]);
    db_status s = id ? campaign_find(rq, id, out, &found) : DB_OK;
    if (reply_lookup(rq, rs, s, found, "Кампания не найдена.") != 0)
        return -1;
    if (must_run && !out->can_run) {
        reply_problem(rq, rs, PK_FORBIDDEN,
                      "Этапы и участников кампании меняет тот, кто её проводит.");
        return -1;
    }
    return 0;
}
