#include "auth/scope.h"
#include "auth/principal.h"

#include <stdlib.h>
#include <string.h>

static const char *const LEVEL_NAMES[LEVEL_COUNT] = {"region", "municipality", "kindergarten",
                                                     "group"};

int org_level_parse(const char *name, org_level *out)
{
    for (int i = 0; name && i < LEVEL_COUNT; i++) {
        if (strcmp(name, LEVEL_NAMES[i]) == 0) {
            *out = (org_level)i;
            return 0;
        }
    }
    return -1;
}

const char *org_level_name(org_level l)
{
    return (l >= 0 && l < LEVEL_COUNT) ? LEVEL_NAMES[l] : "unknown";
}

uint64_t scope_parse_id(const char *s)
{
    if (!s || !*s || strlen(s) > 19)
        return 0;
    uint64_t v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return 0;
        v = v * 10 + (uint64_t)(*p - '0');
    }
    return v;
}

db_status scope_find_unit(request *rq, uint64_t id, scope_unit *out, int *found)
{
    return scope_find_unit_by(
        rq, "SELECT " SCOPE_UNIT_COLUMNS " FROM org_units o WHERE o.id = ? AND " SCOPE_SQL("o"), id,
        out, found);
}

db_status scope_find_unit_by(request *rq, const char *sql, uint64_t id, scope_unit *out, int *found)
{
    *found = 0;
    memset(out, 0, sizeof *out);
    if (id == 0)
        return DB_OK;
    db_result r;
    db_val p[] = {DB_INT(id), DB_INT(rq->me->user_id)};
    db_status s = DB_EXEC(rq->db, rq->a, sql, p, &r);
    if (s != DB_OK || r.nrows == 0)
        return s;
    out->id = (uint64_t)db_cell_int(&r, 0, 0, 0);
    out->parent_id = (uint64_t)db_cell_int(&r, 0, 1, 0);
    if (org_level_parse(db_cell(&r, 0, 2), &out->level) != 0)
        return DB_ERROR;
    out->path = db_cell(&r, 0, 3);
    out->name = db_cell(&r, 0, 4);
    out->active = (int)db_cell_int(&r, 0, 5, 0);
    *found = 1;
    return DB_OK;
}

static int strictly_below(const char *path, const char *ancestor)
{
    size_t n = strlen(ancestor);
    return strlen(path) > n && strncmp(path, ancestor, n) == 0;
}

int scope_can_manage_unit(const request *rq, const scope_unit *u)
{
    const principal *me = rq->me;
    switch (me->role) {
    case ROLE_ADMINISTRATOR:
        return 1;
    case ROLE_REGION_COORDINATOR:
    case ROLE_MUNICIPAL_COORDINATOR:
        return strictly_below(u->path, me->org_path);
    case ROLE_DOO_COORDINATOR:
        return u->level == LEVEL_GROUP && strictly_below(u->path, me->org_path);
    default:
        return 0;
    }
}

int scope_can_create_child(const request *rq, const scope_unit *parent)
{
    const principal *me = rq->me;
    if (parent->level == LEVEL_GROUP)
        return 0;
    if (me->role == ROLE_ADMINISTRATOR)
        return 1;
    if (me->role == ROLE_DOO_COORDINATOR)
        return parent->level == LEVEL_KINDERGARTEN && strcmp(parent->path, me->org_path) == 0;
    if (me->role == ROLE_REGION_COORDINATOR || me->role == ROLE_MUNICIPAL_COORDINATOR) {
        size_t n = strlen(me->org_path);
        return strncmp(parent->path, me->org_path, n) == 0;
    }
    return 0;
}

int scope_can_manage_role(role caller, role target)
{
    switch (caller) {
    case ROLE_ADMINISTRATOR:
        return 1;
    case ROLE_REGION_COORDINATOR:
        return target == ROLE_MUNICIPAL_COORDINATOR || target == ROLE_DOO_COORDINATOR ||
               target == ROLE_TEACHER || target == ROLE_EXPERT;
    case ROLE_MUNICIPAL_COORDINATOR:
        return target == ROLE_DOO_COORDINATOR || target == ROLE_TEACHER || target == ROLE_EXPERT;
    case ROLE_DOO_COORDINATOR:
        return target == ROLE_TEACHER;
    default:
        return 0;
    }
}

int scope_role_fits_level(role r, org_level level)
{
    switch (r) {
    case ROLE_ADMINISTRATOR:
    case ROLE_REGION_COORDINATOR:
        return level == LEVEL_REGION;
    case ROLE_MUNICIPAL_COORDINATOR:
        return level == LEVEL_MUNICIPALITY;
    case ROLE_DOO_COORDINATOR:
    case ROLE_TEACHER:
        return level == LEVEL_KINDERGARTEN;
    case ROLE_EXPERT:
        return level == LEVEL_MUNICIPALITY || level == LEVEL_REGION;
    default:
        return 0;
    }
}
