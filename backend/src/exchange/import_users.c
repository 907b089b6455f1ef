/* POST /import/users: user accounts from a CSV file, one row per user, found by login. New
 * users get a temporary password they must change; role and organisation follow the same
 * rules as POST /users. docs/api-org.md, "Import and export (CSV)". */
#include "exchange/handlers.h"
#include "auth/principal.h"
#include "exchange/import_users.h"

#include <string.h>

static const char *const LOGIN_RU[] = {"логин", NULL};
static const char *const FULL_NAME_RU[] = {"ФИО", "фамилия имя отчество", NULL};
static const char *const ROLE_RU[] = {"роль", NULL};
static const char *const UNIT_CODE_RU[] = {"код организации", "организация", NULL};
static const char *const EMAIL_RU[] = {"электронная почта", "эл. почта", "e-mail", NULL};
static const char *const PHONE_RU[] = {"телефон", NULL};

static const csv_column COLUMNS[C_COUNT] = {
    [C_LOGIN] = {"login", LOGIN_RU, 1}, [C_FULL_NAME] = {"full_name", FULL_NAME_RU, 1},
    [C_ROLE] = {"role", ROLE_RU, 1},    [C_UNIT_CODE] = {"unit_code", UNIT_CODE_RU, 1},
    [C_EMAIL] = {"email", EMAIL_RU, 0}, [C_PHONE] = {"phone", PHONE_RU, 0},
};

/* The checks of the cells: the column's name in messages, the most characters. */
static const import_text TEXTS[C_COUNT] = {
    [C_LOGIN] = {"логин", 64},  [C_FULL_NAME] = {"ФИО", 300},
    [C_ROLE] = {"роль", 100},   [C_UNIT_CODE] = {"код организации", 500},
    [C_EMAIL] = {"email", 254}, [C_PHONE] = {"телефон", 32},
};

static void put_unit(user_plan *p, strmap *m, const char *key, unit_ref *u)
{
    unit_node *n = import_alloc(&p->base, sizeof *n);
    if (!n)
        return;
    n->unit = u;
    n->next = strmap_get(m, key);
    import_put(&p->base, m, key, n);
}

/* ---------------------------------------------------------------- what exists */

static int keep_unit(void *plan, const db_result *r, size_t i, void *item)
{
    user_plan *p = plan;
    unit_ref *u = item;
    if (org_level_parse(db_cell(r, i, 1), &u->level) != 0)
        return -1;
    if (u->code && *u->code)
        put_unit(p, &p->unit_code, import_fold(&p->base, u->code), u);
    put_unit(p, &p->unit_name, import_fold(&p->base, u->name), u);
    return 0;
}

static int keep_user(void *plan, const db_result *r, size_t i, void *item)
{
    user_plan *p = plan;
    usr *u = item;
    if (role_parse(db_cell(r, i, 5), &u->role) != 0)
        return -1;
    import_put(&p->base, &p->by_login, import_fold(&p->base, u->login), u);
    return 0;
}

/* What exists: the organisations (not groups) and the users in scope. */
static const db_field UNIT[] = {DB_FIELD(0, ID, unit_ref, id), DB_FIELD(2, TEXT, unit_ref, code),
                                DB_FIELD(3, TEXT, unit_ref, name)};
static const db_field USER[] = {
    DB_FIELD(0, ID, usr, id),      DB_FIELD(1, TEXT, usr, login), DB_FIELD(2, TEXT, usr, full_name),
    DB_FIELD(3, TEXT, usr, email), DB_FIELD(4, TEXT, usr, phone), DB_FIELD(6, ID, usr, unit_id),
};

static const import_loader LOADERS[] = {
    IMPORT_LOADER("SELECT o.id, o.level, o.code, o.name FROM org_units o WHERE o.level <> "
                  "'group' AND " SCOPE_SQL("o"),
                  unit_ref, UNIT, keep_unit),
    IMPORT_LOADER("SELECT u.id, u.login, u.full_name, u.email, u.phone, u.role, u.org_unit_id "
                  "FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE " SCOPE_SQL("o"),
                  usr, USER, keep_user),
};

/* ---------------------------------------------------------------- the user_plan */

