/* The validated fields of a unit create or edit request (the unit's columns and JSON:
 * org/unit_store.h). */
#ifndef VSOK_UNIT_FIELDS_H
#define VSOK_UNIT_FIELDS_H

#include "org/unit_store.h"

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
