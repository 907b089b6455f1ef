/* Statuses of kindergartens from their results (docs/analysis.md, "Statuses"): the region's
 * bands of a campaign, the status the bands propose for a kindergarten from the dashboards'
 * figures, and the status the regional coordinator assigns (an override needs a reason),
 * kept per campaign and listed by year. */
#include "analysis/handlers.h"
#include "analysis/signoff_reply.h"
#include "org/route_rows.h"
#include "auth/principal.h"

#include "analysis/signoff_store.h"
#include "analysis/status_store.h"
#include "auth/audit.h"
#include "auth/scope.h"
#include "http/form_text.h"
#include "org/unit_store.h"

#include <string.h>

#define STATUS_REASON_MAX 2000

static int load_campaign(request *rq, response *rs, uint64_t id, signoff_campaign *c)
{
    return signoff_campaign_or_respond(rq, rs, id, "Проверьте статус.", c);
}

static json_t *sections_json(const dash_scores *f)
{
    json_t *a = json_array();
    for (size_t i = 0; i < f->n; i++)
        json_array_append_new(a,
                              json_pack("{s:s, s:s?}", "code", f->codes[i], "title", f->titles[i]));
    return a;
}

/* ---------------------------------------------------------------- bands */

static int respond_bands(request *rq, response *rs, const signoff_campaign *c)
{
    status_scale sc;
    dash_scores f;
    int found = 0;
    db_status s = status_scale_load(rq, c->id, &sc, &found);
    if (s == DB_OK) /* the areas of the scale, for the editor */
        s = dash_unit_scores(rq, c->id, "self", 0, &f);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    return respond_json(
        rq, rs, 200,
        json_pack("{s:I, s:I, s:s, s:o, s:o}", "campaign_id", (json_int_t)c->id, "year",
                  (json_int_t)c->year, "source", found ? sc.source : "expert", "bands",
                  found ? status_bands_json(&sc) : json_array(), "sections", sections_json(&f)));
}

int handle_status_bands_get(request *rq, response *rs)
{
    signoff_campaign c;
    if (load_campaign(rq, rs, scope_parse_id(rq->params[0]), &c) == 0)
        respond_bands(rq, rs, &c);
    return rs->status;
}

int handle_status_bands_put(request *rq, response *rs)
{
    signoff_campaign c;
    dash_scores f;
    status_scale sc;
    if (load_campaign(rq, rs, scope_parse_id(rq->params[0]), &c) != 0)
        return rs->status;
    if (rq->me->role != ROLE_ADMINISTRATOR &&
        strncmp(rq->me->org_path, c.unit_path, strlen(rq->me->org_path)) != 0)
        return reply_problem(rq, rs, PK_FORBIDDEN, "Статусы задаёт тот, кто проводит кампанию.");
    db_status s = dash_unit_scores(rq, c.id, "self", 0, &f);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    json_t *p = problem_of(PK_VALIDATION, "Проверьте статусы.");
    if (!json_is_object(rq->json) || status_scale_read(rq->a, rq->json, f.codes, f.n, &sc, p) != 0)
        return reply_problem_doc(rq, rs, p);
    json_decref(p);
    s = db_begin(rq->db);
    if (s == DB_OK)
        s = status_scale_store(rq, c.id, &sc);
    if (s == DB_OK)
        s = audit_write(
            rq, "campaign.status_bands", "campaign", c.id, rq->me->org_unit_id,
            json_pack("{s:[n,s], s:[n,o]}", "source", sc.source, "bands", status_bands_json(&sc)));
    if (reply_tx_end(rq, rs, s, NULL) != 0)
        return rs->status;
    return respond_bands(rq, rs, &c);
}

/* ---------------------------------------------------------------- one kindergarten */

/* The kindergarten of the path, under the campaign's unit; -1 answered. */
static int load_kindergarten(request *rq, response *rs, const signoff_campaign *c, scope_unit *k)
{
    if (route_unit(rq, rs, k) != 0)
        return -1;
    if (k->level != LEVEL_KINDERGARTEN ||
        strncmp(k->path, c->unit_path, strlen(c->unit_path)) != 0) {
        reply_problem(rq, rs, PK_NOT_FOUND, "Детский сад не найден или не участвует в кампании.");
        return -1;
    }
    return 0;
}

