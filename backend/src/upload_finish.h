/* Completing an upload: the type is checked from the bytes against the allow-list, the
 * SHA-256 computed, the bytes moved to their content address (kept once), and the file
 * recorded and linked to its sheet's indicator, inside the caller's transaction. */
#ifndef VSOK_UPLOAD_FINISH_H
#define VSOK_UPLOAD_FINISH_H

#include "http.h"

typedef enum {
    UPLOAD_OK = 0,
    UPLOAD_BAD_TYPE,  /* not a JPEG, PNG, HEIC/HEIF, WebP, MP4, QuickTime or WebM */
    UPLOAD_TOO_LARGE, /* a photo over the photo limit */
    UPLOAD_IO_ERROR,
    UPLOAD_DB_ERROR
} upload_result;

upload_result upload_finish(request *rq, const char *upload_id, const char *partial,
                            uint64_t *file_id);

/* Removes an upload's row and bytes (termination, refused files, expiry). */
void upload_discard(request *rq, const char *upload_id, const char *partial);

void upload_respond_error(request *rq, response *rs, upload_result r);

#endif
