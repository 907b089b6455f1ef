#include "campaigns/campaign_participants.h"
#include "auth/principal.h"

#include "auth/audit.h"
#include "campaigns/campaign_stages.h"
#include "core/crypto_util.h"
#include "campaigns/handlers.h"
#include "campaigns/stage_sample.h"

#include <stdlib.h>
#include <string.h>

int participation_read(request *rq, json_t *body, participation_req *out, json_t *problem)
{
    (void)rq;
    memset(out, 0, sizeof *out);
    json_t *mode = json_object_get(body, "participation");
    json_t *ids = json_object_get(body, "sample_ids");
    json_t *pct = json_object_get(body, "sample_percent");
    json_t *seed = json_object_get(body, "sample_seed");
    int bad = 0;
    if (!mode && !ids && !pct)
        return 0;
    out->given = 1;
    const char *m = json_string_value(mode);
    if (mode && (!m || (strcmp(m, "all") != 0 && strcmp(m, "sample") != 0))) {
        problem_add_error(problem, "participation", "all или sample");
        return -1;
    }
    out->sample = m ? strcmp(m, "sample") == 0 : 1;
    if (!out->sample)
        return 0;
    if ((ids != NULL) == (pct != NULL)) {
        problem_add_error(problem, ids ? "sample_ids" : "sample_percent",
                          "выборка: либо список sample_ids, либо sample_percent");
        return -1;
    }
    if (ids) {
        if (!json_is_array(ids) || json_array_size(ids) == 0 || json_array_size(ids) > 5000)
            bad = 1, problem_add_error(problem, "sample_ids", "список id детских садов");
        for (size_t i = 0; !bad && i < json_array_size(ids); i++)
            if (!json_is_integer(json_array_get(ids, i)) ||
                json_integer_value(json_array_get(ids, i)) <= 0)
                bad = 1, problem_add_error(problem, "sample_ids", "id — целые числа");
        out->ids = ids;
        return bad ? -1 : 0;
    }
    double p = json_is_number(pct) ? json_number_value(pct) : -1;
    if (!(p > 0 && p <= 100))
        bad = 1, problem_add_error(problem, "sample_percent", "доля выборки: больше 0 и до 100 %");
    out->percent = p;
    if (seed && !json_is_null(seed)) {
        if (!json_is_integer(seed) || json_integer_value(seed) < 0)
            bad = 1, problem_add_error(problem, "sample_seed", "целое число не меньше 0");
        else
            out->seed = (uint64_t)json_integer_value(seed);
    } else {
        unsigned char b[4];
        if (random_bytes(b, sizeof b) != 0) {
            problem_add_error(problem, "sample_seed", "укажите sample_seed");
            return -1;
        }
        out->seed = ((uint64_t)b[0] << 24 | (uint64_t)b[1] << 16 | (uint64_t)b[2] << 8 | b[3]);
    }
    return bad ? -1 : 0;
}

/* The active kindergartens under unit_path with their municipality. */
static db_status kindergartens_of(request *rq, const char *unit_path, db_result *r)
{
    db_val p[] = {DB_STR(unit_path)};
    return DB_EXEC(rq->db, rq->a,
                   "SELECT k.id, m.id, k.name, m.name FROM org_units k JOIN org_units m ON m.id = "
                   "k.parent_id WHERE k.level = 'kindergarten' AND k.active = 1 AND k.path LIKE "
                   "CONCAT(?, '%') ORDER BY m.name, k.name, k.id",
                   p, r);
}

static json_t *kindergarten_json(const db_result *r, size_t i)
{
    return json_pack("{s:I, s:s, s:{s:I, s:s}}", "id", (json_int_t)db_cell_int(r, i, 0, 0), "name",
                     db_cell(r, i, 2), "municipality", "id", (json_int_t)db_cell_int(r, i, 1, 0),
                     "name", db_cell(r, i, 3));
}

/* Draws the sample of unit_path: ids (JSON array text) and items (kindergarten objects). */
static db_status draw(request *rq, const char *unit_path, double percent, uint64_t seed,
                      const char **ids_text, json_t **items, size_t *total)
{
    db_result r;
    db_status s = kindergartens_of(rq, unit_path, &r);
    if (s != DB_OK)
        return s;
    *total = r.nrows;
    sample_unit *u = arena_alloc(rq->a, (r.nrows ? r.nrows : 1) * sizeof *u);
    if (!u)
        return DB_ERROR;
    for (size_t i = 0; i < r.nrows; i++)
        u[i] = (sample_unit){(uint64_t)db_cell_int(&r, i, 0, 0), (uint64_t)db_cell_int(&r, i, 1, 0),
                             0};
    if (sample_draw(rq->a, u, r.nrows, percent, seed) < 0)
        return DB_ERROR;
    json_t *ids = arena_json(rq->a, json_array());
    *items = json_array();
    for (size_t i = 0; i < r.nrows; i++) {
        if (!u[i].chosen)
            continue;
        json_array_append_new(ids, json_integer((json_int_t)u[i].id));
        json_array_append_new(*items, kindergarten_json(&r, i));
    }
    char *text = json_dumps(ids, JSON_COMPACT);
    *ids_text = text ? arena_strdup(rq->a, text) : NULL;
    free(text);
    return *ids_text ? DB_OK : DB_ERROR;
}

