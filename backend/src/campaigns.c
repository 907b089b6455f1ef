/* Campaigns: a year's monitoring run by a region (or municipality) with the instruments it
 * uses and the dates it accepts sheets. Visible to everyone inside its unit and to those
 * whose scope covers it. */
#include "handlers.h"

#include "audit.h"
#include "scope.h"

#include <string.h>

#define CAMPAIGN_COLUMNS                                                                           \
    "c.id, c.title, c.year, DATE_FORMAT(c.opens_on, '%Y-%m-%d'), "                                 \
    "DATE_FORMAT(c.closes_on, '%Y-%m-%d'), cu.id, cu.name, "                                       \
    "CURRENT_DATE BETWEEN c.opens_on AND c.closes_on"

/* Campaign alias c, its unit cu: visible when the caller works inside cu or cu lies in the
 * caller's scope. Parameters: the caller's org path, the caller's user id. */
#define CAMPAIGN_VISIBLE "(? LIKE CONCAT(cu.path, '%') OR " SCOPE_SQL("cu") ")"

static db_status instruments_of(request *rq, uint64_t campaign_id, json_t **out)
{
    db_result r;
    db_val p[] = {DB_INT(campaign_id)};
    db_status s = db_exec(rq->db, rq->a,
                          "SELECT i.id, i.code, i.version, i.title, i.respondents, i.targets "
                          "FROM campaign_instruments ci JOIN instruments i "
                          "ON i.id = ci.instrument_id WHERE ci.campaign_id = ? ORDER BY i.code",
                          p, 1, &r);
    if (s != DB_OK)
        return s;
    *out = json_array();
    for (size_t i = 0; i < r.nrows; i++)
        json_array_append_new(*out, json_pack("{s:I, s:s, s:I, s:s, s:s, s:s}", "id",
                                              (json_int_t)db_cell_int(&r, i, 0, 0), "code",
                                              db_cell(&r, i, 1), "version",
                                              (json_int_t)db_cell_int(&r, i, 2, 0), "title",
                                              db_cell(&r, i, 3), "respondents", db_cell(&r, i, 4),
                                              "targets", db_cell(&r, i, 5)));
    return DB_OK;
}

static json_t *campaign_json(const db_result *r, size_t i, json_t *instruments)
{
    return json_pack("{s:I, s:s, s:I, s:s, s:s, s:{s:I, s:s}, s:b, s:o}", "id",
                     (json_int_t)db_cell_int(r, i, 0, 0), "title", db_cell(r, i, 1), "year",
                     (json_int_t)db_cell_int(r, i, 2, 0), "opens_on", db_cell(r, i, 3), "closes_on",
                     db_cell(r, i, 4), "org_unit", "id", (json_int_t)db_cell_int(r, i, 5, 0),
                     "name", db_cell(r, i, 6), "open", (int)db_cell_int(r, i, 7, 0), "instruments",
                     instruments);
}

void handle_campaigns_list(request *rq, response *rs)
{
    db_result r;
    db_val p[] = {DB_STR(rq->me->org_path), DB_INT(rq->me->user_id)};
    db_status s = db_exec(rq->db, rq->a,
                          "SELECT " CAMPAIGN_COLUMNS " FROM campaigns c JOIN org_units cu "
                          "ON cu.id = c.org_unit_id WHERE " CAMPAIGN_VISIBLE
                          " ORDER BY c.year DESC, c.id DESC",
                          p, 2, &r);
    json_t *items = json_array();
    for (size_t i = 0; s == DB_OK && i < r.nrows; i++) {
        json_t *ins = NULL;
        s = instruments_of(rq, (uint64_t)db_cell_int(&r, i, 0, 0), &ins);
        if (s == DB_OK)
            json_array_append_new(items, campaign_json(&r, i, ins));
    }
    if (s != DB_OK) {
        json_decref(items);
        respond_db_error(rq, rs, s);
        return;
    }
    respond_json(rq, rs, 200, json_pack("{s:o}", "items", items));
}

static void respond_campaign(request *rq, response *rs, int status, uint64_t id)
{
    db_result r;
    db_val p[] = {DB_INT(id), DB_STR(rq->me->org_path), DB_INT(rq->me->user_id)};
    db_status s = db_exec(rq->db, rq->a,
                          "SELECT " CAMPAIGN_COLUMNS " FROM campaigns c JOIN org_units cu "
                          "ON cu.id = c.org_unit_id WHERE c.id = ? AND " CAMPAIGN_VISIBLE,
                          p, 3, &r);
    json_t *ins = NULL;
    if (s == DB_OK && r.nrows == 1)
        s = instruments_of(rq, id, &ins);
    if (s != DB_OK) {
        respond_db_error(rq, rs, s);
        return;
    }
    if (r.nrows != 1) {
        respond_problem(rq, rs, 404, "not-found", "Not Found", "Кампания не найдена.");
        return;
    }
    respond_json(rq, rs, status, campaign_json(&r, 0, ins));
}

