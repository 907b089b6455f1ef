#include "forms/submission_store.h"
#include "auth/principal.h"

#include "auth/scope.h"

#include <stdlib.h>
#include <string.h>

/* The sheet's columns, then whether the caller belongs to its kindergarten
 * (review_rules.h); the window's columns (stage_window.h) follow from column 12. */
#define SHEET_COLUMNS                                                                              \
    "SELECT s.id, s.campaign_id, s.instrument_id, s.target_unit_id, s.target_user_id, "            \
    "s.kindergarten_id, s.created_by, s.status, s.respondent_role, s.version, s.answers, "         \
    "EXISTS (SELECT 1 FROM users cu JOIN org_units cw ON cw.id IN (cu.org_unit_id, "               \
    "cu.works_at_unit_id) WHERE cu.id = ? AND cw.path LIKE CONCAT(k.path, '%')), "
#define SHEET_WINDOW_COLUMN 12
#define SHEET_FROM                                                                                 \
    " FROM submissions s JOIN org_units k ON k.id = s.kindergarten_id "                            \
    "JOIN org_units tu ON tu.id = s.target_unit_id JOIN campaigns c ON c.id = s.campaign_id "      \
    "LEFT JOIN campaign_stages st ON st.campaign_id = c.id AND " STAGE_WINDOW_SHEET_STAGE(         \
        "s.instrument_id", "s.respondent_role")
/* The caller's scope, and who may read it besides: teachers and experts only their own or
 * shared sheets. The first of the stages that govern the sheet is its window. */
#define SHEET_WHERE                                                                                \
    " WHERE s.id = ? AND " SCOPE_SQL(                                                              \
        "k") " AND (? NOT IN ('teacher', 'expert') OR s.target_user_id = ? "                       \
             "OR (? = 'teacher' AND tu.level = 'group' AND s.target_user_id = 0) "                 \
             "OR (? = 'expert' AND s.target_user_id = 0 AND s.respondent_role = "                  \
             "'doo_coordinator')) "                                                                \
             "ORDER BY st.position LIMIT 1"

db_status submission_find(request *rq, uint64_t id, int for_update, submission_row *out, int *found)
{
    /* the sheet, the caller's right to read it and its window in one statement (one round
     * trip): every sheet handler needs all three */
    static const char *const SQL =
        SHEET_COLUMNS STAGE_WINDOW_COLUMNS("s.kindergarten_id") SHEET_FROM SHEET_WHERE;
    *found = 0;
    memset(out, 0, sizeof *out);
    const char *my_role = role_name(rq->me->role);
    db_result r;
    db_val p[] = {
        DB_INT(rq->me->user_id), DB_INT(id),      DB_INT(rq->me->user_id), DB_STR(my_role),
        DB_INT(rq->me->user_id), DB_STR(my_role), DB_STR(my_role)};
    db_status s = DB_EXEC(rq->db, rq->a, SQL, p, &r);
    if (s != DB_OK || r.nrows == 0)
        return s;
    if (for_update) {
        /* Lock only the sheet itself and read its state again under the lock. */
        db_result l;
        db_val q[] = {DB_INT(id)};
        s = DB_EXEC(rq->db, rq->a,
                    "SELECT status, version, answers FROM submissions WHERE id = ? FOR UPDATE", q,
                    &l);
        if (s != DB_OK || l.nrows == 0)
            return s;
        r.cells[7] = (char *)db_cell(&l, 0, 0);
        r.cells[9] = (char *)db_cell(&l, 0, 1);
        r.cells[10] = (char *)db_cell(&l, 0, 2);
    }
    out->id = (uint64_t)db_cell_int(&r, 0, 0, 0);
    out->campaign_id = (uint64_t)db_cell_int(&r, 0, 1, 0);
    out->instrument_id = (uint64_t)db_cell_int(&r, 0, 2, 0);
    out->target_unit_id = (uint64_t)db_cell_int(&r, 0, 3, 0);
    out->target_user_id = (uint64_t)db_cell_int(&r, 0, 4, 0);
    out->kindergarten_id = (uint64_t)db_cell_int(&r, 0, 5, 0);
    out->created_by = (uint64_t)db_cell_int(&r, 0, 6, 0);
    out->status = db_cell(&r, 0, 7);
    out->respondent_role = db_cell(&r, 0, 8);
    out->version = (long)db_cell_int(&r, 0, 9, 0);
    out->answers = db_cell(&r, 0, 10);
    out->caller_inside = (int)db_cell_int(&r, 0, 11, 1);
    stage_window_read(&r, SHEET_WINDOW_COLUMN, &out->window);
    out->campaign_open = out->window.open;
    *found = 1;
    return DB_OK;
}

int submission_can_edit(const request *rq, const submission_row *s)
{
    return s->created_by == rq->me->user_id &&
           (strcmp(s->status, "draft") == 0 || strcmp(s->status, "returned") == 0);
}

review_verdict submission_review_verdict(const request *rq, const submission_row *s)
{
    review_reviewer by = {rq->me->role, rq->me->user_id, s->caller_inside};
    review_work w = {ROLE_COUNT, s->created_by, s->target_user_id};
    if (role_parse(s->respondent_role, &w.author_role) != 0)
        return REVIEW_ROLE;
    return review_check(&by, &w);
}

int submission_can_review(const request *rq, const submission_row *s)
{
    return strcmp(s->status, "submitted") == 0 &&
           submission_review_verdict(rq, s) == REVIEW_ALLOWED;
}

db_status submission_event(request *rq, uint64_t id, const char *from, const char *to,
                           const char *comment, json_t *comments)
{
    char *text = comments && json_object_size(comments) ? json_dumps(comments, JSON_COMPACT) : NULL;
    json_decref(comments);
    char *copy = text ? arena_strdup(rq->a, text) : NULL;
    free(text);
    db_val p[] = {DB_INT(id),
                  DB_INT(rq->me->user_id),
                  from ? DB_STR(from) : DB_NULL,
                  DB_STR(to),
                  comment && *comment ? DB_STR(comment) : DB_NULL,
                  copy ? DB_STR(copy) : DB_NULL};
    return DB_EXEC(rq->db, rq->a,
                   "INSERT INTO submission_events (submission_id, actor_id, from_status, "
                   "to_status, comment, indicator_comments) VALUES (?, ?, ?, ?, ?, ?)",
                   p, NULL);
}
