/* Headers of the tus 1.0 protocol: Upload-Metadata ("key base64,key2 base64") and the
 * numbers of Upload-Length / Upload-Offset. Pure. */
#ifndef VSOK_TUS_META_H
#define VSOK_TUS_META_H

#include "core/arena.h"

/* A non-negative decimal without sign or spaces; -1 when s is not one. */
long long tus_parse_number(const char *s);

/* The decoded value of key in an Upload-Metadata header (NULL when absent or malformed;
 * "" for a key without value). Values with NUL bytes or invalid base64 count as absent. */
const char *tus_metadata_get(arena *a, const char *header, const char *key);

#endif
