/* Cells and header names: trimming, comparison keys, column mapping, the formula guard
 * (csv.h). */
#include "exchange/csv.h"

#include <stdio.h>
#include <string.h>

const char *csv_field(const csv_record *r, int index)
{
    if (!r || index < 0 || (size_t)index >= r->nfields)
        return "";
    return r->fields[index];
}

static int is_space_at(const unsigned char *s, size_t i, size_t n, size_t *width)
{
    unsigned char c = s[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        *width = 1;
        return 1;
    }
    if (c == 0xC2 && i + 1 < n && s[i + 1] == 0xA0) { /* no-break space */
        *width = 2;
        return 1;
    }
    return 0;
}

char *csv_trim(char *s)
{
    unsigned char *u = (unsigned char *)s;
    size_t n = strlen(s), start = 0, w;
    while (start < n && is_space_at(u, start, n, &w))
        start += w;
    size_t end = n;
    for (;;) {
        if (end > start &&
            (u[end - 1] == ' ' || u[end - 1] == '\t' || u[end - 1] == '\r' || u[end - 1] == '\n')) {
            end--;
        } else if (end >= start + 2 && u[end - 2] == 0xC2 && u[end - 1] == 0xA0) {
            end -= 2;
        } else {
            break;
        }
    }
    s[end] = '\0';
    return s + start;
}

/* Appends the lower-case form of the UTF-8 character at s[*i] to out[*o]: Latin and
 * Cyrillic capitals are lowered, Ё and ё become е. Never writes more than it reads. */
static void fold_char(const unsigned char *s, size_t n, size_t *i, char *out, size_t *o)
{
    unsigned char c = s[*i];
    if (c >= 'A' && c <= 'Z') {
        out[(*o)++] = (char)(c + 32);
        (*i)++;
        return;
    }
    if ((c == 0xD0 || c == 0xD1) && *i + 1 < n) {
        unsigned char d = s[*i + 1];
        unsigned char hi = c, lo = d;
        if (c == 0xD0 && d == 0x81) { /* Ё */
            lo = 0xB5;
        } else if (c == 0xD1 && d == 0x91) { /* ё */
            hi = 0xD0;
            lo = 0xB5;
        } else if (c == 0xD0 && d >= 0x90 && d <= 0x9F) { /* А..П */
            lo = (unsigned char)(d + 0x20);
        } else if (c == 0xD0 && d >= 0xA0 && d <= 0xAF) { /* Р..Я */
            hi = 0xD1;
            lo = (unsigned char)(d - 0x20);
        } else if (c == 0xD0 && d >= 0x80 && d <= 0x8F) { /* Ѐ..Џ */
            hi = 0xD1;
            lo = (unsigned char)(d + 0x10);
        }
        out[(*o)++] = (char)hi;
        out[(*o)++] = (char)lo;
        *i += 2;
        return;
    }
    out[(*o)++] = (char)c;
    (*i)++;
}

char *csv_fold(arena *a, const char *s, int underscore_is_space)
{
    size_t n = strlen(s), i = 0, o = 0, w;
    const unsigned char *u = (const unsigned char *)s;
    char *out = arena_alloc(a, n + 1);
    if (!out)
        return NULL;
    int gap = 0;
    while (i < n) {
        if (is_space_at(u, i, n, &w) || (underscore_is_space && u[i] == '_')) {
            gap = 1;
            i += is_space_at(u, i, n, &w) ? w : 1;
            continue;
        }
        if (gap && o > 0)
            out[o++] = ' ';
        gap = 0;
        fold_char(u, n, &i, out, &o);
    }
    out[o] = '\0';
    return out;
}

int csv_is_formula_like(const char *s)
{
    if (!s)
        return 0;
    while (*s == '\'')
        s++;
    return *s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' || *s == '\r';
}

const char *csv_unguard(const char *s)
{
    return (s && s[0] == '\'' && csv_is_formula_like(s + 1)) ? s + 1 : s;
}

/* ---------------------------------------------------------------- header */

