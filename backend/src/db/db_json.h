/* Result rows as JSON objects, their members described once by a column table: the i-th
 * entry names the member of the i-th column of the SELECT and says how to read the cell.
 * A name "user.id" puts the member "id" in the object "user" of the row.
 *
 *   static const db_json_col READ_COLUMNS[] = {{"day", DBJ_STR}, {"user.id", DBJ_INT}, …};
 *   s = DB_ROWS_JSON(rq->db, rq->a, "SELECT e.day, e.user_id, … WHERE …", p, READ_COLUMNS,
 *                    &items);
 */
#ifndef VSOK_DB_JSON_H
#define VSOK_DB_JSON_H

#include "db/db.h"

#include <jansson.h>

typedef enum {
    DBJ_STR,  /* a string; null for SQL NULL */
    DBJ_INT,  /* an integer; 0 for SQL NULL */
    DBJ_BOOL, /* true for a non-zero integer */
} db_json_kind;

typedef struct {
    const char *name;
    db_json_kind kind;
} db_json_col;

/* Row i of r as an object of the n columns cols. */
json_t *db_cols_json(const db_result *r, size_t i, const db_json_col *cols, size_t n);

/* Runs the statement and gives its rows as an array of db_cols_json objects (*out untouched
 * on an error). DB_ROWS_JSON counts the parameters and the columns of arrays. */
db_status db_rows_json(db_conn *c, arena *a, const char *sql, const db_val *params, size_t nparams,
                       const db_json_col *cols, size_t ncols, json_t **out);
#define DB_ROWS_JSON(c, a, sql, params, cols, out)                                                 \
    db_rows_json((c), (a), (sql), (params), ARRAY_LEN(params), (cols), ARRAY_LEN(cols), (out))

#endif
