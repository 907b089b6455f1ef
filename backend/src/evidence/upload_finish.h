/* Completing an upload: the type is checked from the bytes against the allow-list, the
 * SHA-256 taken (carried along with the chunks, or read from the file when it was not), the bytes
 * linked at their content address (kept once), and the file recorded and linked to its sheet's
 * indicator, inside the caller's transaction. The partial file stays: the caller removes it once
 * the transaction has committed, so that a completion interrupted before the commit (a killed
 * worker, a database error or crash) finishes again from the same bytes when the client repeats the
 * last chunk. */
#ifndef VSOK_UPLOAD_FINISH_H
#define VSOK_UPLOAD_FINISH_H

#include "http/http.h"

typedef enum {
    UPLOAD_OK = 0,
    UPLOAD_BAD_TYPE,  /* not a JPEG, PNG, HEIC/HEIF, WebP, MP4, QuickTime or WebM */
    UPLOAD_TOO_LARGE, /* a photo over the photo limit */
    UPLOAD_IO_ERROR,
    UPLOAD_NO_SPACE, /* ENOSPC/EDQUOT: 507, the bytes kept */
    UPLOAD_DB_ERROR  /* 503, the bytes kept */
} upload_result;

/* sha: the SHA-256 of the partial file carried along with its chunks; NULL when it was not
 * (the file is then read again, and the log says so). */
upload_result upload_finish(request *rq, const char *upload_id, const char *partial,
                            const unsigned char *sha, uint64_t *file_id);

/* Removes an upload's row and bytes (termination, refused files, expiry). */
void upload_discard(request *rq, const char *upload_id, const char *partial);

/* The answer to a completion that failed: 415/413 (the caller has discarded the upload),
 * 503 with Retry-After for a database error, 507 for a full disk, 500 otherwise. */
int upload_respond_error(request *rq, response *rs, upload_result r);

#endif
