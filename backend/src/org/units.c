/* The org unit tree: scope roots and search, one unit with its breadcrumbs, children with
 * descendant counts, create, edit/deactivate, move a subtree. Access: docs/api-org.md. */
#include "org/handlers.h"
#include "auth/principal.h"

#include "auth/audit.h"
#include "experts/expert_conflict.h"
#include "dashboards/rollup.h"
#include "auth/scope.h"
#include "org/unit_json.h"

#include <stdio.h>
#include <string.h>

static void not_found(request *rq, response *rs)
{
    respond_problem(rq, rs, 404, "not-found", "Not Found", "Организация не найдена.");
}

static void forbidden(request *rq, response *rs, const char *detail)
{
    respond_problem(rq, rs, 403, "forbidden", "Forbidden", detail);
}

/* Answers with the units of r (UNIT_COLUMNS) as {"items": [...]}. */
static void respond_items(request *rq, response *rs, const db_result *r)
{
    json_t *items = json_array();
    for (size_t i = 0; i < r->nrows; i++)
        json_array_append_new(items, unit_json(r, i));
    respond_json(rq, rs, 200, json_pack("{s:o}", "items", items));
}

/* Escapes LIKE wildcards in a user's search text and wraps it in %…%. */
static char *like_pattern(arena *a, const char *q)
{
    size_t n = strlen(q);
    char *p = arena_alloc(a, 2 * n + 3);
    if (!p)
        return NULL;
    size_t o = 0;
    p[o++] = '%';
    for (size_t i = 0; i < n; i++) {
        if (q[i] == '%' || q[i] == '_' || q[i] == '\\')
            p[o++] = '\\';
        p[o++] = q[i];
    }
    p[o++] = '%';
    p[o] = '\0';
    return p;
}

void handle_units_list(request *rq, response *rs)
{
    const char *q = uri_param_get(&rq->args, "q");
    const char *level = uri_param_get(&rq->args, "level");
    const char *limit_s = uri_param_get(&rq->args, "limit");
    org_level lv;
    long limit = 50;
    json_t *p = problem_new(422, "validation", "Validation failed", "Проверьте параметры поиска.");
    int bad = 0;
    if (level && *level && org_level_parse(level, &lv) != 0) {
        problem_add_error(p, "level", "уровень: region, municipality, kindergarten или group");
        bad = 1;
    }
    if (limit_s && (!(limit = (long)scope_parse_id(limit_s)) || limit > 100)) {
        problem_add_error(p, "limit", "число от 1 до 100");
        bad = 1;
    }
    if (q && strlen(q) > 200) {
        problem_add_error(p, "q", "не длиннее 200 символов");
        bad = 1;
    }
    if (bad) {
        respond_problem_doc(rq, rs, p);
        return;
    }
    json_decref(p);
    db_result r;
    db_status s;
    if ((q && *q) || (level && *level)) {
        const char *pattern = like_pattern(rq->a, q ? q : "");
        const char *lvl = level ? level : "";
        db_val v[] = {DB_INT(rq->me->user_id), DB_STR(lvl),     DB_STR(lvl),  DB_STR(pattern),
                      DB_STR(pattern),         DB_STR(pattern), DB_INT(limit)};
        s = db_exec(
            rq->db, rq->a,
            "SELECT " UNIT_COLUMNS " FROM org_units o WHERE " SCOPE_SQL(
                "o") " AND (? = '' OR o.level = ?) AND (o.name LIKE ? OR o.short_name LIKE ? "
                     "OR o.code LIKE ?) ORDER BY FIELD(o.level, 'region', 'municipality', "
                     "'kindergarten', 'group'), o.name LIMIT ?",
            v, 7, &r);
    } else {
        db_val v[] = {DB_INT(rq->me->user_id)};
        s = db_exec(rq->db, rq->a,
                    "SELECT " UNIT_COLUMNS " FROM org_units o JOIN user_scope s "
                    "ON s.user_id = ? AND (o.path = s.path OR (s.path = '/' AND "
                    "o.parent_id IS NULL)) ORDER BY o.name",
                    v, 1, &r);
    }
    if (s != DB_OK) {
        respond_db_error(rq, rs, s);
        return;
    }
    respond_items(rq, rs, &r);
}

