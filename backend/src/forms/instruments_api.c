/* Instruments: the list, one definition, upload of a new version (administrators), and
 * publishing it. A published version never changes. */
#include "forms/handlers.h"
#include "auth/principal.h"

#include "auth/audit.h"
#include "forms/instrument_store.h"
#include "auth/scope.h"

#include <stdlib.h>
#include <string.h>

#define META_COLUMNS                                                                               \
    "i.id, i.code, i.version, i.title, i.scoring_rule, i.respondents, i.targets, i.status, "       \
    "DATE_FORMAT(i.published_at, '%Y-%m-%dT%H:%i:%sZ')"

/* "a,b" -> ["a","b"] */
static json_t *split_list(const char *s)
{
    json_t *arr = json_array();
    while (s && *s) {
        const char *comma = strchr(s, ',');
        size_t n = comma ? (size_t)(comma - s) : strlen(s);
        json_array_append_new(arr, json_stringn(s, n));
        s = comma ? comma + 1 : NULL;
    }
    return arr;
}

static json_t *meta_json(const db_result *r, size_t i)
{
    return json_pack("{s:I, s:s, s:I, s:s, s:s, s:o, s:o, s:s, s:s?}", "id",
                     (json_int_t)db_cell_int(r, i, 0, 0), "code", db_cell(r, i, 1), "version",
                     (json_int_t)db_cell_int(r, i, 2, 0), "title", db_cell(r, i, 3), "scoring",
                     db_cell(r, i, 4), "respondents", split_list(db_cell(r, i, 5)), "targets",
                     split_list(db_cell(r, i, 6)), "status", db_cell(r, i, 7), "published_at",
                     db_cell(r, i, 8));
}

int handle_instruments_list(request *rq, response *rs)
{
    const char *all = uri_param_get(&rq->args, "all");
    int every = all && strcmp(all, "1") == 0 && rq->me->role == ROLE_ADMINISTRATOR;
    db_result r;
    db_val p[] = {DB_INT(every)};
    db_status s = DB_EXEC(rq->db, rq->a,
                          "SELECT " META_COLUMNS " FROM instruments i WHERE ? = 1 OR "
                          "(i.status = 'published' AND i.version = (SELECT MAX(j.version) FROM "
                          "instruments j WHERE j.code = i.code AND j.status = 'published')) "
                          "ORDER BY i.code, i.version",
                          p, &r);
    return respond_rows(rq, rs, s, &r, meta_json);
}

/* Loads the metadata of id; drafts only for administrators. found = 0 otherwise. */
static db_status load_meta(request *rq, uint64_t id, db_result *r, int *found)
{
    db_val p[] = {DB_INT(id), DB_INT(rq->me->role == ROLE_ADMINISTRATOR)};
    db_status s = DB_EXEC(rq->db, rq->a,
                          "SELECT " META_COLUMNS ", i.definition FROM instruments i "
                          "WHERE i.id = ? AND (i.status = 'published' OR ? = 1)",
                          p, r);
    *found = s == DB_OK && r->nrows == 1;
    return s;
}

db_status instrument_document(request *rq, uint64_t id, json_t **out)
{
    db_result r;
    int found;
    db_status s = load_meta(rq, id, &r, &found);
    *out = NULL;
    if (s != DB_OK || !found)
        return s;
    *out = meta_json(&r, 0);
    json_object_set_new(*out, "definition", json_loads(db_cell(&r, 0, 9), 0, NULL));
    return DB_OK;
}

int handle_instrument_get(request *rq, response *rs)
{
    json_t *doc = NULL;
    db_status s = instrument_document(rq, scope_parse_id(rq->params[0]), &doc);
    if (s != DB_OK || !doc)
        return s != DB_OK ? reply_db_error(rq, rs, s)
                          : reply_problem(rq, rs, PK_NOT_FOUND, "Инструмент не найден.");
    return respond_json(rq, rs, 200, doc);
}

int handle_instrument_upload(request *rq, response *rs)
{
    form_errors errs;
    form_errors_init(&errs, rq->a, 200);
    const instrument *ins = NULL;
    int rc = instrument_parse(rq->a, rq->json, &ins, &errs);
    if (rc < 0)
        return reply_problem(rq, rs, PK_INTERNAL, "Внутренняя ошибка сервера.");
    if (rc > 0) {
        json_t *p = problem_of(PK_INVALID_INSTRUMENT, "Описание инструмента содержит ошибки.");
        for (size_t i = 0; i < errs.count; i++)
            problem_add_error(p, errs.items[i].where, errs.items[i].message);
        return reply_problem_doc(rq, rs, p);
    }
    uint64_t id = 0;
    int version = 0;
    db_status s = db_begin(rq->db);
    if (s == DB_OK)
        s = instrument_store_insert(rq->db, rq->a, rq->json, ins, 0, 0, rq->me->user_id, &id,
                                    &version);
    if (s == DB_OK)
        s = audit_write(rq, "instrument.create", "instrument", id, 0,
                        json_pack("{s:[n,s], s:[n,i]}", "code", ins->code, "version", version));
    s = db_end(rq->db, s);
    if (s != DB_OK) {
        if (s == DB_DUPLICATE)
            reply_problem(rq, rs, PK_CONFLICT,
                          "Такая версия инструмента уже есть, повторите попытку.");
        else
            reply_db_error(rq, rs, s);
        return rs->status;
    }
    db_result r;
    int found;
    s = load_meta(rq, id, &r, &found);
    if (s != DB_OK || !found)
        return reply_db_error(rq, rs, s == DB_OK ? DB_ERROR : s);
    return respond_json(rq, rs, 201, meta_json(&r, 0));
}

int handle_instrument_publish(request *rq, response *rs)
{
    uint64_t id = scope_parse_id(rq->params[0]);
    db_result r;
    int found;
    db_status s = db_begin(rq->db);
    if (s == DB_OK) {
        db_val p[] = {DB_INT(id)};
        s = DB_EXEC(rq->db, rq->a,
                    "UPDATE instruments SET status = 'published', published_at = "
                    "CURRENT_TIMESTAMP WHERE id = ? AND status = 'draft'",
                    p, &r);
    }
    if (s == DB_OK && r.affected == 1)
        s = audit_write(rq, "instrument.publish", "instrument", id, 0, NULL);
    s = db_end(rq->db, s);
    if (s == DB_OK)
        s = load_meta(rq, id, &r, &found);
    if (reply_lookup(rq, rs, s, found, "Инструмент не найден.") != 0)
        return rs->status;
    return respond_json(rq, rs, 200, meta_json(&r, 0));
}
