/* POST /import/units: kindergartens and their groups from a CSV file, one row per group (or
 * per kindergarten without groups). A kindergarten is found by its code, a group by its
 * name within the kindergarten. The plan is made against the rows within the caller's
 * scope (this file); applying it is one transaction (import_units_apply.c). docs/api-org.md,
 * "Import and export (CSV)". */
#include "exchange/handlers.h"
#include "auth/principal.h"
#include "exchange/import_units.h"

#include <string.h>

static const char *const MUNICIPALITY_RU[] = {"муниципалитет", "муниципальное образование", NULL};
static const char *const CODE_RU[] = {"код", "код ДОО", NULL};
static const char *const NAME_RU[] = {"наименование", "полное наименование", NULL};
static const char *const SHORT_NAME_RU[] = {"краткое наименование", "сокращённое наименование",
                                            NULL};
static const char *const ADDRESS_RU[] = {"адрес", NULL};
static const char *const GROUP_RU[] = {"группа", NULL};

static const csv_column COLUMNS[C_COUNT] = {
    [C_MUNICIPALITY] = {"municipality", MUNICIPALITY_RU, 1},
    [C_CODE] = {"code", CODE_RU, 1},
    [C_NAME] = {"name", NAME_RU, 1},
    [C_SHORT_NAME] = {"short_name", SHORT_NAME_RU, 0},
    [C_ADDRESS] = {"address", ADDRESS_RU, 0},
    [C_GROUP] = {"group", GROUP_RU, 0},
};

/* The checks of the cells: the column's name in messages, the most characters. */
static const import_text TEXTS[C_COUNT] = {
    [C_MUNICIPALITY] = {"муниципалитет", 500},
    [C_CODE] = {"код", 64},
    [C_NAME] = {"наименование", 500},
    [C_SHORT_NAME] = {"краткое наименование", 200},
    [C_ADDRESS] = {"адрес", 500},
    [C_GROUP] = {"группа", 500},
};

/* Stores m under key unless another municipality has it already: then it is ambiguous. */
static void put_muni(unit_plan *p, strmap *map, const char *key, muni *m)
{
    muni *old = strmap_get(map, key);
    import_put(&p->base, map, key, old && old != m ? &p->ambiguous : m);
}

static const char *id_key(unit_plan *p, uint64_t id)
{
    const char *k = arena_sprintf(p->base.rq->a, "%llu", (unsigned long long)id);
    if (!k)
        p->base.nomem = 1;
    return k ? k : "";
}

static const char *group_key(unit_plan *p, const kg *k, const char *name)
{
    const char *key =
        arena_sprintf(p->base.rq->a, "%p|%s", (const void *)k, import_fold(&p->base, name));
    if (!key)
        p->base.nomem = 1;
    return key ? key : "";
}

/* ---------------------------------------------------------------- what exists */

static int keep_muni(void *plan, const db_result *r, size_t i, void *item)
{
    unit_plan *p = plan;
    muni *m = item;
    if (m->code && *m->code)
        put_muni(p, &p->muni_code, import_fold(&p->base, m->code), m);
    put_muni(p, &p->muni_name, import_fold(&p->base, m->name), m);
    const char *short_name = db_cell(r, i, 6);
    if (short_name && *short_name &&
        strcmp(import_fold(&p->base, short_name), import_fold(&p->base, m->name)) != 0)
        put_muni(p, &p->muni_name, import_fold(&p->base, short_name), m);
    import_put(&p->base, &p->muni_id, id_key(p, m->id), m);
    return 0;
}

static int keep_kindergarten(void *plan, const db_result *r, size_t i, void *item)
{
    unit_plan *p = plan;
    kg *k = item;
    k->parent = strmap_get(&p->muni_id, id_key(p, (uint64_t)db_cell_int(r, i, 1, 0)));
    if (k->code && *k->code)
        import_put(&p->base, &p->kg_code, import_fold(&p->base, k->code), k);
    import_put(&p->base, &p->kg_id, id_key(p, k->id), k);
    return 0;
}

