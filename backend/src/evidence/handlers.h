/* The route handlers of evidence/, listed in server/routes.c. */
#ifndef VSOK_EVIDENCE_HANDLERS_H
#define VSOK_EVIDENCE_HANDLERS_H

#include "http/http.h"

/* evidence_consent.c */
http_handler handle_unit_consents, handle_group_consent_put, handle_kindergarten_privacy_patch;

/* evidence_reads.c */
http_handler handle_file_reads;

/* evidence_storage.c */
http_handler handle_unit_storage;

/* files_api.c */
http_handler handle_file_get, handle_submission_evidence, handle_submission_evidence_delete,
    handle_submission_evidence_caption, handle_file_thumb;

/* files_stream.c */
http_handler handle_file_stream_sign, handle_file_stream;

/* tus.c */
http_handler handle_tus_options, handle_tus_create, handle_tus_head, handle_tus_patch,
    handle_tus_delete;

/* The body of GET /files/{id} for the caller in rq->me: the file, its clean copy or a
 * range of it. The signed stream address (files_stream.c) answers with it too. */
int files_respond(request *rq, response *rs);

#endif
