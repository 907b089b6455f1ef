/* The route handlers of analysis/, listed in server/routes.c. */
#ifndef VSOK_ANALYSIS_HANDLERS_H
#define VSOK_ANALYSIS_HANDLERS_H

#include "http/http.h"

/* Targeted recommendations and rater calibration: recommend_api.c, recommend_accept.c,
 * calibration_api.c */
void handle_recommendation_create(request *rq, response *rs);
void handle_recommendations_list(request *rq, response *rs);
void handle_recommendation_plan_task(request *rq, response *rs);
void handle_unit_calibration(request *rq, response *rs);

#endif
