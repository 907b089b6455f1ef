/* GET /users/{id}/assignments, PUT and DELETE /users/{id}/assignments/{unit_id}: the
 * kindergartens an expert may see and score (the expert's scope in the view user_scope).
 * The user is in the caller's scope (the dispatcher checked it); the kindergarten must be
 * too, and must not be where the expert works (409, expert_conflict.h). An assignment may
 * name a campaign, the kind of assessment and its last day (?campaign_id=&kind=remote|onsite
 * &ends_on=YYYY-MM-DD; after that day the kindergarten leaves the expert's scope, scope.h).
 * docs/api-org.md, "Users"; docs/api-experts.md. */
#include "org/handlers.h"
#include "org/route_rows.h"
#include "auth/principal.h"
#include "org/users.h"

#include "auth/audit.h"
#include "experts/expert_conflict.h"
#include "http/form_text.h"
#include "notify/notify_events.h"
#include "org/unit_store.h"

#include <string.h>

/* The optional terms of an assignment, from the query. */
typedef struct {
    uint64_t campaign_id; /* 0: any campaign */
    const char *kind;     /* NULL: not said */
    const char *ends_on;  /* the last day of access, YYYY-MM-DD; NULL: until unassigned */
} assignment_terms;

/* The user of the path, who must be an expert (else 422). Returns 0, or -1 with rs filled. */
static int load_expert(request *rq, response *rs, user_row *u)
{
    if (route_user(rq, rs, u) != 0)
        return -1;
    if (u->role != ROLE_EXPERT) {
        users_invalid(rq, rs, "id", "детские сады назначаются только экспертам");
        return -1;
    }
    return 0;
}

/* The kindergarten of the path, within the caller's scope (anything else is 404). */
static int load_kindergarten(request *rq, response *rs, scope_unit *k)
{
    int found = 0;
    db_status s = scope_find_unit(rq, scope_parse_id(rq->params[1]), k, &found);
    if (s != DB_OK) {
        reply_db_error(rq, rs, s);
        return -1;
    }
    if (!found || k->level != LEVEL_KINDERGARTEN) {
        reply_problem(rq, rs, PK_NOT_FOUND, "Детский сад не найден.");
        return -1;
    }
    return 0;
}

/* Both ends of an assignment change, in the order of the answers: who may manage experts
 * (403), the kindergarten (404), the expert (422). */
static int load_both(request *rq, response *rs, user_row *u, scope_unit *k)
{
    if (!scope_can_manage_role(rq->me->role, ROLE_EXPERT)) {
        users_forbidden_role(rq, rs, ROLE_EXPERT);
        return -1;
    }
    if (load_kindergarten(rq, rs, k) != 0)
        return -1;
    return load_expert(rq, rs, u);
}

/* A unit of UNIT_COLUMNS with the assignment's three last columns. */
static json_t *assigned_unit_json(const db_result *r, size_t i)
{
    json_t *unit = unit_json(r, i);
    long long campaign = db_cell_int(r, i, r->ncols - 3, 0);
    const char *kind = db_cell(r, i, r->ncols - 2);
    const char *ends_on = db_cell(r, i, r->ncols - 1);
    json_object_set_new(unit, "assignment",
                        json_pack("{s:o, s:o, s:o}", "campaign_id",
                                  campaign ? json_integer(campaign) : json_null(), "kind",
                                  kind ? json_string(kind) : json_null(), "ends_on",
                                  ends_on ? json_string(ends_on) : json_null()));
    return unit;
}

int handle_assignments_list(request *rq, response *rs)
{
    user_row u;
    if (load_expert(rq, rs, &u) != 0)
        return rs->status;
    json_t *items;
    db_val v[] = {DB_INT(u.id), DB_INT(rq->me->user_id)};
    db_status s = SELECT_JSON(rq,
                              "SELECT " UNIT_COLUMNS ", ea.campaign_id, ea.kind, "
                              "DATE_FORMAT(ea.ends_on, '%Y-%m-%d') FROM expert_assignments ea "
                              "JOIN org_units o ON o.id = ea.kindergarten_id "
                              "WHERE ea.expert_id = ? AND " SCOPE_SQL("o") " ORDER BY o.name, o.id",
                              v, assigned_unit_json, &items);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    return respond_json(rq, rs, 200, json_pack("{s:o}", "items", items));
}

static json_t *assignment_change(uint64_t from, uint64_t to)
{
    return json_pack("{s:[o,o]}", "kindergarten_id",
                     from ? json_integer((json_int_t)from) : json_null(),
                     to ? json_integer((json_int_t)to) : json_null());
}

/* Reads ?campaign_id= (an existing campaign), ?kind= (remote, onsite) and ?ends_on= (a day
 * of the calendar). Returns 0, or -1 with a 422 written. */
