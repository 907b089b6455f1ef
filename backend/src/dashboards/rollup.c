/* Incremental rollups (rollup.h): every change adds or subtracts one sheet, one response or
 * one subtree for a list of ancestors given as a JSON array, expanded by JSON_TABLE, so that
 * one statement updates every ancestor's row. */
#include "dashboards/rollup.h"

#include "forms/answers.h"
#include "forms/instrument_store.h"
#include "dashboards/rollup_results.h"
#include "dashboards/rollup_rules.h"

#include <stdlib.h>
#include <string.h>

/* The ancestors of a JSON array of ids, as a derived table `a` with column id. */
#define ANCESTORS "JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT UNSIGNED PATH '$')) a"

typedef struct {
    uint64_t campaign_id, instrument_id, target_user_id, target_unit_id;
    const char *respondent_role, *level, *path;
} sheet_info;

static const db_field SHEET_INFO[] = {
    DB_FIELD(0, ID, sheet_info, campaign_id),    DB_FIELD(1, ID, sheet_info, instrument_id),
    DB_FIELD(2, ID, sheet_info, target_user_id), DB_FIELD(3, TEXT, sheet_info, respondent_role),
    DB_FIELD(4, TEXT, sheet_info, level),        DB_FIELD(5, TEXT, sheet_info, path),
    DB_FIELD(6, ID, sheet_info, target_unit_id),
};

static db_status load_sheet(db_conn *db, arena *a, uint64_t id, sheet_info *out, int *found)
{
    db_val p[] = {DB_INT(id)};
    return DB_ROW_LOAD(db, a,
                       "SELECT s.campaign_id, s.instrument_id, s.target_user_id, "
                       "s.respondent_role, o.level, o.path, s.target_unit_id FROM submissions "
                       "s JOIN org_units o ON o.id = s.target_unit_id WHERE s.id = ?",
                       p, SHEET_INFO, out, found);
}

static db_status apply_completion(db_conn *db, arena *a, const sheet_info *si, const char *source,
                                  const char *ids, int d_submitted, int d_approved)
{
    /* in the order of the statement: the deltas come before the ancestors */
    db_val p[] = {DB_INT(si->campaign_id), DB_INT(si->instrument_id), DB_STR(source),
                  DB_INT(d_submitted),     DB_INT(d_approved),        DB_STR(ids)};
    db_status s = DB_EXEC(
        db, a,
        "INSERT INTO rollup_completion (campaign_id, instrument_id, source, unit_id, submitted, "
        "approved) SELECT ?, ?, ?, a.id, CAST(? AS SIGNED), CAST(? AS SIGNED) FROM " ANCESTORS
        " WHERE a.id IS NOT NULL ON DUPLICATE KEY UPDATE rollup_completion.submitted = "
        "rollup_completion.submitted + "
        "VALUES(submitted), "
        "rollup_completion.approved = rollup_completion.approved + VALUES(approved)",
        p, NULL);
    if (s != DB_OK || (d_submitted >= 0 && d_approved >= 0))
        return s;
    /* the ancestors' rows by their whole primary key: `unit_id IN (SELECT …)` scanned, and
     * locked, the rows of every unit for the campaign, instrument and source — the rows a
     * rebuild's chunk and every other change hold */
    return db_exec(db, a,
                   "DELETE r FROM " ANCESTORS " JOIN rollup_completion r ON r.campaign_id = ? AND "
                   "r.instrument_id = ? AND r.source = ? AND r.unit_id = a.id WHERE r.submitted "
                   "= 0 AND r.approved = 0",
                   (db_val[]){p[5], p[0], p[1], p[2]}, 4, NULL);
}

db_status rollup_status_change(request *rq, uint64_t submission_id, const char *from,
                               const char *to)
{
    sheet_info si;
    int found = 0;
    db_status s = load_sheet(rq->db, rq->a, submission_id, &si, &found);
    if (s != DB_OK || !found)
        return s == DB_OK ? DB_ERROR : s;
    if (strcmp(si.level, "municipality") == 0 || strcmp(si.level, "region") == 0)
        return DB_OK; /* a unit's own sheet (dashboard_own.c) is not rolled up */
    const char *source = rollup_source(si.respondent_role, si.target_user_id, si.level);
    int d_res = rollup_counts_results(to, si.respondent_role) -
                rollup_counts_results(from, si.respondent_role);
    int d_sub = rollup_counts_submitted(to) - rollup_counts_submitted(from);
    int d_app = rollup_counts_approved(to) - rollup_counts_approved(from);
    if (d_res == 0 && d_sub == 0 && d_app == 0)
        return DB_OK;
    /* the kindergarten's lock first: a rebuild of it waits, or this waits for the rebuild */
    rollup_path p;
    s = rollup_anchor(rq->db, rq->a, si.target_unit_id, &p);
    const char *ids = s == DB_OK ? rollup_path_json(rq->a, &p, 0, p.n) : NULL;
    if (s == DB_OK && !ids)
        s = DB_ERROR;
    if (s == DB_OK && d_res != 0)
        s = rollup_results_sheet(rq->db, rq->a, rq->instruments, submission_id, &p, d_res);
    if (s == DB_OK && (d_sub != 0 || d_app != 0))
        s = apply_completion(rq->db, rq->a, &si, source, ids, d_sub, d_app);
    return s;
}

