/* Instruments in the database: a version is stored with its JSON definition, checked with
 * instrument_parse before it is stored and parsed again (into the request arena) when a
 * sheet needs it. */
#ifndef VSOK_INSTRUMENT_STORE_H
#define VSOK_INSTRUMENT_STORE_H

#include "db/db.h"
#include "forms/instrument.h"

#include <stdint.h>

typedef struct {
    uint64_t id;
    const char *code;
    int version;
    const char *status; /* "draft" or "published" */
    const char *definition;
    const instrument *ins; /* parsed definition */
} stored_instrument;

/* Published versions never change, so a worker keeps the parsed ones it used last. */
#define INSTRUMENT_CACHE_SLOTS 16

typedef struct {
    uint64_t id;            /* 0: not cached (a draft, or never used) */
    unsigned long last_use; /* 0: never used (no arena) */
    arena a;                /* holds the parsed instrument and its strings */
    stored_instrument si;
} instrument_cache_entry;

typedef struct instrument_cache {
    instrument_cache_entry entries[INSTRUMENT_CACHE_SLOTS];
    unsigned long tick;
} instrument_cache;

void instrument_cache_init(instrument_cache *c);
void instrument_cache_destroy(instrument_cache *c);

/* Loads and parses instrument id, from the cache when it holds it (cache may be NULL).
 * found = 0 when there is none. out->definition is only set for versions not cached. */
db_status instrument_store_get(instrument_cache *cache, db_conn *db, arena *a, uint64_t id,
                               stored_instrument *out, int *found);

/* Stores a checked definition as code/version (version 0: one above the highest stored).
 * Returns DB_DUPLICATE when that version exists. */
db_status instrument_store_insert(db_conn *db, arena *a, const json_t *doc, const instrument *ins,
                                  int version, int published, uint64_t created_by, uint64_t *id_out,
                                  int *version_out);

/* Comma-separated respondents or targets of ins, in the arena. */
char *instrument_store_join(arena *a, const char *const *names, size_t n);

#endif