static int read_terms(request *rq, response *rs, assignment_terms *t)
{
    memset(t, 0, sizeof *t);
    const char *campaign = uri_param_get(&rq->args, "campaign_id");
    const char *kind = uri_param_get(&rq->args, "kind");
    const char *ends_on = uri_param_get(&rq->args, "ends_on");
    if (ends_on && *ends_on) {
        if (form_date_check(ends_on) != 1) {
            users_invalid(rq, rs, "ends_on", "последний день доступа: дата ГГГГ-ММ-ДД");
            return -1;
        }
        t->ends_on = ends_on;
    }
    if (kind && *kind) {
        if (strcmp(kind, "remote") != 0 && strcmp(kind, "onsite") != 0) {
            users_invalid(rq, rs, "kind",
                          "вид экспертизы: remote (дистанционная) или onsite "
                          "(выездная)");
            return -1;
        }
        t->kind = kind;
    }
    if (campaign && *campaign) {
        t->campaign_id = scope_parse_id(campaign);
        int found = 0;
        db_val v[] = {DB_INT(t->campaign_id)};
        db_status s = t->campaign_id ? DB_EXISTS(rq->db, rq->a,
                                                 "SELECT 1 FROM campaigns WHERE id = ?", v, &found)
                                     : DB_OK;
        if (s != DB_OK) {
            reply_db_error(rq, rs, s);
            return -1;
        }
        if (!found) {
            users_invalid(rq, rs, "campaign_id", "такой кампании нет");
            return -1;
        }
    }
    return 0;
}

/* Inserts the row once (*inserted = 1); a second PUT changes nothing and writes no audit
 * row, unless it names other terms (campaign, kind), which it then records. */
static db_status assign(request *rq, const user_row *u, const scope_unit *k,
                        const assignment_terms *t, int *inserted)
{
    db_val v[] = {DB_INT(u->id),
                  DB_INT(k->id),
                  DB_INT(rq->me->user_id),
                  t->campaign_id ? DB_INT(t->campaign_id) : DB_NULL,
                  t->kind ? DB_STR(t->kind) : DB_NULL,
                  t->ends_on ? DB_STR(t->ends_on) : DB_NULL};
    db_result r;
    db_status s = db_begin(rq->db);
    if (s == DB_OK)
        s = DB_EXEC(rq->db, rq->a,
                    "INSERT INTO expert_assignments (expert_id, kindergarten_id, assigned_by, "
                    "campaign_id, kind, ends_on) VALUES (?, ?, ?, ?, ?, ?) ON DUPLICATE KEY "
                    "UPDATE campaign_id = VALUES(campaign_id), kind = VALUES(kind), ends_on = "
                    "VALUES(ends_on)",
                    v, &r);
    if (s != DB_OK || r.affected == 0) /* 0: the same terms again */
        return s;
    *inserted = r.affected == 1;
    json_t *changes = r.affected == 1 ? assignment_change(0, k->id) : json_object();
    if (changes && t->campaign_id)
        json_object_set_new(changes, "campaign_id", json_pack("[n,I]", (json_int_t)t->campaign_id));
    if (changes && t->kind)
        json_object_set_new(changes, "kind", json_pack("[n,s]", t->kind));
    if (changes && t->ends_on)
        json_object_set_new(changes, "ends_on", json_pack("[n,s]", t->ends_on));
    return audit_write(rq, "expert.assign", "user", u->id, u->unit_id, changes);
}

/* 409 when the expert works at the kindergarten. Returns 0, or -1 with rs filled. */
static int check_conflict(request *rq, response *rs, const user_row *u, const scope_unit *k)
{
    int conflict = 0;
    db_status s = expert_conflict_assign(rq, u->id, k->id, &conflict);
    if (s != DB_OK) {
        reply_db_error(rq, rs, s);
        return -1;
    }
    if (conflict) {
        expert_conflict_respond(rq, rs, "unit_id");
        return -1;
    }
    return 0;
}

int handle_assignment_put(request *rq, response *rs)
{
    user_row u;
    scope_unit k;
    assignment_terms t;
    if (load_both(rq, rs, &u, &k) != 0)
        return rs->status;
    if (!k.active) {
        users_invalid(rq, rs, "unit_id", "детский сад закрыт: назначить на него нельзя");
        return rs->status;
    }
    if (check_conflict(rq, rs, &u, &k) != 0 || read_terms(rq, rs, &t) != 0)
        return rs->status;
    int inserted = 0;
    db_status s = assign(rq, &u, &k, &t, &inserted);
    if (s == DB_OK && inserted) /* a new assignment tells the expert; new terms do not */
        s = notify_assignment(rq, u.id, k.id, k.name);
    if (reply_tx_end(rq, rs, s, NULL) != 0)
        return rs->status;
    return respond_empty(rs, 204);
}

static db_status unassign(request *rq, const user_row *u, const scope_unit *k)
{
    db_result r;
    db_val v[] = {DB_INT(u->id), DB_INT(k->id)};
    db_status s = db_begin(rq->db);
    if (s == DB_OK)
        s = DB_EXEC(rq->db, rq->a,
                    "DELETE FROM expert_assignments WHERE expert_id = ? AND kindergarten_id = ?", v,
                    &r);
    if (s == DB_OK && r.affected > 0)
        s = audit_write(rq, "expert.unassign", "user", u->id, u->unit_id,
                        assignment_change(k->id, 0));
    return s;
}

int handle_assignment_delete(request *rq, response *rs)
{
    user_row u;
    scope_unit k;
    if (load_both(rq, rs, &u, &k) != 0)
        return rs->status;
    if (reply_tx_end(rq, rs, unassign(rq, &u, &k), users_login_taken()) != 0)
        return rs->status;
    return respond_empty(rs, 204);
}
