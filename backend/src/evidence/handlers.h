/* The route handlers of evidence/, listed in server/routes.c. */
#ifndef VSOK_EVIDENCE_HANDLERS_H
#define VSOK_EVIDENCE_HANDLERS_H

#include "http/http.h"

/* evidence_consent.c */
int handle_unit_consents(request *rq, response *rs);
int handle_group_consent_put(request *rq, response *rs);
int handle_kindergarten_privacy_patch(request *rq, response *rs);

/* evidence_reads.c */
int handle_file_reads(request *rq, response *rs);

/* evidence_storage.c */
int handle_unit_storage(request *rq, response *rs);

/* files_api.c */
int handle_file_get(request *rq, response *rs);
int handle_submission_evidence(request *rq, response *rs);
int handle_submission_evidence_delete(request *rq, response *rs);
int handle_submission_evidence_caption(request *rq, response *rs);
int handle_file_thumb(request *rq, response *rs);

/* files_stream.c */
int handle_file_stream_sign(request *rq, response *rs);
int handle_file_stream(request *rq, response *rs);

/* tus.c */
int handle_tus_options(request *rq, response *rs);
int handle_tus_create(request *rq, response *rs);
int handle_tus_head(request *rq, response *rs);
int handle_tus_patch(request *rq, response *rs);
int handle_tus_delete(request *rq, response *rs);

#endif
