#include "org/unit_store.h"

#include "auth/principal.h"

#include <stdio.h>
#include <string.h>

static db_status row_of(const db_result *r, unit_row *out, int *found)
{
    *found = 0;
    memset(&out->scope, 0, sizeof out->scope);
    out->r = *r;
    if (r->nrows != 1)
        return DB_OK;
    scope_unit *u = &out->scope;
    u->id = (uint64_t)db_cell_int(r, 0, UC_ID, 0);
    u->parent_id = (uint64_t)db_cell_int(r, 0, UC_PARENT_ID, 0);
    if (org_level_parse(db_cell(r, 0, UC_LEVEL), &u->level) != 0)
        return DB_ERROR;
    u->path = db_cell(r, 0, UC_PATH);
    u->name = db_cell(r, 0, UC_NAME);
    u->active = (int)db_cell_int(r, 0, UC_ACTIVE, 0);
    *found = 1;
    return DB_OK;
}

db_status unit_store_find_in_scope(request *rq, uint64_t id, unit_row *out, int *found)
{
    db_result r;
    db_val v[] = {DB_INT(id), DB_INT(rq->me->user_id)};
    db_status s = DB_EXEC(
        rq->db, rq->a,
        "SELECT " UNIT_ROW_COLUMNS " FROM org_units o WHERE o.id = ? AND " SCOPE_SQL("o"), v, &r);
    *found = 0;
    return s != DB_OK ? s : row_of(&r, out, found);
}

db_status unit_store_get(request *rq, uint64_t id, int lock, unit_row *out, int *found)
{
    db_result r;
    db_val v[] = {DB_INT(id)};
    db_status s =
        DB_EXEC(rq->db, rq->a,
                lock ? "SELECT " UNIT_ROW_COLUMNS " FROM org_units o WHERE o.id = ? FOR UPDATE"
                     : "SELECT " UNIT_ROW_COLUMNS " FROM org_units o WHERE o.id = ?",
                v, &r);
    *found = 0;
    return s != DB_OK ? s : row_of(&r, out, found);
}

static json_t *int_or_null(const db_result *r, size_t row, unit_column c)
{
    return db_cell(r, row, c) ? json_integer(db_cell_int(r, row, c, 0)) : json_null();
}

static json_t *unit_doc(const db_result *r, size_t row, json_int_t municipalities,
                        json_int_t kindergartens, json_int_t groups)
{
    json_t *u = json_pack(
        "{s:I, s:o, s:s, s:s, s:s?, s:s?, s:s?, s:b, s:{s:I, s:I, s:I}}", "id",
        (json_int_t)db_cell_int(r, row, UC_ID, 0), "parent_id", int_or_null(r, row, UC_PARENT_ID),
        "level", db_cell(r, row, UC_LEVEL), "name", db_cell(r, row, UC_NAME), "short_name",
        db_cell(r, row, UC_SHORT_NAME), "code", db_cell(r, row, UC_CODE), "address",
        db_cell(r, row, UC_ADDRESS), "active", (int)db_cell_int(r, row, UC_ACTIVE, 0), "counts",
        "municipality", municipalities, "kindergarten", kindergartens, "group", groups);
    /* the denominator of the parent questionnaire's response rate, entered per group */
    if (u && strcmp(db_cell(r, row, UC_LEVEL), "group") == 0)
        json_object_set_new(u, "children_enrolled", int_or_null(r, row, UC_CHILDREN_ENROLLED));
    return u;
}

json_t *unit_json(const db_result *r, size_t row)
{
    return unit_doc(r, row, (json_int_t)db_cell_int(r, row, UC_MUNICIPALITIES, 0),
                    (json_int_t)db_cell_int(r, row, UC_KINDERGARTENS, 0),
                    (json_int_t)db_cell_int(r, row, UC_GROUPS, 0));
}

db_status unit_row_json(request *rq, const unit_row *u, json_t **out)
{
    db_result c;
    db_val v[] = {DB_INT(u->scope.id)};
    db_status s =
        DB_EXEC(rq->db, rq->a, "SELECT " UNIT_COUNTS_SQL " FROM org_units o WHERE o.id = ?", v, &c);
    if (s != DB_OK)
        return s;
    *out = unit_doc(&u->r, 0, (json_int_t)db_cell_int(&c, 0, 0, 0),
                    (json_int_t)db_cell_int(&c, 0, 1, 0), (json_int_t)db_cell_int(&c, 0, 2, 0));
    return *out ? DB_OK : DB_ERROR;
}