/* The organisation a cell names (by code, else by full name) that fits the role. */
static const unit_ref *resolve_unit(user_plan *p, size_t line, const char *cell, role r)
{
    const char *key = import_fold(&p->base, cell);
    const unit_ref *pick = NULL;
    int fits = 0, any = 0;
    for (int pass = 0; pass < 2 && fits == 0; pass++) {
        unit_node *n = strmap_get(pass == 0 ? &p->unit_code : &p->unit_name, key);
        for (; n; n = n->next) {
            any = 1;
            if (scope_role_fits_level(r, n->unit->level)) {
                fits++;
                pick = n->unit;
            }
        }
    }
    if (fits == 1)
        return pick;
    const char *shown = import_shown(p->base.rq->a, cell);
    if (fits > 1)
        import_error(p->base.run, line,
                     "Организаций «%s» подходящего уровня несколько: укажите код.", shown);
    else if (any)
        import_error(p->base.run, line, "Организация «%s» не подходит для роли «%s»: нужен %s.",
                     shown, import_role_title(r), import_level_wanted(r));
    else
        import_error(p->base.run, line, "Организация с кодом «%s» не найдена среди доступных вам.",
                     shown);
    return NULL;
}

static int check_cells(user_plan *p, size_t line, const char *login, const char *email, int bad)
{
    import_run *run = p->base.run;
    if (strchr(login, ' ') || strstr(login, "\xC2\xA0")) {
        import_error(run, line, "Логин «%s» содержит пробелы.", import_shown(p->base.rq->a, login));
        bad = 1;
    }
    if (email && *email) {
        const char *at = strchr(email, '@');
        if (!at || at == email || !at[1] || strchr(email, ' ')) {
            import_error(run, line, "Некорректный адрес электронной почты «%s».",
                         import_shown(p->base.rq->a, email));
            bad = 1;
        }
    }
    return bad ? -1 : 0;
}

static void plan_update(user_plan *p, usr *u, size_t line, const char *unit_cell)
{
    request *rq = p->base.rq;
    import_run *run = p->base.run;
    json_t *changes = json_object();
    if (!changes) {
        p->base.nomem = 1;
        return;
    }
    if (import_diff(changes, "full_name", u->full_name, u->new_full_name) != 0 ||
        import_diff(changes, "email", u->email, u->new_email) != 0 ||
        import_diff(changes, "phone", u->phone, u->new_phone) != 0 ||
        import_diff(changes, "role", role_name(u->role), role_name(u->new_role)) != 0)
        p->base.nomem = 1;
    if (u->new_unit->id != u->unit_id &&
        json_object_set_new(
            changes, "org_unit_id",
            json_pack("[I, I]", (json_int_t)u->unit_id, (json_int_t)u->new_unit->id)) != 0)
        p->base.nomem = 1;
    if (json_object_size(changes) == 0) {
        json_decref(changes);
        run->unchanged++;
        return;
    }
    const char *err = NULL;
    if (u->id == rq->me->user_id)
        err = "Свою учётную запись через импорт изменить нельзя.";
    else if (!scope_can_manage_role(rq->me->role, u->role))
        err = arena_sprintf(rq->a, "Нет прав изменять пользователя с ролью «%s».",
                            import_role_title(u->role));
    else if (u->new_role != u->role && !scope_can_manage_role(rq->me->role, u->new_role))
        err = arena_sprintf(rq->a, "Нет прав назначать роль «%s».", import_role_title(u->new_role));
    if (err) {
        json_decref(changes);
        import_error(run, line, "%s", err);
        return;
    }
    u->act = IMPORT_UPDATE;
    u->changes = changes;
    u->item = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:o}", "line", (json_int_t)line, "id",
                        (json_int_t)u->id, "login", u->login, "full_name", u->new_full_name, "role",
                        role_name(u->new_role), "unit_code", unit_cell, "changes", changes);
    import_add(run, run->update, u->item);
    p->n_update++;
    *p->tail = u;
    p->tail = &u->next;
}

