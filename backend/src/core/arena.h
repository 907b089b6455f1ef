/* Per-request arena: bump allocation from chunks, everything freed at once at the end of
 * the request, the way nginx pools work. Cleanups registered with arena_defer run on reset
 * (for objects owned by libraries with their own allocators, e.g. jansson values). */
#ifndef VSOK_ARENA_H
#define VSOK_ARENA_H

#include <stdarg.h>
#include <stddef.h>

typedef struct arena_chunk arena_chunk;
typedef struct arena_cleanup arena_cleanup;

typedef struct {
    arena_chunk *head; /* current chunk; older chunks follow through ->next */
    arena_cleanup *cleanups;
    size_t chunk_size; /* default size of a new chunk */
    size_t total;      /* bytes handed out since the last reset, for limits and tests */
} arena;

/* Sets up an empty arena; the first chunk is allocated on first use. */
void arena_init(arena *a, size_t chunk_size);

/* Returns zeroed memory aligned for any type, or NULL when out of memory. */
void *arena_alloc(arena *a, size_t size);

char *arena_strdup(arena *a, const char *s);
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_sprintf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vsprintf(arena *a, const char *fmt, va_list ap);

/* Registers fn(ptr) to run at reset, newest first. Returns 0 or -1 (fn is then run now). */
int arena_defer(arena *a, void (*fn)(void *), void *ptr);

/* Runs cleanups and frees every chunk but the first, which is kept for the next request. */
void arena_reset(arena *a);

/* Frees everything. */
void arena_destroy(arena *a);

#endif
