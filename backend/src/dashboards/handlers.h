/* The route handlers of dashboards/, listed in server/routes.c. */
#ifndef VSOK_DASHBOARDS_HANDLERS_H
#define VSOK_DASHBOARDS_HANDLERS_H

#include "http/http.h"

/* dashboard_export.c */
http_handler handle_dashboard_children_xlsx, handle_dashboard_children_csv,
    handle_dashboard_breakdown_xlsx, handle_dashboard_breakdown_csv,
    handle_dashboard_completion_xlsx, handle_dashboard_completion_csv,
    handle_dashboard_parents_xlsx, handle_dashboard_parents_csv;

/* dashboard_handlers.c */
http_handler handle_dashboard_children, handle_dashboard_breakdown, handle_dashboard_completion,
    handle_dashboard_parents;

/* profile.c */
http_handler handle_unit_profile;

/* rollup_admin.c */
http_handler handle_rollups_rebuild, handle_rollups_rebuild_status;

#endif
