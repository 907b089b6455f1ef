/* Unit tests for jwt_token: HS256 access tokens over libjwt 1.10. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jwt.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/crypto_util.h"
#include "core/jwt_token.h"

#define NOW 1700000000L

static const char b64url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static const unsigned char key[32] = "0123456789abcdef0123456789ABCDEF";
static const unsigned char other_key[32] = "0123456789abcdef0123456789ABCDEf";

static token_claims sample_claims(void)
{
    token_claims c = {.user_id = 42, .org_unit_id = 7, .iat = NOW, .exp = NOW + 900};
    strcpy(c.role, "teacher");
    return c;
}

static void issue_sample(char *out, size_t outlen)
{
    token_claims c = sample_claims();
    assert_int_equal(jwt_token_issue(key, sizeof key, &c, out, outlen), TOKEN_OK);
}

static token_status verify(const char *token)
{
    token_claims out;
    return jwt_token_verify(key, sizeof key, token, NOW, &out);
}

/* A token made by libjwt itself with the given algorithm, key and grants. */
static char *libjwt_token(jwt_alg_t alg, const unsigned char *k, int klen, const char *grants)
{
    jwt_t *j = NULL;
    char *s;

    assert_int_equal(jwt_new(&j), 0);
    assert_int_equal(jwt_set_alg(j, alg, k, klen), 0);
    assert_int_equal(jwt_add_grants_json(j, grants), 0);
    s = jwt_encode_str(j);
    assert_non_null(s);
    jwt_free(j);
    return s;
}

static token_status verify_libjwt_hs256(const char *grants)
{
    char *s = libjwt_token(JWT_ALG_HS256, key, sizeof key, grants);
    token_status st = verify(s);
    free(s);
    return st;
}

/* "b64(header).b64(payload)." followed by sig_b64 (may be empty). */
static void craft(char *out, size_t outlen, const char *header, const char *payload,
                  const char *sig_b64)
{
    char h[256], p[512];

    assert_true(strlen(header) < 180 && strlen(payload) < 380);
    base64url_encode((const unsigned char *)header, strlen(header), h);
    base64url_encode((const unsigned char *)payload, strlen(payload), p);
    snprintf(out, outlen, "%s.%s.%s", h, p, sig_b64);
}

/* Signs "header.payload" with HMAC-SHA256 under key, whatever the header says. */
static void craft_hs256_signed(char *out, size_t outlen, const char *header, const char *payload)
{
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int maclen = 0;
    char sig[64];
    size_t len;

    craft(out, outlen, header, payload, "");
    len = strlen(out) - 1; /* without the last dot */
    assert_non_null(HMAC(EVP_sha256(), key, sizeof key, (unsigned char *)out, len, mac, &maclen));
    base64url_encode(mac, maclen, sig);
    assert_true(strlen(out) + strlen(sig) < outlen);
    strcat(out, sig);
}

#define GOOD_PAYLOAD                                                                               \
    "{\"sub\":\"42\",\"role\":\"teacher\",\"org\":7,\"iat\":1700000000,\"exp\":1700000900}"

static void test_round_trip(void **state)
{
    char tok[JWT_TOKEN_MAX];
    token_claims out;
    (void)state;

    issue_sample(tok, sizeof tok);
    assert_int_equal(jwt_token_verify(key, sizeof key, tok, NOW, &out), TOKEN_OK);
    assert_int_equal(out.user_id, 42);
    assert_string_equal(out.role, "teacher");
    assert_int_equal(out.org_unit_id, 7);
    assert_int_equal(out.iat, NOW);
    assert_int_equal(out.exp, NOW + 900);
}

static void test_round_trip_extremes(void **state)
{
    token_claims c = sample_claims();
    token_claims out;
    char tok[JWT_TOKEN_MAX];
    (void)state;

    c.user_id = UINT64_MAX;
    c.org_unit_id = INT64_MAX;
    memset(c.role, 'r', JWT_TOKEN_ROLE_MAX - 1);
    c.role[JWT_TOKEN_ROLE_MAX - 1] = '\0';
    assert_int_equal(jwt_token_issue(key, sizeof key, &c, tok, sizeof tok), TOKEN_OK);
    assert_int_equal(jwt_token_verify(key, sizeof key, tok, NOW, &out), TOKEN_OK);
    assert_true(out.user_id == UINT64_MAX);
    assert_true(out.org_unit_id == INT64_MAX);
    assert_string_equal(out.role, c.role);
}

