/* An iCalendar (RFC 5545) writer for the deadline feed: VCALENDAR with all-day VEVENTs.
 * Lines end in CRLF and are folded at 75 octets (never inside a UTF-8 character); TEXT
 * values escape backslash, semicolon, comma and newlines. Pure: no I/O. */
#ifndef VSOK_ICS_H
#define VSOK_ICS_H

#include "core/arena.h"

#include <stddef.h>
#include <time.h>

typedef struct {
    arena *a;
    char *buf;
    size_t len, cap;
    int failed; /* out of memory or bad input: later calls do nothing, finish reports it */
} ics_writer;

typedef struct {
    const char *uid;         /* unique and stable for the same task */
    const char *date;        /* the day of the event, YYYY-MM-DD */
    const char *summary;     /* plain text */
    const char *description; /* plain text, may hold newlines; NULL for none */
    const char *url;         /* NULL for none */
} ics_event;

/* Starts BEGIN:VCALENDAR with VERSION, PRODID, CALSCALE and the calendar's name. */
void ics_begin(ics_writer *w, arena *a, const char *calendar_name);

/* Appends a VEVENT: UID, DTSTAMP (now, UTC), DTSTART;VALUE=DATE, DTEND;VALUE=DATE (the next
 * day), SUMMARY, DESCRIPTION, URL. A bad date marks the writer failed. */
void ics_add_event(ics_writer *w, const ics_event *e, time_t now);

/* Ends the calendar. Returns 0 with the text, or -1 when a write failed. */
int ics_finish(ics_writer *w, const char **out, size_t *len);

/* One content line "NAME:value" or "NAME;PARAM=x:value" folded and ended with CRLF; value is
 * written as is (escape TEXT values with ics_escape first). */
void ics_line(ics_writer *w, const char *name, const char *value);

/* The TEXT escaping of RFC 5545 3.3.11: \\ \; \, and \n for a newline (CR dropped). */
char *ics_escape(arena *a, const char *text);

#endif
