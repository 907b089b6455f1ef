#include "auth/token_cache.h"

#include <stdint.h>
#include <string.h>

/* FNV-1a of the token's bytes: the slot. */
static size_t slot_of(const char *token, size_t len)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)token[i];
        h *= 1099511628211ULL;
    }
    return (size_t)(h % TOKEN_CACHE_SLOTS);
}

token_status token_cache_verify(token_cache *c, const unsigned char *key, size_t keylen,
                                const char *token, long now, token_claims *out)
{
    size_t len = strlen(token);
    if (!c || len == 0 || len >= JWT_TOKEN_MAX)
        return jwt_token_verify(key, keylen, token, now, out);
    token_cache_entry *e = &c->slots[slot_of(token, len)];
    if (e->len == len && memcmp(e->token, token, len) == 0 && e->claims.exp > now) {
        *out = e->claims;
        return TOKEN_OK;
    }
    token_status s = jwt_token_verify(key, keylen, token, now, out);
    if (s == TOKEN_OK) {
        memcpy(e->token, token, len);
        e->len = len;
        e->claims = *out;
    }
    return s;
}