/* Appends text to a message buffer, cutting at a character boundary when full. */
static void append(char *buf, size_t cap, const char *text)
{
    size_t len = strlen(buf), add = strlen(text);
    if (len + 1 >= cap)
        return;
    if (add > cap - len - 1) {
        add = cap - len - 1;
        while (add > 0 && ((unsigned char)text[add] & 0xC0) == 0x80)
            add--;
    }
    memcpy(buf + len, text, add);
    buf[len + add] = '\0';
}

/* A header cell in «», shortened at a character boundary. */
static void append_name(char *buf, size_t cap, const char *name)
{
    char shown[64];
    size_t k = strlen(name);
    if (k > sizeof shown - 1) {
        k = sizeof shown - 1;
        while (k > 0 && ((unsigned char)name[k] & 0xC0) == 0x80)
            k--;
    }
    memcpy(shown, name, k);
    shown[k] = '\0';
    append(buf, cap, "«");
    append(buf, cap, shown);
    append(buf, cap, "»");
}

static int column_matches(arena *a, const csv_column *c, const char *key, int *nomem)
{
    char *f = csv_fold(a, c->name, 1);
    if (!f) {
        *nomem = 1;
        return 0;
    }
    if (strcmp(f, key) == 0)
        return 1;
    for (const char *const *al = c->aliases; al && *al; al++) {
        if (!(f = csv_fold(a, *al, 1))) {
            *nomem = 1;
            return 0;
        }
        if (strcmp(f, key) == 0)
            return 1;
    }
    return 0;
}

csv_status csv_map_header(arena *a, const csv_record *header, const csv_column *cols, size_t ncols,
                          int *index, csv_error *err)
{
    char unknown[sizeof err->message] = "", repeated[sizeof err->message] = "";
    for (size_t c = 0; c < ncols; c++)
        index[c] = -1;
    for (size_t f = 0; f < header->nfields; f++) {
        char *key = csv_fold(a, header->fields[f], 1);
        if (!key)
            goto nomem;
        if (!*key)
            continue;
        size_t c = 0;
        int nomem = 0;
        while (c < ncols && !column_matches(a, &cols[c], key, &nomem) && !nomem)
            c++;
        if (nomem)
            goto nomem;
        if (c == ncols) {
            append(unknown, sizeof unknown, *unknown ? ", " : "");
            append_name(unknown, sizeof unknown, header->fields[f]);
        } else if (index[c] >= 0) {
            append(repeated, sizeof repeated, *repeated ? ", " : "");
            append_name(repeated, sizeof repeated, header->fields[f]);
        } else {
            index[c] = (int)f;
        }
    }
    char missing[sizeof err->message] = "";
    for (size_t c = 0; c < ncols; c++) {
        if (cols[c].required && index[c] < 0) {
            append(missing, sizeof missing, *missing ? ", " : "");
            const char *ru = cols[c].aliases && cols[c].aliases[0] ? cols[c].aliases[0] : NULL;
            append_name(missing, sizeof missing, ru ? ru : cols[c].name);
            if (ru) {
                append(missing, sizeof missing, " (");
                append(missing, sizeof missing, cols[c].name);
                append(missing, sizeof missing, ")");
            }
        }
    }
    if (!*unknown && !*repeated && !*missing)
        return CSV_OK;
    if (err) {
        err->status = CSV_ERR_HEADER;
        err->line = header->line;
        err->message[0] = '\0';
        if (*missing) {
            append(err->message, sizeof err->message, "Нет обязательных столбцов: ");
            append(err->message, sizeof err->message, missing);
            append(err->message, sizeof err->message, ". ");
        }
        if (*unknown) {
            append(err->message, sizeof err->message, "Неизвестные столбцы: ");
            append(err->message, sizeof err->message, unknown);
            append(err->message, sizeof err->message, ". ");
        }
        if (*repeated) {
            append(err->message, sizeof err->message, "Столбцы указаны дважды: ");
            append(err->message, sizeof err->message, repeated);
            append(err->message, sizeof err->message, ". ");
        }
        size_t n = strlen(err->message);
        if (n && err->message[n - 1] == ' ')
            err->message[n - 1] = '\0';
    }
    return CSV_ERR_HEADER;
nomem:
    if (err) {
        err->status = CSV_ERR_NOMEM;
        err->line = 0;
        snprintf(err->message, sizeof err->message, "Недостаточно памяти для обработки файла.");
    }
    return CSV_ERR_NOMEM;
}