/* The ancestors of a unit that the caller may see, from the top of their scope down. */
static db_status ancestors_json(request *rq, const char *path, uint64_t self, json_t **out)
{
    uint64_t ids[3] = {0, 0, 0};
    int n = 0;
    for (const char *p = path; *p && n < 3; p++) {
        uint64_t id = 0;
        while (*p >= '0' && *p <= '9')
            id = id * 10 + (uint64_t)(*p++ - '0');
        if (id && id != self)
            ids[n++] = id;
        if (!*p)
            break;
    }
    db_result r;
    db_val v[] = {DB_INT(ids[0]), DB_INT(ids[1]), DB_INT(ids[2]), DB_INT(rq->me->user_id)};
    db_status s = db_exec(rq->db, rq->a,
                          "SELECT o.id, o.name, o.level FROM org_units o "
                          "WHERE o.id IN (?, ?, ?) AND " SCOPE_SQL("o") " ORDER BY LENGTH(o.path)",
                          v, 4, &r);
    if (s != DB_OK)
        return s;
    *out = json_array();
    for (size_t i = 0; i < r.nrows; i++)
        json_array_append_new(*out, json_pack("{s:I, s:s, s:s}", "id",
                                              (json_int_t)db_cell_int(&r, i, 0, 0), "name",
                                              db_cell(&r, i, 1), "level", db_cell(&r, i, 2)));
    return DB_OK;
}

/* Loads one unit (UNIT_COLUMNS) by id, without a scope check: callers checked it. */
static db_status load_unit(request *rq, uint64_t id, db_result *r)
{
    db_val v[] = {DB_INT(id)};
    return db_exec(rq->db, rq->a, "SELECT " UNIT_COLUMNS " FROM org_units o WHERE o.id = ?", v, 1,
                   r);
}

static void respond_unit(request *rq, response *rs, int status, uint64_t id)
{
    db_result r;
    scope_unit u;
    int found;
    db_status s = scope_find_unit(rq, id, &u, &found);
    if (s == DB_OK && found)
        s = load_unit(rq, id, &r);
    json_t *anc = NULL;
    if (s == DB_OK && found && r.nrows == 1)
        s = ancestors_json(rq, u.path, u.id, &anc);
    if (s != DB_OK) {
        respond_db_error(rq, rs, s);
        return;
    }
    if (!found || r.nrows != 1) {
        not_found(rq, rs);
        return;
    }
    json_t *doc = unit_json(&r, 0);
    json_object_set_new(doc, "ancestors", anc);
    json_object_set_new(doc, "can_edit", json_boolean(scope_can_manage_unit(rq, &u)));
    respond_json(rq, rs, status, doc);
}

void handle_unit_get(request *rq, response *rs)
{
    respond_unit(rq, rs, 200, rq->scoped_id);
}

void handle_unit_children(request *rq, response *rs)
{
    const char *active = uri_param_get(&rq->args, "active");
    int only_active = active && strcmp(active, "1") == 0;
    db_result r;
    db_val v[] = {DB_INT(rq->scoped_id), DB_INT(only_active)};
    db_status s = db_exec(rq->db, rq->a,
                          "SELECT " UNIT_COLUMNS " FROM org_units o WHERE o.parent_id = ? "
                          "AND (? = 0 OR o.active = 1) ORDER BY o.name",
                          v, 2, &r);
    if (s != DB_OK) {
        respond_db_error(rq, rs, s);
        return;
    }
    respond_items(rq, rs, &r);
}

