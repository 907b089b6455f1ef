/* Drawing a campaign's sample of kindergartens: stratified by municipality (each one gives
 * its share, rounded, and at least one kindergarten), deterministic for a seed (the same
 * seed and list give the same sample), independent of the order the list comes in. Pure:
 * no I/O. */
#ifndef VSOK_STAGE_SAMPLE_H
#define VSOK_STAGE_SAMPLE_H

#include "core/arena.h"

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint64_t id;      /* the kindergarten */
    uint64_t stratum; /* its municipality */
    int chosen;       /* out: 1 when drawn */
} sample_unit;

/* Marks the drawn units of units[0..n) for percent (0 < percent <= 100) and seed. Returns
 * the number drawn, or -1 for a bad percent or when out of memory. */
long sample_draw(arena *a, sample_unit *units, size_t n, double percent, uint64_t seed);

/* How many of a stratum of `size` units are drawn for percent: size * percent / 100 rounded
 * half up, at least 1 (when size > 0), at most size. */
size_t sample_stratum_quota(size_t size, double percent);

#endif
