/* The route handlers of survey/, listed in server/routes.c. */
#ifndef VSOK_SURVEY_HANDLERS_H
#define VSOK_SURVEY_HANDLERS_H

#include "http/http.h"

/* survey_links_api.c */
http_handler handle_survey_links_list, handle_survey_links_create, handle_survey_link_update,
    handle_survey_link_qr;

/* survey_public.c */
http_handler handle_public_survey_get, handle_public_survey_answer;

#endif