/* Finishes a write transaction: commit, or roll back and answer the error. Returns 0 when
 * committed. */
static int finish(request *rq, response *rs, db_status s)
{
    if (s == DB_OK)
        s = db_commit(rq->db);
    else
        db_rollback(rq->db);
    if (s == DB_DUPLICATE) {
        respond_problem(rq, rs, 409, "code-taken", "Conflict",
                        "Детский сад с таким кодом уже есть.");
        return -1;
    }
    if (s != DB_OK) {
        respond_db_error(rq, rs, s);
        return -1;
    }
    return 0;
}

void handle_unit_create(request *rq, response *rs)
{
    unit_fields f;
    if (unit_fields_read(rq, rs, &f, 1) != 0)
        return;
    json_t *parent_j = json_object_get(rq->json, "parent_id");
    scope_unit parent;
    int found = 0;
    org_level level = LEVEL_REGION;
    if (json_is_null(parent_j) || !parent_j) {
        if (rq->me->role != ROLE_ADMINISTRATOR) {
            forbidden(rq, rs, "Создавать регионы может только администратор.");
            return;
        }
        memset(&parent, 0, sizeof parent);
        parent.path = "/";
    } else {
        uint64_t pid = json_is_integer(parent_j) && json_integer_value(parent_j) > 0
                           ? (uint64_t)json_integer_value(parent_j)
                           : 0;
        db_status s = scope_find_unit(rq, pid, &parent, &found);
        if (s != DB_OK) {
            respond_db_error(rq, rs, s);
            return;
        }
        if (!found) {
            not_found(rq, rs);
            return;
        }
        if (parent.level == LEVEL_GROUP) {
            json_t *p = problem_new(422, "validation", "Validation failed",
                                    "В группу нельзя добавить подразделение.");
            problem_add_error(p, "parent_id", "группа — нижний уровень дерева");
            respond_problem_doc(rq, rs, p);
            return;
        }
        if (!scope_can_create_child(rq, &parent)) {
            forbidden(rq, rs, "Недостаточно прав, чтобы добавить сюда подразделение.");
            return;
        }
        level = (org_level)(parent.level + 1);
    }
    db_status s = db_begin(rq->db);
    db_result ins;
    if (s == DB_OK) {
        db_val v[] = {parent.id ? DB_INT(parent.id) : DB_NULL,
                      DB_STR(org_level_name(level)),
                      DB_STR(f.name),
                      f.short_name ? DB_STR(f.short_name) : DB_NULL,
                      f.code ? DB_STR(f.code) : DB_NULL,
                      f.address ? DB_STR(f.address) : DB_NULL};
        s = db_exec(rq->db, rq->a,
                    "INSERT INTO org_units (parent_id, level, path, name, short_name, code, "
                    "address) VALUES (?, ?, CONCAT('/new/', UUID(), '/'), ?, ?, ?, ?)",
                    v, 6, &ins);
    }
    uint64_t id = s == DB_OK ? ins.insert_id : 0;
    if (s == DB_OK) {
        db_val v[] = {DB_STR(parent.path), DB_INT(id), DB_INT(id)};
        s = db_exec(rq->db, rq->a, "UPDATE org_units SET path = CONCAT(?, ?, '/') WHERE id = ?", v,
                    3, NULL);
    }
    if (s == DB_OK) {
        json_t *changes = json_object();
        audit_diff_str(changes, "name", NULL, f.name);
        audit_diff_str(changes, "level", NULL, org_level_name(level));
        audit_diff_str(changes, "code", NULL, f.code);
        s = audit_write(rq, "unit.create", "org_unit", id, id, changes);
    }
    if (finish(rq, rs, s) == 0)
        respond_unit(rq, rs, 201, id);
}