static void test_libjwt_hs256_token_verifies(void **state)
{
    (void)state;
    assert_int_equal(verify_libjwt_hs256(GOOD_PAYLOAD), TOKEN_OK);
}

static void test_expired(void **state)
{
    char tok[JWT_TOKEN_MAX];
    token_claims out;
    (void)state;

    issue_sample(tok, sizeof tok);
    assert_int_equal(jwt_token_verify(key, sizeof key, tok, NOW + 899, &out), TOKEN_OK);
    assert_int_equal(jwt_token_verify(key, sizeof key, tok, NOW + 900, &out), TOKEN_EXPIRED);
    assert_int_equal(jwt_token_verify(key, sizeof key, tok, NOW + 5000, &out), TOKEN_EXPIRED);
    assert_int_equal(out.user_id, 0);
}

/* "sv", the user's session version: carried when set, 0 when absent, refused when not an
 * integer (auth_guard refuses tokens of an older version than the user's row). */
static void test_session_version(void **state)
{
    char tok[JWT_TOKEN_MAX];
    token_claims out;
    token_claims c = sample_claims();
    (void)state;

    c.session_version = 3;
    assert_int_equal(jwt_token_issue(key, sizeof key, &c, tok, sizeof tok), TOKEN_OK);
    assert_int_equal(jwt_token_verify(key, sizeof key, tok, NOW, &out), TOKEN_OK);
    assert_int_equal(out.session_version, 3);
    assert_int_equal(verify_libjwt_hs256(GOOD_PAYLOAD), TOKEN_OK); /* no sv: version 0 */
    assert_int_equal(verify_libjwt_hs256("{\"sub\":\"42\",\"role\":\"teacher\",\"org\":7,"
                                         "\"iat\":1700000000,\"exp\":1700000900,\"sv\":\"3\"}"),
                     TOKEN_BAD_CLAIMS);
    assert_int_equal(verify_libjwt_hs256("{\"sub\":\"42\",\"role\":\"teacher\",\"org\":7,"
                                         "\"iat\":1700000000,\"exp\":1700000900,\"sv\":-1}"),
                     TOKEN_BAD_CLAIMS);
}

/* A correctly signed token whose iat lies ahead of the clock by more than the skew was not
 * issued by this server as it is now (a stolen key, a clock set back): refused. */
static void test_issued_in_the_future(void **state)
{
    char tok[JWT_TOKEN_MAX];
    token_claims out;
    token_claims c = sample_claims();
    (void)state;

    c.iat = NOW + JWT_IAT_SKEW;
    c.exp = c.iat + 900;
    assert_int_equal(jwt_token_issue(key, sizeof key, &c, tok, sizeof tok), TOKEN_OK);
    assert_int_equal(jwt_token_verify(key, sizeof key, tok, NOW, &out), TOKEN_OK);
    c.iat = NOW + JWT_IAT_SKEW + 1;
    c.exp = c.iat + 900;
    assert_int_equal(jwt_token_issue(key, sizeof key, &c, tok, sizeof tok), TOKEN_OK);
    assert_int_equal(jwt_token_verify(key, sizeof key, tok, NOW, &out), TOKEN_BAD_CLAIMS);
    assert_int_equal(out.user_id, 0);
    c.iat = NOW + 86400;
    c.exp = c.iat + 900;
    assert_int_equal(jwt_token_issue(key, sizeof key, &c, tok, sizeof tok), TOKEN_OK);
    assert_int_equal(jwt_token_verify(key, sizeof key, tok, NOW, &out), TOKEN_BAD_CLAIMS);
    /* the same token once its time has come */
    assert_int_equal(jwt_token_verify(key, sizeof key, tok, NOW + 86400, &out), TOKEN_OK);
}

/* Changes one character of the payload part to another base64url character. */
static void test_tampered_payload(void **state)
{
    char tok[JWT_TOKEN_MAX];
    char *p;
    (void)state;

    issue_sample(tok, sizeof tok);
    p = strchr(tok, '.') + 5;
    *p = *p == 'A' ? 'B' : 'A';
    assert_int_equal(verify(tok), TOKEN_MALFORMED);
}

