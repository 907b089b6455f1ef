/* The plan of a units import (import_units.c), applied by import_units_apply.c. */
#ifndef VSOK_IMPORT_UNITS_H
#define VSOK_IMPORT_UNITS_H

#include "exchange/import.h"
#include "core/strmap.h"

enum { C_MUNICIPALITY, C_CODE, C_NAME, C_SHORT_NAME, C_ADDRESS, C_GROUP, C_COUNT };

typedef struct {
    uint64_t id;
    const char *code, *name, *path;
    int active, in_scope;
} muni;

typedef struct kg {
    uint64_t id; /* 0 until created */
    muni *parent;
    const char *code, *name, *short_name, *address, *path; /* as stored */
    int active;
    /* what the file says, from the first row that names this kindergarten */
    int planned;
    size_t line;
    const char *f_name, *f_short_name, *f_address; /* NULL: the column is absent */
    const char *new_name, *new_short_name, *new_address;
    import_action act;
    json_t *item;    /* borrowed from the answer */
    json_t *changes; /* borrowed from item */
    struct kg *next; /* the kindergartens to create or update, in file order */
} kg;

typedef struct grp {
    uint64_t id; /* 0 until created */
    kg *parent;
    const char *name;
    size_t line; /* where the file names it; 0: not yet */
    json_t *item;
    struct grp *next; /* the groups to create, in file order */
} grp;

typedef struct {
    import_plan base;
    strmap muni_code, muni_name, muni_id, kg_code, kg_id, groups;
    muni ambiguous; /* stored for a key that several municipalities share */
    kg *kg_head, **kg_tail;
    grp *grp_head, **grp_tail;
    long long n_create, n_update;
} unit_plan;

/* Creates and updates everything planned in one transaction, with the audit rows. Returns
 * 0, or -1 with rs filled (nothing changed). */
int import_units_apply(unit_plan *p, response *rs);

#endif