void handle_campaign_get(request *rq, response *rs)
{
    respond_campaign(rq, rs, 200, scope_parse_id(rq->params[0]));
}

static int valid_date(const char *s)
{
    if (!s || strlen(s) != 10)
        return 0;
    for (int i = 0; i < 10; i++)
        if ((i == 4 || i == 7) ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
            return 0;
    int m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
    return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

void handle_campaign_create(request *rq, response *rs)
{
    json_t *b = rq->json;
    json_t *p = problem_new(422, "validation", "Validation failed", "Проверьте поля кампании.");
    const char *title = json_string_value(json_object_get(b, "title"));
    json_t *year = json_object_get(b, "year");
    const char *opens = json_string_value(json_object_get(b, "opens_on"));
    const char *closes = json_string_value(json_object_get(b, "closes_on"));
    json_t *ids = json_object_get(b, "instrument_ids");
    int bad = 0;
    if (!title || !*title || json_string_length(json_object_get(b, "title")) > 300)
        bad = 1, problem_add_error(p, "title", "название: от 1 до 300 символов");
    if (!json_is_integer(year) || json_integer_value(year) < 2000 ||
        json_integer_value(year) > 2100)
        bad = 1, problem_add_error(p, "year", "год: целое число от 2000 до 2100");
    if (!valid_date(opens))
        bad = 1, problem_add_error(p, "opens_on", "дата начала в виде ГГГГ-ММ-ДД");
    if (!valid_date(closes) || (opens && closes && strcmp(closes, opens) < 0))
        bad = 1, problem_add_error(p, "closes_on", "дата окончания не раньше даты начала");
    if (!json_is_array(ids) || json_array_size(ids) == 0 || json_array_size(ids) > 50)
        bad = 1, problem_add_error(p, "instrument_ids", "список от 1 до 50 инструментов");
    for (size_t i = 0; !bad && i < json_array_size(ids); i++)
        if (!json_is_integer(json_array_get(ids, i)) ||
            json_integer_value(json_array_get(ids, i)) <= 0)
            bad = 1, problem_add_error(p, "instrument_ids", "id инструментов — целые числа");
    if (bad) {
        respond_problem_doc(rq, rs, p);
        return;
    }
    db_status s = db_begin(rq->db);
    db_result ins;
    if (s == DB_OK) {
        db_val v[] = {DB_INT(rq->me->org_unit_id),
                      DB_STR(title),
                      DB_INT(json_integer_value(year)),
                      DB_STR(opens),
                      DB_STR(closes),
                      DB_INT(rq->me->user_id)};
        s = db_exec(rq->db, rq->a,
                    "INSERT INTO campaigns (org_unit_id, title, year, opens_on, closes_on, "
                    "created_by) VALUES (?, ?, ?, ?, ?, ?)",
                    v, 6, &ins);
    }
    uint64_t id = s == DB_OK ? ins.insert_id : 0;
    for (size_t i = 0; s == DB_OK && i < json_array_size(ids); i++) {
        db_result r;
        db_val v[] = {DB_INT(id), DB_INT(json_integer_value(json_array_get(ids, i)))};
        s = db_exec(rq->db, rq->a,
                    "INSERT IGNORE INTO campaign_instruments (campaign_id, instrument_id) "
                    "SELECT ?, id FROM instruments WHERE id = ? AND status = 'published'",
                    v, 2, &r);
        if (s == DB_OK && r.affected == 0 && !bad) {
            bad = 1;
            problem_add_error(p, "instrument_ids", "такого опубликованного инструмента нет");
        }
    }
    if (s == DB_OK && bad) {
        db_rollback(rq->db);
        respond_problem_doc(rq, rs, p);
        return;
    }
    json_decref(p);
    if (s == DB_OK)
        s = audit_write(rq, "campaign.create", "campaign", id, rq->me->org_unit_id,
                        json_pack("{s:[n,s]}", "title", title));
    s = s == DB_OK ? db_commit(rq->db) : (db_rollback(rq->db), s);
    if (s != DB_OK) {
        respond_db_error(rq, rs, s);
        return;
    }
    respond_campaign(rq, rs, 201, id);
}
