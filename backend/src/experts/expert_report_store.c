#include "experts/expert_report_store.h"
#include "auth/principal.h"

#include "auth/scope.h"

#include <string.h>

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* The members of a report_row and their columns. */
static const db_field REPORT_ROW[] = {
    DB_FIELD(RC_ID, ID, report_row, id),
    DB_FIELD(RC_CAMPAIGN_ID, ID, report_row, campaign_id),
    DB_FIELD(RC_KINDERGARTEN_ID, ID, report_row, kindergarten_id),
    DB_FIELD(RC_EXPERT_ID, ID, report_row, expert_id),
    DB_FIELD(RC_STATUS, TEXT, report_row, status),
    DB_FIELD(RC_SUMMARY, TEXT, report_row, summary),
    DB_FIELD(RC_AREAS, TEXT, report_row, areas),
    DB_FIELD(RC_VERSION, LONG, report_row, version),
};

db_status expert_report_find(request *rq, uint64_t id, int lock, report_row *out, int *found)
{
    *found = 0;
    memset(out, 0, sizeof *out);
    if (!id)
        return DB_OK;
    db_val p[] = {DB_INT(id), DB_INT(rq->me->user_id), DB_INT(rq->me->user_id),
                  DB_STR(role_name(rq->me->role))};
    return DB_ROW_LOAD(rq->db, rq->a,
                       lock ? "SELECT " REPORT_COLUMNS REPORT_FROM
                              "WHERE r.id = ? AND " REPORT_VISIBLE " FOR UPDATE"
                            : "SELECT " REPORT_COLUMNS REPORT_FROM
                              "WHERE r.id = ? AND " REPORT_VISIBLE,
                       p, REPORT_ROW, out, found);
}

db_status expert_report_list(request *rq, const char *path, uint64_t kindergarten,
                             long long campaign, const char *status, db_result *r)
{
    db_val p[] = {DB_INT(rq->me->user_id),
                  DB_INT(rq->me->user_id),
                  DB_STR(role_name(rq->me->role)),
                  DB_STR(path),
                  DB_INT(kindergarten),
                  DB_INT(kindergarten),
                  DB_INT(campaign),
                  DB_INT(campaign),
                  DB_STR(status),
                  DB_STR(status)};
    return DB_EXEC(rq->db, rq->a,
                   "SELECT " REPORT_COLUMNS REPORT_FROM "WHERE " REPORT_VISIBLE
                   " AND k.path LIKE CONCAT(?, '%') AND (? = 0 OR r.kindergarten_id = ?) "
                   "AND (? = 0 OR r.campaign_id = ?) AND (? = '' OR r.status = ?) "
                   "ORDER BY r.updated_at DESC, r.id DESC LIMIT 1000",
                   p, r);
}

db_status expert_report_campaign_fits(request *rq, uint64_t id, const char *path, int *fits)
{
    db_val p[] = {DB_INT(id), DB_STR(path)};
    return DB_EXISTS(rq->db, rq->a,
                     "SELECT 1 FROM campaigns c JOIN org_units o ON o.id = c.org_unit_id "
                     "WHERE c.id = ? AND ? LIKE CONCAT(o.path, '%')",
                     p, fits);
}

/* Runs sql with the key of the caller's report (campaign, kindergarten, the caller) and gives
 * the report's id: the one an INSERT made, or the one row a SELECT read (DB_ERROR when it
 * read none). */
static db_status report_by_key(request *rq, const char *sql, uint64_t campaign,
                               uint64_t kindergarten, uint64_t *id)
{
    db_result r;
    db_val v[] = {DB_INT(campaign), DB_INT(kindergarten), DB_INT(rq->me->user_id)};
    db_status s = DB_EXEC(rq->db, rq->a, sql, v, &r);
    *id = 0;
    if (s != DB_OK)
        return s;
    *id = r.ncols == 0 ? r.insert_id : r.nrows == 1 ? (uint64_t)db_cell_int(&r, 0, 0, 0) : 0;
    return *id ? DB_OK : DB_ERROR;
}

db_status expert_report_insert(request *rq, uint64_t campaign, uint64_t kindergarten, uint64_t *id)
{
    return report_by_key(rq,
                         "INSERT INTO expert_reports (campaign_id, kindergarten_id, expert_id) "
                         "VALUES (?, ?, ?)",
                         campaign, kindergarten, id);
}

db_status expert_report_started(request *rq, uint64_t campaign, uint64_t kindergarten, uint64_t *id)
{
    return report_by_key(rq,
                         "SELECT id FROM expert_reports WHERE campaign_id = ? AND kindergarten_id "
                         "= ? AND expert_id = ?",
                         campaign, kindergarten, id);
}

