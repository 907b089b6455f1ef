/* Writing CSV: quoting and the formula guard (csv.h). */
#include "exchange/csv.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void csv_writer_init(csv_writer *w, arena *a, char sep)
{
    memset(w, 0, sizeof *w);
    w->a = a;
    w->sep = sep;
}

static int reserve(csv_writer *w, size_t extra)
{
    if (w->failed)
        return -1;
    if (extra <= w->cap - w->len)
        return 0;
    if (extra > SIZE_MAX / 4 - w->len) {
        w->failed = 1;
        return -1;
    }
    size_t cap = w->cap ? w->cap * 2 : 4096;
    while (cap - w->len < extra)
        cap *= 2;
    char *buf = arena_alloc(w->a, cap);
    if (!buf) {
        w->failed = 1;
        return -1;
    }
    if (w->len)
        memcpy(buf, w->buf, w->len);
    w->buf = buf;
    w->cap = cap;
    return 0;
}

static int put(csv_writer *w, const char *s, size_t n)
{
    if (reserve(w, n) != 0)
        return -1;
    memcpy(w->buf + w->len, s, n);
    w->len += n;
    return 0;
}

int csv_write_bom(csv_writer *w)
{
    return put(w, "\xEF\xBB\xBF", 3);
}

static int write_cell(csv_writer *w, const char *s, int guard)
{
    if (!s)
        s = "";
    size_t n = strlen(s);
    int quote = strchr(s, w->sep) || strpbrk(s, "\"\r\n");
    /* At most: separator, two quotes, the guard, every byte doubled. */
    if (n > SIZE_MAX / 2 - 8 || reserve(w, 2 * n + 8) != 0) {
        w->failed = 1;
        return -1;
    }
    if (w->row_cells)
        w->buf[w->len++] = w->sep;
    if (quote)
        w->buf[w->len++] = '"';
    if (guard)
        w->buf[w->len++] = '\'';
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            w->buf[w->len++] = '"';
        w->buf[w->len++] = s[i];
    }
    if (quote)
        w->buf[w->len++] = '"';
    w->row_cells++;
    w->last_empty = n == 0;
    return 0;
}

int csv_write_cell(csv_writer *w, const char *s)
{
    return write_cell(w, s, csv_is_formula_like(s));
}

size_t csv_number_text(double v, int decimal_comma, char *buf, size_t len)
{
    if (fabs(v) < 1e15 && v == floor(v)) {
        snprintf(buf, len, "%.0f", v == 0 ? 0.0 : v); /* whole: never 2e+01, never -0 */
    } else {
        /* the shortest text that reads back as the same double */
        for (int prec = 1; prec <= 17; prec++) {
            snprintf(buf, len, "%.*g", prec, v);
            if (strtod(buf, NULL) == v)
                break;
        }
    }
    char *dot = decimal_comma ? strchr(buf, '.') : NULL;
    if (dot)
        *dot = ',';
    return strlen(buf);
}

int csv_write_number(csv_writer *w, double v, int decimal_comma)
{
    char buf[64];
    csv_number_text(v, decimal_comma, buf, sizeof buf);
    return write_cell(w, buf, 0);
}

int csv_end_row(csv_writer *w)
{
    int rc = 0;
    if (w->row_cells == 1 && w->last_empty)
        rc = put(w, "\"\"", 2);
    w->row_cells = 0;
    w->last_empty = 0;
    return rc | put(w, "\r\n", 2);
}

int csv_writer_finish(csv_writer *w, const char **out, size_t *len)
{
    if (w->failed || reserve(w, 1) != 0)
        return -1;
    w->buf[w->len] = '\0';
    *out = w->buf;
    *len = w->len;
    return 0;
}
