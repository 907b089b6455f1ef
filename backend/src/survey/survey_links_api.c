/* The coordinators' side of the parent questionnaire: survey links of the kindergartens
 * below an org unit (one per kindergarten, optionally one per group), their answer counts
 * and response rates, the cap, closing and reopening, and the QR code. Routes under
 * /api/v1/units/{id}/survey-links (scope checked on {id} by the router). */
#include "survey/handlers.h"
#include "org/route_rows.h"
#include "auth/principal.h"

#include "auth/audit.h"
#include "auth/scope.h"
#include "survey/survey.h"
#include "org/unit_store.h"

#include <string.h>

#define MAX_CAP 100000

static int respond_not_found(request *rq, response *rs)
{
    return reply_problem(rq, rs, PK_NOT_FOUND, "Ссылка на анкету не найдена.");
}

/* One kindergarten's row of survey_links_under's rates: its answers over its children. */
static json_t *kindergarten_rate_json(const db_result *sum, size_t i)
{
    long long answers = db_cell_int(sum, i, 4, 0), children = db_cell_int(sum, i, 5, -1);
    return json_pack(
        "{s:I, s:s, s:I, s:I, s:I, s:o, s:o}", "id", (json_int_t)db_cell_int(sum, i, 0, 0), "name",
        db_cell(sum, i, 1), "campaign_id", (json_int_t)db_cell_int(sum, i, 2, 0), "instrument_id",
        (json_int_t)db_cell_int(sum, i, 3, 0), "responses", (json_int_t)answers,
        "children_enrolled", children >= 0 ? json_integer(children) : json_null(), "response_rate",
        children > 0 ? json_real((double)answers / (double)children) : json_null());
}

/* Answers with the links under unit_path (campaign_id 0: of every campaign) and their
 * kindergartens' response rates (survey_links_under). */
static int respond_links(request *rq, response *rs, int status, const char *unit_path,
                         uint64_t campaign_id)
{
    db_result r, sum;
    db_status s = survey_links_under(rq, unit_path, campaign_id, &r, &sum);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    json_t *items = json_array();
    for (size_t i = 0; i < r.nrows; i++) {
        survey_link l;
        survey_link_row(&r, i, &l);
        json_array_append_new(items, survey_link_json(rq, &l));
    }
    return respond_json(rq, rs, status,
                        json_pack("{s:o, s:o}", "items", items, "kindergartens",
                                  rows_json(&sum, sum.nrows, kindergarten_rate_json)));
}

int handle_survey_links_list(request *rq, response *rs)
{
    scope_unit u;
    if (route_unit(rq, rs, &u) != 0)
        return rs->status;
    const char *c = uri_param_get(&rq->args, "campaign_id");
    uint64_t campaign = c ? scope_parse_id(c) : 0;
    if (c && !campaign)
        return reply_field_error(rq, rs, "Проверьте параметры.", "campaign_id",
                                 "id кампании: целое число");
    return respond_links(rq, rs, 200, u.path, campaign);
}

typedef struct {
    uint64_t campaign_id, instrument_id;
    int groups;
    long long cap; /* -1: none */
} create_fields;

/* Reads the body of a create; answers 422 and returns -1 when a field is bad. */
static int read_create(request *rq, response *rs, create_fields *f)
{
    json_t *p = body_problem(rq, "Проверьте поля.");
    json_t *c = body_field(rq, "campaign_id"), *i = body_field(rq, "instrument_id");
    json_t *g = body_field(rq, "groups"), *cap = body_field(rq, "cap");
    memset(f, 0, sizeof *f);
    f->cap = -1;
    if (json_is_object(rq->json)) {
        if (!json_is_integer(c) || json_integer_value(c) <= 0)
            problem_add_error(p, "campaign_id", "укажите id кампании");
        if (i && !json_is_null(i) && (!json_is_integer(i) || json_integer_value(i) <= 0))
            problem_add_error(p, "instrument_id", "id анкеты: целое число");
        if (g && !json_is_boolean(g))
            problem_add_error(p, "groups", "true или false");
        if (cap && !json_is_null(cap) &&
            (!json_is_integer(cap) || json_integer_value(cap) < 1 ||
             json_integer_value(cap) > MAX_CAP))
            problem_add_error(p, "cap", "предел ответов: целое число от 1 до 100000");
    }
    if (reply_field_errors(rq, rs, p) != 0)
        return -1;
    f->campaign_id = (uint64_t)json_integer_value(c);
    f->instrument_id = json_is_integer(i) ? (uint64_t)json_integer_value(i) : 0;
    f->groups = json_is_true(g);
    f->cap = json_is_integer(cap) ? json_integer_value(cap) : -1;
    return 0;
}

/* The campaign (visible to the caller) and its parent questionnaire; fills the campaign's
 * unit path. Answers 422 and returns 1 when they do not fit, -1 on a database error. */