/* Replaces the payload with another valid one (other user) and keeps the signature. */
static void test_substituted_payload(void **state)
{
    char tok[JWT_TOKEN_MAX], forged[JWT_TOKEN_MAX], p[256];
    const char *payload = "{\"exp\":1700000900,\"iat\":1700000000,\"org\":7,\"role\":"
                          "\"administrator\",\"sub\":\"1\"}";
    char *dot1, *dot2;
    (void)state;

    issue_sample(tok, sizeof tok);
    dot1 = strchr(tok, '.');
    dot2 = strchr(dot1 + 1, '.');
    base64url_encode((const unsigned char *)payload, strlen(payload), p);
    snprintf(forged, sizeof forged, "%.*s.%s%s", (int)(dot1 - tok), tok, p, dot2);
    assert_int_equal(verify(forged), TOKEN_MALFORMED);
}

static void test_tampered_signature(void **state)
{
    char tok[JWT_TOKEN_MAX];
    size_t len;
    (void)state;

    issue_sample(tok, sizeof tok);
    len = strlen(tok);
    /* the last of 43 characters carries 4 bits of the tag and 2 unused bits: setting an
     * unused bit gives a string that lenient decoders map to the same tag */
    const char *pos = strchr(b64url, tok[len - 1]);
    assert_non_null(pos);
    assert_int_equal((pos - b64url) & 3, 0);
    tok[len - 1] = b64url[(pos - b64url) | 1];
    assert_int_equal(verify(tok), TOKEN_MALFORMED);

    issue_sample(tok, sizeof tok);
    tok[len - 10] = tok[len - 10] == 'x' ? 'y' : 'x';
    assert_int_equal(verify(tok), TOKEN_MALFORMED);

    issue_sample(tok, sizeof tok);
    tok[len - 1] = '\0'; /* truncated */
    assert_int_equal(verify(tok), TOKEN_MALFORMED);
}

static void test_wrong_key(void **state)
{
    char tok[JWT_TOKEN_MAX];
    token_claims out;
    (void)state;

    issue_sample(tok, sizeof tok);
    assert_int_equal(jwt_token_verify(other_key, sizeof other_key, tok, NOW, &out),
                     TOKEN_MALFORMED);
    /* the same key with one more (non-zero) byte is another key */
    unsigned char longer[33];
    memcpy(longer, key, 32);
    longer[32] = 'x';
    assert_int_equal(jwt_token_verify(longer, sizeof longer, tok, NOW, &out), TOKEN_MALFORMED);
}

static void assert_refused_alg(token_status st)
{
    assert_true(st == TOKEN_BAD_ALG || st == TOKEN_MALFORMED);
}

static void test_alg_none_by_hand(void **state)
{
    char tok[JWT_TOKEN_MAX];
    (void)state;

    craft(tok, sizeof tok, "{\"alg\":\"none\",\"typ\":\"JWT\"}", GOOD_PAYLOAD, "");
    assert_refused_alg(verify(tok));

    craft(tok, sizeof tok, "{\"alg\":\"none\"}", GOOD_PAYLOAD, "");
    assert_refused_alg(verify(tok));

    craft(tok, sizeof tok, "{\"alg\":\"NONE\",\"typ\":\"JWT\"}", GOOD_PAYLOAD, "");
    assert_refused_alg(verify(tok));

    /* without the final dot */
    craft(tok, sizeof tok, "{\"alg\":\"none\",\"typ\":\"JWT\"}", GOOD_PAYLOAD, "");
    tok[strlen(tok) - 1] = '\0';
    assert_refused_alg(verify(tok));
}

/* A valid HS256 tag under our key, but the header claims another algorithm. */
static void test_other_alg_header_with_hs256_tag(void **state)
{
    char tok[JWT_TOKEN_MAX];
    (void)state;

    craft_hs256_signed(tok, sizeof tok, "{\"alg\":\"HS256\",\"typ\":\"JWT\"}", GOOD_PAYLOAD);
    assert_int_equal(verify(tok), TOKEN_OK);

    craft_hs256_signed(tok, sizeof tok, "{\"alg\":\"none\",\"typ\":\"JWT\"}", GOOD_PAYLOAD);
    assert_refused_alg(verify(tok));
    craft_hs256_signed(tok, sizeof tok, "{\"alg\":\"HS512\",\"typ\":\"JWT\"}", GOOD_PAYLOAD);
    assert_refused_alg(verify(tok));
    craft_hs256_signed(tok, sizeof tok, "{\"alg\":\"RS256\",\"typ\":\"JWT\"}", GOOD_PAYLOAD);
    assert_refused_alg(verify(tok));
    craft_hs256_signed(tok, sizeof tok, "{\"typ\":\"JWT\"}", GOOD_PAYLOAD);
    assert_refused_alg(verify(tok));
}

