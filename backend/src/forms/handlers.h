/* The route handlers of forms/, listed in server/routes.c. */
#ifndef VSOK_FORMS_HANDLERS_H
#define VSOK_FORMS_HANDLERS_H

#include "http/http.h"

/* instruments_api.c */
void handle_instruments_list(request *rq, response *rs);
void handle_instrument_get(request *rq, response *rs);
void handle_instrument_upload(request *rq, response *rs);
void handle_instrument_publish(request *rq, response *rs);
/* The document GET /instruments/{id} answers (*out NULL when the user may not see it). */
db_status instrument_document(request *rq, uint64_t id, json_t **out);

/* submission_review.c */
void handle_submission_submit(request *rq, response *rs);
void handle_submission_return(request *rq, response *rs);
void handle_submission_approve(request *rq, response *rs);

/* submission_save.c */
void handle_submission_save(request *rq, response *rs);

/* submissions.c */
void handle_submissions_list(request *rq, response *rs);
void handle_submission_create(request *rq, response *rs);
void handle_submission_get(request *rq, response *rs);

#endif
