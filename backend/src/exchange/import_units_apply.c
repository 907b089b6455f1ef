/* Applying a units import: inserts with materialised paths, updates, audit rows, one
 * transaction (import_units.h). */
#include "auth/audit.h"
#include "auth/principal.h"
#include "exchange/import_units.h"
#include "org/unit_store.h"

#include <string.h>

/* Inserts a unit with its materialised path (unit_store_insert). */
static db_status insert_unit(unit_plan *p, uint64_t parent_id, const char *parent_path,
                             org_level level, const char *name, const char *short_name,
                             const char *code, const char *address, uint64_t *id, const char **path)
{
    unit_values v = {.name = name, .short_name = short_name, .code = code, .address = address};
    return unit_store_insert(p->base.rq, parent_id, parent_path, level, &v, id, path);
}

static json_t *created(const char *level, const char *name, const char *short_name,
                       const char *code, const char *address)
{
    json_t *c = json_pack("{s:[n, s], s:[n, s]}", "name", name, "level", level);
    if (!c)
        return NULL;
    if (short_name)
        json_object_set_new(c, "short_name", json_pack("[n, s]", short_name));
    if (code)
        json_object_set_new(c, "code", json_pack("[n, s]", code));
    if (address)
        json_object_set_new(c, "address", json_pack("[n, s]", address));
    return c;
}

static db_status apply_kindergarten(unit_plan *p, kg *k)
{
    request *rq = p->base.rq;
    if (k->act == IMPORT_UPDATE) {
        db_val v[] = {DB_STR(k->new_name), import_opt(k->new_short_name),
                      import_opt(k->new_address), DB_INT(k->id)};
        db_status s = DB_EXEC(rq->db, rq->a,
                              "UPDATE org_units SET name = ?, short_name = ?, address = ? "
                              "WHERE id = ? AND level = 'kindergarten'",
                              v, NULL);
        if (s != DB_OK)
            return s;
        return audit_write(rq, "unit.update", "org_unit", k->id, k->id, json_incref(k->changes));
    }
    db_status s = insert_unit(p, k->parent->id, k->parent->path, LEVEL_KINDERGARTEN, k->new_name,
                              k->new_short_name, k->code, k->new_address, &k->id, &k->path);
    if (s != DB_OK)
        return s;
    json_object_set_new(k->item, "id", json_integer((json_int_t)k->id));
    return audit_write(
        rq, "unit.create", "org_unit", k->id, k->id,
        created("kindergarten", k->new_name, k->new_short_name, k->code, k->new_address));
}

static db_status apply_group(unit_plan *p, grp *g)
{
    const char *path;
    db_status s = insert_unit(p, g->parent->id, g->parent->path, LEVEL_GROUP, g->name, NULL, NULL,
                              NULL, &g->id, &path);
    if (s != DB_OK)
        return s;
    json_object_set_new(g->item, "id", json_integer((json_int_t)g->id));
    return audit_write(p->base.rq, "unit.create", "org_unit", g->id, g->id,
                       created("group", g->name, NULL, NULL, NULL));
}

static db_status apply_all(void *plan)
{
    unit_plan *p = plan;
    db_status s = DB_OK;
    for (kg *k = p->kg_head; k && s == DB_OK; k = k->next)
        s = apply_kindergarten(p, k);
    for (grp *g = p->grp_head; g && s == DB_OK; g = g->next)
        s = apply_group(p, g);
    return s;
}

int import_units_apply(unit_plan *p, response *rs)
{
    import_apply_step step = {apply_all,
                              p,
                              "import.units",
                              p->n_create,
                              p->n_update,
                              "Пока шёл импорт, другой пользователь занял один из кодов. Ничего "
                              "не изменено: проверьте файл ещё раз."};
    return import_apply(p->base.run, rs, &step);
}
