/* Small text checks shared by the instrument parser and the answer validator. */
#ifndef VSOK_FORM_TEXT_H
#define VSOK_FORM_TEXT_H

#include <stddef.h>

#define FORM_CODE_MAX 64

/* Number of characters (code points) of a valid UTF-8 string. */
size_t form_utf8_length(const char *s);

/* The number of bytes of the longest prefix of s that is at most max bytes long and does not
 * cut a character (for quoting user text in messages: "%.*s"). */
int form_utf8_prefix(const char *s, size_t max);

/* Whether s is one line of text: no C0 or C1 control characters (CR, LF, TAB, ESC …), no DEL
 * and no Unicode line or paragraph separator. Names and titles must be (a name with a line
 * break forges lines in logs, CSV exports and mail headers). */
int form_is_single_line(const char *s);

/* Whether s holds nothing but spaces, tabs and line breaks (or is empty). */
int form_is_blank(const char *s);

/* Whether s is a code: 1..FORM_CODE_MAX of [A-Za-z0-9_.-], starting with a letter or digit. */
int form_is_code(const char *s);

/* Whether s is a calendar date written YYYY-MM-DD (years 1000..9999, Gregorian). Returns 1,
 * or 0 for another shape, or -1 for the right shape but no such day (2025-02-30). */
int form_date_check(const char *s);

#endif
