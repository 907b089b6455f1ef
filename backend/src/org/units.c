/* The org unit tree: scope roots and search, one unit with its breadcrumbs, children with
 * descendant counts, create, edit/deactivate, move a subtree. Access: docs/api-org.md. */
#include "org/handlers.h"
#include "auth/principal.h"

#include "auth/audit.h"
#include "experts/expert_conflict.h"
#include "dashboards/rollup.h"
#include "auth/scope.h"
#include "org/unit_fields.h"

#include <stdio.h>
#include <string.h>

static int not_found(request *rq, response *rs)
{
    return reply_problem(rq, rs, PK_NOT_FOUND, "Организация не найдена.");
}

static int forbidden(request *rq, response *rs, const char *detail)
{
    return reply_problem(rq, rs, PK_FORBIDDEN, detail);
}

/* Answers with the units of r (UNIT_COLUMNS) as {"items": [...]}. */
static int respond_items(request *rq, response *rs, const db_result *r)
{
    return respond_json(rq, rs, 200,
                        json_pack("{s:o}", "items", rows_json(r, r->nrows, unit_json)));
}

int handle_units_list(request *rq, response *rs)
{
    const char *q = uri_param_get(&rq->args, "q");
    const char *level = uri_param_get(&rq->args, "level");
    const char *limit_s = uri_param_get(&rq->args, "limit");
    org_level lv;
    long limit = 50;
    json_t *p = problem_of(PK_VALIDATION, "Проверьте параметры поиска.");
    if (level && *level && org_level_parse(level, &lv) != 0)
        problem_add_error(p, "level", "уровень: region, municipality, kindergarten или group");
    if (limit_s && (!(limit = (long)scope_parse_id(limit_s)) || limit > 100))
        problem_add_error(p, "limit", "число от 1 до 100");
    if (q && strlen(q) > 200)
        problem_add_error(p, "q", "не длиннее 200 символов");
    if (reply_field_errors(rq, rs, p) != 0)
        return rs->status;
    db_result r;
    db_status s;
    if ((q && *q) || (level && *level)) {
        const char *pattern = db_like_pattern(rq->a, q ? q : "");
        const char *lvl = level ? level : "";
        db_val v[] = {DB_INT(rq->me->user_id), DB_STR(lvl),     DB_STR(lvl),  DB_STR(pattern),
                      DB_STR(pattern),         DB_STR(pattern), DB_INT(limit)};
        s = DB_EXEC(
            rq->db, rq->a,
            "SELECT " UNIT_COLUMNS " FROM org_units o WHERE " SCOPE_SQL(
                "o") " AND (? = '' OR o.level = ?) AND (o.name LIKE ? OR o.short_name LIKE ? "
                     "OR o.code LIKE ?) ORDER BY FIELD(o.level, 'region', 'municipality', "
                     "'kindergarten', 'group'), o.name LIMIT ?",
            v, &r);
    } else {
        db_val v[] = {DB_INT(rq->me->user_id)};
        s = DB_EXEC(rq->db, rq->a,
                    "SELECT " UNIT_COLUMNS " FROM org_units o JOIN user_scope s "
                    "ON s.user_id = ? AND (o.path = s.path OR (s.path = '/' AND "
                    "o.parent_id IS NULL)) ORDER BY o.name",
                    v, &r);
    }
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    return respond_items(rq, rs, &r);
}

/* Answers with the document of unit u: its row, counts, ancestors and whether the caller
 * may edit it. */
static int respond_unit(request *rq, response *rs, int status, const unit_row *u)
{
    json_t *doc = NULL, *anc = NULL;
    db_status s = unit_row_json(rq, u, &doc);
    if (s == DB_OK)
        s = unit_store_ancestors(rq, &u->scope, &anc);
    if (s != DB_OK) {
        json_decref(doc);
        return reply_db_error(rq, rs, s);
    }
    json_object_set_new(doc, "ancestors", anc);
    json_object_set_new(doc, "can_edit", json_boolean(scope_can_manage_unit(rq, &u->scope)));
    return respond_json(rq, rs, status, doc);
}

/* Answers with unit id as it is now (after a create or a move). */
static int respond_unit_id(request *rq, response *rs, int status, uint64_t id)
{
    unit_row u;
    int found;
    db_status s = unit_store_get(rq, id, 0, &u, &found);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    if (!found)
        return not_found(rq, rs);
    return respond_unit(rq, rs, status, &u);
}

int handle_unit_get(request *rq, response *rs)
{
    return respond_unit(rq, rs, 200, rq->unit);
}