static int keep_group(void *plan, const db_result *r, size_t i, void *item)
{
    unit_plan *p = plan;
    grp *g = item;
    kg *k = strmap_get(&p->kg_id, id_key(p, (uint64_t)db_cell_int(r, i, 1, 0)));
    if (!k) /* a group of a kindergarten outside the scope */
        return 0;
    g->parent = k;
    import_put(&p->base, &p->groups, group_key(p, k, g->name), g);
    return 0;
}

/* What exists: the municipalities in scope and those above a kindergarten in scope (a
 * kindergarten's coordinator names their municipality in the file too), then the
 * kindergartens and the groups in scope. */
static const db_field MUNI[] = {
    DB_FIELD(0, ID, muni, id),     DB_FIELD(1, TEXT, muni, code),  DB_FIELD(2, TEXT, muni, name),
    DB_FIELD(3, TEXT, muni, path), DB_FIELD(4, INT, muni, active), DB_FIELD(5, INT, muni, in_scope),
};
static const db_field KINDERGARTEN[] = {
    DB_FIELD(0, ID, kg, id),           DB_FIELD(2, TEXT, kg, code),    DB_FIELD(3, TEXT, kg, name),
    DB_FIELD(4, TEXT, kg, short_name), DB_FIELD(5, TEXT, kg, address), DB_FIELD(6, TEXT, kg, path),
    DB_FIELD(7, INT, kg, active),
};
static const db_field GROUP[] = {DB_FIELD(0, ID, grp, id), DB_FIELD(2, TEXT, grp, name)};

static const import_loader LOADERS[] = {
    IMPORT_LOADER(
        "SELECT m.id, m.code, m.name, m.path, m.active, " SCOPE_SQL(
            "m") ", "
                 "m.short_name FROM org_units m WHERE m.level = 'municipality' AND (" SCOPE_SQL(
                     "m") " OR EXISTS (SELECT 1 FROM org_units k WHERE k.parent_id = m.id AND "
                          "k.level = 'kindergarten' AND " SCOPE_SQL("k") "))",
        muni, MUNI, keep_muni),
    IMPORT_LOADER("SELECT k.id, k.parent_id, k.code, k.name, k.short_name, k.address, k.path, "
                  "k.active FROM org_units k WHERE k.level = 'kindergarten' AND " SCOPE_SQL("k"),
                  kg, KINDERGARTEN, keep_kindergarten),
    IMPORT_LOADER("SELECT g.id, g.parent_id, g.name FROM org_units g WHERE g.level = 'group' "
                  "AND " SCOPE_SQL("g"),
                  grp, GROUP, keep_group),
};

/* ---------------------------------------------------------------- the plan */

static muni *find_muni(unit_plan *p, const char *cell)
{
    const char *key = import_fold(&p->base, cell);
    muni *m = strmap_get(&p->muni_code, key);
    return m ? m : strmap_get(&p->muni_name, key);
}

/* Does a later row say the same about the kindergarten as its first row? */
static int consistent(unit_plan *p, const kg *k, size_t line, const muni *m, const char *name,
                      const char *short_name, const char *address)
{
    import_run *run = p->base.run;
    if (k->parent != m) {
        import_error(run, line,
                     "Детский сад с кодом «%s» уже указан в строке %zu с другим "
                     "муниципалитетом.",
                     import_shown(p->base.rq->a, k->code), k->line);
        return 0;
    }
    const char *what = NULL;
    if (!import_same(k->f_name, name))
        what = "наименование";
    else if (short_name && !import_same(k->f_short_name, short_name))
        what = "краткое наименование";
    else if (address && !import_same(k->f_address, address))
        what = "адрес";
    if (what)
        import_error(run, line,
                     "Для детского сада с кодом «%s» в строке %zu указано другое "
                     "значение «%s».",
                     import_shown(p->base.rq->a, k->code), k->line, what);
    return what == NULL;
}

static void remember(unit_plan *p, kg *k, size_t line, const char *name, const char *short_name,
                     const char *address)
{
    k->planned = 1;
    k->line = line;
    k->f_name = name;
    k->f_short_name = short_name;
    k->f_address = address;
    if (k->act != IMPORT_KEEP) {
        *p->kg_tail = k;
        p->kg_tail = &k->next;
    }
}

