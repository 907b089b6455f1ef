/* Unit tests for the pure parts of the parent questionnaire: the open/closed rule of a
 * link, its tokens, the browser hash and the QR code's SVG. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <qrencode.h>

#include "core/crypto_util.h"
#include "survey/survey.h"

static survey_link open_link(void)
{
    survey_link l;
    memset(&l, 0, sizeof l);
    l.cap = -1;
    return l;
}

static void test_state_open(void **state)
{
    (void)state;
    survey_link l = open_link();
    assert_int_equal(survey_link_state(&l), SURVEY_OPEN);
    l.cap = 3;
    l.responses = 2;
    assert_int_equal(survey_link_state(&l), SURVEY_OPEN);
    assert_string_equal(survey_state_name(SURVEY_OPEN), "open");
}

static void test_state_full_at_the_cap(void **state)
{
    (void)state;
    survey_link l = open_link();
    l.cap = 3;
    l.responses = 3;
    assert_int_equal(survey_link_state(&l), SURVEY_FULL);
    l.responses = 9; /* a cap lowered below the answers so far */
    assert_int_equal(survey_link_state(&l), SURVEY_FULL);
    l.cap = 0;
    l.responses = 0;
    assert_int_equal(survey_link_state(&l), SURVEY_FULL);
    assert_string_equal(survey_state_name(SURVEY_FULL), "full");
}

static void test_state_closed_wins(void **state)
{
    (void)state;
    survey_link l = open_link();
    l.cap = 1;
    l.responses = 1;
    l.campaign_ended = 1;
    l.closed_by_hand = 1;
    assert_int_equal(survey_link_state(&l), SURVEY_CLOSED);
    l.closed_by_hand = 0;
    assert_int_equal(survey_link_state(&l), SURVEY_ENDED);
    l.campaign_ended = 0;
    l.campaign_not_started = 1;
    assert_int_equal(survey_link_state(&l), SURVEY_NOT_STARTED);
    assert_string_equal(survey_state_name(SURVEY_ENDED), "ended");
    assert_string_equal(survey_state_name(SURVEY_NOT_STARTED), "not_started");
    assert_string_equal(survey_state_name(SURVEY_CLOSED), "closed");
}

static void test_tokens_random_base32(void **state)
{
    (void)state;
    char a[SURVEY_TOKEN_LEN + 1], b[SURVEY_TOKEN_LEN + 1];
    assert_int_equal(survey_new_token(a), 0);
    assert_int_equal(survey_new_token(b), 0);
    assert_int_equal(strlen(a), SURVEY_TOKEN_LEN);
    assert_string_not_equal(a, b);
    assert_int_equal(strspn(a, "0123456789abcdefghjkmnpqrstvwxyz"), SURVEY_TOKEN_LEN);
    /* 128 bits in 26 groups of five: the last group holds 3 bits, so it is 0, 4, 8 … 28 */
    assert_non_null(strchr("048cgmrw", a[SURVEY_TOKEN_LEN - 1]));
}

static void test_token_typed_from_paper(void **state)
{
    (void)state;
    arena a;
    arena_init(&a, 1024);
    const char *stored = "7k3mq9x2d0bn5r8tvwhc1pezs4";
    assert_string_equal(survey_token_normalise(&a, stored), stored);
    assert_string_equal(survey_token_normalise(&a, "7K3MQ9X2DOBN5R8TVWHCLPEZS4"), stored);
    assert_string_equal(survey_token_normalise(&a, "7k3mq9x2dobn5r8tvwhcipezs4"), stored);
    assert_null(survey_token_normalise(&a, "7k3mq9x2d0bn5r8tvwhc1pezsu")); /* no u */
    assert_null(survey_token_normalise(&a, "7k3mq9x2d0bn5r8tvwhc1pezs"));  /* short */
    assert_null(survey_token_normalise(&a, "7k3mq9x2d0bn5r8tvwhc1pezs4a"));
    assert_null(survey_token_normalise(&a, "7k3mq9x2d0bn5r8tvwhc1pez-4"));
    assert_null(survey_token_normalise(&a, NULL));
    arena_destroy(&a);
}

static void test_browser_hash_salted_with_the_link(void **state)
{
    (void)state;
    const char *id = "Nh0H-ukU_PFWCDOBTEx1m_gcxIa7w_KJfxneQ1R0gmk";
    unsigned char h1[32], h2[32], want[32];
    survey_browser_hash(7, id, h1);
    survey_browser_hash(8, id, h2);
    assert_memory_not_equal(h1, h2, 32);
    const char *text = "7:Nh0H-ukU_PFWCDOBTEx1m_gcxIa7w_KJfxneQ1R0gmk";
    sha256(text, strlen(text), want);
    assert_memory_equal(h1, want, 32);
}

/* Redraws the runs of the SVG path ("Mx y.5hN") into a module grid. */
static unsigned char *grid_of(const char *svg, int *size)
{
    const char *vb = strstr(svg, "viewBox=\"0 0 ");
    assert_non_null(vb);
    *size = atoi(vb + strlen("viewBox=\"0 0 "));
    unsigned char *g = calloc((size_t)(*size * *size), 1);
    const char *d = strstr(svg, " d=\"");
    assert_non_null(d);
    for (const char *p = strchr(d + 4, 'M'); p && *p == 'M'; p = strchr(p + 1, 'M')) {
        int x, y, w;
        assert_int_equal(sscanf(p, "M%d %d.5h%d", &x, &y, &w), 3);
        assert_true(x >= 0 && y >= 0 && w > 0 && x + w <= *size && y < *size);
        for (int i = 0; i < w; i++)
            g[y * *size + x + i] = 1;
    }
    return g;
}

static void test_qr_svg_holds_the_symbol(void **state)
{
    (void)state;
    arena a;
    arena_init(&a, 4096);
    const char *url = "https://vsok.example.ru/s/XVw6RhoJ186lftQ6pIDYaA";
    size_t len = 0;
    char *svg = survey_qr_svg(&a, url, &len);
    assert_non_null(svg);
    assert_int_equal(strlen(svg), len);
    assert_true(strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39) == 0);
    assert_non_null(strstr(svg, "</svg>"));

    QRcode *q = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    assert_non_null(q);
    int size = 0;
    unsigned char *g = grid_of(svg, &size);
    assert_int_equal(size, q->width + 8);
    for (int y = 0; y < size; y++)
        for (int x = 0; x < size; x++) {
            int inside = x >= 4 && y >= 4 && x < 4 + q->width && y < 4 + q->width;
            int dark = inside ? q->data[(y - 4) * q->width + (x - 4)] & 1 : 0;
            assert_int_equal(g[y * size + x], dark);
        }
    free(g);
    QRcode_free(q);
    arena_destroy(&a);
}

static void test_qr_svg_refuses_nothing_to_encode(void **state)
{
    (void)state;
    arena a;
    arena_init(&a, 1024);
    assert_null(survey_qr_svg(&a, "", NULL));
    assert_null(survey_qr_svg(&a, NULL, NULL));
    arena_destroy(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_state_open),
        cmocka_unit_test(test_state_full_at_the_cap),
        cmocka_unit_test(test_state_closed_wins),
        cmocka_unit_test(test_tokens_random_base32),
        cmocka_unit_test(test_token_typed_from_paper),
        cmocka_unit_test(test_browser_hash_salted_with_the_link),
        cmocka_unit_test(test_qr_svg_holds_the_symbol),
        cmocka_unit_test(test_qr_svg_refuses_nothing_to_encode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
