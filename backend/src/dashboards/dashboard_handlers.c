/* The JSON dashboard routes: parse the query (scope, campaign, instrument, filters), build
 * the view, answer it. */
#include "dashboards/handlers.h"

#include "dashboards/dashboard.h"
#include "analysis/target_store.h"

typedef db_status (*view_fn)(request *rq, const dash_query *q, json_t **out);

static int serve(request *rq, response *rs, view_fn view)
{
    dash_query q;
    if (dash_query_parse(rq, &q, rs) != 0)
        return rs->status;
    json_t *doc = NULL;
    db_status s = view(rq, &q, &doc);
    if (s != DB_OK) {
        json_decref(doc);
        return reply_db_error(rq, rs, s);
    }
    return respond_json(rq, rs, 200, doc);
}

/* The children view with each child's yearly target (analysis/target_store.h). */
static db_status children_with_targets(request *rq, const dash_query *q, json_t **out)
{
    db_status s = dashboard_children_json(rq, q, out);
    return s == DB_OK ? target_annotate_children(rq, *out) : s;
}

int handle_dashboard_children(request *rq, response *rs)
{
    return serve(rq, rs, children_with_targets);
}

int handle_dashboard_breakdown(request *rq, response *rs)
{
    return serve(rq, rs, dashboard_breakdown_json);
}

int handle_dashboard_completion(request *rq, response *rs)
{
    return serve(rq, rs, dashboard_completion_json);
}

int handle_dashboard_parents(request *rq, response *rs)
{
    return serve(rq, rs, dashboard_parents_json);
}