static int check_campaign(request *rq, response *rs, create_fields *f, const char **campaign_path)
{
    db_result c, ins;
    db_val p[] = {DB_INT(f->campaign_id), DB_STR(rq->me->org_path), DB_INT(rq->me->user_id)};
    db_status s = DB_EXEC(rq->db, rq->a,
                          "SELECT cu.path FROM campaigns c JOIN org_units cu ON cu.id = "
                          "c.org_unit_id WHERE c.id = ? AND " CAMPAIGN_VISIBLE_SQL("cu"),
                          p, &c);
    if (s == DB_OK && c.nrows == 1) {
        db_val q[] = {DB_INT(f->campaign_id), DB_INT(f->instrument_id), DB_INT(f->instrument_id)};
        s = DB_EXEC(rq->db, rq->a,
                    "SELECT i.id FROM campaign_instruments ci JOIN instruments i ON i.id = "
                    "ci.instrument_id WHERE ci.campaign_id = ? AND FIND_IN_SET('parent', "
                    "i.respondents) AND (? = 0 OR i.id = ?) ORDER BY i.id",
                    q, &ins);
    }
    if (s != DB_OK) {
        reply_db_error(rq, rs, s);
        return -1;
    }
    const char *field = NULL, *msg = NULL;
    if (c.nrows != 1)
        field = "campaign_id", msg = "нет такой кампании";
    else if (ins.nrows == 0)
        field = "instrument_id", msg = f->instrument_id
                                           ? "в кампании нет такой анкеты для родителей"
                                           : "в кампании нет анкеты для родителей";
    else if (ins.nrows > 1)
        field = "instrument_id", msg = "в кампании несколько анкет для родителей: укажите одну";
    if (field) {
        reply_field_error(rq, rs, "Проверьте поля.", field, msg);
        return 1;
    }
    f->instrument_id = (uint64_t)db_cell_int(&ins, 0, 0, 0);
    *campaign_path = db_cell(&c, 0, 0);
    return 0;
}

/* The kindergartens (and with groups, their groups) below unit_path that the campaign of
 * campaign_path covers: (kindergarten id, group id or 0) rows in the tree's order. */
static db_status covered_places(request *rq, const char *unit_path, const char *campaign_path,
                                int groups, db_result *places)
{
    db_val p[] = {DB_STR(unit_path), DB_STR(campaign_path), DB_INT(groups)};
    return DB_EXEC(rq->db, rq->a,
                   "SELECT IF(o.level = 'group', o.parent_id, o.id), IF(o.level = 'group', "
                   "o.id, 0) FROM org_units o WHERE o.active = 1 AND o.path LIKE "
                   "CONCAT(?, '%') AND o.path LIKE CONCAT(?, '%') AND (o.level = "
                   "'kindergarten' OR (o.level = 'group' AND ? = 1)) ORDER BY o.path",
                   p, places);
}

/* Inserts the link of one place unless it exists; *created = 1 when it was made. */
static db_status add_link(request *rq, const create_fields *f, uint64_t kindergarten,
                          uint64_t group, int *created)
{
    char token[SURVEY_TOKEN_LEN + 1];
    if (survey_new_token(token) != 0)
        return DB_ERROR;
    db_result r;
    db_val v[] = {DB_STR(token),
                  DB_INT(f->campaign_id),
                  DB_INT(f->instrument_id),
                  DB_INT(kindergarten),
                  group ? DB_INT(group) : DB_NULL,
                  f->cap >= 0 ? DB_INT(f->cap) : DB_NULL,
                  DB_INT(rq->me->user_id)};
    db_status s = DB_EXEC(rq->db, rq->a,
                          "INSERT INTO survey_links (token, campaign_id, instrument_id, "
                          "kindergarten_id, group_id, cap, created_by) VALUES (?, ?, ?, ?, ?, ?, "
                          "?) ON DUPLICATE KEY UPDATE id = id",
                          v, &r);
    *created = s == DB_OK && r.affected == 1;
    if (*created)
        s = audit_write(rq, "survey_link.create", "survey_link", r.insert_id,
                        group ? group : kindergarten, NULL);
    return s;
}

int handle_survey_links_create(request *rq, response *rs)
{
    scope_unit u;
    if (route_unit(rq, rs, &u) != 0)
        return rs->status;
    create_fields f;
    if (read_create(rq, rs, &f) != 0)
        return rs->status;
    if (u.level == LEVEL_GROUP)
        return reply_field_error(rq, rs,
                                 "Ссылки создаются для детского сада (и его групп), "
                                 "муниципалитета или региона, не для одной группы.",
                                 "id", "выберите детский сад, муниципалитет или регион");
    const char *campaign_path = NULL;
    if (check_campaign(rq, rs, &f, &campaign_path) != 0)
        return rs->status;
    db_result places;
    db_status s = covered_places(rq, u.path, campaign_path, f.groups, &places);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    if (places.nrows == 0)
        return reply_field_error(rq, rs,
                                 "Под этой организацией нет детских садов, которые охватывает "
                                 "кампания.",
                                 "campaign_id", "кампания не охватывает эту организацию");
    int any = 0;
    s = db_begin(rq->db);
    for (size_t i = 0; s == DB_OK && i < places.nrows; i++) {
        int created = 0;
        s = add_link(rq, &f, (uint64_t)db_cell_int(&places, i, 0, 0),
                     (uint64_t)db_cell_int(&places, i, 1, 0), &created);
        any |= created;
    }
    if (reply_tx_end(rq, rs, s, NULL) != 0)
        return rs->status;
    return respond_links(rq, rs, any ? 201 : 200, u.path, f.campaign_id);
}