static db_status figures_json(const dash_scores *f, json_t **out)
{
    json_t *sections = json_object();
    for (size_t i = 0; i < f->n; i++)
        json_object_set_new(sections, f->codes[i],
                            f->has[i] ? json_real(f->means[i]) : json_null());
    *out = json_pack("{s:o, s:o}", "overall", f->has_overall ? json_real(f->overall) : json_null(),
                     "sections", sections);
    return *out ? DB_OK : DB_ERROR;
}

static json_t *given_json(const db_result *r, size_t i)
{
    return json_pack("{s:I, s:{s:I, s:s}, s:s, s:s?, s:s?, s:{s:I, s:s}, s:s}", "year",
                     (json_int_t)db_cell_int(r, i, 0, 0), "campaign", "id",
                     (json_int_t)db_cell_int(r, i, 1, 0), "title", db_cell(r, i, 2), "status",
                     db_cell(r, i, 3), "proposed", db_cell(r, i, 4), "reason", db_cell(r, i, 5),
                     "assigned_by", "id", (json_int_t)db_cell_int(r, i, 6, 0), "full_name",
                     db_cell(r, i, 7), "assigned_at", db_cell(r, i, 8));
}

/* Every status the kindergarten was given, newest year first. */
static db_status history_json(request *rq, uint64_t kindergarten, json_t **out)
{
    db_val p[] = {DB_INT(kindergarten)};
    return SELECT_JSON(
        rq,
        "SELECT ks.year, c.id, c.title, ks.status, ks.proposed, ks.reason, u.id, u.full_name, "
        "DATE_FORMAT(ks.assigned_at, '%Y-%m-%dT%H:%i:%sZ') FROM kindergarten_statuses ks JOIN "
        "campaigns c ON c.id = ks.campaign_id JOIN users u ON u.id = ks.assigned_by WHERE "
        "ks.kindergarten_id = ? AND c.cancelled_at IS NULL ORDER BY ks.year DESC, c.id DESC",
        p, given_json, out);
}

/* The proposal of the campaign's bands for the kindergarten (NULL: none, or no bands). */
static db_status propose(request *rq, uint64_t campaign, uint64_t kindergarten, const char **name,
                         const char **source, json_t **figures)
{
    status_scale sc;
    dash_scores f;
    int found = 0;
    *name = NULL;
    *figures = NULL;
    db_status s = status_scale_load(rq, campaign, &sc, &found);
    *source = found ? sc.source : "expert";
    if (s == DB_OK)
        s = dash_unit_scores(rq, campaign, *source, kindergarten, &f);
    if (s == DB_OK)
        s = figures_json(&f, figures);
    int i = s == DB_OK && found ? status_propose(&sc, &f) : -1;
    *name = i >= 0 ? sc.bands[i].name : NULL;
    return s;
}

static int respond_status(request *rq, response *rs, const signoff_campaign *c, const scope_unit *k)
{
    const char *proposed, *source;
    json_t *figures = NULL, *history = NULL;
    db_status s = propose(rq, c->id, k->id, &proposed, &source, &figures);
    if (s == DB_OK)
        s = history_json(rq, k->id, &history);
    if (s != DB_OK) {
        json_decref(figures);
        return reply_db_error(rq, rs, s);
    }
    json_t *current = json_null();
    for (size_t i = 0; i < json_array_size(history); i++) {
        json_t *h = json_array_get(history, i);
        if ((uint64_t)json_integer_value(json_object_get(json_object_get(h, "campaign"), "id")) ==
            c->id)
            current = json_incref(h);
    }
    return respond_json(
        rq, rs, 200,
        json_pack("{s:{s:I, s:s, s:I}, s:{s:I, s:s}, s:s, s:o, s:s?, s:o, s:o, s:b}", "campaign",
                  "id", (json_int_t)c->id, "title", c->title, "year", (json_int_t)c->year,
                  "kindergarten", "id", (json_int_t)k->id, "name", k->name, "source", source,
                  "figures", figures, "proposed", proposed, "status", current, "history", history,
                  "can_assign",
                  rq->me->role == ROLE_ADMINISTRATOR || rq->me->role == ROLE_REGION_COORDINATOR));
}

