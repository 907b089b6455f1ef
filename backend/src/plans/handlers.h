/* The route handlers of plans/, listed in server/routes.c. */
#ifndef VSOK_PLANS_HANDLERS_H
#define VSOK_PLANS_HANDLERS_H

#include "http/http.h"

/* plans.c */
http_handler handle_plan_list, handle_plan_create, handle_plan_update;

/* plans_export.c */
http_handler handle_plan_xlsx, handle_plan_csv;

#endif
