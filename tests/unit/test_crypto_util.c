/* Unit tests for crypto_util: random bytes, SHA-256, hex and base64url. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/crypto_util.h"

static void test_random_bytes(void **state)
{
    unsigned char a[32], b[32];
    (void)state;

    assert_int_equal(random_bytes(a, sizeof a), 0);
    assert_int_equal(random_bytes(b, sizeof b), 0);
    assert_memory_not_equal(a, b, sizeof a);
    assert_int_equal(random_bytes(a, 0), 0);
}

static void test_sha256_vectors(void **state)
{
    unsigned char d[32];
    char hex[65];
    (void)state;

    sha256("abc", 3, d);
    hex_encode(d, sizeof d, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

    sha256("", 0, d);
    hex_encode(d, sizeof d, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_hex_encode(void **state)
{
    const unsigned char in[] = {0x00, 0x01, 0x7f, 0x80, 0xab, 0xff};
    char out[2 * sizeof in + 1];
    (void)state;

    hex_encode(in, sizeof in, out);
    assert_string_equal(out, "00017f80abff");
    hex_encode(in, 0, out);
    assert_string_equal(out, "");
}

static void test_hex_round_trip(void **state)
{
    unsigned char in[48], back[48];
    char hex[2 * sizeof in + 1];
    (void)state;

    assert_int_equal(random_bytes(in, sizeof in), 0);
    hex_encode(in, sizeof in, hex);
    assert_int_equal(hex_decode(hex, strlen(hex), back, sizeof back), 0);
    assert_memory_equal(in, back, sizeof in);
}

static void test_hex_decode_upper_case(void **state)
{
    unsigned char out[3];
    const unsigned char expect[] = {0xab, 0xcd, 0xef};
    (void)state;

    assert_int_equal(hex_decode("ABcdEF", 6, out, sizeof out), 0);
    assert_memory_equal(out, expect, sizeof out);
}

static void test_hex_decode_rejects(void **state)
{
    unsigned char out[2];
    (void)state;

    assert_int_equal(hex_decode("zz00", 4, out, 2), -1);
    assert_int_equal(hex_decode("0g00", 4, out, 2), -1);
    assert_int_equal(hex_decode("00 0", 4, out, 2), -1);
    assert_int_equal(hex_decode("00-1", 4, out, 2), -1);
    assert_int_equal(hex_decode("000", 3, out, 2), -1);   /* too short */
    assert_int_equal(hex_decode("00000", 5, out, 2), -1); /* too long */
    assert_int_equal(hex_decode("00", 2, out, 2), -1);    /* fewer bytes than asked */
    assert_int_equal(hex_decode(NULL, 4, out, 2), -1);
}

static void check_b64(const char *plain, const char *encoded)
{
    char enc[64];
    unsigned char dec[64];
    size_t plen = strlen(plain);
    long n;

    assert_int_equal(base64url_encode((const unsigned char *)plain, plen, enc), strlen(encoded));
    assert_string_equal(enc, encoded);
    n = base64url_decode(encoded, strlen(encoded), dec, sizeof dec);
    assert_int_equal(n, (long)plen);
    assert_memory_equal(dec, plain, plen);
}

/* RFC 4648 section 10, padding removed. */
static void test_base64url_rfc_vectors(void **state)
{
    (void)state;

    check_b64("", "");
    check_b64("f", "Zg");
    check_b64("fo", "Zm8");
    check_b64("foo", "Zm9v");
    check_b64("foob", "Zm9vYg");
    check_b64("fooba", "Zm9vYmE");
    check_b64("foobar", "Zm9vYmFy");
}

static void test_base64url_url_alphabet(void **state)
{
    const unsigned char in[] = {0xfb, 0xff, 0xbf};
    char enc[8];
    unsigned char dec[8];
    (void)state;

    assert_int_equal(base64url_encode(in, sizeof in, enc), 4);
    assert_string_equal(enc, "-_-_");
    assert_int_equal(base64url_decode("-_-_", 4, dec, sizeof dec), 3);
    assert_memory_equal(dec, in, sizeof in);
}

static void test_base64url_round_trip(void **state)
{
    unsigned char in[64], back[64 + 3];
    char enc[4 * ((64 + 2) / 3) + 1];
    (void)state;

    assert_int_equal(random_bytes(in, sizeof in), 0);
    for (size_t len = 0; len <= sizeof in; len++) {
        size_t n = base64url_encode(in, len, enc);
        assert_int_equal(strlen(enc), n);
        assert_int_equal(base64url_decode(enc, n, back, sizeof back), (long)len);
        assert_memory_equal(in, back, len);
    }
}

static void test_base64url_rejects(void **state)
{
    unsigned char out[16];
    (void)state;

    assert_int_equal(base64url_decode("Zg==", 4, out, sizeof out), -1);   /* padding */
    assert_int_equal(base64url_decode("Zm8=", 4, out, sizeof out), -1);   /* padding */
    assert_int_equal(base64url_decode("Z", 1, out, sizeof out), -1);      /* impossible length */
    assert_int_equal(base64url_decode("Zm9vY", 5, out, sizeof out), -1);  /* impossible length */
    assert_int_equal(base64url_decode("Zm+v", 4, out, sizeof out), -1);   /* standard alphabet */
    assert_int_equal(base64url_decode("Zm/v", 4, out, sizeof out), -1);   /* standard alphabet */
    assert_int_equal(base64url_decode("Zm9 v", 5, out, sizeof out), -1);  /* whitespace */
    assert_int_equal(base64url_decode("Zm9v\n", 5, out, sizeof out), -1); /* newline */
    assert_int_equal(base64url_decode("Zm.v", 4, out, sizeof out), -1);
    assert_int_equal(base64url_decode("Zh", 2, out, sizeof out), -1);  /* non-zero spare bits */
    assert_int_equal(base64url_decode("Zm9", 3, out, sizeof out), -1); /* non-zero spare bits */
    assert_int_equal(base64url_decode("Zm9vYmFy", 8, out, 5), -1);     /* output too small */
    assert_int_equal(base64url_decode(NULL, 4, out, sizeof out), -1);
}

static void test_base64url_embedded_nul(void **state)
{
    unsigned char out[8];
    (void)state;

    /* the length, not a terminator, bounds the input */
    assert_int_equal(base64url_decode("Zm9v\0Zm9v", 8, out, sizeof out), -1);
    assert_int_equal(base64url_decode("Zm9vZm9v", 4, out, sizeof out), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_bytes),
        cmocka_unit_test(test_sha256_vectors),
        cmocka_unit_test(test_hex_encode),
        cmocka_unit_test(test_hex_round_trip),
        cmocka_unit_test(test_hex_decode_upper_case),
        cmocka_unit_test(test_hex_decode_rejects),
        cmocka_unit_test(test_base64url_rfc_vectors),
        cmocka_unit_test(test_base64url_url_alphabet),
        cmocka_unit_test(test_base64url_round_trip),
        cmocka_unit_test(test_base64url_rejects),
        cmocka_unit_test(test_base64url_embedded_nul),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
