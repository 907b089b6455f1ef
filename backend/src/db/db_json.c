/* Result rows as JSON objects by a column table (db_json.h). */
#include "db/db_json.h"

#include <string.h>

static json_t *cell_json(const db_result *r, size_t i, size_t col, db_json_kind kind)
{
    switch (kind) {
    case DBJ_INT:
        return json_integer((json_int_t)db_cell_int(r, i, col, 0));
    case DBJ_BOOL:
        return json_boolean(db_cell_int(r, i, col, 0) != 0);
    case DBJ_STR:
    default: {
        const char *v = db_cell(r, i, col);
        return v ? json_string(v) : json_null();
    }
    }
}

/* The object that holds the member of name: row itself, or for "user.id" the row's
 * object "user" (made on first use); *member is the name within it. */
static json_t *holder_of(json_t *row, const char *name, const char **member)
{
    const char *dot = strchr(name, '.');
    *member = dot ? dot + 1 : name;
    if (!dot)
        return row;
    char key[64];
    size_t len = (size_t)(dot - name);
    if (len >= sizeof key)
        return NULL;
    memcpy(key, name, len);
    key[len] = '\0';
    json_t *o = json_object_get(row, key);
    if (!o) {
        o = json_object();
        json_object_set_new(row, key, o);
    }
    return o;
}

json_t *db_cols_json(const db_result *r, size_t i, const db_json_col *cols, size_t n)
{
    json_t *row = json_object();
    for (size_t c = 0; row && c < n; c++) {
        const char *member;
        json_t *o = holder_of(row, cols[c].name, &member);
        if (!o || json_object_set_new(o, member, cell_json(r, i, c, cols[c].kind)) != 0) {
            json_decref(row);
            return NULL;
        }
    }
    return row;
}

db_status db_rows_json(db_conn *c, arena *a, const char *sql, const db_val *params, size_t nparams,
                       const db_json_col *cols, size_t ncols, json_t **out)
{
    db_result r;
    db_status s = db_exec(c, a, sql, params, nparams, &r);
    if (s != DB_OK)
        return s;
    *out = json_array();
    for (size_t i = 0; i < r.nrows; i++)
        json_array_append_new(*out, db_cols_json(&r, i, cols, ncols));
    return DB_OK;
}