int handle_unit_children(request *rq, response *rs)
{
    const char *active = uri_param_get(&rq->args, "active");
    int only_active = active && strcmp(active, "1") == 0;
    db_result r;
    db_val v[] = {DB_INT(rq->scoped_id), DB_INT(only_active)};
    db_status s = DB_EXEC(rq->db, rq->a,
                          "SELECT " UNIT_COLUMNS " FROM org_units o WHERE o.parent_id = ? "
                          "AND (? = 0 OR o.active = 1) ORDER BY o.name",
                          v, &r);
    if (s != DB_OK)
        return reply_db_error(rq, rs, s);
    return respond_items(rq, rs, &r);
}

static json_t *code_taken(void)
{
    return problem_of(PK_CODE_TAKEN, "Детский сад с таким кодом уже есть.");
}

int handle_unit_create(request *rq, response *rs)
{
    unit_fields f;
    if (unit_fields_read(rq, rs, &f, 1) != 0)
        return rs->status;
    json_t *parent_j = json_object_get(rq->json, "parent_id");
    scope_unit parent;
    int found = 0;
    org_level level = LEVEL_REGION;
    if (json_is_null(parent_j) || !parent_j) {
        if (rq->me->role != ROLE_ADMINISTRATOR)
            return forbidden(rq, rs, "Создавать регионы может только администратор.");
        memset(&parent, 0, sizeof parent);
        parent.path = "/";
    } else {
        uint64_t pid = json_is_integer(parent_j) && json_integer_value(parent_j) > 0
                           ? (uint64_t)json_integer_value(parent_j)
                           : 0;
        db_status s = scope_find_unit(rq, pid, &parent, &found);
        if (s != DB_OK)
            return reply_db_error(rq, rs, s);
        if (!found)
            return not_found(rq, rs);
        if (parent.level == LEVEL_GROUP) {
            json_t *p = problem_of(PK_VALIDATION, "В группу нельзя добавить подразделение.");
            problem_add_error(p, "parent_id", "группа — нижний уровень дерева");
            return reply_problem_doc(rq, rs, p);
        }
        if (!scope_can_create_child(rq, &parent))
            return forbidden(rq, rs, "Недостаточно прав, чтобы добавить сюда подразделение.");
        level = (org_level)(parent.level + 1);
    }
    unit_values v = {
        .name = f.name, .short_name = f.short_name, .code = f.code, .address = f.address};
    uint64_t id = 0;
    const char *path;
    db_status s = db_begin(rq->db);
    if (s == DB_OK)
        s = unit_store_insert(rq, parent.id, parent.path, level, &v, &id, &path);
    if (s == DB_OK) {
        json_t *changes = json_object();
        audit_diff_str(changes, "name", NULL, f.name);
        audit_diff_str(changes, "level", NULL, org_level_name(level));
        audit_diff_str(changes, "code", NULL, f.code);
        s = audit_write(rq, "unit.create", "org_unit", id, id, changes);
    }
    if (reply_tx_end(rq, rs, s, code_taken()) == 0)
        respond_unit_id(rq, rs, 201, id);
    return rs->status;
}

/* The audit of an edit: each field that changes, as text. */
static json_t *update_changes(request *rq, const unit_values *o, const unit_values *n)
{
    json_t *changes = json_object();
    audit_diff_str(changes, "name", o->name, n->name);
    audit_diff_str(changes, "short_name", o->short_name, n->short_name);
    audit_diff_str(changes, "code", o->code, n->code);
    audit_diff_str(changes, "address", o->address, n->address);
    audit_diff_str(changes, "active", o->active ? "true" : "false", n->active ? "true" : "false");
    audit_diff_str(
        changes, "children_enrolled",
        o->children_enrolled >= 0 ? arena_sprintf(rq->a, "%lld", o->children_enrolled) : NULL,
        n->children_enrolled >= 0 ? arena_sprintf(rq->a, "%lld", n->children_enrolled) : NULL);
    return changes;
}

/* The values after an edit: the given fields over the current ones. */
static unit_values edited(const unit_values *cur, const unit_fields *f)
{
    unit_values v = *cur;
    v.name = f->name ? f->name : cur->name;
    v.short_name = f->has_short_name ? f->short_name : cur->short_name;
    v.code = f->has_code ? f->code : cur->code;
    v.address = f->has_address ? f->address : cur->address;
    v.active = f->active >= 0 ? f->active : cur->active;
    v.children_enrolled = f->has_children_enrolled ? f->children_enrolled : cur->children_enrolled;
    return v;
}

