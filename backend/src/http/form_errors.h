/* The error list of the forms capability: one entry per bad node of an instrument (where =
 * its JSON path) or per bad answer (where = the item code). Entries live in the arena; the
 * list stops growing at its cap and remembers that it was cut. */
#ifndef VSOK_FORM_ERRORS_H
#define VSOK_FORM_ERRORS_H

#include "core/arena.h"

#include <stddef.h>

typedef struct {
    const char *where;   /* JSON path ("sections[2].indicators[0].code") or item code */
    const char *message; /* Russian, for the user; does not repeat where */
} form_error;

typedef struct {
    arena *a;
    form_error *items;
    size_t count;
    size_t cap;    /* allocated entries */
    size_t max;    /* no more than this many are kept */
    int truncated; /* an error was dropped because max was reached */
    int out_of_memory;
} form_errors;

/* An empty list that keeps at most max errors (max 0 means 100). */
void form_errors_init(form_errors *e, arena *a, size_t max);

/* Adds an error; where and the formatted message are copied. Returns 0, or -1 when out of
 * memory (out_of_memory is then set). Past the cap the error is dropped, truncated is set
 * and 0 is returned. */
int form_errors_add(form_errors *e, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Whether any error was reported (kept or dropped). */
int form_errors_any(const form_errors *e);

/* "where: message" for one entry, in the arena (NULL when out of memory). */
char *form_error_text(arena *a, const form_error *err);

/* A JSON path under construction, kept on the stack by the recursive parsers and turned
 * into text only when an error is reported: {up, key, -1} is ".key" (no dot at the root),
 * {up, NULL, i} is "[i]". */
typedef struct form_path {
    const struct form_path *up;
    const char *key;
    long index;
} form_path;

/* The path as text ("$" for the root), in the arena; NULL when out of memory. */
char *form_path_text(arena *a, const form_path *p);

/* form_errors_add at a path, with the path appended by one key (key may be NULL). */
int form_errors_at(form_errors *e, const form_path *p, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
