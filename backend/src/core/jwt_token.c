/* Access tokens: JWT HS256 issued and verified with libjwt 1.10.
 *
 * libjwt 1.10 takes the algorithm from the token header, checks neither exp nor the
 * claim types, and compares the HMAC with strcmp (timing leak). Hence: the HS256 tag is
 * checked here first in constant time, the header algorithm is pinned after decoding,
 * and every claim is read with its JSON type checked. */
#include "core/jwt_token.h"

#include "core/text_table.h"
#include "core/crypto_util.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jwt.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#define HS256_TAG_LEN 32
#define DEC_U64_MAX 20 /* digits of UINT64_MAX */

const char *token_status_text(token_status s)
{
    static const char *const TEXT[] = {
        [TOKEN_OK] = "ok",
        [TOKEN_MALFORMED] = "malformed token",
        [TOKEN_BAD_ALG] = "unsupported algorithm",
        [TOKEN_EXPIRED] = "token expired",
        [TOKEN_BAD_CLAIMS] = "missing or invalid claims",
        [TOKEN_ERROR] = "internal error",
    };
    return TEXT_OF(TEXT, s, "unknown");
}

static int key_ok(const unsigned char *key, size_t keylen)
{
    return key != NULL && keylen >= JWT_KEY_MIN && keylen <= INT_MAX;
}

/* The rules shared by issue (input) and verify (decoded claims). */
static int claims_ok(const token_claims *c)
{
    size_t rolelen = strnlen(c->role, JWT_TOKEN_ROLE_MAX);

    return c->user_id > 0 && rolelen > 0 && rolelen < JWT_TOKEN_ROLE_MAX && c->org_unit_id > 0 &&
           c->org_unit_id <= LONG_MAX && c->iat >= 0 && c->exp >= 0 && c->session_version >= 0;
}

/* ---- issue ---- */

static int add_claims(jwt_t *j, const token_claims *c)
{
    char sub[DEC_U64_MAX + 1];

    snprintf(sub, sizeof sub, "%" PRIu64, c->user_id);
    if (jwt_add_grant(j, "sub", sub) != 0 || jwt_add_grant(j, "role", c->role) != 0)
        return -1;
    if (jwt_add_grant_int(j, "org", (long)c->org_unit_id) != 0 ||
        jwt_add_grant_int(j, "iat", c->iat) != 0 || jwt_add_grant_int(j, "exp", c->exp) != 0 ||
        jwt_add_grant_int(j, "sv", c->session_version) != 0)
        return -1;
    return 0;
}

static token_status encode_into(jwt_t *j, char *out, size_t outlen)
{
    char *s = jwt_encode_str(j);
    token_status st = TOKEN_ERROR;

    if (s == NULL)
        return TOKEN_ERROR;
    if (strlen(s) < outlen) {
        memcpy(out, s, strlen(s) + 1);
        st = TOKEN_OK;
    }
    free(s);
    return st;
}

token_status jwt_token_issue(const unsigned char *key, size_t keylen, const token_claims *c,
                             char *out, size_t outlen)
{
    jwt_t *j = NULL;
    token_status st = TOKEN_ERROR;

    if (out == NULL || outlen == 0 || c == NULL || !key_ok(key, keylen))
        return TOKEN_ERROR;
    out[0] = '\0';
    if (!claims_ok(c))
        return TOKEN_BAD_CLAIMS;
    if (jwt_new(&j) != 0)
        return TOKEN_ERROR;
    if (jwt_set_alg(j, JWT_ALG_HS256, key, (int)keylen) == 0 && add_claims(j, c) == 0)
        st = encode_into(j, out, outlen);
    jwt_free(j);
    return st;
}

/* ---- verify ---- */

/* Checks the HS256 tag over "header.payload" in constant time. The signature part must
 * be the canonical unpadded base64url of exactly 32 bytes. */
static token_status check_hs256_tag(const unsigned char *key, size_t keylen, const char *token)
{
    const char *dot1 = strchr(token, '.');
    const char *dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
    unsigned char given[HS256_TAG_LEN + 3];
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int maclen = 0;
    const char *sig;
    long n;

    if (dot2 == NULL || strchr(dot2 + 1, '.') != NULL)
        return TOKEN_MALFORMED;
    sig = dot2 + 1;
    n = base64url_decode(sig, strlen(sig), given, sizeof given);
    if (n != HS256_TAG_LEN)
        return TOKEN_MALFORMED;
    if (HMAC(EVP_sha256(), key, (int)keylen, (const unsigned char *)token, (size_t)(dot2 - token),
             mac, &maclen) == NULL ||
        maclen != HS256_TAG_LEN)
        return TOKEN_ERROR;
    return CRYPTO_memcmp(mac, given, HS256_TAG_LEN) == 0 ? TOKEN_OK : TOKEN_MALFORMED;
}

