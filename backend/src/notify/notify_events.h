/* The events that notify people (docs/api-notifications.md), each worded once here. */
#ifndef VSOK_NOTIFY_EVENTS_H
#define VSOK_NOTIFY_EVENTS_H

#include "http/http.h"
#include "forms/submission_store.h"

/* A sheet was returned (with comments) or approved: its author is told. */
db_status notify_sheet_reviewed(request *rq, const submission_row *sub, const char *to,
                                const char *comment);

/* An expert was assigned to a kindergarten. */
db_status notify_assignment(request *rq, uint64_t expert_id, uint64_t kindergarten_id,
                            const char *kindergarten_name);

/* A step of an expert's report (docs/api-experts.md): "send" tells the kindergarten's
 * coordinators that a preliminary report awaits their comments, "comment" tells the expert,
 * "finalise" tells the kindergarten's coordinators that the final report is there. */
db_status notify_expert_report(request *rq, uint64_t report_id, uint64_t kindergarten_id,
                               uint64_t expert_id, const char *step);

#endif
