/* Content-Disposition for downloads: an ASCII file name for old clients and the real one
 * (Russian) as an RFC 5987 ext-value, both with the date of the export. */
#ifndef VSOK_ATTACHMENT_H
#define VSOK_ATTACHMENT_H

#include "http.h"

/* RFC 5987 value: UTF-8 bytes other than attr-char percent-encoded; NULL when out of memory. */
char *attachment_ext_value(arena *a, const char *s);

/* attachment; filename="vsok-<ascii>-<date>.<ext>"; filename*=UTF-8''<utf8>-<date>.<ext>
 * ascii must be plain ASCII letters, digits and - _ . Returns 0, or -1 when out of memory. */
int attachment_header(request *rq, response *rs, const char *ascii, const char *utf8,
                      const char *ext);

/* Today's date (UTC) as YYYY-MM-DD into buf[11]. Returns 0 or -1. */
int attachment_date(char buf[static 11]);

#endif
