/* Analytic reports as stored (report_store.h). */
#include "analysis/report_store.h"
#include "analysis/report_data.h"
#include "auth/principal.h"

#include <string.h>

#define REPORT_COLUMNS                                                                             \
    "r.id, r.org_unit_id, r.campaign_id, r.instrument_id, r.status, r.intro, r.conclusions, "      \
    "r.measures, r.return_comment, r.snapshot, r.version, DATE_FORMAT(r.created_at, "              \
    "'%Y-%m-%dT%H:%i:%s'), DATE_FORMAT(r.updated_at, '%Y-%m-%dT%H:%i:%s'), "                       \
    "DATE_FORMAT(r.sent_at, '%Y-%m-%dT%H:%i:%s'), DATE_FORMAT(r.published_at, "                    \
    "'%Y-%m-%dT%H:%i:%s'), c.title, c.year, i.code, i.title"

static int is_coordinator(role r)
{
    return r == ROLE_REGION_COORDINATOR || r == ROLE_MUNICIPAL_COORDINATOR ||
           r == ROLE_DOO_COORDINATOR;
}

int report_is_author(const request *rq, const scope_unit *u)
{
    return rq->me->role == ROLE_ADMINISTRATOR ||
           (is_coordinator(rq->me->role) && rq->me->org_unit_id == u->id);
}

int report_is_above(const request *rq, const scope_unit *u)
{
    if (rq->me->role == ROLE_ADMINISTRATOR)
        return 1;
    size_t n = strlen(rq->me->org_path);
    return is_coordinator(rq->me->role) && n && strncmp(u->path, rq->me->org_path, n) == 0 &&
           u->path[n] != '\0';
}

db_status report_load(request *rq, uint64_t id, int lock, report_row *out, int *found)
{
    *found = 0;
    memset(out, 0, sizeof *out);
    db_val p[] = {DB_INT(id)};
    db_status s =
        DB_EXEC(rq->db, rq->a,
                lock ? "SELECT " REPORT_COLUMNS " FROM analytic_reports r JOIN campaigns c "
                       "ON c.id = r.campaign_id JOIN instruments i ON i.id = "
                       "r.instrument_id WHERE r.id = ? FOR UPDATE"
                     : "SELECT " REPORT_COLUMNS " FROM analytic_reports r JOIN campaigns c "
                       "ON c.id = r.campaign_id JOIN instruments i ON i.id = "
                       "r.instrument_id WHERE r.id = ?",
                p, &out->row);
    if (s != DB_OK || out->row.nrows != 1)
        return s;
    int in_scope = 0;
    s = scope_find_unit(rq, (uint64_t)db_cell_int(&out->row, 0, 1, 0), &out->unit, &in_scope);
    if (s != DB_OK || !in_scope)
        return s;
    out->id = id;
    out->campaign_id = (uint64_t)db_cell_int(&out->row, 0, 2, 0);
    out->instrument_id = (uint64_t)db_cell_int(&out->row, 0, 3, 0);
    out->status = db_cell(&out->row, 0, 4);
    out->snapshot = db_cell(&out->row, 0, 9);
    out->version = (long)db_cell_int(&out->row, 0, 10, 0);
    *found = report_is_author(rq, &out->unit) || strcmp(out->status, "draft") != 0;
    return DB_OK;
}

db_status report_begin(request *rq, uint64_t id, report_row *out, int *found)
{
    *found = 0;
    db_status s = db_begin(rq->db);
    return s == DB_OK ? report_load(rq, id, 1, out, found) : s;
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* What the caller may do now (report_flow.c checks the same). */
static json_t *can_json(const request *rq, const report_row *r)
{
    int author = report_is_author(rq, &r->unit), above = report_is_above(rq, &r->unit);
    int open = strcmp(r->status, "draft") == 0 || strcmp(r->status, "returned") == 0;
    int region = r->unit.level == LEVEL_REGION;
    return json_pack(
        "{s:b, s:b, s:b, s:b}", "edit", author && open, "send", author && open && !region,
        "publish", region ? author && open : above && strcmp(r->status, "sent") == 0, "return",
        above && (strcmp(r->status, "sent") == 0 || strcmp(r->status, "published") == 0));
}

static db_status data_json(request *rq, const report_row *r, json_t **out)
{
    if (r->snapshot && strcmp(r->status, "published") == 0) {
        *out = json_loads(r->snapshot, 0, NULL);
        return *out ? DB_OK : DB_ERROR;
    }
    return report_data_json(rq, &r->unit, r->campaign_id, r->instrument_id, out);
}

db_status report_json(request *rq, const report_row *r, int with_data, json_t **out)
{
    const db_result *w = &r->row;
    json_t *data = NULL;
    db_status s = with_data ? data_json(rq, r, &data) : DB_OK;
    if (s != DB_OK)
        return s;
    *out = json_pack(
        "{s:I, s:{s:I, s:s, s:s}, s:{s:I, s:s, s:I}, s:{s:I, s:s, s:s}, s:s, s:o, s:o, s:o, s:o, "
        "s:I, s:s, s:s, s:o, s:o, s:o}",
        "id", (json_int_t)r->id, "unit", "id", (json_int_t)r->unit.id, "name", r->unit.name,
        "level", org_level_name(r->unit.level), "campaign", "id", (json_int_t)r->campaign_id,
        "title", db_cell(w, 0, 15), "year", (json_int_t)db_cell_int(w, 0, 16, 0), "instrument",
        "id", (json_int_t)r->instrument_id, "code", db_cell(w, 0, 17), "title", db_cell(w, 0, 18),
        "status", r->status, "intro", str_or_null(db_cell(w, 0, 5)), "conclusions",
        str_or_null(db_cell(w, 0, 6)), "measures", str_or_null(db_cell(w, 0, 7)), "return_comment",
        str_or_null(db_cell(w, 0, 8)), "version", (json_int_t)r->version, "created_at",
        db_cell(w, 0, 11), "updated_at", db_cell(w, 0, 12), "sent_at",
        str_or_null(db_cell(w, 0, 13)), "published_at", str_or_null(db_cell(w, 0, 14)), "can",
        can_json(rq, r));
    if (*out && with_data)
        json_object_set_new(*out, "data", data);
    else
        json_decref(data);
    return *out ? DB_OK : DB_ERROR;
}
