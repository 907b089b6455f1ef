/* GET /units/{id}/consents, PUT /units/{id}/consent, PATCH /units/{id}/privacy and the check
 * of tus creation (evidence_consent.h). Rules, one per right (docs/api-evidence.md):
 * anyone with the kindergarten in scope but experts reads the consents; only the
 * kindergarten's own coordinator records them and chooses what happens without them. */
#include "evidence/handlers.h"
#include "org/route_rows.h"
#include "auth/principal.h"

#include "auth/audit.h"
#include "evidence/evidence_consent.h"
#include "http/form_text.h"
#include "auth/scope.h"
#include "org/unit_store.h"

#include <string.h>
#include <time.h>

int evidence_consent_check(request *rq, response *rs, const submission_row *sub)
{
    db_result r;
    db_val p[] = {DB_INT(sub->kindergarten_id), DB_INT(sub->target_unit_id)};
    db_status s =
        DB_EXEC(rq->db, rq->a,
                "SELECT COALESCE((SELECT c.consented FROM group_consents c WHERE c.group_id = g.id "
                "ORDER BY c.id DESC LIMIT 1), 0), COALESCE((SELECT p.without_consent FROM "
                "kindergarten_privacy p WHERE p.kindergarten_id = ?), 'refuse') FROM org_units g "
                "WHERE g.id = ? AND g.level = 'group'",
                p, &r);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    if (r.nrows == 0 || db_cell_int(&r, 0, 0, 0) == 1 || strcmp(db_cell(&r, 0, 1), "mark") == 0)
        return 0;
    response_header(rq->a, rs, "Tus-Resumable", "1.0.0");
    return reply_problem(rq, rs, PK_NO_CONSENT,
                         "Нет согласия родителей этой группы на фото- и видеосъёмку детей: "
                         "детский сад не принимает файлы к анкетам группы без согласия. "
                         "Координатор детского сада может записать согласие в разделе «Согласия».");
}

/* The kindergarten of the path (in scope: the dispatcher checked it). 404 for another level. */
static int load_kindergarten(request *rq, response *rs, scope_unit *k)
{
    if (route_unit(rq, rs, k) != 0)
        return -1;
    if (k->level != LEVEL_KINDERGARTEN) {
        reply_problem(rq, rs, PK_NOT_FOUND, "Детский сад не найден.");
        return -1;
    }
    return 0;
}

/* A group's latest consent record (columns 2-6 of the list's row), null before the first. */
static json_t *consent_json(const db_result *r, size_t i)
{
    if (!db_cell(r, i, 2))
        return json_null();
    return json_pack("{s:b, s:s, s:{s:I, s:s?}, s:s}", "consented", (int)db_cell_int(r, i, 2, 0),
                     "date", db_cell(r, i, 3), "recorded_by", "id",
                     (json_int_t)db_cell_int(r, i, 4, 0), "full_name", db_cell(r, i, 5),
                     "recorded_at", db_cell(r, i, 6));
}

/* {kindergarten_id, without_consent, groups: [{id, name, consent}]} of kindergarten k. */
static db_status consents_json(request *rq, uint64_t k, json_t **out)
{
    db_result r, pr;
    db_val p[] = {DB_INT(k)};
    db_status s = DB_EXEC(rq->db, rq->a,
                          "SELECT COALESCE((SELECT without_consent FROM kindergarten_privacy "
                          "WHERE kindergarten_id = ?), 'refuse')",
                          p, &pr);
    if (s == DB_OK)
        s = DB_EXEC(rq->db, rq->a,
                    "SELECT g.id, g.name, c.consented, DATE_FORMAT(c.consent_date, '%Y-%m-%d'), "
                    "c.recorded_by, u.full_name, DATE_FORMAT(c.recorded_at, "
                    "'%Y-%m-%dT%H:%i:%sZ') FROM org_units g LEFT JOIN group_consents c ON c.id "
                    "= (SELECT MAX(c2.id) FROM group_consents c2 WHERE c2.group_id = g.id) LEFT "
                    "JOIN users u ON u.id = c.recorded_by WHERE g.parent_id = ? AND g.level = "
                    "'group' AND g.active = 1 ORDER BY g.name, g.id",
                    p, &r);
    if (s != DB_OK)
        return s;
    json_t *groups = json_array();
    for (size_t i = 0; i < r.nrows; i++)
        json_array_append_new(groups, json_pack("{s:I, s:s, s:o}", "id",
                                                (json_int_t)db_cell_int(&r, i, 0, 0), "name",
                                                db_cell(&r, i, 1), "consent", consent_json(&r, i)));
    *out = json_pack("{s:I, s:s, s:o}", "kindergarten_id", (json_int_t)k, "without_consent",
                     db_cell(&pr, 0, 0), "groups", groups);
    return DB_OK;
}

