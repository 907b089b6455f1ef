/* The answers the sheet routes share: a sheet loaded for a change or refused, the 409 of a
 * sheet that cannot change now, and the one document of a sheet. They take the response;
 * what they read comes from forms/submission_store.h. */
#ifndef VSOK_SUBMISSION_REPLY_H
#define VSOK_SUBMISSION_REPLY_H

#include "forms/submission_store.h"
#include "http/http.h"

/* Starts a transaction and loads the sheet of the path parameter, locked. On failure rolls
 * back, answers (404, 503) and returns -1. */
int submission_begin_locked(request *rq, response *rs, submission_row *sub);

/* Answers 409: the window is closed (stage_window_refuse) or the sheet is not editable in
 * its status. */
int submission_conflict(request *rq, response *rs, const submission_row *sub);

/* Answers with the document of sheet id (its answers, scores, history and window) and the
 * given status; 404 when the caller may not read it. The one view of a sheet: reading it,
 * starting it and each step of its review answer with it. */
int submission_respond(request *rq, response *rs, uint64_t id, int status);

#endif
