#include "auth/principal.h"

#include <stdio.h>
#include <string.h>

void principal_cache_init(principal_cache *c, long ttl)
{
    memset(c, 0, sizeof *c);
    c->ttl = ttl;
}

static principal *slot_for(principal_cache *c, uint64_t user_id)
{
    return &c->slots[user_id % PRINCIPAL_CACHE_SLOTS];
}

void principal_cache_forget(principal_cache *c, uint64_t user_id)
{
    principal *p = slot_for(c, user_id);
    if (p->user_id == user_id)
        p->user_id = 0;
}

static time_t monotonic_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec;
}

static void copy(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
}

db_status principal_load(principal_cache *c, db_conn *db, arena *a, uint64_t user_id,
                         principal **out)
{
    principal *p = slot_for(c, user_id);
    time_t now = monotonic_now();
    /* A row that still asks for a password change is read every time, so that the change
     * (POST /me/password) lifts the gate in every worker at once. */
    if (c->ttl > 0 && p->user_id == user_id && !p->must_change_password &&
        now - p->loaded < c->ttl) {
        *out = p;
        return DB_OK;
    }
    db_result r;
    db_val v[] = {DB_INT(user_id)};
    db_status s = DB_EXEC(db, a,
                          "SELECT u.id, u.login, u.full_name, u.role, u.must_change_password, "
                          "u.active, o.id, o.name, o.level, o.path, u.session_version FROM users u "
                          "JOIN org_units o ON o.id = u.org_unit_id WHERE u.id = ?",
                          v, &r);
    if (s != DB_OK)
        return s;
    memset(p, 0, sizeof *p);
    *out = p;
    role rl;
    if (r.nrows == 0 || role_parse(db_cell(&r, 0, 3), &rl) != 0)
        return DB_OK; /* user_id stays 0: unknown */
    p->user_id = (uint64_t)db_cell_int(&r, 0, 0, 0);
    copy(p->login, sizeof p->login, db_cell(&r, 0, 1));
    copy(p->full_name, sizeof p->full_name, db_cell(&r, 0, 2));
    p->role = rl;
    p->must_change_password = (int)db_cell_int(&r, 0, 4, 0);
    p->active = (int)db_cell_int(&r, 0, 5, 0);
    p->org_unit_id = (uint64_t)db_cell_int(&r, 0, 6, 0);
    copy(p->org_name, sizeof p->org_name, db_cell(&r, 0, 7));
    copy(p->org_level, sizeof p->org_level, db_cell(&r, 0, 8));
    copy(p->org_path, sizeof p->org_path, db_cell(&r, 0, 9));
    p->session_version = (long)db_cell_int(&r, 0, 10, 0);
    p->loaded = now;
    return DB_OK;
}

json_t *principal_json(const principal *p)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:b, s:{s:I, s:s, s:s}}", "id", (json_int_t)p->user_id,
                     "login", p->login, "full_name", p->full_name, "role", role_name(p->role),
                     "must_change_password", p->must_change_password, "org_unit", "id",
                     (json_int_t)p->org_unit_id, "name", p->org_name, "level", p->org_level);
}
