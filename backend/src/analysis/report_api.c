/* Analytic reports: create one for a unit and campaign, list those the caller sees, read one
 * with its figures, edit its texts (docs/analysis.md, "Analytic reports"). The workflow's
 * steps are in report_flow.c. */
#include "analysis/handlers.h"
#include "analysis/report_reply.h"
#include "analysis/report_store.h"
#include "auth/audit.h"
#include "auth/principal.h"
#include "dashboards/dashboard.h"
#include "http/form_text.h"

#include <string.h>

#define TEXT_MAX 20000 /* characters of each text section */

static const char *const TEXTS[] = {"intro", "conclusions", "measures"};
#define N_TEXTS (sizeof TEXTS / sizeof TEXTS[0])

int handle_report_create(request *rq, response *rs)
{
    dash_query q; /* the dashboards' own parameters: ?campaign=&instrument= */
    if (dash_query_parse(rq, &q, rs) != 0)
        return rs->status;
    if (q.unit.level == LEVEL_GROUP)
        return reply_problem(
            rq, rs, PK_REPORT_LEVEL,
            "Аналитическую справку составляют детский сад, муниципалитет и регион.");
    if (!report_is_author(rq, &q.unit))
        return reply_problem(rq, rs, PK_FORBIDDEN,
                             "Справку организации составляет её координатор.");
    db_result r;
    db_val p[] = {DB_INT(q.unit.id), DB_INT(q.campaign_id), DB_INT(q.instrument_id)};
    db_status s = DB_EXEC(rq->db, rq->a,
                          "SELECT id FROM analytic_reports WHERE org_unit_id = ? AND campaign_id = "
                          "? AND instrument_id = ?",
                          p, &r);
    if (s == DB_OK && r.nrows == 1) {
        json_t *pr = problem_of(PK_REPORT_EXISTS, "Справка этой организации по кампании уже есть.");
        json_object_set_new(pr, "report_id", json_integer(db_cell_int(&r, 0, 0, 0)));
        return reply_problem_doc(rq, rs, pr);
    }
    uint64_t id = 0;
    db_val v[] = {DB_INT(q.unit.id), DB_INT(q.campaign_id), DB_INT(q.instrument_id),
                  DB_INT(rq->me->user_id)};
    if (s == DB_OK)
        s = db_begin(rq->db);
    if (s == DB_OK)
        s = DB_INSERT(rq->db, rq->a,
                      "INSERT INTO analytic_reports (org_unit_id, campaign_id, instrument_id, "
                      "created_by) VALUES (?, ?, ?, ?)",
                      v, &id);
    if (s == DB_OK)
        s = audit_write(rq, "report.create", "analytic_report", id, q.unit.id,
                        json_pack("{s:I}", "campaign_id", (json_int_t)q.campaign_id));
    if (reply_tx_end(rq, rs, s, NULL) != 0)
        return rs->status;
    return report_respond(rq, rs, 201, id);
}

int handle_report_get(request *rq, response *rs)
{
    return report_respond(rq, rs, 200, scope_parse_id(rq->params[0]));
}

/* ?campaign=, ?status=, ?unit= (that unit's reports and those below it) */
int handle_reports_list(request *rq, response *rs)
{
    const char *campaign = uri_param_get(&rq->args, "campaign");
    const char *status = uri_param_get(&rq->args, "status");
    const char *unit = uri_param_get(&rq->args, "unit");
    uint64_t cid = campaign ? scope_parse_id(campaign) : 0, uid = unit ? scope_parse_id(unit) : 0;
    int bad_status = status && strcmp(status, "draft") && strcmp(status, "sent") &&
                     strcmp(status, "published") && strcmp(status, "returned");
    if ((campaign && !cid) || (unit && !uid) || bad_status) {
        return reply_problem(rq, rs, PK_BAD_QUERY,
                             "campaign и unit — id; status: draft, sent, published или returned.");
    }
    db_result r;
    db_val p[] = {DB_INT(rq->me->user_id),
                  DB_INT(rq->me->role == ROLE_ADMINISTRATOR),
                  DB_INT(rq->me->org_unit_id),
                  DB_INT(cid),
                  DB_INT(cid),
                  DB_STR(status ? status : ""),
                  DB_STR(status ? status : ""),
                  DB_INT(uid),
                  DB_INT(uid)};
    db_status s = DB_EXEC(
        rq->db, rq->a,
        "SELECT r.id FROM analytic_reports r JOIN org_units o ON o.id = r.org_unit_id "
        "WHERE " SCOPE_SQL(
            "o") " AND (? = 1 OR o.id = ? OR r.status <> 'draft') AND (? = 0 OR r.campaign_id = "
                 "?) AND (? = '' OR r.status = ?) AND (? = 0 OR o.path LIKE CONCAT((SELECT "
                 "u.path FROM org_units u WHERE u.id = ?), '%')) ORDER BY r.campaign_id DESC, "
                 "o.path, r.id LIMIT 1000",
        p, &r);
    json_t *items = json_array();
    for (size_t i = 0; s == DB_OK && i < r.nrows; i++) {
        report_row row;
        int found = 0;
        json_t *one = NULL;
        s = report_load(rq, (uint64_t)db_cell_int(&r, i, 0, 0), 0, &row, &found);
        if (s == DB_OK && found)
            s = report_json(rq, &row, 0, &one);
        if (one)
            json_array_append_new(items, one);
    }
    if (s != DB_OK) {
        json_decref(items);
        return reply_db_error(rq, rs, s);
    }
    return respond_json(rq, rs, 200, json_pack("{s:o}", "items", items));
}

