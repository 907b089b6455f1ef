/* Org units in the database: the one column list of a unit (used for the SELECT and for the
 * JSON), the row as handlers hold it, and its reads and writes. The dispatcher loads the unit
 * of a scoped route (/units/{id}…) with unit_store_find_in_scope and hands it to the handler
 * as rq->unit, so that a handler never reads it again. */
#ifndef VSOK_UNIT_STORE_H
#define VSOK_UNIT_STORE_H

#include "auth/scope.h"
#include "http/http.h"

/* The columns of a unit, alias o: X(index, SQL), in the order every unit query selects them. */
#define UNIT_COLUMN_LIST(X)                                                                        \
    X(UC_ID, "o.id")                                                                               \
    X(UC_PARENT_ID, "o.parent_id")                                                                 \
    X(UC_LEVEL, "o.level")                                                                         \
    X(UC_NAME, "o.name")                                                                           \
    X(UC_SHORT_NAME, "o.short_name")                                                               \
    X(UC_CODE, "o.code")                                                                           \
    X(UC_ADDRESS, "o.address")                                                                     \
    X(UC_ACTIVE, "o.active")                                                                       \
    X(UC_CHILDREN_ENROLLED, "o.children_enrolled")

/* The number of active units of a level below unit o (the (level, path) index makes each a
 * range scan). */
#define UNIT_COUNT_SQL(level)                                                                      \
    "(SELECT COUNT(*) FROM org_units d WHERE d.level = '" level "' AND d.active = 1 AND "          \
    "d.path LIKE CONCAT(o.path, '_%'))"
#define UNIT_COUNTS_SQL                                                                            \
    UNIT_COUNT_SQL("municipality")                                                                 \
    ", " UNIT_COUNT_SQL("kindergarten") ", " UNIT_COUNT_SQL("grou"                                 \
                                                            "p")

typedef enum {
#define UNIT_COLUMN_INDEX(index, sql) index,
    UNIT_COLUMN_LIST(UNIT_COLUMN_INDEX)
#undef UNIT_COLUMN_INDEX
        UC_PATH,       /* o.path: for the scope rules, not in the JSON */
    UC_MUNICIPALITIES, /* the counts: in UNIT_COLUMNS, not in UNIT_ROW_COLUMNS */
    UC_KINDERGARTENS,
    UC_GROUPS,
    UC_COUNT
} unit_column;

#define UNIT_COLUMN_SQL(index, sql) sql ", "
/* A unit's own columns, in unit_column order. */
#define UNIT_ROW_COLUMNS UNIT_COLUMN_LIST(UNIT_COLUMN_SQL) "o.path"
/* The same with the descendant counts: what lists of units select. */
#define UNIT_COLUMNS UNIT_ROW_COLUMNS ", " UNIT_COUNTS_SQL

/* One unit: what the access rules need (scope) and the whole row for its JSON. */
struct unit_row {
    scope_unit scope;
    db_result r; /* one row of UNIT_ROW_COLUMNS */
};
typedef struct unit_row unit_row;

/* The unit if it exists and lies within the caller's scope (found = 0 otherwise). */
db_status unit_store_find_in_scope(request *rq, uint64_t id, unit_row *out, int *found);
/* The unit by id without a scope check (the caller checked it); FOR UPDATE when lock. */
db_status unit_store_get(request *rq, uint64_t id, int lock, unit_row *out, int *found);

/* The JSON of row `row` of a result of UNIT_COLUMNS (lists). */
json_t *unit_json(const db_result *r, size_t row);
/* The JSON of a held unit, with its descendant counts read now. */
db_status unit_row_json(request *rq, const unit_row *u, json_t **out);

/* The ancestors of unit u that the caller may see, from the top of their scope down: a
 * JSON array of {id, name, level}. */
db_status unit_store_ancestors(request *rq, const scope_unit *u, json_t **out);

/* The editable fields of a unit; NULL text clears the field, children < 0 is NULL. */
typedef struct {
    const char *name, *short_name, *code, *address;
    int active;
    long long children_enrolled;
} unit_values;

/* The values u holds now. */
unit_values unit_row_values(const unit_row *u);
/* Inserts a unit of level with v's texts under the parent (parent_id 0 and parent_path "/"
 * for a region) and sets its materialised path (inside the caller's transaction): the new
 * unit's id and path. */
db_status unit_store_insert(request *rq, uint64_t parent_id, const char *parent_path,
                            org_level level, const unit_values *v, uint64_t *id, const char **path);
/* Writes v to unit u (inside the caller's transaction) and makes u hold them. */
db_status unit_store_update(request *rq, unit_row *u, const unit_values *v);

#endif
