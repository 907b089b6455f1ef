/* Files derived from a stored object, kept beside the objects and served by nginx like them:
 * <uploads>/derived/<what>/ab/cd/<sha256 hex>.<ext> (what: "thumb" for previews, "clean" for
 * copies without location data), URI /_derived/<what>/ab/cd/<hex>.<ext>. A derived file is
 * written under a temporary name and renamed into place, so nobody serves half a file; a
 * marker <hex>.none says the tool refused the object, so it is not tried again on every
 * request. Thumbnails (evidence_thumb.c) and GPS-free copies (evidence_clean.c) use it. */
#ifndef VSOK_EVIDENCE_DERIVED_H
#define VSOK_EVIDENCE_DERIVED_H

#include "core/arena.h"
#include "core/config.h"

typedef enum {
    DERIVED_READY = 0, /* *uri names the file */
    DERIVED_NONE,      /* no such derived file can be made (no tool, or the tool refused it) */
    DERIVED_ERROR      /* out of memory or disk trouble: logged */
} derived_result;

char *evidence_derived_path(arena *a, const config *cfg, const char *what, const char *hex,
                            const char *ext);
char *evidence_derived_uri(arena *a, const char *what, const char *hex, const char *ext);

/* A temporary name in the directory of path, unique to this process, ending in .ext (the
 * tools choose the format by the suffix). */
char *evidence_derived_tmp(arena *a, const char *path, const char *ext);

/* Moves a finished temporary file into place (atomic rename). Returns 0 or -1. */
int evidence_derived_publish(const char *tmp, const char *path);

/* Writes the marker that says the object cannot give this derived file. */
void evidence_derived_mark_none(arena *a, const config *cfg, const char *what, const char *hex);
int evidence_derived_marked_none(arena *a, const config *cfg, const char *what, const char *hex);

/* Removes every derived file of an object. Returns 0 or -1 (logged). */
int evidence_derived_remove(arena *a, const config *cfg, const char *hex);

#endif