/* Adds (sign 1) or subtracts (-1) the completion and parent rows of unit_id (sums of
 * sheets and responses, whatever the level) to the ancestors in ids. */
static db_status move_rows(db_conn *db, arena *a, uint64_t unit_id, const char *ids, int sign)
{
    /* each with the parameters p: the ancestors, the sign, the unit */
    static const char *const moves[] = {
        "INSERT INTO rollup_completion (campaign_id, instrument_id, source, unit_id, submitted, "
        "approved) SELECT r.campaign_id, r.instrument_id, r.source, a.id, x.sg * r.submitted, "
        "x.sg * r.approved FROM " ANCESTORS " , (SELECT CAST(? AS SIGNED) AS sg) x, "
        "rollup_completion r WHERE r.unit_id = ? ON DUPLICATE KEY UPDATE "
        "rollup_completion.submitted = rollup_completion.submitted + VALUES(submitted), "
        "rollup_completion.approved = rollup_completion.approved + VALUES(approved)",
        "INSERT INTO rollup_parent_responses (campaign_id, instrument_id, unit_id, responses) "
        "SELECT r.campaign_id, r.instrument_id, a.id, x.sg * r.responses FROM " ANCESTORS
        " , (SELECT CAST(? AS SIGNED) AS sg) x, rollup_parent_responses r WHERE r.unit_id = ? "
        "ON DUPLICATE KEY UPDATE rollup_parent_responses.responses = "
        "rollup_parent_responses.responses + VALUES(responses)",
        "INSERT INTO rollup_parent_statements (campaign_id, instrument_id, unit_id, code, "
        "answered, positive) SELECT r.campaign_id, r.instrument_id, a.id, r.code, x.sg * "
        "r.answered, x.sg * r.positive FROM " ANCESTORS " , (SELECT CAST(? AS SIGNED) AS sg) x, "
        "rollup_parent_statements r WHERE r.unit_id = ? ON DUPLICATE KEY UPDATE "
        "rollup_parent_statements.answered = rollup_parent_statements.answered + "
        "VALUES(answered), rollup_parent_statements.positive = "
        "rollup_parent_statements.positive + VALUES(positive)"};
    db_val p[] = {DB_STR(ids), DB_INT(sign), DB_INT(unit_id)};
    db_status s = DB_OK;
    for (size_t i = 0; s == DB_OK && i < sizeof moves / sizeof moves[0]; i++)
        s = DB_EXEC(db, a, moves[i], p, NULL);
    if (s != DB_OK || sign > 0)
        return s;
    static const char *const cleanup[] = {
        "DELETE r FROM " ANCESTORS " JOIN rollup_completion r ON r.unit_id = a.id WHERE "
        "r.submitted = 0 AND r.approved = 0",
        "DELETE r FROM " ANCESTORS " JOIN rollup_parent_responses r ON r.unit_id = a.id WHERE "
        "r.responses = 0",
        "DELETE r FROM " ANCESTORS " JOIN rollup_parent_statements r ON r.unit_id = a.id WHERE "
        "r.answered = 0"};
    for (size_t i = 0; s == DB_OK && i < sizeof cleanup / sizeof cleanup[0]; i++)
        s = db_exec(db, a, cleanup[i], p, 1, NULL);
    return s;
}

db_status rollup_move_unit(request *rq, uint64_t unit_id, const char *old_path,
                           const char *new_path)
{
    char *gone = rollup_path_diff(rq->a, old_path, new_path);
    char *gained = rollup_path_diff(rq->a, new_path, old_path);
    if (!gone || !gained)
        return DB_ERROR;
    db_status s = rollup_results_move(rq->db, rq->a, unit_id, old_path, new_path);
    if (s == DB_OK && strcmp(gone, "[]") != 0)
        s = move_rows(rq->db, rq->a, unit_id, gone, -1);
    if (s == DB_OK && strcmp(gained, "[]") != 0)
        s = move_rows(rq->db, rq->a, unit_id, gained, 1);
    return s;
}

