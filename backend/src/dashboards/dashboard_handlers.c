/* The JSON dashboard routes: parse the query (scope, campaign, instrument, filters), build
 * the view, answer it. The view of a route and its builder, which the exports
 * (dashboard_export.c) use too. */
#include "dashboards/handlers.h"

#include "dashboards/dashboard.h"
#include "dashboards/dashboard_table.h"
#include "analysis/target_store.h"

#include <string.h>

dash_view_fn dash_view_builder(dash_view v)
{
    static const dash_view_fn builders[] = {
        [DASH_VIEW_CHILDREN] = dashboard_children_json,
        [DASH_VIEW_BREAKDOWN] = dashboard_breakdown_json,
        [DASH_VIEW_COMPLETION] = dashboard_completion_json,
        [DASH_VIEW_PARENTS] = dashboard_parents_json,
    };
    return builders[v];
}

int dash_route_view(const request *rq, dash_view *v, const char **ext)
{
    const char *seg = rq->route ? strrchr(rq->route->pattern, '/') : NULL;
    if (!seg)
        return -1;
    seg++;
    const char *dot = strchr(seg, '.');
    size_t len = dot ? (size_t)(dot - seg) : strlen(seg);
    if (ext)
        *ext = dot ? dot + 1 : "";
    for (dash_view i = DASH_VIEW_CHILDREN; i <= DASH_VIEW_PARENTS; i++)
        if (strlen(dash_view_name(i)) == len && strncmp(seg, dash_view_name(i), len) == 0) {
            *v = i;
            return 0;
        }
    return -1;
}

/* The view of the route; the children view with each child's yearly target
 * (analysis/target_store.h). */
int handle_dashboard_view(request *rq, response *rs)
{
    dash_view v;
    dash_query q;
    if (dash_route_view(rq, &v, NULL) != 0)
        return reply_problem(rq, rs, PK_NOT_FOUND, "Нет такого вида панели.");
    if (dash_query_parse(rq, &q, rs) != 0)
        return rs->status;
    json_t *doc = NULL;
    db_status s = dash_view_builder(v)(rq, &q, &doc);
    if (s == DB_OK && v == DASH_VIEW_CHILDREN)
        s = target_annotate_children(rq, doc);
    if (s != DB_OK) {
        json_decref(doc);
        return reply_db_error(rq, rs, s);
    }
    return respond_json(rq, rs, 200, doc);
}