static void test_hs512_same_key(void **state)
{
    char *s;
    (void)state;

    s = libjwt_token(JWT_ALG_HS512, key, sizeof key, GOOD_PAYLOAD);
    assert_refused_alg(verify(s));
    free(s);
    s = libjwt_token(JWT_ALG_HS384, key, sizeof key, GOOD_PAYLOAD);
    assert_refused_alg(verify(s));
    free(s);
}

static void test_missing_claims(void **state)
{
    (void)state;

    assert_int_equal(verify_libjwt_hs256("{\"sub\":\"42\",\"role\":\"teacher\",\"iat\":1700000000,"
                                         "\"exp\":1700000900}"),
                     TOKEN_BAD_CLAIMS); /* no org */
    assert_int_equal(verify_libjwt_hs256("{\"sub\":\"42\",\"role\":\"teacher\",\"org\":7,"
                                         "\"iat\":1700000000}"),
                     TOKEN_BAD_CLAIMS); /* no exp */
    assert_int_equal(verify_libjwt_hs256("{\"sub\":\"42\",\"role\":\"teacher\",\"org\":7,"
                                         "\"exp\":1700000900}"),
                     TOKEN_BAD_CLAIMS); /* no iat */
    assert_int_equal(verify_libjwt_hs256("{\"role\":\"teacher\",\"org\":7,\"iat\":1700000000,"
                                         "\"exp\":1700000900}"),
                     TOKEN_BAD_CLAIMS); /* no sub */
    assert_int_equal(verify_libjwt_hs256("{\"sub\":\"42\",\"org\":7,\"iat\":1700000000,"
                                         "\"exp\":1700000900}"),
                     TOKEN_BAD_CLAIMS); /* no role */
    assert_int_equal(verify_libjwt_hs256("{}"), TOKEN_BAD_CLAIMS);
}

#define CLAIMS_WITH(sub, role, org, iat, exp)                                                      \
    "{\"sub\":" sub ",\"role\":" role ",\"org\":" org ",\"iat\":" iat ",\"exp\":" exp "}"

static void test_claims_of_wrong_type(void **state)
{
    (void)state;

    assert_int_equal(
        verify_libjwt_hs256(CLAIMS_WITH("42", "\"teacher\"", "7", "1700000000", "1700000900")),
        TOKEN_BAD_CLAIMS);
    assert_int_equal(
        verify_libjwt_hs256(CLAIMS_WITH("\"42\"", "1", "7", "1700000000", "1700000900")),
        TOKEN_BAD_CLAIMS);
    assert_int_equal(verify_libjwt_hs256(
                         CLAIMS_WITH("\"42\"", "\"teacher\"", "\"7\"", "1700000000", "1700000900")),
                     TOKEN_BAD_CLAIMS);
    assert_int_equal(verify_libjwt_hs256(
                         CLAIMS_WITH("\"42\"", "\"teacher\"", "7.0", "1700000000", "1700000900")),
                     TOKEN_BAD_CLAIMS);
    assert_int_equal(
        verify_libjwt_hs256(CLAIMS_WITH("\"42\"", "\"teacher\"", "7", "true", "1700000900")),
        TOKEN_BAD_CLAIMS);
    assert_int_equal(
        verify_libjwt_hs256(CLAIMS_WITH("\"42\"", "\"teacher\"", "7", "1700000000", "null")),
        TOKEN_BAD_CLAIMS);
    assert_int_equal(verify_libjwt_hs256(
                         CLAIMS_WITH("\"42\"", "\"teacher\"", "7", "1700000000", "\"1800000000\"")),
                     TOKEN_BAD_CLAIMS);
    assert_int_equal(
        verify_libjwt_hs256(CLAIMS_WITH("\"42\"", "\"teacher\"", "{}", "1700000000", "1700000900")),
        TOKEN_BAD_CLAIMS);
}

