/* The route handlers of experts/, listed in server/routes.c. */
#ifndef VSOK_EXPERTS_HANDLERS_H
#define VSOK_EXPERTS_HANDLERS_H

#include "http/http.h"

/* expert_reports.c */
int handle_expert_reports_list(request *rq, response *rs);
int handle_expert_report_create(request *rq, response *rs);
int handle_expert_report_get(request *rq, response *rs);
int handle_expert_report_update(request *rq, response *rs);
int handle_expert_report_send(request *rq, response *rs);
int handle_expert_report_comment(request *rq, response *rs);
int handle_expert_report_finalise(request *rq, response *rs);
int handle_unit_expert_reports(request *rq, response *rs);

/* expert_tasks.c */
int handle_me_expert_tasks(request *rq, response *rs);

#endif
