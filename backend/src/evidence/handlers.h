/* The route handlers of evidence/, listed in server/routes.c. */
#ifndef VSOK_EVIDENCE_HANDLERS_H
#define VSOK_EVIDENCE_HANDLERS_H

#include "http/http.h"

/* evidence_consent.c */
void handle_unit_consents(request *rq, response *rs);
void handle_group_consent_put(request *rq, response *rs);
void handle_kindergarten_privacy_patch(request *rq, response *rs);

/* evidence_reads.c */
void handle_file_reads(request *rq, response *rs);

/* evidence_storage.c */
void handle_unit_storage(request *rq, response *rs);

/* files_api.c */
void handle_file_get(request *rq, response *rs);
void handle_submission_evidence(request *rq, response *rs);
void handle_submission_evidence_delete(request *rq, response *rs);
void handle_submission_evidence_caption(request *rq, response *rs);
void handle_file_thumb(request *rq, response *rs);

/* files_stream.c */
void handle_file_stream_sign(request *rq, response *rs);
void handle_file_stream(request *rq, response *rs);

/* tus.c */
void handle_tus_options(request *rq, response *rs);
void handle_tus_create(request *rq, response *rs);
void handle_tus_head(request *rq, response *rs);
void handle_tus_patch(request *rq, response *rs);
void handle_tus_delete(request *rq, response *rs);

#endif
