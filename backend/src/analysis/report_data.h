/* The figures of an analytic report (docs/analysis.md, "What a report holds"), compiled from
 * the dashboards' own views (dashboard.h) — the same functions the dashboards answer with —
 * so that every number in the report is the dashboards' number for the same unit, campaign,
 * instrument and source. Nothing here computes a mean. */
#ifndef VSOK_REPORT_DATA_H
#define VSOK_REPORT_DATA_H

#include "dashboards/dashboard.h"

/* A dashboard query for the unit, campaign and instrument (source: NULL for the view's
 * default), as dash_query_parse would make it from ?campaign=&instrument=&source=. */
void report_dash_query(dash_query *q, const scope_unit *u, uint64_t campaign, uint64_t instrument,
                       const char *source);

/* The report's data document: unit, campaign, instrument, completion, results by area and
 * indicator with the parent's and last year's, strongest and weakest areas and indicators,
 * the experts' figures and the self-vs-expert gaps, parent satisfaction, the children with
 * their targets, and the unit's targets against the actual figures. */
db_status report_data_json(request *rq, const scope_unit *u, uint64_t campaign, uint64_t instrument,
                           json_t **out);

/* The unit's targets for the campaign's year beside the figures of the breakdown view
 * (q: the unit, campaign, instrument and source): {"year", "items": [{"kind", "code",
 * "title", "target", "actual": {"n","mean"}, "reached"}]}, the overall figure and every area
 * always, an indicator when it has a target. */
db_status report_targets_json(request *rq, const json_t *breakdown, json_t **out);

#endif
