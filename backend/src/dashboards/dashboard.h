/* The dashboard views of docs/api-dashboards.md, each built as a JSON document by one
 * function so that the JSON handlers and the XLSX / CSV exports share them. Every view
 * reads the rollup tables (rollup.h) of a unit within the caller's scope. */
#ifndef VSOK_DASHBOARD_H
#define VSOK_DASHBOARD_H

#include "http/http.h"
#include "auth/scope.h"

#include <stdint.h>

typedef enum {
    DASH_SORT_NAME = 0,
    DASH_SORT_OVERALL,
    DASH_SORT_COMPLETION,
    DASH_SORT_SECTION /* sort_code names the area */
} dash_sort;

#define DASH_LIMIT_DEFAULT 100
#define DASH_LIMIT_MAX 2000

typedef struct dash_query {
    scope_unit unit;        /* the unit of the path, in the caller's scope */
    int above_scope;        /* children view only: the unit lies above the caller's scope
                               (a municipal coordinator asking for the region): only the
                               children within the scope are shown, and the totals are
                               theirs */
    uint64_t campaign_id;   /* ?campaign= (required) */
    uint64_t instrument_id; /* ?instrument=, or the campaign's quality scale (code QS); for
                               the parents view its parent questionnaire */
    int instrument_given;   /* 1 when ?instrument= was in the query */
    const char *source;     /* ?source=: self, group, expert, teacher (default per view) */
    int source_given;       /* 1 when ?source= was in the query */

    dash_sort sort;        /* ?sort= name | overall | completion | section:<code> */
    const char *sort_code; /* the area of DASH_SORT_SECTION */
    int sort_desc;         /* '-' prefix */

    const char *section; /* ?section=<code> with ?below=<value>: children scoring below */
    int has_below;
    double below;
    int overdue;   /* ?overdue=1: only the overdue children */
    int confirmed; /* ?confirmed=1: results of confirmed kindergartens only (docs/figures.md) */
    const char *q; /* ?q=: name contains (case-insensitive) */

    long limit, offset; /* ?limit= (default 100, max 2000), ?offset= */
} dash_query;

/* Reads the path unit and the query string into q, checking that the campaign exists and
 * is visible to the caller and that the instrument belongs to it. The view is told by the
 * route's pattern: one containing "/parents" (…/parents, …/parents.xlsx) defaults to the
 * campaign's parent questionnaire; one containing "/children" also accepts a unit above the
 * caller's scope (route it with SCOPE_NONE: the unit is read from the {id} parameter and
 * checked here); the others need SCOPE_UNIT (rq->scoped_id). On bad input answers the
 * problem itself (422 for malformed parameters, 404 for a unit outside the scope or an
 * unknown campaign or instrument, 503 when the database does not answer) and returns -1;
 * 0 on success. */
int dash_query_parse(request *rq, dash_query *q, response *rs);

/* The instrument a view shows by default (*out 0 when the campaign has none): the campaign's
 * quality scale (code QS), or with parents 1 its parent questionnaire. */
db_status dash_default_instrument(request *rq, uint64_t campaign, int parents, uint64_t *out);

/* The four views. *out is a new reference (the caller owns it) on DB_OK. */
db_status dashboard_children_json(request *rq, const dash_query *q, json_t **out);
db_status dashboard_breakdown_json(request *rq, const dash_query *q, json_t **out);
db_status dashboard_completion_json(request *rq, const dash_query *q, json_t **out);
db_status dashboard_parents_json(request *rq, const dash_query *q, json_t **out);

typedef enum {
    DASH_VIEW_CHILDREN = 0,
    DASH_VIEW_BREAKDOWN,
    DASH_VIEW_COMPLETION,
    DASH_VIEW_PARENTS
} dash_view;

typedef db_status (*dash_view_fn)(request *rq, const dash_query *q, json_t **out);

/* The dashboard_*_json function of a view (dashboard_handlers.c). */
dash_view_fn dash_view_builder(dash_view v);

/* The view a dashboard route serves: the last segment of its pattern, without an extension
 * ("…/{id}/children.xlsx": children, *ext "xlsx"; "…/{id}/children": *ext ""). ext may be
 * NULL. 0, or -1 for a route of no view. */
int dash_route_view(const request *rq, dash_view *v, const char **ext);

/* The sheets of the campaign aimed at the unit itself when it is a municipality or the
 * region (dashboard_own.c): a JSON array, empty for other units. *out is new on DB_OK. */
db_status dash_own_sheets_json(request *rq, const scope_unit *unit, uint64_t campaign_id,
                               json_t **out);

#endif