/* The link {link_id} if its kindergarten lies under the route's unit. Answers 404 (or the
 * database error) and returns -1 when not. */
static int route_link(request *rq, response *rs, const scope_unit *u, survey_link *l)
{
    uint64_t id = scope_parse_id(rq->params[1]);
    db_result r;
    db_val p[] = {DB_INT(id), DB_STR(u->path)};
    db_status s = id ? DB_EXEC(rq->db, rq->a,
                               "SELECT " SURVEY_LINK_COLUMNS SURVEY_LINK_FROM
                               "WHERE l.id = ? AND k.path LIKE CONCAT(?, '%')",
                               p, &r)
                     : DB_OK;
    if (s != DB_OK) {
        reply_db_error(rq, rs, s);
        return -1;
    }
    if (!id || r.nrows != 1) {
        respond_not_found(rq, rs);
        return -1;
    }
    survey_link_row(&r, 0, l);
    return 0;
}

int handle_survey_link_update(request *rq, response *rs)
{
    scope_unit u;
    survey_link l;
    if (route_unit(rq, rs, &u) != 0 || route_link(rq, rs, &u, &l) != 0)
        return rs->status;
    json_t *cap = body_field(rq, "cap"), *closed = body_field(rq, "closed");
    json_t *p = body_problem(rq, "Проверьте поля.");
    if (json_is_object(rq->json) && !cap && !closed)
        problem_add_error(p, "body", "укажите cap или closed");
    if (cap && !json_is_null(cap) &&
        (!json_is_integer(cap) || json_integer_value(cap) < 1 || json_integer_value(cap) > MAX_CAP))
        problem_add_error(p, "cap", "предел ответов: целое число от 1 до 100000 или null");
    if (closed && !json_is_boolean(closed))
        problem_add_error(p, "closed", "true или false");
    if (reply_field_errors(rq, rs, p) != 0)
        return rs->status;
    long long new_cap = cap ? (json_is_integer(cap) ? json_integer_value(cap) : -1) : l.cap;
    int new_closed = closed ? json_is_true(closed) : l.closed_by_hand;
    json_t *changes = json_object();
    if (new_cap != l.cap)
        json_object_set_new(changes, "cap",
                            json_pack("[o,o]", l.cap >= 0 ? json_integer(l.cap) : json_null(),
                                      new_cap >= 0 ? json_integer(new_cap) : json_null()));
    if (new_closed != l.closed_by_hand)
        json_object_set_new(changes, "closed", json_pack("[b,b]", l.closed_by_hand, new_closed));
    db_val v[] = {new_cap >= 0 ? DB_INT(new_cap) : DB_NULL, DB_INT(new_closed), DB_INT(l.id)};
    db_status s = db_begin(rq->db);
    if (s == DB_OK)
        s = DB_EXEC(rq->db, rq->a,
                    "UPDATE survey_links SET cap = ?, closed_at = IF(? = 1, COALESCE(closed_at, "
                    "CURRENT_TIMESTAMP), NULL) WHERE id = ?",
                    v, NULL);
    if (s == DB_OK && json_object_size(changes) > 0)
        s = audit_write(rq, "survey_link.update", "survey_link", l.id,
                        l.group_id ? l.group_id : l.kindergarten_id, changes);
    else
        json_decref(changes);
    s = db_end(rq->db, s);
    if (s == DB_OK && route_link(rq, rs, &u, &l) != 0)
        return rs->status;
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    return respond_json(rq, rs, 200, survey_link_json(rq, &l));
}

int handle_survey_link_qr(request *rq, response *rs)
{
    scope_unit u;
    survey_link l;
    if (route_unit(rq, rs, &u) != 0 || route_link(rq, rs, &u, &l) != 0)
        return rs->status;
    size_t len = 0;
    const char *url = survey_public_url(rq, l.token);
    char *svg = url ? survey_qr_svg(rq->a, url, &len) : NULL;
    if (!svg)
        return reply_problem(rq, rs, PK_INTERNAL, "Не удалось построить QR-код.");
    response_header(rq->a, rs, "Cache-Control", "private, no-cache");
    return respond_raw(rs, 200, "image/svg+xml", svg, len);
}