unit_values unit_row_values(const unit_row *u)
{
    const db_result *r = &u->r;
    return (unit_values){
        db_cell(r, 0, UC_NAME),
        db_cell(r, 0, UC_SHORT_NAME),
        db_cell(r, 0, UC_CODE),
        db_cell(r, 0, UC_ADDRESS),
        (int)db_cell_int(r, 0, UC_ACTIVE, 1),
        db_cell(r, 0, UC_CHILDREN_ENROLLED) ? db_cell_int(r, 0, UC_CHILDREN_ENROLLED, 0) : -1};
}

/* Replaces a cell of the held row (the text lives in the arena). */
static void set_cell(request *rq, unit_row *u, unit_column c, const char *text)
{
    char *copy = text ? arena_strdup(rq->a, text) : NULL;
    u->r.cells[c] = copy;
    u->r.lens[c] = copy ? strlen(copy) : 0;
}

db_status unit_store_insert(request *rq, uint64_t parent_id, const char *parent_path,
                            org_level level, const unit_values *v, uint64_t *id, const char **path)
{
    db_val p[] = {parent_id ? DB_INT(parent_id) : DB_NULL,
                  DB_STR(org_level_name(level)),
                  DB_STR(v->name),
                  v->short_name ? DB_STR(v->short_name) : DB_NULL,
                  v->code ? DB_STR(v->code) : DB_NULL,
                  v->address ? DB_STR(v->address) : DB_NULL};
    *path = NULL;
    db_status s =
        DB_INSERT(rq->db, rq->a, /* a unique path until the id is known */
                  "INSERT INTO org_units (parent_id, level, path, name, short_name, code, "
                  "address) VALUES (?, ?, CONCAT('/new/', UUID(), '/'), ?, ?, ?, ?)",
                  p, id);
    if (s != DB_OK)
        return s;
    *path = arena_sprintf(rq->a, "%s%llu/", parent_path, (unsigned long long)*id);
    if (!*path)
        return DB_ERROR;
    db_val u[] = {DB_STR(*path), DB_INT(*id)};
    return DB_EXEC(rq->db, rq->a, "UPDATE org_units SET path = ? WHERE id = ?", u, NULL);
}

db_status unit_store_update(request *rq, unit_row *u, const unit_values *v)
{
    db_val p[] = {DB_STR(v->name),
                  v->short_name ? DB_STR(v->short_name) : DB_NULL,
                  v->code ? DB_STR(v->code) : DB_NULL,
                  v->address ? DB_STR(v->address) : DB_NULL,
                  DB_INT(v->active),
                  v->children_enrolled >= 0 ? DB_INT(v->children_enrolled) : DB_NULL,
                  DB_INT(u->scope.id)};
    db_status s = DB_EXEC(rq->db, rq->a,
                          "UPDATE org_units SET name = ?, short_name = ?, code = ?, address = ?, "
                          "active = ?, children_enrolled = ? WHERE id = ?",
                          p, NULL);
    if (s != DB_OK)
        return s;
    char children[24];
    snprintf(children, sizeof children, "%lld", v->children_enrolled);
    set_cell(rq, u, UC_NAME, v->name);
    set_cell(rq, u, UC_SHORT_NAME, v->short_name);
    set_cell(rq, u, UC_CODE, v->code);
    set_cell(rq, u, UC_ADDRESS, v->address);
    set_cell(rq, u, UC_ACTIVE, v->active ? "1" : "0");
    set_cell(rq, u, UC_CHILDREN_ENROLLED, v->children_enrolled >= 0 ? children : NULL);
    u->scope.name = u->r.cells[UC_NAME];
    u->scope.active = v->active;
    return DB_OK;
}

/* {id, name, level} of a row whose first three columns are those. */
static json_t *unit_ref_json(const db_result *r, size_t i)
{
    return json_pack("{s:I, s:s, s:s}", "id", (json_int_t)db_cell_int(r, i, 0, 0), "name",
                     db_cell(r, i, 1), "level", db_cell(r, i, 2));
}

/* The ancestors of a unit that the caller may see, from the top of their scope down. */
db_status unit_store_ancestors(request *rq, const scope_unit *u, json_t **out)
{
    uint64_t ids[3] = {0, 0, 0};
    int n = 0;
    for (const char *p = u->path; *p && n < 3; p++) {
        uint64_t id = 0;
        while (*p >= '0' && *p <= '9')
            id = id * 10 + (uint64_t)(*p++ - '0');
        if (id && id != u->id)
            ids[n++] = id;
        if (!*p)
            break;
    }
    db_val v[] = {DB_INT(ids[0]), DB_INT(ids[1]), DB_INT(ids[2]), DB_INT(rq->me->user_id)};
    return SELECT_JSON(rq,
                       "SELECT o.id, o.name, o.level FROM org_units o "
                       "WHERE o.id IN (?, ?, ?) AND " SCOPE_SQL("o") " ORDER BY LENGTH(o.path)",
                       v, unit_ref_json, out);
}