void handle_unit_update(request *rq, response *rs)
{
    scope_unit u;
    int found;
    db_status s = scope_find_unit(rq, rq->scoped_id, &u, &found);
    if (s != DB_OK || !found) {
        s != DB_OK ? respond_db_error(rq, rs, s) : not_found(rq, rs);
        return;
    }
    if (!scope_can_manage_unit(rq, &u)) {
        forbidden(rq, rs, "Недостаточно прав, чтобы изменить эту организацию.");
        return;
    }
    unit_fields f;
    if (unit_fields_read(rq, rs, &f, 0) != 0)
        return;
    if (f.has_children_enrolled && u.level != LEVEL_GROUP) {
        json_t *p = problem_new(422, "validation", "Validation failed", "Проверьте поля формы.");
        problem_add_error(p, "children_enrolled", "число детей указывается для группы");
        respond_problem_doc(rq, rs, p);
        return;
    }
    db_result old;
    s = db_begin(rq->db);
    if (s == DB_OK) {
        db_val v[] = {DB_INT(u.id)};
        s = db_exec(rq->db, rq->a,
                    "SELECT name, short_name, code, address, active, children_enrolled "
                    "FROM org_units WHERE id = ? FOR UPDATE",
                    v, 1, &old);
    }
    if (s == DB_OK && old.nrows == 1) {
        const char *name = f.name ? f.name : db_cell(&old, 0, 0);
        const char *short_name = f.has_short_name ? f.short_name : db_cell(&old, 0, 1);
        const char *code = f.has_code ? f.code : db_cell(&old, 0, 2);
        const char *address = f.has_address ? f.address : db_cell(&old, 0, 3);
        int active = f.active >= 0 ? f.active : (int)db_cell_int(&old, 0, 4, 1);
        json_t *changes = json_object();
        audit_diff_str(changes, "name", db_cell(&old, 0, 0), name);
        audit_diff_str(changes, "short_name", db_cell(&old, 0, 1), short_name);
        audit_diff_str(changes, "code", db_cell(&old, 0, 2), code);
        audit_diff_str(changes, "address", db_cell(&old, 0, 3), address);
        audit_diff_str(changes, "active", db_cell_int(&old, 0, 4, 1) ? "true" : "false",
                       active ? "true" : "false");
        long long children =
            f.has_children_enrolled ? f.children_enrolled : db_cell_int(&old, 0, 5, -1);
        char *old_children = db_cell(&old, 0, 5) ? arena_strdup(rq->a, db_cell(&old, 0, 5)) : NULL;
        char *new_children = children >= 0 ? arena_sprintf(rq->a, "%lld", children) : NULL;
        audit_diff_str(changes, "children_enrolled", old_children, new_children);
        db_val v[] = {DB_STR(name),
                      short_name ? DB_STR(short_name) : DB_NULL,
                      code ? DB_STR(code) : DB_NULL,
                      address ? DB_STR(address) : DB_NULL,
                      DB_INT(active),
                      children >= 0 ? DB_INT(children) : DB_NULL,
                      DB_INT(u.id)};
        s = db_exec(rq->db, rq->a,
                    "UPDATE org_units SET name = ?, short_name = ?, code = ?, address = ?, "
                    "active = ?, children_enrolled = ? WHERE id = ?",
                    v, 7, NULL);
        if (s == DB_OK && json_object_size(changes) > 0)
            s = audit_write(rq, "unit.update", "org_unit", u.id, u.id, changes);
        else
            json_decref(changes);
    }
    if (finish(rq, rs, s) == 0)
        respond_unit(rq, rs, 200, u.id);
}

typedef struct {
    request *rq;
    const scope_unit *u, *to;
    const char *new_prefix;
} unit_move;

#define MOVE_TRIES 3

