/* Who read which evidence: one row per file, user and day with a counter (evidence_reads,
 * migration 019), written whenever a file, its preview or its video stream is served —
 * to the uploader too. The kindergarten's coordinator reads it per file
 * (GET /files/{id}/reads, docs/api-evidence.md). */
#ifndef VSOK_EVIDENCE_READS_H
#define VSOK_EVIDENCE_READS_H

#include "http/http.h"

/* Counts one read of file_id by the caller today. A failure is returned so that the caller
 * serves nothing it could not record. */
db_status evidence_read_log(request *rq, uint64_t file_id);

#endif
