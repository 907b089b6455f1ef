/* Org unit documents: the columns every unit query selects, the JSON made from them, and
 * the validated fields of a create or edit request. */
#ifndef VSOK_UNIT_JSON_H
#define VSOK_UNIT_JSON_H

#include "http/http.h"

/* Columns of a unit with the number of its active descendants per level (the (level,
 * path) index makes each count a range scan). Alias: o. */
#define UNIT_COLUMNS                                                                               \
    "o.id, o.parent_id, o.level, o.name, o.short_name, o.code, o.address, o.active, "              \
    "(SELECT COUNT(*) FROM org_units d WHERE d.level = 'municipality' AND d.active = 1 AND "       \
    "d.path LIKE CONCAT(o.path, '_%')), "                                                          \
    "(SELECT COUNT(*) FROM org_units d WHERE d.level = 'kindergarten' AND d.active = 1 AND "       \
    "d.path LIKE CONCAT(o.path, '_%')), "                                                          \
    "(SELECT COUNT(*) FROM org_units d WHERE d.level = 'group' AND d.active = 1 AND "              \
    "d.path LIKE CONCAT(o.path, '_%')), o.children_enrolled"

json_t *unit_json(const db_result *r, size_t row);

typedef struct {
    const char *name; /* NULL: not given */
    const char *short_name, *code, *address;
    int has_short_name, has_code, has_address; /* given (possibly null to clear) */
    int active;                                /* -1: not given */
    long long children_enrolled;               /* groups only; -1: cleared (null) */
    int has_children_enrolled;
} unit_fields;

/* Reads and checks the body's unit fields; name is required when creating. On failure
 * answers 422 naming every bad field and returns -1. */
int unit_fields_read(request *rq, response *rs, unit_fields *f, int creating);

#endif
