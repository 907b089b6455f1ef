/* Downloads: Content-Disposition with an ASCII file name for old clients and the real one
 * (Russian) as an RFC 5987 ext-value, both with the date of the export; the CSV separator
 * parameter. */
#ifndef VSOK_ATTACHMENT_H
#define VSOK_ATTACHMENT_H

#include "http/http.h"

/* RFC 5987 value: UTF-8 bytes other than attr-char percent-encoded; NULL when out of memory. */
char *attachment_ext_value(arena *a, const char *s);

/* attachment; filename="vsok-<ascii>-<date>.<ext>"; filename*=UTF-8''<utf8>-<date>.<ext>
 * ascii must be plain ASCII letters, digits and - _ . Returns 0, or -1 when out of memory. */
int attachment_header(request *rq, response *rs, const char *ascii, const char *utf8,
                      const char *ext);

/* ?sep=; (default) or ?sep=, for a CSV download. Answers 400 itself and returns -1 for
 * anything else. */
int attachment_csv_sep(request *rq, response *rs, char *sep);

/* Today's date (UTC) as YYYY-MM-DD into buf[11]. Returns 0 or -1. */
int attachment_date(char buf[static 11]);

#endif