int handle_unit_status_get(request *rq, response *rs)
{
    signoff_campaign c;
    scope_unit k;
    const char *id = uri_param_get(&rq->args, "campaign_id");
    if (load_campaign(rq, rs, id ? scope_parse_id(id) : 0, &c) == 0 &&
        load_kindergarten(rq, rs, &c, &k) == 0)
        return respond_status(rq, rs, &c, &k);
    return rs->status;
}

/* body {campaign_id, status, reason}: the status must be a band; a reason is required when
 * it is not the proposed one. Returns -1 with the problem answered. */
static int read_assignment(request *rq, response *rs, const status_scale *sc, int found,
                           const char *proposed, const char **status, const char **reason)
{
    json_t *rv = json_object_get(rq->json, "reason");
    *status = json_string_value(json_object_get(rq->json, "status"));
    *reason = json_string_value(rv);
    json_t *p = problem_of(PK_VALIDATION, "Проверьте статус.");
    int bad = 0;
    if (!found)
        bad = 1, problem_add_error(p, "status", "регион ещё не задал статусы этой кампании");
    else if (status_band_index(sc, *status) < 0)
        bad = 1, problem_add_error(p, "status", "один из статусов кампании");
    if (*reason && (strlen(*reason) != json_string_length(rv) ||
                    form_utf8_length(*reason) > STATUS_REASON_MAX))
        bad = 1, problem_add_error(p, "reason", "обоснование: до 2000 символов");
    if (*reason && form_is_blank(*reason))
        *reason = NULL;
    if (!bad && (!proposed || strcmp(proposed, *status) != 0) && !*reason)
        bad = 1,
        problem_add_error(p, "reason", "статус отличается от предложенного: укажите обоснование");
    return reply_field_errors(rq, rs, p);
}

int handle_unit_status_put(request *rq, response *rs)
{
    signoff_campaign c;
    scope_unit k;
    status_scale sc;
    int found = 0;
    json_t *cid = json_object_get(rq->json, "campaign_id");
    if (!json_is_integer(cid) || json_integer_value(cid) <= 0) {
        json_t *p = problem_of(PK_VALIDATION, "Проверьте статус.");
        problem_add_error(p, "campaign_id", "укажите кампанию — её id");
        return reply_problem_doc(rq, rs, p);
    }
    if (load_campaign(rq, rs, (uint64_t)json_integer_value(cid), &c) != 0 ||
        load_kindergarten(rq, rs, &c, &k) != 0)
        return rs->status;
    const char *proposed, *source, *status, *reason;
    json_t *figures = NULL;
    db_status s = propose(rq, c.id, k.id, &proposed, &source, &figures);
    json_decref(figures);
    if (s == DB_OK)
        s = status_scale_load(rq, c.id, &sc, &found);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    if (read_assignment(rq, rs, &sc, found, proposed, &status, &reason) != 0)
        return rs->status;
    db_val v[] = {DB_INT(c.id),
                  DB_INT(k.id),
                  DB_INT(c.year),
                  DB_STR(status),
                  proposed ? DB_STR(proposed) : DB_NULL,
                  reason ? DB_STR(reason) : DB_NULL,
                  DB_INT(rq->me->user_id)};
    s = db_begin(rq->db);
    if (s == DB_OK)
        s = DB_EXEC(rq->db, rq->a,
                    "INSERT INTO kindergarten_statuses (campaign_id, kindergarten_id, year, "
                    "status, proposed, reason, assigned_by) VALUES (?, ?, ?, ?, ?, ?, ?) ON "
                    "DUPLICATE KEY UPDATE status = VALUES(status), proposed = VALUES(proposed), "
                    "reason = VALUES(reason), assigned_by = VALUES(assigned_by), assigned_at = "
                    "CURRENT_TIMESTAMP",
                    v, NULL);
    if (s == DB_OK)
        s = audit_write(rq, "kindergarten.status", "campaign", c.id, k.id,
                        json_pack("{s:[n,s], s:[n,s?], s:[n,s?]}", "status", status, "proposed",
                                  proposed, "reason", reason));
    if (reply_tx_end(rq, rs, s, NULL) != 0)
        return rs->status;
    return respond_status(rq, rs, &c, &k);
}
