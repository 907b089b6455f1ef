/* A string-keyed hash map in arena memory (open addressing), for matching the rows of an
 * import against the rows already in the database. Keys are not copied. */
#ifndef VSOK_STRMAP_H
#define VSOK_STRMAP_H

#include "core/arena.h"

#include <stddef.h>

typedef struct {
    const char *key;
    void *value;
} strmap_slot;

typedef struct {
    arena *a;
    strmap_slot *slots;
    size_t cap; /* a power of two */
    size_t count;
} strmap;

/* Returns 0, or -1 when out of memory. */
int strmap_init(strmap *m, arena *a, size_t expected);

/* The value stored for key, or NULL. */
void *strmap_get(const strmap *m, const char *key);

/* Stores value for key (replacing an earlier one). Returns 0, or -1 when out of memory. */
int strmap_put(strmap *m, const char *key, void *value);

#endif