db_status participation_store(request *rq, uint64_t campaign_id, const char *unit_path,
                              const participation_req *req, json_t *problem, int *bad)
{
    db_val c[] = {DB_INT(campaign_id)};
    db_status s =
        DB_EXEC(rq->db, rq->a, "DELETE FROM campaign_participants WHERE campaign_id = ?", c, NULL);
    const char *ids_text = NULL;
    size_t wanted = 0;
    if (s == DB_OK && req->sample && req->ids) {
        json_t *uniq = arena_json(rq->a, json_object());
        for (size_t i = 0; i < json_array_size(req->ids); i++)
            json_object_set_new(
                uniq,
                arena_sprintf(rq->a, "%lld",
                              (long long)json_integer_value(json_array_get(req->ids, i))),
                json_true());
        wanted = json_object_size(uniq);
        char *text = json_dumps(req->ids, JSON_COMPACT);
        ids_text = text ? arena_strdup(rq->a, text) : NULL;
        free(text);
        if (!ids_text)
            s = DB_ERROR;
    } else if (s == DB_OK && req->sample) {
        json_t *items = NULL;
        size_t total = 0;
        s = draw(rq, unit_path, req->percent, req->seed, &ids_text, &items, &total);
        json_decref(items);
    }
    if (s == DB_OK && req->sample) {
        db_result r;
        db_val p[] = {DB_INT(campaign_id), DB_STR(ids_text), DB_STR(unit_path)};
        s = DB_EXEC(rq->db, rq->a,
                    "INSERT IGNORE INTO campaign_participants (campaign_id, kindergarten_id) "
                    "SELECT ?, k.id FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT UNSIGNED PATH "
                    "'$')) j JOIN org_units k ON k.id = j.id AND k.level = 'kindergarten' AND "
                    "k.active = 1 AND k.path LIKE CONCAT(?, '%')",
                    p, &r);
        if (s == DB_OK && req->ids && r.affected != wanted) {
            *bad = 1;
            problem_add_error(problem, "sample_ids",
                              "в списке есть id, которые не являются действующими детскими "
                              "садами кампании");
        }
        if (s == DB_OK && !req->ids && r.affected == 0) {
            *bad = 1;
            problem_add_error(problem, "sample_percent", "в кампании нет детских садов");
        }
    }
    if (s == DB_OK) {
        db_val p[] = {DB_STR(req->sample ? "sample" : "all"),
                      req->sample && !req->ids ? DB_STR(arena_sprintf(rq->a, "%.2f", req->percent))
                                               : DB_NULL,
                      req->sample && !req->ids ? DB_INT(req->seed) : DB_NULL, DB_INT(campaign_id)};
        s = DB_EXEC(rq->db, rq->a,
                    "UPDATE campaigns SET participation = ?, sample_percent = ?, sample_seed = ? "
                    "WHERE id = ?",
                    p, NULL);
    }
    return s;
}

db_status participation_json(request *rq, uint64_t campaign_id, const char *unit_path, json_t **out)
{
    db_result r;
    db_val p[] = {DB_STR(unit_path), DB_INT(campaign_id), DB_INT(campaign_id)};
    db_status s = DB_EXEC(
        rq->db, rq->a,
        "SELECT c.participation, c.sample_percent, c.sample_seed, (SELECT COUNT(*) FROM "
        "org_units k WHERE k.level = 'kindergarten' AND k.active = 1 AND k.path LIKE "
        "CONCAT(?, '%')), (SELECT COUNT(*) FROM campaign_participants WHERE campaign_id = ?) "
        "FROM campaigns c WHERE c.id = ?",
        p, &r);
    if (s != DB_OK || r.nrows == 0)
        return s != DB_OK ? s : DB_ERROR;
    int sample = strcmp(db_cell(&r, 0, 0), "sample") == 0;
    const char *pct = db_cell(&r, 0, 1);
    long long total = db_cell_int(&r, 0, 3, 0);
    *out = json_pack("{s:s, s:o, s:o, s:I, s:I}", "mode", db_cell(&r, 0, 0), "sample_percent",
                     pct ? json_real(strtod(pct, NULL)) : json_null(), "sample_seed",
                     db_cell(&r, 0, 2) ? json_integer(db_cell_int(&r, 0, 2, 0)) : json_null(),
                     "count", (json_int_t)(sample ? db_cell_int(&r, 0, 4, 0) : total), "total",
                     (json_int_t)total);
    return DB_OK;
}

