/* The route handlers of survey/, listed in server/routes.c. */
#ifndef VSOK_SURVEY_HANDLERS_H
#define VSOK_SURVEY_HANDLERS_H

#include "http/http.h"

/* survey_links_api.c */
int handle_survey_links_list(request *rq, response *rs);
int handle_survey_links_create(request *rq, response *rs);
int handle_survey_link_update(request *rq, response *rs);
int handle_survey_link_qr(request *rq, response *rs);

/* survey_public.c */
int handle_public_survey_get(request *rq, response *rs);
int handle_public_survey_answer(request *rq, response *rs);

#endif
