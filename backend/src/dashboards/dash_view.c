/* The campaign and instrument a view's query names (dashboard_data.h). */
#include "dashboards/dashboard_data.h"

db_status dash_view_load(request *rq, const dash_query *q, dash_campaign *c, stored_instrument *si)
{
    int found = 0;
    db_status s = dash_campaign_load(rq, q->campaign_id, c, &found);
    if (s == DB_OK && !found)
        s = DB_ERROR; /* checked by dash_query_parse */
    if (s == DB_OK && si)
        s = dash_instrument_load(rq, q->instrument_id, si);
    return s;
}
