/* Experts' reports as the access rules see them (docs/api-experts.md): one report per
 * campaign, kindergarten and expert, draft → preliminary → final. The expert reads and
 * writes their own; the kindergarten's people and everyone whose scope holds the
 * kindergarten read it once it is sent (a draft is the expert's alone). Every read goes
 * through expert_report_find, which filters by scope in SQL. */
#ifndef VSOK_EXPERT_REPORT_STORE_H
#define VSOK_EXPERT_REPORT_STORE_H

#include "http/http.h"

#define REPORT_SUMMARY_MAX 20000
#define REPORT_AREA_MAX 8000
#define REPORT_COMMENT_MAX 8000

/* The columns of a report, X(index, SQL) (aliases r: expert_reports, k: its kindergarten,
 * c: campaign, e: the expert): REPORT_COLUMNS selects them in this order, the JSON and the
 * stored row read them by index. */
#define REPORT_COLUMN_LIST(X)                                                                      \
    X(RC_ID, "r.id")                                                                               \
    X(RC_CAMPAIGN_ID, "r.campaign_id")                                                             \
    X(RC_CAMPAIGN_TITLE, "c.title")                                                                \
    X(RC_CAMPAIGN_YEAR, "c.year")                                                                  \
    X(RC_KINDERGARTEN_ID, "r.kindergarten_id")                                                     \
    X(RC_KINDERGARTEN_NAME, "k.name")                                                              \
    X(RC_EXPERT_ID, "r.expert_id")                                                                 \
    X(RC_EXPERT_NAME, "e.full_name")                                                               \
    X(RC_STATUS, "r.status")                                                                       \
    X(RC_SUMMARY, "r.summary")                                                                     \
    X(RC_AREAS, "r.areas")                                                                         \
    X(RC_VERSION, "r.version")                                                                     \
    X(RC_CREATED_AT, "DATE_FORMAT(r.created_at, '%Y-%m-%dT%H:%i:%sZ')")                            \
    X(RC_UPDATED_AT, "DATE_FORMAT(r.updated_at, '%Y-%m-%dT%H:%i:%sZ')")                            \
    X(RC_SENT_AT, "DATE_FORMAT(r.sent_at, '%Y-%m-%dT%H:%i:%sZ')")                                  \
    X(RC_FINALISED_AT, "DATE_FORMAT(r.finalised_at, '%Y-%m-%dT%H:%i:%sZ')")

typedef enum {
#define REPORT_COLUMN_INDEX(index, sql) index,
    REPORT_COLUMN_LIST(REPORT_COLUMN_INDEX)
#undef REPORT_COLUMN_INDEX
        RC_COMMENTS, /* last: the number of comments */
    RC_COUNT
} report_column;

#define REPORT_COLUMN_SQL(index, sql) sql ", "
#define REPORT_COLUMNS                                                                             \
    REPORT_COLUMN_LIST(REPORT_COLUMN_SQL)                                                          \
    "(SELECT COUNT(*) FROM expert_report_comments rc WHERE rc.report_id = r.id)"
#define REPORT_FROM                                                                                \
    " FROM expert_reports r JOIN org_units k ON k.id = r.kindergarten_id "                         \
    "JOIN campaigns c ON c.id = r.campaign_id JOIN users e ON e.id = r.expert_id "
/* The caller may read the report: the kindergarten in scope, and their own report or a sent
 * one when they are not an expert. Three parameters: user id, user id, role name. */
#define REPORT_VISIBLE                                                                             \
    SCOPE_SQL("k") " AND (r.expert_id = ? OR (? <> 'expert' AND r.status <> 'draft'))"

/* A stored report as the rules need it. */
typedef struct {
    uint64_t id, campaign_id, kindergarten_id, expert_id;
    const char *status; /* draft, preliminary, final */
    const char *summary;
    const char *areas; /* JSON object text */
    long version;
} report_row;

/* Loads report id if the caller may read it (lock: inside a transaction, FOR UPDATE).
 * found = 0 otherwise (the caller answers 404). */
db_status expert_report_find(request *rq, uint64_t id, int lock, report_row *out, int *found);

/* The visible reports of the kindergartens under path ("/" for the whole scope), newest
 * first, rows of REPORT_COLUMNS; kindergarten, campaign 0 and status "" mean any. */
db_status expert_report_list(request *rq, const char *path, uint64_t kindergarten,
                             long long campaign, const char *status, db_result *r);

/* Whether campaign id is run by a unit above the kindergarten at path (or by it). */
db_status expert_report_campaign_fits(request *rq, uint64_t id, const char *path, int *fits);

/* Inserts the caller's report of a campaign and kindergarten (DB_DUPLICATE when they
 * started it already); expert_report_started finds the one they started. */
db_status expert_report_insert(request *rq, uint64_t campaign, uint64_t kindergarten, uint64_t *id);
db_status expert_report_started(request *rq, uint64_t campaign, uint64_t kindergarten,
                                uint64_t *id);

/* The report document of a row of REPORT_COLUMNS (list form: no comments, no rights). */
json_t *expert_report_json(const db_result *r, size_t row);

/* The full document of report id if the caller may see it (found = 0 otherwise): its
 * comments and what the caller may do. */
db_status expert_report_doc(request *rq, uint64_t id, json_t **doc, int *found);

#endif
