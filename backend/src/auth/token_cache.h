/* Access tokens this worker has already verified, with their claims: a token seen again
 * (a client sends the same one with every request for up to VSOK_ACCESS_TTL) skips the
 * HMAC, the base64 and the JSON of jwt_token_verify. Only the exact bytes of a token that
 * passed the full check are kept, and expiry is checked on every use, so the answer is
 * always the one jwt_token_verify would give. The key never changes within a worker (a
 * reload starts new workers). */
#ifndef VSOK_TOKEN_CACHE_H
#define VSOK_TOKEN_CACHE_H

#include "core/jwt_token.h"

#define TOKEN_CACHE_SLOTS 64

typedef struct {
    size_t len; /* 0: empty slot */
    char token[JWT_TOKEN_MAX];
    token_claims claims;
} token_cache_entry;

typedef struct {
    token_cache_entry slots[TOKEN_CACHE_SLOTS];
} token_cache;

/* jwt_token_verify, answered from the cache when this exact token passed it before and
 * has not expired at now. */
token_status token_cache_verify(token_cache *c, const unsigned char *key, size_t keylen,
                                const char *token, long now, token_claims *out);

#endif