db_status rollup_response_statements(db_conn *db, arena *a, instrument_cache *cache,
                                     uint64_t instrument_id, const char *answers_text,
                                     parent_statement **out, long *n)
{
    stored_instrument si;
    int found = 0;
    db_status s = instrument_store_get(cache, db, a, instrument_id, &si, &found);
    if (s != DB_OK || !found)
        return s == DB_OK ? DB_ERROR : s;
    json_t *answers = arena_json(a, json_loads(answers_text ? answers_text : "{}", 0, NULL));
    form_errors errs;
    form_errors_init(&errs, a, 1);
    answer_set set;
    /* a bad value counts as not answered, like a blank */
    if (answers_check(a, si.ins, answers, ANSWERS_DRAFT, &set, &errs) < 0)
        return DB_ERROR;
    *n = rollup_parent_statements(a, si.ins, &set, out);
    return *n < 0 ? DB_ERROR : DB_OK;
}

/* A parents' survey response as its rollup reads it: anchor_id is its group, or its
 * kindergarten when the link names no group. */
typedef struct {
    uint64_t campaign_id, instrument_id, anchor_id;
    const char *answers;
} parent_response;

static const db_field PARENT_RESPONSE[] = {
    DB_FIELD(0, ID, parent_response, campaign_id),
    DB_FIELD(1, ID, parent_response, instrument_id),
    DB_FIELD(2, TEXT, parent_response, answers),
    DB_FIELD(3, ID, parent_response, anchor_id),
};

db_status rollup_parent_response(db_conn *db, arena *a, instrument_cache *cache, uint64_t id)
{
    parent_response r;
    int found = 0;
    db_val p[] = {DB_INT(id)};
    db_status s = DB_ROW_LOAD(db, a,
                              "SELECT r.campaign_id, r.instrument_id, r.answers, "
                              "COALESCE(r.group_id, r.kindergarten_id) FROM survey_responses r "
                              "WHERE r.id = ?",
                              p, PARENT_RESPONSE, &r, &found);
    if (s != DB_OK || !found)
        return s == DB_OK ? DB_ERROR : s;
    rollup_path path;
    s = rollup_anchor(db, a, r.anchor_id, &path);
    const char *ids = s == DB_OK ? rollup_path_json(a, &path, 0, path.n) : NULL;
    if (!ids)
        return s == DB_OK ? DB_ERROR : s;
    parent_statement *st;
    long n = 0;
    s = rollup_response_statements(db, a, cache, r.instrument_id, r.answers, &st, &n);
    if (s != DB_OK)
        return s;
    const char *stj = n < 0 ? NULL : rollup_parent_statements_json(a, st, (size_t)n);
    if (!stj)
        return DB_ERROR;
    db_val q[] = {DB_INT(r.campaign_id), DB_INT(r.instrument_id), DB_STR(ids), DB_STR(stj)};
    s = db_exec(
        db, a,
        "INSERT INTO rollup_parent_responses (campaign_id, instrument_id, unit_id, "
        "responses) SELECT ?, ?, a.id, 1 FROM " ANCESTORS
        " WHERE a.id IS NOT NULL ON DUPLICATE KEY UPDATE rollup_parent_responses.responses = "
        "rollup_parent_responses.responses + 1",
        q, 3, NULL);
    if (s == DB_OK && strcmp(stj, "[]") != 0)
        s = DB_EXEC(db, a,
                    "INSERT INTO rollup_parent_statements (campaign_id, instrument_id, unit_id, "
                    "code, answered, positive) SELECT ?, ?, a.id, st.code, st.answered, "
                    "st.positive FROM " ANCESTORS
                    ", JSON_TABLE(?, '$[*]' COLUMNS (code VARCHAR(64) PATH '$.code', answered "
                    "INT PATH '$.answered', positive INT PATH '$.positive')) st WHERE st.code IS "
                    "NOT NULL ON DUPLICATE KEY UPDATE rollup_parent_statements.answered = "
                    "rollup_parent_statements.answered + VALUES(answered), "
                    "rollup_parent_statements.positive = rollup_parent_statements.positive + "
                    "VALUES(positive)",
                    q, NULL);
    return s;
}
