/* The route table: every endpoint of the API, who may call it, what body it takes and
 * which path parameter must lie within the caller's scope. Described for clients in
 * backend/openapi.yaml; the access rules are in docs/api-org.md. */
#include "handlers.h"
#include "router.h"

/* Roles that manage org units and users. */
#define MANAGERS                                                                                   \
    (ROLE_BIT(ROLE_ADMINISTRATOR) | ROLE_BIT(ROLE_REGION_COORDINATOR) |                            \
     ROLE_BIT(ROLE_MUNICIPAL_COORDINATOR) | ROLE_BIT(ROLE_DOO_COORDINATOR))
#define PENDING ROUTE_ALLOW_PENDING_PASSWORD

const route ROUTES[] = {
    /* method, path, handler, roles, body, scope, flags */
    {"GET", "/api/v1/health", handle_health, ROUTE_PUBLIC, BODY_NONE, SCOPE_NONE, 0},
    {"POST", "/api/v1/auth/login", handle_login, ROUTE_PUBLIC, BODY_JSON, SCOPE_NONE, 0},
    {"POST", "/api/v1/auth/refresh", handle_refresh, ROUTE_PUBLIC, BODY_NONE, SCOPE_NONE, 0},
    {"POST", "/api/v1/auth/logout", handle_logout, ROUTE_PUBLIC, BODY_NONE, SCOPE_NONE, 0},
    {"GET", "/api/v1/me", handle_me, ROLES_ANY, BODY_NONE, SCOPE_NONE, PENDING},

    /* org units (units.c) */
    {"GET", "/api/v1/units", handle_units_list, ROLES_ANY, BODY_NONE, SCOPE_NONE, 0},
    {"POST", "/api/v1/units", handle_unit_create, MANAGERS, BODY_JSON, SCOPE_NONE, 0},
    {"GET", "/api/v1/units/{id}", handle_unit_get, ROLES_ANY, BODY_NONE, SCOPE_UNIT, 0},
    {"PATCH", "/api/v1/units/{id}", handle_unit_update, MANAGERS, BODY_JSON, SCOPE_UNIT, 0},
    {"GET", "/api/v1/units/{id}/children", handle_unit_children, ROLES_ANY, BODY_NONE,
     SCOPE_UNIT, 0},
    {"POST", "/api/v1/units/{id}/move", handle_unit_move, MANAGERS, BODY_JSON, SCOPE_UNIT, 0},

    /* users, passwords, expert assignments (users.c) */

    /* import and export (import.c, export.c) */
    {"POST", "/api/v1/import/units", handle_import_units, MANAGERS, BODY_CSV, SCOPE_NONE, 0},
    {"POST", "/api/v1/import/users", handle_import_users, MANAGERS, BODY_CSV, SCOPE_NONE, 0},
    {"GET", "/api/v1/export/units.csv", handle_export_units, MANAGERS, BODY_NONE, SCOPE_NONE, 0},
    {"GET", "/api/v1/export/users.csv", handle_export_users, MANAGERS, BODY_NONE, SCOPE_NONE, 0},

    /* audit log (audit_handlers.c) */
    {"GET", "/api/v1/audit", handle_audit_list, MANAGERS, BODY_NONE, SCOPE_NONE, 0},
};

const size_t ROUTES_COUNT = sizeof ROUTES / sizeof ROUTES[0];