/* The texts of the body: each absent (kept), null or blank (cleared) or a text. 0, or -1
 * with a 422 written. */
static int read_texts(request *rq, response *rs, const char *out[N_TEXTS], int given[N_TEXTS],
                      long *version)
{
    json_t *p = body_problem(rq, "Проверьте текст справки.");
    int bad = !json_is_object(rq->json), any = 0;
    for (size_t i = 0; !bad && i < N_TEXTS; i++) {
        json_t *v = json_object_get(rq->json, TEXTS[i]);
        out[i] = NULL;
        given[i] = v != NULL;
        any |= given[i];
        if (!v || json_is_null(v))
            continue;
        out[i] = json_string_value(v);
        if (!out[i] || form_utf8_length(out[i]) > TEXT_MAX)
            bad = 1, problem_add_error(p, TEXTS[i], "текст до 20000 символов или null");
        else if (!out[i][strspn(out[i], " \t\r\n")])
            out[i] = NULL;
    }
    json_t *ver = json_object_get(rq->json, "version");
    *version = json_is_integer(ver) ? (long)json_integer_value(ver) : 0;
    if (!bad && ver && *version <= 0)
        bad = 1, problem_add_error(p, "version", "версия — целое положительное число");
    if (!bad && !any)
        bad = 1, problem_add_error(p, "", "нет полей для изменения");
    return reply_field_errors(rq, rs, p);
}

static db_val opt(const char *s)
{
    return s ? DB_STR(s) : DB_NULL;
}

int handle_report_update(request *rq, response *rs)
{
    uint64_t id = scope_parse_id(rq->params[0]);
    const char *t[N_TEXTS];
    int given[N_TEXTS];
    long version;
    if (read_texts(rq, rs, t, given, &version) != 0)
        return rs->status;
    report_row r;
    int found = 0;
    db_status s = report_begin(rq, id, &r, &found);
    const char *refusal = NULL;
    int code = 0;
    if (s == DB_OK && !found)
        code = 404, refusal = "Справка не найдена.";
    else if (s == DB_OK && !report_is_author(rq, &r.unit))
        code = 403, refusal = "Текст справки пишет координатор её организации.";
    else if (s == DB_OK && strcmp(r.status, "draft") && strcmp(r.status, "returned"))
        code = 409, refusal = "Справка отправлена или опубликована: её текст не меняется.";
    else if (s == DB_OK && version && version != r.version)
        code = 409, refusal = "Справку уже изменили: обновите страницу.";
    if (s != DB_OK || code)
        return report_refuse(rq, rs, s, code, refusal);
    json_t *changes = json_object();
    for (size_t i = 0; i < N_TEXTS; i++)
        if (given[i])
            audit_diff_str(changes, TEXTS[i], db_cell(&r.row, 0, 5 + i), t[i]);
    db_result up;
    db_val v[] = {DB_INT(given[0]), opt(t[0]), DB_INT(given[1]), opt(t[1]),
                  DB_INT(given[2]), opt(t[2]), DB_INT(id)};
    s = DB_EXEC(rq->db, rq->a,
                "UPDATE analytic_reports SET intro = IF(?, ?, intro), conclusions = IF(?, ?, "
                "conclusions), measures = IF(?, ?, measures), version = version + 1 WHERE id = ?",
                v, &up);
    if (s == DB_OK)
        s = audit_write(rq, "report.update", "analytic_report", id, r.unit.id, changes);
    else
        json_decref(changes);
    if (reply_tx_end(rq, rs, s, NULL) != 0)
        return rs->status;
    return report_respond(rq, rs, 200, id);
}
