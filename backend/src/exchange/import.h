/* What the CSV imports share (import.c): reading the request and the file, the answer
 * document {dry_run, applied, create, update, unchanged, errors}, cell checks and role
 * titles. The units and users imports themselves are in import_units.c and
 * import_users.c; docs/api-org.md describes both. */
#ifndef VSOK_IMPORT_H
#define VSOK_IMPORT_H

#include "exchange/csv.h"
#include "http/http.h"
#include "auth/scope.h"

#define IMPORT_MAX_ROWS 20000

typedef struct {
    request *rq;
    int dry_run;
    csv_doc csv;    /* records[0] is the header */
    int parsed;     /* the file was read and its header understood: rows can be planned */
    json_t *doc;    /* the answer; released with the arena */
    json_t *create; /* borrowed from doc */
    json_t *update; /* borrowed from doc */
    json_t *errors; /* borrowed from doc */
    long long unchanged;
    int nomem; /* building the answer ran out of memory */
} import_run;

/* Reads ?dry_run and the file, finds the columns (index[i] for cols[i], -1 when absent).
 * Returns 0 with run->parsed telling whether there are rows to plan (problems with the file
 * as a whole are already in run->errors), or -1 with rs filled (bad query, no memory). */
int import_start(request *rq, response *rs, import_run *run, const csv_column *cols, size_t ncols,
                 int *index);

/* Adds {"line", "message"} to the errors. */
void import_error(import_run *run, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

size_t import_error_count(const import_run *run);

/* Appends an item to create or update (reference stolen). */
void import_add(import_run *run, json_t *list, json_t *item);

/* 1 when every cell of the record is empty or whitespace (a row to skip). */
int import_blank(const csv_record *r);

/* The cell of column index: trimmed, with the export's formula guard (a leading ')
 * removed. "" when the column is absent. */
const char *import_cell(const csv_record *r, int index);

/* Reports values beyond the header's columns. Returns 0 when there are none. */
int import_check_width(import_run *run, const csv_record *r);

/* Checks a text cell: not empty when required, at most max_chars characters, no line
 * breaks or tabs. Reports and returns -1 when bad. label names the column in Russian. */
int import_check_text(import_run *run, size_t line, const char *label, const char *value,
                      size_t max_chars, int required);

/* A value shortened for a message (at most 80 characters). */
const char *import_shown(arena *a, const char *value);

/* "" and NULL are the same value. */
int import_same(const char *a, const char *b);

/* The value after the import: stored when the file has no such column (file NULL), NULL
 * for an empty cell, else the cell. */
const char *import_new_value(const char *file, const char *stored);

/* Adds "field": [old, new] to changes when they differ (import_same). Returns 0 or -1. */
int import_diff(json_t *changes, const char *field, const char *old, const char *new_value);

/* A text parameter, NULL as SQL NULL. */
db_val import_opt(const char *s);

typedef enum { IMPORT_KEEP = 0, IMPORT_CREATE, IMPORT_UPDATE } import_action;

/* Sends the answer: 200, or 422 when not a dry run and there are errors. */
int import_finish(request *rq, response *rs, import_run *run, int applied);

/* The Russian title of a role («воспитатель»), and a role from its wire name or title. */
const char *import_role_title(role r);
int import_role_parse(arena *a, const char *cell, role *out);

#endif
