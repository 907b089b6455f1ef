#include "campaigns/stage_sample.h"

#include <math.h>
#include <stdlib.h>

/* SplitMix64: a well-mixed 64-bit hash of the seed and the id. */
static uint64_t mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

typedef struct {
    uint64_t stratum, key, id;
    size_t index;
} ranked;

static int by_stratum_key(const void *pa, const void *pb)
{
    const ranked *a = pa, *b = pb;
    if (a->stratum != b->stratum)
        return a->stratum < b->stratum ? -1 : 1;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

size_t sample_stratum_quota(size_t size, double percent)
{
    if (size == 0)
        return 0;
    double want = floor((double)size * percent / 100.0 + 0.5);
    size_t k = want < 1 ? 1 : (size_t)want;
    return k > size ? size : k;
}

long sample_draw(arena *a, sample_unit *units, size_t n, double percent, uint64_t seed)
{
    if (!(percent > 0 && percent <= 100))
        return -1;
    if (n == 0)
        return 0;
    ranked *r = arena_alloc(a, n * sizeof *r);
    if (!r)
        return -1;
    for (size_t i = 0; i < n; i++) {
        units[i].chosen = 0;
        r[i] = (ranked){units[i].stratum, mix(seed ^ mix(units[i].id)), units[i].id, i};
    }
    qsort(r, n, sizeof *r, by_stratum_key);
    long drawn = 0;
    for (size_t start = 0; start < n;) {
        size_t end = start;
        while (end < n && r[end].stratum == r[start].stratum)
            end++;
        size_t quota = sample_stratum_quota(end - start, percent);
        for (size_t i = start; i < start + quota; i++, drawn++)
            units[r[i].index].chosen = 1;
        start = end;
    }
    return drawn;
}
