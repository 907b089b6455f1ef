#include "core/roles.h"

#include <string.h>

static const char *const ROLE_NAMES[ROLE_COUNT] = {
    [ROLE_ADMINISTRATOR] = "administrator",
    [ROLE_REGION_COORDINATOR] = "region_coordinator",
    [ROLE_MUNICIPAL_COORDINATOR] = "municipal_coordinator",
    [ROLE_DOO_COORDINATOR] = "doo_coordinator",
    [ROLE_TEACHER] = "teacher",
    [ROLE_EXPERT] = "expert",
};

int role_parse(const char *name, role *out)
{
    if (!name)
        return -1;
    for (int r = 0; r < ROLE_COUNT; r++) {
        if (strcmp(ROLE_NAMES[r], name) == 0) {
            *out = (role)r;
            return 0;
        }
    }
    return -1;
}

const char *role_name(role r)
{
    return (r >= 0 && r < ROLE_COUNT) ? ROLE_NAMES[r] : "unknown";
}