static void test_claims_of_wrong_value(void **state)
{
    static const char *bad_subs[] = {"\"0\"",   "\"-1\"",  "\"+1\"",
                                     "\"042\"", "\" 42\"", "\"42 \"",
                                     "\"4a\"",  "\"\"",    "\"18446744073709551616\""};
    char grants[256];
    (void)state;

    for (size_t i = 0; i < sizeof bad_subs / sizeof bad_subs[0]; i++) {
        snprintf(grants, sizeof grants,
                 "{\"sub\":%s,\"role\":\"teacher\",\"org\":7,\"iat\":1,\"exp\":1700000900}",
                 bad_subs[i]);
        assert_int_equal(verify_libjwt_hs256(grants), TOKEN_BAD_CLAIMS);
    }
    assert_int_equal(
        verify_libjwt_hs256(CLAIMS_WITH("\"42\"", "\"\"", "7", "1700000000", "1700000900")),
        TOKEN_BAD_CLAIMS);
    /* a role of JWT_TOKEN_ROLE_MAX characters leaves no room for the terminator */
    snprintf(grants, sizeof grants,
             "{\"sub\":\"42\",\"role\":\"%0*d\",\"org\":7,\"iat\":1,\"exp\":1700000900}",
             JWT_TOKEN_ROLE_MAX, 0);
    assert_int_equal(verify_libjwt_hs256(grants), TOKEN_BAD_CLAIMS);
    assert_int_equal(
        verify_libjwt_hs256(CLAIMS_WITH("\"42\"", "\"teacher\"", "0", "1700000000", "1700000900")),
        TOKEN_BAD_CLAIMS);
    assert_int_equal(
        verify_libjwt_hs256(CLAIMS_WITH("\"42\"", "\"teacher\"", "-7", "1700000000", "1700000900")),
        TOKEN_BAD_CLAIMS);
    assert_int_equal(
        verify_libjwt_hs256(CLAIMS_WITH("\"42\"", "\"teacher\"", "7", "-1", "1700000900")),
        TOKEN_BAD_CLAIMS);
    assert_int_equal(verify_libjwt_hs256(CLAIMS_WITH("\"18446744073709551615\"", "\"teacher\"", "7",
                                                     "1700000000", "1700000900")),
                     TOKEN_OK);
}

static void test_garbage(void **state)
{
    static const char *bad[] = {"",
                                "abc",
                                ".",
                                "..",
                                "...",
                                "a.b",
                                "a.b.c",
                                "a.b.c.d",
                                "eyJhbGciOiJIUzI1NiJ9",
                                "eyJhbGciOiJIUzI1NiJ9.e30",
                                "Bearer x.y.z",
                                "\xff\xfe.\x01.\x02"};
    char tok[JWT_TOKEN_MAX];
    token_claims out;
    (void)state;

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(verify(bad[i]), TOKEN_MALFORMED);
    assert_int_equal(jwt_token_verify(key, sizeof key, NULL, NOW, &out), TOKEN_MALFORMED);

    /* a good token with something appended */
    issue_sample(tok, sizeof tok);
    strcat(tok, ".x");
    assert_int_equal(verify(tok), TOKEN_MALFORMED);
    issue_sample(tok, sizeof tok);
    strcat(tok, "=");
    assert_int_equal(verify(tok), TOKEN_MALFORMED);

    /* signature valid, header and payload not JSON */
    craft_hs256_signed(tok, sizeof tok, "not json", GOOD_PAYLOAD);
    assert_int_equal(verify(tok), TOKEN_MALFORMED);
    craft_hs256_signed(tok, sizeof tok, "{\"alg\":\"HS256\",\"typ\":\"JWT\"}", "not json");
    assert_int_equal(verify(tok), TOKEN_MALFORMED);
    craft_hs256_signed(tok, sizeof tok, "{\"alg\":\"HS256\",\"typ\":\"JWT\"}", "[1,2]");
    assert_true(verify(tok) != TOKEN_OK);
}

static void test_too_long(void **state)
{
    char *big = malloc(JWT_TOKEN_MAX * 4);
    (void)state;

    assert_non_null(big);
    memset(big, 'A', JWT_TOKEN_MAX * 4 - 1);
    big[JWT_TOKEN_MAX * 4 - 1] = '\0';
    big[10] = '.';
    big[20] = '.';
    assert_int_equal(verify(big), TOKEN_MALFORMED);
    free(big);
}

