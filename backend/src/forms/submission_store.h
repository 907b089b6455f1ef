/* Submissions (filled sheets) as the access rules see them: who may read one, who may edit
 * it, who may review it. Every read goes through submission_find, which filters by scope in
 * SQL (docs/api-forms.md, "Access"). */
#ifndef VSOK_SUBMISSION_STORE_H
#define VSOK_SUBMISSION_STORE_H

#include "http/form_errors.h"
#include "http/http.h"
#include "forms/review_rules.h"
#include "campaigns/stage_window.h"

typedef struct {
    uint64_t id, campaign_id, instrument_id, target_unit_id, target_user_id, kindergarten_id;
    uint64_t created_by;
    const char *status;
    const char *respondent_role;
    long version;
    const char *answers; /* JSON object text */
    stage_window window; /* the governing stage or campaign window (stage_window.h) */
    int campaign_open;   /* window.open: writes are accepted today */
    int caller_inside;   /* the caller's org unit or workplace lies in the kindergarten */
} submission_row;

/* Loads submission id if the caller may read it (for_update: inside a transaction, locks
 * the row). found = 0 otherwise: the caller answers 404. */
db_status submission_find(request *rq, uint64_t id, int for_update, submission_row *out,
                          int *found);

/* The caller filled it and it is a draft or returned. */
int submission_can_edit(const request *rq, const submission_row *s);

/* Whether the caller's review right over the sheet holds, whatever its status: the one rule
 * of review_rules.h (author's role, own work, independence; the scope was checked by
 * submission_find). */
review_verdict submission_review_verdict(const request *rq, const submission_row *s);

/* The caller may return or approve it now: the verdict allows it and it is submitted. */
int submission_can_review(const request *rq, const submission_row *s);

/* Appends a status change to the history. comments: indicator code -> text (stolen). */
db_status submission_event(request *rq, uint64_t id, const char *from, const char *to,
                           const char *comment, json_t *comments);

/* A 422 problem with one error per bad answer. */
json_t *submission_errors_problem(const form_errors *errs, const char *detail);

#endif
