/* The route handlers of dashboards/, listed in server/routes.c. */
#ifndef VSOK_DASHBOARDS_HANDLERS_H
#define VSOK_DASHBOARDS_HANDLERS_H

#include "http/http.h"

/* dashboard_export.c */
void handle_dashboard_children_xlsx(request *rq, response *rs);
void handle_dashboard_children_csv(request *rq, response *rs);
void handle_dashboard_breakdown_xlsx(request *rq, response *rs);
void handle_dashboard_breakdown_csv(request *rq, response *rs);
void handle_dashboard_completion_xlsx(request *rq, response *rs);
void handle_dashboard_completion_csv(request *rq, response *rs);
void handle_dashboard_parents_xlsx(request *rq, response *rs);
void handle_dashboard_parents_csv(request *rq, response *rs);

/* dashboard_handlers.c */
void handle_dashboard_children(request *rq, response *rs);
void handle_dashboard_breakdown(request *rq, response *rs);
void handle_dashboard_completion(request *rq, response *rs);
void handle_dashboard_parents(request *rq, response *rs);

/* profile.c */
void handle_unit_profile(request *rq, response *rs);

/* rollup_admin.c */
void handle_rollups_rebuild(request *rq, response *rs);
void handle_rollups_rebuild_status(request *rq, response *rs);

#endif
