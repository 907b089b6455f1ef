/* The answers the analytic report routes share: a refusal that ends the transaction, and
 * the report's document. What they read comes from analysis/report_store.h. */
#ifndef VSOK_REPORT_REPLY_H
#define VSOK_REPORT_REPLY_H

#include "http/http.h"
#include "analysis/report_store.h"

/* Ends a step or an edit that cannot go on: rolls back and answers the database error s,
 * or (s DB_OK) the refusal why with its status code: 404, 403, or 409 (report-state). */
int report_refuse(request *rq, response *rs, db_status s, int code, const char *why);

/* Answers report id's JSON (status: 200 or 201), or 404. */
int report_respond(request *rq, response *rs, int status, uint64_t id);

#endif