static void test_short_key(void **state)
{
    token_claims c = sample_claims();
    token_claims out;
    char tok[JWT_TOKEN_MAX];
    (void)state;

    assert_int_equal(jwt_token_issue(key, JWT_KEY_MIN - 1, &c, tok, sizeof tok), TOKEN_ERROR);
    assert_int_equal(jwt_token_issue(key, 0, &c, tok, sizeof tok), TOKEN_ERROR);
    assert_int_equal(jwt_token_issue(NULL, 32, &c, tok, sizeof tok), TOKEN_ERROR);

    issue_sample(tok, sizeof tok);
    assert_int_equal(jwt_token_verify(key, JWT_KEY_MIN - 1, tok, NOW, &out), TOKEN_ERROR);
    assert_int_equal(jwt_token_verify(key, 0, tok, NOW, &out), TOKEN_ERROR);
    assert_int_equal(jwt_token_verify(NULL, 0, tok, NOW, &out), TOKEN_ERROR);
    assert_int_equal(jwt_token_verify(key, sizeof key, tok, NOW, NULL), TOKEN_ERROR);
}

static void test_issue_output_too_small(void **state)
{
    token_claims c = sample_claims();
    char tok[JWT_TOKEN_MAX];
    char small[40];
    size_t need;
    (void)state;

    assert_int_equal(jwt_token_issue(key, sizeof key, &c, small, sizeof small), TOKEN_ERROR);
    assert_string_equal(small, "");
    issue_sample(tok, sizeof tok);
    need = strlen(tok) + 1;
    assert_int_equal(jwt_token_issue(key, sizeof key, &c, tok, need - 1), TOKEN_ERROR);
    assert_int_equal(jwt_token_issue(key, sizeof key, &c, tok, need), TOKEN_OK);
    assert_int_equal(jwt_token_issue(key, sizeof key, &c, NULL, 0), TOKEN_ERROR);
}

static void test_issue_rejects_bad_claims(void **state)
{
    token_claims c;
    char tok[JWT_TOKEN_MAX];
    (void)state;

    c = sample_claims();
    c.user_id = 0;
    assert_int_equal(jwt_token_issue(key, sizeof key, &c, tok, sizeof tok), TOKEN_BAD_CLAIMS);
    c = sample_claims();
    c.role[0] = '\0';
    assert_int_equal(jwt_token_issue(key, sizeof key, &c, tok, sizeof tok), TOKEN_BAD_CLAIMS);
    c = sample_claims();
    memset(c.role, 'r', sizeof c.role); /* not terminated */
    assert_int_equal(jwt_token_issue(key, sizeof key, &c, tok, sizeof tok), TOKEN_BAD_CLAIMS);
    c = sample_claims();
    c.org_unit_id = 0;
    assert_int_equal(jwt_token_issue(key, sizeof key, &c, tok, sizeof tok), TOKEN_BAD_CLAIMS);
    c = sample_claims();
    c.org_unit_id = (uint64_t)INT64_MAX + 1;
    assert_int_equal(jwt_token_issue(key, sizeof key, &c, tok, sizeof tok), TOKEN_BAD_CLAIMS);
    c = sample_claims();
    c.exp = -1;
    assert_int_equal(jwt_token_issue(key, sizeof key, &c, tok, sizeof tok), TOKEN_BAD_CLAIMS);
    assert_int_equal(jwt_token_issue(key, sizeof key, NULL, tok, sizeof tok), TOKEN_ERROR);
}

static void test_status_text(void **state)
{
    (void)state;

    for (int s = TOKEN_OK; s <= TOKEN_ERROR; s++) {
        const char *t = token_status_text((token_status)s);
        assert_non_null(t);
        assert_true(strlen(t) > 0);
    }
    assert_string_equal(token_status_text(TOKEN_OK), "ok");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_round_trip_extremes),
        cmocka_unit_test(test_libjwt_hs256_token_verifies),
        cmocka_unit_test(test_expired),
        cmocka_unit_test(test_issued_in_the_future),
        cmocka_unit_test(test_session_version),
        cmocka_unit_test(test_tampered_payload),
        cmocka_unit_test(test_substituted_payload),
        cmocka_unit_test(test_tampered_signature),
        cmocka_unit_test(test_wrong_key),
        cmocka_unit_test(test_alg_none_by_hand),
        cmocka_unit_test(test_other_alg_header_with_hs256_tag),
        cmocka_unit_test(test_hs512_same_key),
        cmocka_unit_test(test_missing_claims),
        cmocka_unit_test(test_claims_of_wrong_type),
        cmocka_unit_test(test_claims_of_wrong_value),
        cmocka_unit_test(test_garbage),
        cmocka_unit_test(test_too_long),
        cmocka_unit_test(test_short_key),
        cmocka_unit_test(test_issue_output_too_small),
        cmocka_unit_test(test_issue_rejects_bad_claims),
        cmocka_unit_test(test_status_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
