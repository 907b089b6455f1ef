/* The route handlers of experts/, listed in server/routes.c. */
#ifndef VSOK_EXPERTS_HANDLERS_H
#define VSOK_EXPERTS_HANDLERS_H

#include "http/http.h"

/* expert_reports.c */
http_handler handle_expert_reports_list, handle_expert_report_create, handle_expert_report_get,
    handle_expert_report_update, handle_expert_report_send, handle_expert_report_comment,
    handle_expert_report_finalise, handle_unit_expert_reports;

/* expert_tasks.c */
http_handler handle_me_expert_tasks;

#endif