/* Reads an integer claim. jwt_get_grant_int answers 0 without an error for a value of
 * another type, so the grant's JSON text must also be exactly the integer's digits. */
static int grant_long(jwt_t *j, const char *name, long *out)
{
    char expect[32];
    char *json;
    long v;
    int same;

    errno = 0;
    v = jwt_get_grant_int(j, name);
    if (v == -1 && errno == ENOENT)
        return -1;
    json = jwt_get_grants_json(j, name);
    if (json == NULL)
        return -1;
    snprintf(expect, sizeof expect, "%ld", v);
    same = strcmp(json, expect) == 0;
    free(json);
    if (!same)
        return -1;
    *out = v;
    return 0;
}

/* An integer claim that may be absent (0 then), else as grant_long. */
static int grant_long_optional(jwt_t *j, const char *name, long *out)
{
    char *json = jwt_get_grants_json(j, name);
    *out = 0;
    if (json == NULL)
        return 0;
    free(json);
    return grant_long(j, name, out);
}

/* Positive decimal without sign, spaces or leading zeros, within uint64. */
static int parse_u64(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    size_t len = strlen(s);

    if (len == 0 || len > DEC_U64_MAX || s[0] == '0')
        return -1;
    for (size_t i = 0; i < len; i++) {
        unsigned d = (unsigned)(s[i] - '0');
        if (s[i] < '0' || s[i] > '9' || v > (UINT64_MAX - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

static token_status read_claims(jwt_t *j, token_claims *c)
{
    const char *sub = jwt_get_grant(j, "sub");
    const char *role = jwt_get_grant(j, "role");
    long org = 0;

    memset(c, 0, sizeof *c);
    if (sub == NULL || role == NULL || parse_u64(sub, &c->user_id) != 0)
        return TOKEN_BAD_CLAIMS;
    if (strlen(role) >= JWT_TOKEN_ROLE_MAX)
        return TOKEN_BAD_CLAIMS;
    memcpy(c->role, role, strlen(role) + 1);
    if (grant_long(j, "org", &org) != 0 || grant_long(j, "iat", &c->iat) != 0 ||
        grant_long(j, "exp", &c->exp) != 0 ||
        grant_long_optional(j, "sv", &c->session_version) != 0 || org <= 0)
        return TOKEN_BAD_CLAIMS;
    c->org_unit_id = (uint64_t)org;
    return claims_ok(c) ? TOKEN_OK : TOKEN_BAD_CLAIMS;
}

static token_status decode_pinned(const unsigned char *key, size_t keylen, const char *token,
                                  jwt_t **j)
{
    int rc = jwt_decode(j, token, key, (int)keylen);

    if (rc == ENOMEM)
        return TOKEN_ERROR;
    if (rc != 0 || *j == NULL)
        return TOKEN_MALFORMED;
    if (jwt_get_alg(*j) != JWT_ALG_HS256)
        return TOKEN_BAD_ALG;
    return TOKEN_OK;
}

token_status jwt_token_verify(const unsigned char *key, size_t keylen, const char *token, long now,
                              token_claims *out)
{
    token_claims c;
    jwt_t *j = NULL;
    token_status st;

    if (out == NULL || !key_ok(key, keylen))
        return TOKEN_ERROR;
    memset(out, 0, sizeof *out);
    if (token == NULL || strnlen(token, JWT_TOKEN_MAX) >= JWT_TOKEN_MAX)
        return TOKEN_MALFORMED;
    st = check_hs256_tag(key, keylen, token);
    if (st == TOKEN_OK)
        st = decode_pinned(key, keylen, token, &j);
    if (st == TOKEN_OK)
        st = read_claims(j, &c);
    jwt_free(j);
    if (st != TOKEN_OK)
        return st;
    if (c.exp <= now)
        return TOKEN_EXPIRED;
    if (c.iat > now + JWT_IAT_SKEW) /* signed with our key, yet not by us as we are now */
        return TOKEN_BAD_CLAIMS;
    *out = c;
    return TOKEN_OK;
}
