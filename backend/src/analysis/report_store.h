/* Analytic reports as stored (analytic_reports, migration 025): who may do what with a
 * report, reading one with its figures, and its JSON. The workflow is in report_flow.c. */
#ifndef VSOK_REPORT_STORE_H
#define VSOK_REPORT_STORE_H

#include "auth/scope.h"
#include "http/http.h"

typedef struct {
    uint64_t id, campaign_id, instrument_id;
    scope_unit unit;
    const char *status; /* draft, sent, published, returned */
    long version;
    const char *snapshot; /* the figures as published, or NULL */
    db_result row;        /* the whole row, for report_json */
} report_row;

/* The unit's own coordinator (or an administrator): writes, sends, and for the region
 * publishes, the report. */
int report_is_author(const request *rq, const scope_unit *u);
/* A coordinator of a level above the unit (or an administrator): publishes and returns. */
int report_is_above(const request *rq, const scope_unit *u);

/* Loads report id when the caller may see it: its unit within the caller's scope, and — for
 * anyone but the author — no longer a draft. lock: FOR UPDATE. found 0 otherwise. */
db_status report_load(request *rq, uint64_t id, int lock, report_row *out, int *found);

/* Starts a transaction and loads report id, locked, for a step or an edit (report_load). */
db_status report_begin(request *rq, uint64_t id, report_row *out, int *found);

/* The report's JSON, with its figures (data: the snapshot when published, else compiled now
 * through the dashboards' views) and what the caller may do with it (can). with_data 0: the
 * list's short form without figures. */
db_status report_json(request *rq, const report_row *r, int with_data, json_t **out);

#endif
