/* The route handlers of analysis/, listed in server/routes.c. */
#ifndef VSOK_ANALYSIS_HANDLERS_H
#define VSOK_ANALYSIS_HANDLERS_H

#include "http/http.h"

/* Analytic reports and yearly targets: report_api.c, report_flow.c, target_api.c */
int handle_report_create(request *rq, response *rs);
int handle_reports_list(request *rq, response *rs);
int handle_report_get(request *rq, response *rs);
int handle_report_update(request *rq, response *rs);
int handle_report_send(request *rq, response *rs);
int handle_report_publish(request *rq, response *rs);
int handle_report_return(request *rq, response *rs);
int handle_targets_get(request *rq, response *rs);
int handle_targets_put(request *rq, response *rs);
/* sign-off and statuses: signoff_api.c, status_api.c */
int handle_signoff_get(request *rq, response *rs);
int handle_signoff_confirm(request *rq, response *rs);
int handle_signoff_return(request *rq, response *rs);
int handle_signoff_resubmit(request *rq, response *rs);
int handle_campaign_signoffs(request *rq, response *rs);
int handle_signoff_levels_get(request *rq, response *rs);
int handle_signoff_levels_put(request *rq, response *rs);
int handle_status_bands_get(request *rq, response *rs);
int handle_status_bands_put(request *rq, response *rs);
int handle_unit_status_get(request *rq, response *rs);
int handle_unit_status_put(request *rq, response *rs);
/* Targeted recommendations and rater calibration: recommend_api.c, recommend_accept.c,
 * calibration_api.c */
int handle_recommendation_create(request *rq, response *rs);
int handle_recommendations_list(request *rq, response *rs);
int handle_recommendation_plan_task(request *rq, response *rs);
int handle_unit_calibration(request *rq, response *rs);

#endif