/* PATCH /units/{id}: the dispatcher loaded the unit (rq->unit, in scope); the edit locks its
 * row, writes the given fields over the current ones and answers with the row it holds. */
int handle_unit_update(request *rq, response *rs)
{
    unit_row *u = rq->unit;
    if (!scope_can_manage_unit(rq, &u->scope))
        return forbidden(rq, rs, "Недостаточно прав, чтобы изменить эту организацию.");
    unit_fields f;
    if (unit_fields_read(rq, rs, &f, 0) != 0)
        return rs->status;
    if (f.has_children_enrolled && u->scope.level != LEVEL_GROUP) {
        json_t *p = problem_of(PK_VALIDATION, "Проверьте поля формы.");
        problem_add_error(p, "children_enrolled", "число детей указывается для группы");
        return reply_problem_doc(rq, rs, p);
    }
    int found = 0;
    db_status s = db_begin(rq->db);
    if (s == DB_OK) /* the current values, locked until the commit */
        s = unit_store_get(rq, u->scope.id, 1, u, &found);
    if (s == DB_OK && found) {
        unit_values old = unit_row_values(u), v = edited(&old, &f);
        json_t *changes = update_changes(rq, &old, &v);
        s = unit_store_update(rq, u, &v);
        if (s == DB_OK && json_object_size(changes) > 0)
            s = audit_write(rq, "unit.update", "org_unit", u->scope.id, u->scope.id, changes);
        else
            json_decref(changes);
    }
    if (reply_tx_end(rq, rs, s, code_taken()) != 0)
        return rs->status;
    return found ? respond_unit(rq, rs, 200, u) : not_found(rq, rs);
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
    db_status s = DB_EXEC(rq->db, rq->a,
                          "UPDATE org_units SET path = CONCAT(?, SUBSTRING(path, ?)) "
                          "WHERE path LIKE CONCAT(?, '%')",
                          v, NULL);
    if (s == DB_OK) {
        db_val p[] = {DB_INT(m->to->id), DB_INT(m->u->id)};
        s = DB_EXEC(rq->db, rq->a, "UPDATE org_units SET parent_id = ? WHERE id = ?", p, NULL);
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

int handle_unit_move(request *rq, response *rs)
{
    const scope_unit u = rq->unit->scope;
    scope_unit to;
    int to_found = 0;
    db_status s;
    json_t *pj = json_is_object(rq->json) ? json_object_get(rq->json, "parent_id") : NULL;
    if (!json_is_integer(pj) || json_integer_value(pj) <= 0) {
        json_t *p = problem_of(PK_VALIDATION, "Укажите, куда перенести.");
        problem_add_error(p, "parent_id", "укажите id новой вышестоящей организации");
        return reply_problem_doc(rq, rs, p);
    }
    s = scope_find_unit(rq, (uint64_t)json_integer_value(pj), &to, &to_found);
    if (s != DB_OK || !to_found)
        return s != DB_OK ? reply_db_error(rq, rs, s) : not_found(rq, rs);
    if (to.level + 1 != u.level || strncmp(to.path, u.path, strlen(u.path)) == 0) {
        json_t *p =
            problem_of(PK_VALIDATION, "Перенести можно только под организацию уровнем выше.");
        problem_add_error(p, "parent_id", "новая вышестоящая организация не подходит");
        return reply_problem_doc(rq, rs, p);
    }
    if (!scope_can_manage_unit(rq, &u) || !scope_can_create_child(rq, &to))
        return forbidden(rq, rs, "Недостаточно прав для переноса.");
    if (to.id == u.parent_id)
        return respond_unit(rq, rs, 200, rq->unit);
    if (u.level == LEVEL_GROUP) { /* an expert who works in the group scores the new kindergarten */
        int conflict = 0;
        s = expert_conflict_group_move(rq, u.id, to.id, &conflict);
        if (s != DB_OK || conflict) {
            s != DB_OK ? reply_db_error(rq, rs, s) : expert_conflict_respond(rq, rs, "parent_id");
            return rs->status;
        }
    }
    unit_move m = {rq, &u, &to, arena_sprintf(rq->a, "%s%llu/", to.path, (unsigned long long)u.id)};
    /* A rebuild of the rollups locks a municipality's kindergartens in another order: a
     * deadlock between the two ends the move's transaction, which then runs again. */
    s = m.new_prefix ? db_transaction(rq->db, MOVE_TRIES, move_subtree, &m) : DB_ERROR;
    if (s != DB_OK) /* db_transaction has ended the transaction either way */
        return reply_db_error(rq, rs, s);
    respond_unit_id(rq, rs, 200, u.id);
    return rs->status;
}