static kg *plan_existing(unit_plan *p, kg *k, size_t line, const muni *m, const char *name,
                         const char *short_name, const char *address)
{
    request *rq = p->base.rq;
    import_run *run = p->base.run;
    if (k->parent != m) {
        import_error(run, line,
                     "Детский сад с кодом «%s» относится к муниципалитету «%s». "
                     "Перенести его можно в карточке организации.",
                     import_shown(rq->a, k->code), k->parent ? k->parent->name : "?");
        return NULL;
    }
    k->new_name = name;
    k->new_short_name = import_new_value(short_name, k->short_name);
    k->new_address = import_new_value(address, k->address);
    json_t *changes = json_object();
    if (!changes) {
        p->base.nomem = 1;
        return NULL;
    }
    if (import_diff(changes, "name", k->name, k->new_name) != 0 ||
        import_diff(changes, "short_name", k->short_name, k->new_short_name) != 0 ||
        import_diff(changes, "address", k->address, k->new_address) != 0)
        p->base.nomem = 1;
    if (json_object_size(changes) == 0) {
        json_decref(changes);
        run->unchanged++;
        remember(p, k, line, name, short_name, address);
        return k;
    }
    scope_unit u = {.id = k->id, .level = LEVEL_KINDERGARTEN, .path = k->path, .active = k->active};
    if (!scope_can_manage_unit(rq, &u)) {
        json_decref(changes);
        import_error(run, line, "Нет прав изменять детский сад «%s».",
                     import_shown(rq->a, k->name));
        return NULL;
    }
    k->act = IMPORT_UPDATE;
    k->changes = changes;
    k->item = json_pack("{s:I, s:s, s:I, s:s?, s:s, s:o}", "line", (json_int_t)line, "level",
                        "kindergarten", "id", (json_int_t)k->id, "code", k->code, "name", name,
                        "changes", changes);
    import_add(run, run->update, k->item); /* k->item stays borrowed from the answer */
    p->n_update++;
    remember(p, k, line, name, short_name, address);
    return k;
}

static kg *plan_new(unit_plan *p, size_t line, muni *m, const char *code, const char *name,
                    const char *short_name, const char *address)
{
    request *rq = p->base.rq;
    import_run *run = p->base.run;
    db_val v[] = {DB_STR(code)};
    db_result r;
    db_status s =
        DB_EXEC(rq->db, rq->a, "SELECT id FROM org_units WHERE kindergarten_code = ?", v, &r);
    if (s != DB_OK) {
        p->base.db = s;
        return NULL;
    }
    if (r.nrows) {
        import_error(run, line, "Код «%s» уже занят организацией вне вашей области доступа.",
                     import_shown(rq->a, code));
        return NULL;
    }
    scope_unit u = {.id = m->id, .level = LEVEL_MUNICIPALITY, .path = m->path, .active = m->active};
    if (!m->in_scope || !scope_can_create_child(rq, &u)) {
        import_error(run, line, "Нет прав создавать детские сады в муниципалитете «%s».", m->name);
        return NULL;
    }
    if (!m->active) {
        import_error(run, line, "Муниципалитет «%s» отключён: создавать в нём детские сады нельзя.",
                     m->name);
        return NULL;
    }
    kg *k = import_alloc(&p->base, sizeof *k);
    if (!k)
        return NULL;
    k->parent = m;
    k->code = code;
    k->active = 1;
    k->new_name = name;
    k->new_short_name = import_new_value(short_name, NULL);
    k->new_address = import_new_value(address, NULL);
    k->act = IMPORT_CREATE;
    k->item = json_pack("{s:I, s:s, s:s, s:s, s:s}", "line", (json_int_t)line, "level",
                        "kindergarten", "code", code, "name", name, "municipality", m->name);
    import_add(run, run->create, k->item);
    p->n_create++;
    import_put(&p->base, &p->kg_code, import_fold(&p->base, code), k);
    remember(p, k, line, name, short_name, address);
    return k;
}