/* GET /campaigns/{id}/participants */
/* Answers with campaign c's participation and the kindergartens that take part. */
static int respond_participants(request *rq, response *rs, const campaign_ref *c)
{
    json_t *part = NULL;
    db_result r;
    db_status s = participation_json(rq, c->id, c->unit_path, &part);
    if (s == DB_OK) {
        db_val p[] = {DB_STR(c->unit_path), DB_STR(c->participation), DB_INT(c->id)};
        s = DB_EXEC(rq->db, rq->a,
                    "SELECT k.id, m.id, k.name, m.name FROM org_units k JOIN org_units m ON "
                    "m.id = k.parent_id WHERE k.level = 'kindergarten' AND k.active = 1 AND "
                    "k.path LIKE CONCAT(?, '%') AND (? = 'all' OR k.id IN (SELECT "
                    "kindergarten_id FROM campaign_participants WHERE campaign_id = ?)) "
                    "ORDER BY m.name, k.name, k.id",
                    p, &r);
    }
    if (s != DB_OK) {
        json_decref(part);
        return reply_db_error(rq, rs, s);
    }
    json_t *items = json_array();
    for (size_t i = 0; i < r.nrows; i++)
        json_array_append_new(items, kindergarten_json(&r, i));
    return respond_json(rq, rs, 200,
                        json_pack("{s:I, s:b, s:o, s:o}", "campaign_id", (json_int_t)c->id,
                                  "changeable", !c->started, "participation", part, "items",
                                  items));
}

int handle_campaign_participants(request *rq, response *rs)
{
    campaign_ref c;
    if (campaign_find_or_respond(rq, rs, 0, &c) != 0)
        return rs->status;
    return respond_participants(rq, rs, &c);
}

/* PUT /campaigns/{id}/participants */
int handle_campaign_participants_put(request *rq, response *rs)
{
    campaign_ref c;
    if (campaign_find_or_respond(rq, rs, 1, &c) != 0)
        return rs->status;
    if (c.started)
        return reply_problem(rq, rs, PK_STAGE_STARTED,
                             "Первый этап кампании уже начался: состав участников менять нельзя.");
    json_t *p = problem_of(PK_VALIDATION, "Проверьте состав участников.");
    participation_req req;
    int bad = participation_read(rq, rq->json, &req, p) != 0;
    if (!bad && !req.given)
        bad = 1, problem_add_error(p, "participation", "укажите all или sample");
    if (bad)
        return reply_problem_doc(rq, rs, p);
    db_status s = db_begin(rq->db);
    if (s == DB_OK)
        s = participation_store(rq, c.id, c.unit_path, &req, p, &bad);
    if (s == DB_OK && bad) {
        db_rollback(rq->db);
        return reply_problem_doc(rq, rs, p);
    }
    json_decref(p);
    if (s == DB_OK)
        s = audit_write(rq, "campaign.participants", "campaign", c.id, c.org_unit_id,
                        json_pack("{s:[s,s]}", "participation", c.participation,
                                  req.sample ? "sample" : "all"));
    if (reply_tx_end(rq, rs, s, NULL) != 0)
        return rs->status;
    campaign_ref now; /* as the change left it */
    if (campaign_find_or_respond(rq, rs, 0, &now) != 0)
        return rs->status;
    return respond_participants(rq, rs, &now);
}

/* POST /campaigns/sample: the sample that sample_percent and sample_seed draw from the
 * caller's unit, before a campaign is made. */
int handle_campaign_sample_preview(request *rq, response *rs)
{
    json_t *p = problem_of(PK_VALIDATION, "Проверьте параметры выборки.");
    participation_req req;
    json_t *body = json_is_object(rq->json) ? rq->json : NULL;
    int bad = !body || participation_read(rq, body, &req, p) != 0;
    if (!bad && (!req.sample || req.ids))
        bad = 1, problem_add_error(p, "sample_percent", "укажите долю выборки sample_percent");
    if (bad) {
        if (!body)
            problem_add_error(p, "body", "ожидается объект JSON");
        return reply_problem_doc(rq, rs, p);
    }
    json_decref(p);
    const char *ids = NULL;
    json_t *items = NULL;
    size_t total = 0;
    db_status s = draw(rq, rq->me->org_path, req.percent, req.seed, &ids, &items, &total);
    if (s != DB_OK) {
        json_decref(items);
        return reply_db_error(rq, rs, s);
    }
    return respond_json(rq, rs, 200,
                        json_pack("{s:f, s:I, s:I, s:I, s:o}", "sample_percent", req.percent,
                                  "sample_seed", (json_int_t)req.seed, "count",
                                  (json_int_t)json_array_size(items), "total", (json_int_t)total,
                                  "items", items));
}
