#include "core/strmap.h"

#include <stdint.h>
#include <string.h>

static size_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return (size_t)h;
}

static strmap_slot *find(strmap_slot *slots, size_t cap, const char *key)
{
    size_t i = hash(key) & (cap - 1);
    while (slots[i].key && strcmp(slots[i].key, key) != 0)
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

static int resize(strmap *m, size_t cap)
{
    strmap_slot *slots = arena_alloc(m->a, cap * sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < m->cap; i++) {
        if (m->slots[i].key)
            *find(slots, cap, m->slots[i].key) = m->slots[i];
    }
    m->slots = slots;
    m->cap = cap;
    return 0;
}

int strmap_init(strmap *m, arena *a, size_t expected)
{
    m->a = a;
    m->slots = NULL;
    m->cap = 0;
    m->count = 0;
    size_t cap = 16;
    while (cap < SIZE_MAX / 4 && cap < expected * 2)
        cap *= 2;
    return resize(m, cap);
}

void *strmap_get(const strmap *m, const char *key)
{
    if (!m->cap)
        return NULL;
    strmap_slot *s = find(m->slots, m->cap, key);
    return s->key ? s->value : NULL;
}

int strmap_put(strmap *m, const char *key, void *value)
{
    if ((m->count + 1) * 2 > m->cap && resize(m, m->cap * 2) != 0)
        return -1;
    strmap_slot *s = find(m->slots, m->cap, key);
    if (!s->key) {
        s->key = key;
        m->count++;
    }
    s->value = value;
    return 0;
}