static void plan_group(unit_plan *p, size_t line, kg *k, const char *name)
{
    request *rq = p->base.rq;
    import_run *run = p->base.run;
    const char *key = group_key(p, k, name);
    grp *g = strmap_get(&p->groups, key);
    if (g && g->line) {
        import_error(run, line, "Группа «%s» этого детского сада уже указана в строке %zu.",
                     import_shown(rq->a, name), g->line);
        return;
    }
    if (g) {
        g->line = line;
        run->unchanged++;
        return;
    }
    if (k->act != IMPORT_CREATE) {
        scope_unit u = {
            .id = k->id, .level = LEVEL_KINDERGARTEN, .path = k->path, .active = k->active};
        if (!scope_can_create_child(rq, &u)) {
            import_error(run, line, "Нет прав создавать группы в детском саду «%s».",
                         import_shown(rq->a, k->name));
            return;
        }
        if (!k->active) {
            import_error(run, line, "Детский сад «%s» отключён: создавать в нём группы нельзя.",
                         import_shown(rq->a, k->name));
            return;
        }
    }
    g = import_alloc(&p->base, sizeof *g);
    if (!g)
        return;
    g->parent = k;
    g->name = name;
    g->line = line;
    g->item = json_pack("{s:I, s:s, s:s?, s:s}", "line", (json_int_t)line, "level", "group", "code",
                        k->code, "name", name);
    import_add(run, run->create, g->item);
    p->n_create++;
    import_put(&p->base, &p->groups, key, g);
    *p->grp_tail = g;
    p->grp_tail = &g->next;
}

static void plan_row(void *plan, size_t line, const char *const *cell, int bad)
{
    unit_plan *p = plan;
    import_run *run = p->base.run;
    if (bad)
        return;
    const char *mcell = cell[C_MUNICIPALITY], *code = cell[C_CODE], *name = cell[C_NAME];
    const char *short_name = cell[C_SHORT_NAME], *address = cell[C_ADDRESS];
    const char *group = cell[C_GROUP];
    muni *m = find_muni(p, mcell);
    if (m == &p->ambiguous) {
        import_error(run, line, "Муниципалитетов «%s» несколько: укажите код муниципалитета.",
                     import_shown(p->base.rq->a, mcell));
        return;
    }
    if (!m) {
        import_error(run, line,
                     "Муниципалитет «%s» не найден среди доступных вам (укажите его "
                     "код или наименование).",
                     import_shown(p->base.rq->a, mcell));
        return;
    }
    kg *k = strmap_get(&p->kg_code, import_fold(&p->base, code));
    if (k && k->planned) {
        if (!consistent(p, k, line, m, name, short_name, address))
            return;
    } else if (k) {
        k = plan_existing(p, k, line, m, name, short_name, address);
    } else {
        k = plan_new(p, line, m, code, name, short_name, address);
    }
    if (k && group && *group)
        plan_group(p, line, k, group);
}

static int prepare(void *plan, size_t rows)
{
    unit_plan *p = plan;
    arena *a = p->base.rq->a;
    return strmap_init(&p->muni_code, a, 64) || strmap_init(&p->muni_name, a, 64) ||
                   strmap_init(&p->muni_id, a, 64) || strmap_init(&p->kg_code, a, rows) ||
                   strmap_init(&p->kg_id, a, 256) || strmap_init(&p->groups, a, rows)
               ? -1
               : 0;
}

static int apply(void *plan, response *rs)
{
    unit_plan *p = plan;
    return p->kg_head || p->grp_head ? import_units_apply(p, rs) : 0;
}

static const import_kind UNITS = IMPORT_KIND(COLUMNS, TEXTS, LOADERS, prepare, plan_row, apply);

int handle_import_units(request *rq, response *rs)
{
    unit_plan p;
    memset(&p, 0, sizeof p);
    p.kg_tail = &p.kg_head;
    p.grp_tail = &p.grp_head;
    return import_handle(rq, rs, &UNITS, &p.base);
}