json_t *expert_report_json(const db_result *r, size_t i)
{
    const char *stored = db_cell(r, i, RC_AREAS);
    json_t *areas = json_loads(stored ? stored : "{}", 0, NULL);
    if (!json_is_object(areas)) {
        json_decref(areas);
        areas = json_object();
    }
    const char *status = db_cell(r, i, RC_STATUS);
    long long comments = db_cell_int(r, i, RC_COMMENTS, 0);
    return json_pack(
        "{s:I, s:{s:I, s:s, s:I}, s:{s:I, s:s}, s:{s:I, s:s}, s:s, s:o, s:o, s:I, s:s, s:s, "
        "s:o, s:o, s:I, s:b}",
        "id", (json_int_t)db_cell_int(r, i, RC_ID, 0), "campaign", "id",
        (json_int_t)db_cell_int(r, i, RC_CAMPAIGN_ID, 0), "title", db_cell(r, i, RC_CAMPAIGN_TITLE),
        "year", (json_int_t)db_cell_int(r, i, RC_CAMPAIGN_YEAR, 0), "kindergarten", "id",
        (json_int_t)db_cell_int(r, i, RC_KINDERGARTEN_ID, 0), "name",
        db_cell(r, i, RC_KINDERGARTEN_NAME), "expert", "id",
        (json_int_t)db_cell_int(r, i, RC_EXPERT_ID, 0), "full_name", db_cell(r, i, RC_EXPERT_NAME),
        "status", status, "summary", str_or_null(db_cell(r, i, RC_SUMMARY)), "areas", areas,
        "version", (json_int_t)db_cell_int(r, i, RC_VERSION, 0), "created_at",
        db_cell(r, i, RC_CREATED_AT), "updated_at", db_cell(r, i, RC_UPDATED_AT), "sent_at",
        str_or_null(db_cell(r, i, RC_SENT_AT)), "finalised_at",
        str_or_null(db_cell(r, i, RC_FINALISED_AT)), "comments_count", (json_int_t)comments,
        "awaiting_comments", strcmp(status, "preliminary") == 0 && comments == 0);
}

static json_t *comment_json(const db_result *r, size_t i)
{
    return json_pack("{s:I, s:{s:I, s:s, s:s}, s:s, s:s}", "id",
                     (json_int_t)db_cell_int(r, i, 0, 0), "author", "id",
                     (json_int_t)db_cell_int(r, i, 1, 0), "full_name", db_cell(r, i, 2), "role",
                     db_cell(r, i, 3), "text", db_cell(r, i, 4), "at", db_cell(r, i, 5));
}

/* What the caller may do with the report in its status. */
static json_t *rights_json(const request *rq, uint64_t expert_id, const char *status)
{
    int mine = expert_id == rq->me->user_id;
    int draft = strcmp(status, "draft") == 0, prelim = strcmp(status, "preliminary") == 0;
    return json_pack("{s:b, s:b, s:b, s:b}", "can_edit", mine && (draft || prelim), "can_send",
                     mine && draft, "can_finalise", mine && prelim, "can_comment",
                     rq->me->role == ROLE_DOO_COORDINATOR && prelim);
}

db_status expert_report_doc(request *rq, uint64_t id, json_t **doc, int *found)
{
    *doc = NULL;
    *found = 0;
    db_result r, c;
    db_val p[] = {DB_INT(id), DB_INT(rq->me->user_id), DB_INT(rq->me->user_id),
                  DB_STR(role_name(rq->me->role))};
    db_status s =
        DB_EXEC(rq->db, rq->a,
                "SELECT " REPORT_COLUMNS REPORT_FROM "WHERE r.id = ? AND " REPORT_VISIBLE, p, &r);
    if (s == DB_OK && r.nrows == 1) {
        db_val q[] = {DB_INT(id)};
        s = DB_EXEC(rq->db, rq->a,
                    "SELECT rc.id, u.id, u.full_name, u.role, rc.body, "
                    "DATE_FORMAT(rc.created_at, '%Y-%m-%dT%H:%i:%sZ') FROM expert_report_comments "
                    "rc JOIN users u ON u.id = rc.author_id WHERE rc.report_id = ? ORDER BY rc.id",
                    q, &c);
    }
    if (s != DB_OK || r.nrows != 1)
        return s;
    *found = 1;
    *doc = expert_report_json(&r, 0);
    json_object_set_new(*doc, "comments", rows_json(&c, c.nrows, comment_json));
    json_t *rights =
        rights_json(rq, (uint64_t)db_cell_int(&r, 0, RC_EXPERT_ID, 0), db_cell(&r, 0, RC_STATUS));
    json_object_update(*doc, rights);
    json_decref(rights);
    return DB_OK;
}
