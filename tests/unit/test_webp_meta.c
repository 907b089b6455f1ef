/* The metadata remover for WebP (webp_meta.c): EXIF and XMP chunks left out, the VP8X flags
 * cleared, the RIFF size fixed, other chunks kept as runs of the input, malformed files
 * refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "evidence/webp_meta.h"

static size_t chunk(unsigned char *b, size_t o, const char *cc, const char *data, size_t n)
{
    memcpy(b + o, cc, 4);
    b[o + 4] = (unsigned char)n;
    b[o + 5] = (unsigned char)(n >> 8);
    b[o + 6] = b[o + 7] = 0;
    memcpy(b + o + 8, data, n);
    o += 8 + n;
    if (n & 1)
        b[o++] = 0;
    return o;
}

static size_t riff(unsigned char *b, size_t end)
{
    memcpy(b, "RIFF", 4);
    size_t size = end - 8;
    b[4] = (unsigned char)size;
    b[5] = (unsigned char)(size >> 8);
    b[6] = b[7] = 0;
    memcpy(b + 8, "WEBP", 4);
    return end;
}

/* The output of a plan, assembled as the caller writes it. */
static size_t assemble(const webp_plan *p, const unsigned char *in, unsigned char *out)
{
    memcpy(out, p->header, p->header_len);
    size_t o = p->header_len;
    for (size_t i = 0; i < p->nspans; i++) {
        memcpy(out + o, in + p->spans[i].off, p->spans[i].len);
        o += p->spans[i].len;
    }
    return o;
}

static void test_extended(void **state)
{
    (void)state;
    unsigned char in[512], out[512];
    size_t o = 12;
    o = chunk(in, o, "VP8X", "\x0C\0\0\0\x09\0\0\x09\0\0", 10); /* EXIF | XMP flags */
    o = chunk(in, o, "ICCP", "icc", 3);
    o = chunk(in, o, "VP8 ", "pixels-pixels", 13);
    size_t exif_at = o;
    o = chunk(in, o, "EXIF", "II*\0GPS-55-45", 13);
    o = chunk(in, o, "XMP ", "<x:xmpmeta/>", 12);
    riff(in, o);
    webp_plan p;
    assert_int_equal(webp_plan_strip(in, o, &p), 0);
    assert_int_equal(p.dropped, 2);
    assert_int_equal(p.nspans, 1); /* ICCP and VP8 are one run */
    assert_int_equal(p.spans[0].off, 12 + 18);
    assert_int_equal(p.spans[0].len, exif_at - 30);
    size_t n = assemble(&p, in, out);
    assert_int_equal(n, exif_at);
    assert_memory_equal(out + 30, in + 30, exif_at - 30);
    assert_int_equal(out[20], 0); /* VP8X flags: EXIF and XMP cleared */
    assert_int_equal(out[4] | out[5] << 8, n - 8);
    assert_null(memmem(out, n, "GPS", 3));
    webp_plan again;
    assert_int_equal(webp_plan_strip(out, n, &again), 0);
    assert_int_equal(again.dropped, 0);
}

static void test_simple_kept_whole(void **state)
{
    (void)state;
    unsigned char in[128], out[128];
    size_t o = chunk(in, 12, "VP8L", "lossless", 8);
    riff(in, o);
    webp_plan p;
    assert_int_equal(webp_plan_strip(in, o, &p), 0);
    assert_int_equal(p.dropped, 0);
    assert_int_equal(assemble(&p, in, out), o);
    assert_memory_equal(out, in, o);
}

static void test_refused(void **state)
{
    (void)state;
    unsigned char in[128];
    webp_plan p;
    size_t o = chunk(in, 12, "VP8 ", "abc", 3);
    riff(in, o);
    assert_int_equal(webp_plan_strip(in, o - 1, &p), -1); /* RIFF size beyond the file */
    in[16] = 200;                                         /* chunk size beyond RIFF */
    assert_int_equal(webp_plan_strip(in, o, &p), -1);
    memcpy(in + 8, "WAVE", 4);
    assert_int_equal(webp_plan_strip(in, o, &p), -1);
    o = chunk(in, 12, "EXIF", "only", 4);
    riff(in, o);
    assert_int_equal(webp_plan_strip(in, o, &p), -1); /* nothing but metadata */
    o = chunk(in, 12, "VP8X", "short", 5);
    riff(in, o);
    assert_int_equal(webp_plan_strip(in, o, &p), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_extended),
        cmocka_unit_test(test_simple_kept_whole),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
