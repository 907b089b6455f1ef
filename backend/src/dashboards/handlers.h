/* The route handlers of dashboards/, listed in server/routes.c. */
#ifndef VSOK_DASHBOARDS_HANDLERS_H
#define VSOK_DASHBOARDS_HANDLERS_H

#include "http/http.h"

/* The view of each route is the last segment of its pattern (dash_route_view): the JSON
 * (dashboard_handlers.c) and the .xlsx and .csv exports (dashboard_export.c). */
http_handler handle_dashboard_view, handle_dashboard_export;

/* profile.c */
http_handler handle_unit_profile;

/* rollup_admin.c */
http_handler handle_rollups_rebuild, handle_rollups_rebuild_status;

#endif
