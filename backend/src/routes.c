/* The route table: every endpoint of the API, who may call it and what body it takes.
 * Described for clients in backend/openapi.yaml. */
#include "handlers.h"
#include "router.h"

const route ROUTES[] = {
    {"GET", "/api/v1/health", handle_health, ROUTE_PUBLIC, BODY_NONE},
    {"POST", "/api/v1/auth/login", handle_login, ROUTE_PUBLIC, BODY_JSON},
    {"POST", "/api/v1/auth/refresh", handle_refresh, ROUTE_PUBLIC, BODY_NONE},
    {"POST", "/api/v1/auth/logout", handle_logout, ROUTE_PUBLIC, BODY_NONE},
    {"GET", "/api/v1/me", handle_me, ROLES_ANY, BODY_NONE},
};

const size_t ROUTES_COUNT = sizeof ROUTES / sizeof ROUTES[0];
