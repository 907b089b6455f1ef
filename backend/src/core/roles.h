/* The one fixed set of roles, used by tokens, routes, the database and the UI. */
#ifndef VSOK_ROLES_H
#define VSOK_ROLES_H

typedef enum {
    ROLE_ADMINISTRATOR = 0,
    ROLE_REGION_COORDINATOR,
    ROLE_MUNICIPAL_COORDINATOR,
    ROLE_DOO_COORDINATOR,
    ROLE_TEACHER,
    ROLE_EXPERT,
    ROLE_COUNT
} role;

#define ROLE_BIT(r) (1u << (r))
#define ROLES_ANY ((1u << ROLE_COUNT) - 1)

/* Returns 0 and the role for its wire name ("teacher"), or -1. */
int role_parse(const char *name, role *out);
const char *role_name(role r);

#endif
