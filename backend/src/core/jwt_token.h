/* Access tokens: JWT HS256 issued and verified with libjwt 1.10. */
#ifndef VSOK_JWT_TOKEN_H
#define VSOK_JWT_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#define JWT_TOKEN_ROLE_MAX 32
#define JWT_TOKEN_MAX 1024
#define JWT_KEY_MIN 32
/* Seconds an iat may lie ahead of the verifier's clock (clocks of several hosts drift). */
#define JWT_IAT_SKEW 60

typedef struct {
    uint64_t user_id;              /* "sub", as a decimal string in the token */
    char role[JWT_TOKEN_ROLE_MAX]; /* "role" */
    uint64_t org_unit_id;          /* "org" */
    long iat;                      /* issued at, seconds since the epoch */
    long exp;                      /* expires at */
    long session_version;          /* "sv": the user's session version at issue (0: absent) */
} token_claims;

typedef enum {
    TOKEN_OK = 0,
    TOKEN_MALFORMED,  /* not a JWT, bad signature, bad JSON */
    TOKEN_BAD_ALG,    /* anything but HS256, "none" included */
    TOKEN_EXPIRED,    /* exp <= now */
    TOKEN_BAD_CLAIMS, /* sub/role/org/exp/iat missing or of the wrong type, iat in the future */
    TOKEN_ERROR       /* out of memory, key too short, output too small */
} token_status;

/* Writes a signed token for c into out (NUL-terminated). keylen must be >= JWT_KEY_MIN. */
token_status jwt_token_issue(const unsigned char *key, size_t keylen, const token_claims *c,
                             char *out, size_t outlen);

/* Verifies signature (HS256 pinned), expiry against now, the presence of every claim, and
 * that the token was not issued in the future (iat at most JWT_IAT_SKEW after now). */
token_status jwt_token_verify(const unsigned char *key, size_t keylen, const char *token, long now,
                              token_claims *out);

const char *token_status_text(token_status s);

#endif
