/* The route handlers of plans/, listed in server/routes.c. */
#ifndef VSOK_PLANS_HANDLERS_H
#define VSOK_PLANS_HANDLERS_H

#include "http/http.h"

/* plans.c */
int handle_plan_list(request *rq, response *rs);
int handle_plan_create(request *rq, response *rs);
int handle_plan_update(request *rq, response *rs);

/* plans_export.c */
int handle_plan_xlsx(request *rq, response *rs);
int handle_plan_csv(request *rq, response *rs);

#endif
