/* The one access mechanism for org data. A caller sees the subtrees listed for them in the
 * SQL view user_scope (migration 002); every query that reads org data adds SCOPE_SQL for
 * its org_units alias and binds the caller's user id. Which units and users a caller may
 * change is decided here too, so handlers ask rather than re-implement the rules. */
#ifndef VSOK_SCOPE_H
#define VSOK_SCOPE_H

#include "http/http.h"

/* Condition: the expert assignment `alias` (expert_assignments) is in force today — it has no
 * end date, or its end date (the last day, migration 019) is not past. */
#define ASSIGNMENT_CURRENT_SQL(alias)                                                              \
    "(" alias ".ends_on IS NULL OR " alias ".ends_on >= CURRENT_DATE)"

/* The caller's scope paths — the rows of the view user_scope for one user — as a table
 * expression with one column, path; one parameter: the user id. Spelled out rather than read
 * from the view: the view is a UNION, which MariaDB materialises for every user at each
 * execution of a prepared statement (thousands of rows read per request at region scale),
 * while this reads the user's row and assignments by key. An expert's assignment counts up
 * to and including its end date (ends_on, migration 019): from the next day the
 * kindergarten, its sheets and its evidence are out of the expert's scope. */
#define SCOPE_PATHS_SQL                                                                            \
    "(SELECT IF(su.role = 'administrator', '/', COALESCE(sk.path, so.path)) AS path FROM users "   \
    "su LEFT JOIN org_units so ON so.id = su.org_unit_id AND su.role <> 'expert' LEFT JOIN "       \
    "expert_assignments ea ON ea.expert_id = su.id AND su.role = 'expert' "                        \
    "AND " ASSIGNMENT_CURRENT_SQL(                                                                 \
        "ea") " LEFT JOIN org_units sk ON sk.id = ea.kindergarten_id WHERE "                       \
              "su.id = ? AND su.active = 1)"

/* Condition: org unit `alias` lies within the caller's scope. One parameter: user id. */
#define SCOPE_SQL(alias)                                                                           \
    "EXISTS (SELECT 1 FROM " SCOPE_PATHS_SQL " s WHERE " alias ".path LIKE CONCAT(s.path, '%'))"

/* Condition: a campaign run by org unit `alias` is visible to the caller, who works under it
 * or has it in scope. Two parameters: the caller's org path, then user id. */
#define CAMPAIGN_VISIBLE_SQL(alias) "(? LIKE CONCAT(" alias ".path, '%') OR " SCOPE_SQL(alias) ")"

typedef enum {
    LEVEL_REGION = 0,
    LEVEL_MUNICIPALITY,
    LEVEL_KINDERGARTEN,
    LEVEL_GROUP,
    LEVEL_COUNT
} org_level;

int org_level_parse(const char *name, org_level *out);
const char *org_level_name(org_level l);

/* A unit as the access rules need it. */
typedef struct {
    uint64_t id;
    uint64_t parent_id; /* 0 for a root */
    org_level level;
    const char *path;
    const char *name;
    int active;
} scope_unit;

/* Loads unit id if it lies within the caller's scope. Returns DB_OK with found = 0 when it
 * does not exist or is outside the scope (the caller answers 404). */
db_status scope_find_unit(request *rq, uint64_t id, scope_unit *out, int *found);

/* The columns of a scope_unit, of the unit aliased o. */
#define SCOPE_UNIT_COLUMNS "o.id, o.parent_id, o.level, o.path, o.name, o.active"

/* Loads unit id through sql, which selects SCOPE_UNIT_COLUMNS with the parameters (id, the
 * caller's user id) and says which units the caller may reach; found = 0 when it gives
 * none (and for id 0). */
db_status scope_find_unit_by(request *rq, const char *sql, uint64_t id, scope_unit *out,
                             int *found);

/* May the caller create, edit, move or deactivate this unit (or create a child of parent)?
 * Administrators: any unit. Coordinators: units strictly below their own unit
 * (kindergarten coordinators: groups only). */
int scope_can_manage_unit(const request *rq, const scope_unit *u);
int scope_can_create_child(const request *rq, const scope_unit *parent);

/* May the caller create or edit a user with role target? (One step below, per
 * docs/api-org.md; administrators anything.) */
int scope_can_manage_role(role caller, role target);

/* Does a unit of this level fit as the scope unit of a user with this role? */
int scope_role_fits_level(role r, org_level level);

/* Parses a path parameter as a positive id; 0 when it is not one. */
uint64_t scope_parse_id(const char *s);

#endif