/* The move's transaction: every path of the subtree, the parent, the rollups, the audit. */
static db_status move_subtree(void *arg)
{
    unit_move *m = arg;
    request *rq = m->rq;
    /* Every path of the subtree changes its prefix in one statement. */
    db_val v[] = {DB_STR(m->new_prefix), DB_INT(strlen(m->u->path) + 1), DB_STR(m->u->path)};
    db_status s = db_exec(rq->db, rq->a,
                          "UPDATE org_units SET path = CONCAT(?, SUBSTRING(path, ?)) "
                          "WHERE path LIKE CONCAT(?, '%')",
                          v, 3, NULL);
    if (s == DB_OK) {
        db_val p[] = {DB_INT(m->to->id), DB_INT(m->u->id)};
        s = db_exec(rq->db, rq->a, "UPDATE org_units SET parent_id = ? WHERE id = ?", p, 2, NULL);
    }
    if (s == DB_OK)
        s = rollup_move_unit(rq, m->u->id, m->u->path, m->new_prefix);
    if (s == DB_OK) {
        char from_id[24], to_id[24];
        snprintf(from_id, sizeof from_id, "%llu", (unsigned long long)m->u->parent_id);
        snprintf(to_id, sizeof to_id, "%llu", (unsigned long long)m->to->id);
        json_t *changes = json_object();
        audit_diff_str(changes, "parent_id", from_id, to_id);
        s = audit_write(rq, "unit.move", "org_unit", m->u->id, m->u->id, changes);
    }
    return s;
}

void handle_unit_move(request *rq, response *rs)
{
    scope_unit u, to;
    int found, to_found = 0;
    db_status s = scope_find_unit(rq, rq->scoped_id, &u, &found);
    if (s != DB_OK || !found) {
        s != DB_OK ? respond_db_error(rq, rs, s) : not_found(rq, rs);
        return;
    }
    json_t *pj = json_is_object(rq->json) ? json_object_get(rq->json, "parent_id") : NULL;
    if (!json_is_integer(pj) || json_integer_value(pj) <= 0) {
        json_t *p = problem_new(422, "validation", "Validation failed", "Укажите, куда перенести.");
        problem_add_error(p, "parent_id", "укажите id новой вышестоящей организации");
        respond_problem_doc(rq, rs, p);
        return;
    }
    s = scope_find_unit(rq, (uint64_t)json_integer_value(pj), &to, &to_found);
    if (s != DB_OK || !to_found) {
        s != DB_OK ? respond_db_error(rq, rs, s) : not_found(rq, rs);
        return;
    }
    if (to.level + 1 != u.level || strncmp(to.path, u.path, strlen(u.path)) == 0) {
        json_t *p = problem_new(422, "validation", "Validation failed",
                                "Перенести можно только под организацию уровнем выше.");
        problem_add_error(p, "parent_id", "новая вышестоящая организация не подходит");
        respond_problem_doc(rq, rs, p);
        return;
    }
    if (!scope_can_manage_unit(rq, &u) || !scope_can_create_child(rq, &to)) {
        forbidden(rq, rs, "Недостаточно прав для переноса.");
        return;
    }
    if (to.id == u.parent_id) {
        respond_unit(rq, rs, 200, u.id);
        return;
    }
    if (u.level == LEVEL_GROUP) { /* an expert who works in the group scores the new kindergarten */
        int conflict = 0;
        s = expert_conflict_group_move(rq, u.id, to.id, &conflict);
        if (s != DB_OK || conflict) {
            s != DB_OK ? respond_db_error(rq, rs, s) : expert_conflict_respond(rq, rs, "parent_id");
            return;
        }
    }
    unit_move m = {rq, &u, &to, arena_sprintf(rq->a, "%s%llu/", to.path, (unsigned long long)u.id)};
    /* A rebuild of the rollups locks a municipality's kindergartens in another order: a
     * deadlock between the two ends the move's transaction, which then runs again. */
    s = m.new_prefix ? db_transaction(rq->db, MOVE_TRIES, move_subtree, &m) : DB_ERROR;
    if (s != DB_OK) {
        respond_db_error(rq, rs, s);
        return;
    }
    respond_unit(rq, rs, 200, u.id);
}
