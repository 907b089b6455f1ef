/* What the CSV imports share (import.c): reading the request and the file, the answer
 * document {dry_run, applied, create, update, unchanged, errors}, cell checks and role
 * titles. The units and users imports themselves are in import_units.c and
 * import_users.c; docs/api-org.md describes both. */
#ifndef VSOK_IMPORT_H
#define VSOK_IMPORT_H

#include "core/strmap.h"
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

/* What every import's plan holds first (as its member base): the request, the run, and
 * the first failure while planning. */
typedef struct {
    request *rq;
    import_run *run;
    db_status db; /* a database failure while planning */
    int nomem;
} import_plan;

/* A cell folded for matching (csv_fold); "" and p->nomem set when out of memory. */
const char *import_fold(import_plan *p, const char *s);
/* strmap_put that records running out of memory in p. */
void import_put(import_plan *p, strmap *m, const char *key, void *value);
/* size bytes of the request's arena, or NULL with p->nomem set. */
void *import_alloc(import_plan *p, size_t size);
/* One query of what exists, for the plan: every parameter of sql is the caller's user id
 * (SCOPE_SQL; at most three); each row fills a fresh zeroed item of size bytes by its fields
 * (db_row_read) and is handed to keep(plan, r, i, item), which returns 0, or -1 for a row
 * it cannot read. */
typedef struct {
    const char *sql;
    size_t size;
    const db_field *fields;
    size_t nfields;
    int (*keep)(void *plan, const db_result *r, size_t i, void *item);
} import_loader;
/* The loader of items of type, whose members `fields` (a db_field array) names. */
#define IMPORT_LOADER(sql, type, fields, keep)                                                     \
    {                                                                                              \
        (sql), sizeof(type), (fields), ARRAY_LEN(fields), (keep)                                   \
    }

/* How a column's cells are checked: the column's name in messages and the most characters
 * a cell may have; a cell of a column the header must have (csv_column.required) must not be
 * empty either, and no cell may hold a line break or a control character. */
typedef struct {
    const char *label;
    size_t max_chars;
} import_text;

#define IMPORT_MAX_COLUMNS 16

/* What makes one import (units, users): its columns and their checks, what it loads, how it
 * plans a row of the file and applies the plan. The plan's first member is its import_plan. */
typedef struct {
    const csv_column *columns;
    const import_text *texts; /* one per column */
    size_t ncolumns;          /* at most IMPORT_MAX_COLUMNS */
    const import_loader *loaders;
    size_t nloaders;
    /* the plan's maps for a file of rows records: 0, or -1 when out of memory */
    int (*prepare)(void *plan, size_t rows);
    /* a row of the file on line `line`: its cells by column (trimmed; NULL for a column the
     * file lacks); bad when a cell failed its check (already reported) */
    void (*plan_row)(void *plan, size_t line, const char *const *cell, int bad);
    /* the planned writes in one transaction: 0, or -1 with rs filled */
    int (*apply)(void *plan, response *rs);
} import_kind;

/* The import_kind of the arrays of columns (csv_column), their checks (import_text, as many)
 * and loaders and of the three functions; the counts come from the arrays. */
#define IMPORT_KIND(columns, texts, loaders, prepare, plan_row, apply)                             \
    {                                                                                              \
        (columns), (texts), ARRAY_LEN(columns), (loaders), ARRAY_LEN(loaders), (prepare),          \
            (plan_row), (apply)                                                                    \
    }

/* An import's request from start to answer: reads the file and finds its columns, loads
 * what exists, checks and plans each row that is not blank, applies the plan unless it is a
 * dry run or has errors, and answers (import_finish). plan is zeroed by the caller, with its
 * own pointers set. */
int import_handle(request *rq, response *rs, const import_kind *k, import_plan *plan);

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
/* The kind of unit a role belongs to, in Russian ("детский сад"). */
const char *import_level_wanted(role r);
int import_role_parse(arena *a, const char *cell, role *out);

/* The apply step of an import: the plan's writes, the audit action and counts, and what a
 * duplicate key met meanwhile means. */
typedef struct {
    db_status (*apply)(void *plan);
    void *plan;
    const char *action; /* "import.units" */
    long long n_create, n_update;
    const char *taken; /* the 409 detail: a code or login taken while the import ran */
} import_apply_step;

/* Runs the step's writes and the import's audit row in one transaction. Returns 0 when
 * committed, or -1 with rs filled (409 conflict for a duplicate key). */
int import_apply(import_run *run, response *rs, const import_apply_step *step);

#endif