static void plan_create(user_plan *p, size_t line, const char *login, const char *unit_cell,
                        usr *proto)
{
    request *rq = p->base.rq;
    import_run *run = p->base.run;
    db_val v[] = {DB_STR(login)};
    db_result r;
    db_status s = DB_EXEC(rq->db, rq->a, "SELECT id FROM users WHERE login = ?", v, &r);
    if (s != DB_OK) {
        p->base.db = s;
        return;
    }
    if (r.nrows) {
        import_error(run, line, "Логин «%s» уже занят.", import_shown(rq->a, login));
        return;
    }
    if (p->n_create >= MAX_NEW_USERS) {
        if (!p->limit_reported)
            import_error(run, line,
                         "За один раз можно создать не больше %d пользователей: разделите "
                         "файл на части.",
                         MAX_NEW_USERS);
        p->limit_reported = 1;
        return;
    }
    usr *u = import_alloc(&p->base, sizeof *u);
    if (!u)
        return;
    *u = *proto;
    u->login = login;
    u->act = IMPORT_CREATE;
    u->item = json_pack("{s:I, s:s, s:s, s:s, s:s}", "line", (json_int_t)line, "login", login,
                        "full_name", u->new_full_name, "role", role_name(u->new_role), "unit_code",
                        unit_cell);
    import_add(run, run->create, u->item);
    p->n_create++;
    import_put(&p->base, &p->by_login, import_fold(&p->base, login), u);
    *p->tail = u;
    p->tail = &u->next;
}

static void plan_row(void *plan, size_t line, const char *const *cell, int bad)
{
    user_plan *p = plan;
    import_run *run = p->base.run;
    const char *login = cell[C_LOGIN], *full_name = cell[C_FULL_NAME];
    const char *role_cell = cell[C_ROLE], *unit_cell = cell[C_UNIT_CODE];
    const char *email = cell[C_EMAIL], *phone = cell[C_PHONE];
    if (check_cells(p, line, login, email, bad) != 0)
        return;
    role ro;
    if (import_role_parse(p->base.rq->a, role_cell, &ro) != 0) {
        import_error(
            run, line,
            "Неизвестная роль «%s». Допустимы: администратор, региональный "
            "координатор, муниципальный координатор, координатор ДОО, педагог (воспитатель), "
            "эксперт (или administrator, region_coordinator, municipal_coordinator, "
            "doo_coordinator, teacher, expert).",
            import_shown(p->base.rq->a, role_cell));
        return;
    }
    usr *u = strmap_get(&p->by_login, import_fold(&p->base, login));
    if (u && u->line) {
        import_error(run, line, "Логин «%s» уже указан в строке %zu.",
                     import_shown(p->base.rq->a, login), u->line);
        return;
    }
    if (!u && !scope_can_manage_role(p->base.rq->me->role, ro)) {
        import_error(run, line, "Нет прав создавать пользователей с ролью «%s».",
                     import_role_title(ro));
        return;
    }
    const unit_ref *unit = resolve_unit(p, line, unit_cell, ro);
    if (!unit)
        return;
    usr proto;
    memset(&proto, 0, sizeof proto);
    usr *t = u ? u : &proto;
    t->line = line;
    t->new_full_name = full_name;
    t->new_email = import_new_value(email, u ? u->email : NULL);
    t->new_phone = import_new_value(phone, u ? u->phone : NULL);
    t->new_role = ro;
    t->new_unit = unit;
    if (u)
        plan_update(p, u, line, unit_cell);
    else
        plan_create(p, line, login, unit_cell, &proto);
}

static int prepare(void *plan, size_t rows)
{
    user_plan *p = plan;
    arena *a = p->base.rq->a;
    return strmap_init(&p->by_login, a, rows + 256) || strmap_init(&p->unit_code, a, 256) ||
                   strmap_init(&p->unit_name, a, 256)
               ? -1
               : 0;
}

static int apply(void *plan, response *rs)
{
    user_plan *p = plan;
    return p->head ? import_users_apply(p, rs) : 0;
}

static const import_kind USERS = IMPORT_KIND(COLUMNS, TEXTS, LOADERS, prepare, plan_row, apply);

int handle_import_users(request *rq, response *rs)
{
    user_plan p;
    memset(&p, 0, sizeof p);
    p.tail = &p.head;
    return import_handle(rq, rs, &USERS, &p.base);
}