static int respond_consents(request *rq, response *rs, uint64_t k)
{
    json_t *doc = NULL;
    db_status s = consents_json(rq, k, &doc);
    return s == DB_OK ? respond_json(rq, rs, 200, doc) : reply_db_error(rq, rs, s);
}

int handle_unit_consents(request *rq, response *rs)
{
    scope_unit k;
    if (load_kindergarten(rq, rs, &k) == 0)
        respond_consents(rq, rs, k.id);
    return rs->status;
}

/* Today's date, YYYY-MM-DD, in the server's time zone (as CURRENT_DATE). */
static void today(char out[11])
{
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

/* Reads {consented: bool, date: "YYYY-MM-DD"} (a day of the calendar, not after today). */
static int read_consent(request *rq, response *rs, int *consented, const char **date)
{
    json_t *c = json_object_get(rq->json, "consented"), *d = json_object_get(rq->json, "date");
    char now[11];
    today(now);
    if (!json_is_boolean(c)) {
        const char *m = "Укажите, дали ли родители согласие: true или false.";
        reply_field_error(rq, rs, m, "consented", m);
        return -1;
    }
    if (!json_is_string(d) || form_date_check(json_string_value(d)) != 1 ||
        strcmp(json_string_value(d), now) > 0) {
        const char *m = "Дата согласия: день ГГГГ-ММ-ДД, не позже сегодняшнего.";
        reply_field_error(rq, rs, m, "date", m);
        return -1;
    }
    *consented = json_is_true(c);
    *date = json_string_value(d);
    return 0;
}

/* Writes one change of unit u's consents (sql with its n parameters p) and its audit row
 * (action, change: reference taken) in one transaction, then answers with the consents of
 * the kindergarten: u itself, or the one of group u. */
static int record_change(request *rq, response *rs, const scope_unit *u, const char *action,
                         json_t *change, const char *sql, const db_val *p, size_t n)
{
    db_status s = db_begin(rq->db);
    if (s == DB_OK)
        s = db_exec(rq->db, rq->a, sql, p, n, NULL);
    if (s == DB_OK)
        s = audit_write(rq, action, "org_unit", u->id, u->id, json_incref(change));
    json_decref(change);
    if (reply_tx_end(rq, rs, s, NULL) != 0)
        return rs->status;
    return respond_consents(rq, rs, u->level == LEVEL_GROUP ? u->parent_id : u->id);
}

int handle_group_consent_put(request *rq, response *rs)
{
    scope_unit g;
    int consented = 0;
    const char *date = NULL;
    if (route_unit(rq, rs, &g) != 0)
        return rs->status;
    if (g.level != LEVEL_GROUP || g.parent_id != rq->me->org_unit_id)
        return reply_problem(rq, rs, PK_NOT_FOUND, "Группа не найдена.");
    if (read_consent(rq, rs, &consented, &date) != 0)
        return rs->status;
    db_val p[] = {DB_INT(g.id), DB_INT(consented), DB_STR(date), DB_INT(rq->me->user_id)};
    return record_change(
        rq, rs, &g, "consent.record",
        json_pack("{s:[n,b], s:[n,s]}", "consented", consented, "date", date),
        "INSERT INTO group_consents (group_id, consented, consent_date, recorded_by) VALUES "
        "(?, ?, ?, ?)",
        p, ARRAY_LEN(p));
}

static const char CHOICE[] = "Без согласия родителей: refuse (не принимать файлы) или mark "
                             "(принимать с пометкой).";

int handle_kindergarten_privacy_patch(request *rq, response *rs)
{
    scope_unit k;
    if (load_kindergarten(rq, rs, &k) != 0)
        return rs->status;
    if (k.id != rq->me->org_unit_id)
        return /* the route admits kindergarten coordinators only */
            reply_problem(rq, rs, PK_NOT_FOUND, "Детский сад не найден.");
    json_t *v = json_object_get(rq->json, "without_consent");
    const char *choice = json_is_string(v) ? json_string_value(v) : "";
    if (strcmp(choice, "refuse") != 0 && strcmp(choice, "mark") != 0)
        return reply_field_error(rq, rs, CHOICE, "without_consent", CHOICE);
    db_val p[] = {DB_INT(k.id), DB_STR(choice), DB_INT(rq->me->user_id)};
    return record_change(rq, rs, &k, "privacy.update",
                         json_pack("{s:[n,s]}", "without_consent", choice),
                         "INSERT INTO kindergarten_privacy (kindergarten_id, without_consent, "
                         "updated_by) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE without_consent = "
                         "VALUES(without_consent), updated_by = VALUES(updated_by)",
                         p, ARRAY_LEN(p));
}
