/* The route handlers of forms/, listed in server/routes.c. */
#ifndef VSOK_FORMS_HANDLERS_H
#define VSOK_FORMS_HANDLERS_H

#include "http/http.h"

/* instruments_api.c */
http_handler handle_instruments_list, handle_instrument_get, handle_instrument_upload,
    handle_instrument_publish;
/* The document GET /instruments/{id} answers (*out NULL when the user may not see it). */
db_status instrument_document(request *rq, uint64_t id, json_t **out);

/* submission_review.c */
http_handler handle_submission_submit, handle_submission_return, handle_submission_approve;

/* submission_save.c */
http_handler handle_submission_save;

/* submissions.c */
http_handler handle_submissions_list, handle_submission_create, handle_submission_get;

#endif
