#include "campaigns/ics.h"

#include <stdio.h>
#include <string.h>

static void put(ics_writer *w, const char *s, size_t n)
{
    if (w->failed)
        return;
    if (w->len + n + 1 > w->cap) {
        size_t cap = w->cap ? w->cap : 4096;
        while (cap < w->len + n + 1)
            cap *= 2;
        char *nb = arena_alloc(w->a, cap);
        if (!nb) {
            w->failed = 1;
            return;
        }
        if (w->len)
            memcpy(nb, w->buf, w->len);
        w->buf = nb;
        w->cap = cap;
    }
    memcpy(w->buf + w->len, s, n);
    w->len += n;
    w->buf[w->len] = '\0';
}

/* Length of the UTF-8 sequence that starts with byte c (1 for anything else). */
static size_t utf8_len(unsigned char c)
{
    if (c >= 0xF0 && c < 0xF8)
        return 4;
    if (c >= 0xE0)
        return c < 0xF0 ? 3 : 1;
    if (c >= 0xC0)
        return 2;
    return 1;
}

void ics_line(ics_writer *w, const char *name, const char *value)
{
    if (w->failed)
        return;
    size_t nlen = strlen(name), vlen = strlen(value);
    char *line = arena_alloc(w->a, nlen + vlen + 2);
    if (!line) {
        w->failed = 1;
        return;
    }
    memcpy(line, name, nlen);
    line[nlen] = ':';
    memcpy(line + nlen + 1, value, vlen + 1);
    size_t total = nlen + 1 + vlen, used = 0; /* octets on the current physical line */
    for (size_t i = 0; i < total;) {
        size_t ch = utf8_len((unsigned char)line[i]);
        if (i + ch > total)
            ch = total - i;
        if (used + ch > 75) {
            put(w, "\r\n ", 3); /* the leading space counts towards the next line */
            used = 1;
        }
        put(w, line + i, ch);
        used += ch;
        i += ch;
    }
    put(w, "\r\n", 2);
}

char *ics_escape(arena *a, const char *text)
{
    size_t n = strlen(text);
    char *out = arena_alloc(a, 2 * n + 1), *o = out;
    if (!out)
        return NULL;
    for (const char *p = text; *p; p++) {
        switch (*p) {
        case '\\':
        case ';':
        case ',':
            *o++ = '\\';
            *o++ = *p;
            break;
        case '\n':
            *o++ = '\\';
            *o++ = 'n';
            break;
        case '\r':
            break;
        default:
            *o++ = *p;
        }
    }
    *o = '\0';
    return out;
}

void ics_begin(ics_writer *w, arena *a, const char *calendar_name)
{
    memset(w, 0, sizeof *w);
    w->a = a;
    ics_line(w, "BEGIN", "VCALENDAR");
    ics_line(w, "VERSION", "2.0");
    ics_line(w, "PRODID", "-//VSOK DO//Plan-schedule//RU");
    ics_line(w, "CALSCALE", "GREGORIAN");
    ics_line(w, "METHOD", "PUBLISH");
    char *name = calendar_name ? ics_escape(a, calendar_name) : NULL;
    if (name)
        ics_line(w, "X-WR-CALNAME", name);
}

#define BASIC_DATE_SIZE 32 /* "YYYYMMDD" and room for any int the formats could print */

/* "YYYY-MM-DD" -> "YYYYMMDD" and the next day's; 0, or -1 for a bad date. */
static int basic_dates(const char *iso, char start[BASIC_DATE_SIZE], char end[BASIC_DATE_SIZE])
{
    int y, m, d;
    char tail;
    if (!iso || strlen(iso) != 10 || sscanf(iso, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
        m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    struct tm t = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = 12};
    time_t day = timegm(&t);
    struct tm back;
    if (day == (time_t)-1 || !gmtime_r(&day, &back) || back.tm_mday != d)
        return -1;
    snprintf(start, BASIC_DATE_SIZE, "%04d%02d%02d", y, m, d);
    day += 86400;
    if (!gmtime_r(&day, &back))
        return -1;
    snprintf(end, BASIC_DATE_SIZE, "%04d%02d%02d", back.tm_year + 1900, back.tm_mon + 1,
             back.tm_mday);
    return 0;
}

void ics_add_event(ics_writer *w, const ics_event *e, time_t now)
{
    char start[BASIC_DATE_SIZE], end[BASIC_DATE_SIZE], stamp[17];
    struct tm t;
    if (w->failed)
        return;
    if (!e->uid || !e->summary || basic_dates(e->date, start, end) != 0 || !gmtime_r(&now, &t)) {
        w->failed = 1;
        return;
    }
    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &t);
    ics_line(w, "BEGIN", "VEVENT");
    ics_line(w, "UID", e->uid);
    ics_line(w, "DTSTAMP", stamp);
    ics_line(w, "DTSTART;VALUE=DATE", start);
    ics_line(w, "DTEND;VALUE=DATE", end);
    char *summary = ics_escape(w->a, e->summary);
    char *description = e->description ? ics_escape(w->a, e->description) : NULL;
    if (!summary || (e->description && !description)) {
        w->failed = 1;
        return;
    }
    ics_line(w, "SUMMARY", summary);
    if (description)
        ics_line(w, "DESCRIPTION", description);
    if (e->url)
        ics_line(w, "URL", e->url);
    ics_line(w, "TRANSP", "TRANSPARENT");
    ics_line(w, "END", "VEVENT");
}

int ics_finish(ics_writer *w, const char **out, size_t *len)
{
    ics_line(w, "END", "VCALENDAR");
    if (w->failed)
        return -1;
    *out = w->buf;
    *len = w->len;
    return 0;
}
