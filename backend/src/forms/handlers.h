/* The route handlers of forms/, listed in server/routes.c. */
#ifndef VSOK_FORMS_HANDLERS_H
#define VSOK_FORMS_HANDLERS_H

#include "http/http.h"

/* instruments_api.c */
int handle_instruments_list(request *rq, response *rs);
int handle_instrument_get(request *rq, response *rs);
int handle_instrument_upload(request *rq, response *rs);
int handle_instrument_publish(request *rq, response *rs);

/* submission_review.c */
int handle_submission_submit(request *rq, response *rs);
int handle_submission_return(request *rq, response *rs);
int handle_submission_approve(request *rq, response *rs);

/* submission_save.c */
int handle_submission_save(request *rq, response *rs);

/* submissions.c */
int handle_submissions_list(request *rq, response *rs);
int handle_submission_create(request *rq, response *rs);
int handle_submission_get(request *rq, response *rs);

#endif
