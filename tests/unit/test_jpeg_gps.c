/* The location remover for JPEG (jpeg_gps.c): the GPS IFD of the Exif block blanked with
 * the values it points to, the other tags kept, XMP and MPF segments dropped, unreadable
 * Exif dropped, the end of image found across pieces, malformed input refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "evidence/jpeg_gps.h"

/* A little-endian Exif payload: IFD0 with Orientation (6) and the GPS pointer; a GPS IFD
 * with GPSLatitudeRef "N" (inline) and GPSLatitude (3 rationals at offset 'lat'). */
typedef struct {
    unsigned char b[256];
    size_t n;
    size_t gps_ifd, lat; /* offsets in the TIFF block */
} exif_block;

static void put16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}

static void put32(unsigned char *p, unsigned long v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static void entry(unsigned char *e, unsigned tag, unsigned type, unsigned long count,
                  unsigned long value)
{
    put16(e, tag);
    put16(e + 2, type);
    put32(e + 4, count);
    put32(e + 8, value);
}

static void make_exif(exif_block *x, int with_gps)
{
    memset(x, 0, sizeof *x);
    memcpy(x->b, "Exif\0\0II*\0", 10);
    unsigned char *t = x->b + 6;
    put32(t + 4, 8); /* IFD0 at 8 */
    put16(t + 8, with_gps ? 2 : 1);
    entry(t + 10, 0x0112, 3, 1, 6); /* Orientation = 6 */
    size_t ifd0_end = 10 + (with_gps ? 2 : 1) * 12;
    x->gps_ifd = ifd0_end + 4;
    if (with_gps)
        entry(t + 22, 0x8825, 4, 1, (unsigned long)x->gps_ifd);
    put32(t + ifd0_end, 0); /* no IFD1 */
    size_t g = x->gps_ifd;
    if (with_gps) {
        put16(t + g, 2);
        x->lat = g + 2 + 2 * 12 + 4;
        entry(t + g + 2, 0x0001, 2, 2, 'N'); /* "N\0" inline */
        entry(t + g + 14, 0x0002, 5, 3, (unsigned long)x->lat);
        for (int i = 0; i < 6; i++)
            put32(t + x->lat + 4 * i, i % 2 ? 1 : 55 + i);
        x->n = 6 + x->lat + 24;
    } else {
        x->n = 6 + g;
    }
}

static int all_zero(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

static void test_exif_gps_blanked(void **state)
{
    (void)state;
    exif_block x;
    make_exif(&x, 1);
    unsigned char before[256];
    memcpy(before, x.b, sizeof before);
    assert_int_equal(exif_blank_gps(x.b, x.n), 1);
    const unsigned char *t = x.b + 6;
    assert_true(all_zero(t + x.gps_ifd, 2 + 24 + 4)); /* count, entries, next pointer */
    assert_true(all_zero(t + x.lat, 24));             /* the coordinates themselves */
    assert_memory_equal(x.b, before, 6 + x.gps_ifd);  /* IFD0 (orientation) untouched */
    assert_int_equal(exif_blank_gps(x.b, x.n), 0);    /* nothing left to blank */
}

static void test_exif_without_gps(void **state)
{
    (void)state;
    exif_block x;
    make_exif(&x, 0);
    unsigned char before[256];
    memcpy(before, x.b, sizeof before);
    assert_int_equal(exif_blank_gps(x.b, x.n), 0);
    assert_memory_equal(x.b, before, x.n);
}

static void test_exif_malformed(void **state)
{
    (void)state;
    exif_block x;
    make_exif(&x, 1);
    assert_int_equal(exif_blank_gps(x.b, 10), -1); /* cut inside the TIFF header */
    memcpy(x.b + 6, "XX", 2);
    assert_int_equal(exif_blank_gps(x.b, x.n), -1); /* not a TIFF byte order */
    make_exif(&x, 1);
    put32(x.b + 6 + 22 + 8, 100000); /* GPS pointer beyond the block */
    assert_int_equal(exif_blank_gps(x.b, x.n), -1);
    make_exif(&x, 1);
    put32(x.b + 6 + 4, 0xFFFFFFF0UL); /* IFD0 beyond the block */
    assert_int_equal(exif_blank_gps(x.b, x.n), -1);
    make_exif(&x, 1);
    put16(x.b + 6 + x.gps_ifd, 60000); /* more GPS entries than bytes */
    assert_int_equal(exif_blank_gps(x.b, x.n), -1);
    make_exif(&x, 1);
    put32(x.b + 6 + x.gps_ifd + 14 + 4, 0x40000000UL); /* a value far too long: skipped */
    assert_int_equal(exif_blank_gps(x.b, x.n), 1);
}

/* Appends a segment FF m <len> payload. */
static size_t seg(unsigned char *out, size_t o, unsigned char m, const void *p, size_t n)
{
    out[o++] = 0xFF;
    out[o++] = m;
    out[o++] = (unsigned char)((n + 2) >> 8);
    out[o++] = (unsigned char)(n + 2);
    memcpy(out + o, p, n);
    return o + n;
}

static void test_header_rewrite(void **state)
{
    (void)state;
    unsigned char in[2048], out[2048];
    exif_block x;
    make_exif(&x, 1);
    static const char XMP[] = "http://ns.adobe.com/xap/1.0/\0<x:xmpmeta exif:GPSLatitude=\"55\"/>";
    static const unsigned char DQT[] = {0x00, 1, 2, 3, 4};
    size_t o = 0;
    in[o++] = 0xFF;
    in[o++] = 0xD8;
    o = seg(in, o, 0xE0, "JFIF\0\1\1\0\0\1\0\1\0\0", 14);
    size_t exif_at = o;
    o = seg(in, o, 0xE1, x.b, x.n);
    o = seg(in, o, 0xE1, XMP, sizeof XMP - 1);
    o = seg(in, o, 0xE2, "MPF\0II*\0", 8);
    o = seg(in, o, 0xDB, DQT, sizeof DQT);
    size_t sos_at = o;
    o = seg(in, o, 0xDA, "\1\1\0\0\77\0", 6);
    size_t outlen = 0, sos = 0;
    assert_int_equal(jpeg_clean_header(in, o, out, &outlen, &sos), 0);
    assert_int_equal(sos, sos_at);
    /* SOI, JFIF and Exif (blanked) and DQT: XMP and MPF left out */
    size_t expect = 2 + (2 + 2 + 14) + (2 + 2 + x.n) + (2 + 2 + sizeof DQT);
    assert_int_equal(outlen, expect);
    assert_memory_equal(out, in, exif_at + 4 + 6 + x.gps_ifd); /* up to the GPS IFD */
    assert_true(all_zero(out + exif_at + 4 + 6 + x.lat, 24));
    assert_null(memmem(out, outlen, "xmpmeta", 7));
    assert_null(memmem(out, outlen, "MPF", 3));
    assert_memory_equal(out + outlen - (4 + sizeof DQT), in + sos_at - (4 + sizeof DQT),
                        4 + sizeof DQT);
}

static void test_header_unreadable_exif_dropped(void **state)
{
    (void)state;
    unsigned char in[512], out[512];
    size_t o = 0;
    in[o++] = 0xFF;
    in[o++] = 0xD8;
    o = seg(in, o, 0xE1, "Exif\0\0ZZ*\0\0\0\0\0", 14);
    o = seg(in, o, 0xDA, "\1\1\0\0\77\0", 6);
    size_t outlen = 0, sos = 0;
    assert_int_equal(jpeg_clean_header(in, o, out, &outlen, &sos), 0);
    assert_int_equal(outlen, 2);
}

static void test_header_refused(void **state)
{
    (void)state;
    unsigned char out[64];
    size_t outlen, sos;
    static const unsigned char PNG[] = {0x89, 'P', 'N', 'G', 0, 0, 0, 0};
    assert_int_equal(jpeg_clean_header(PNG, sizeof PNG, out, &outlen, &sos), -1);
    static const unsigned char CUT[] = {0xFF, 0xD8, 0xFF, 0xE1, 0x10, 0x00, 'E', 'x'};
    assert_int_equal(jpeg_clean_header(CUT, sizeof CUT, out, &outlen, &sos), -1);
    static const unsigned char NO_SOS[] = {0xFF, 0xD8, 0xFF, 0xD9};
    assert_int_equal(jpeg_clean_header(NO_SOS, sizeof NO_SOS, out, &outlen, &sos), -1);
    static const unsigned char BAD_LEN[] = {0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x01, 0xFF, 0xDA};
    assert_int_equal(jpeg_clean_header(BAD_LEN, sizeof BAD_LEN, out, &outlen, &sos), -1);
}

static void test_find_eoi(void **state)
{
    (void)state;
    static const unsigned char A[] = {0x12, 0xFF, 0x00, 0xFF, 0xD0, 0x34, 0xFF};
    static const unsigned char B[] = {0xD9, 0xFF, 0xD8, 0x01};
    int st = 0;
    assert_int_equal(jpeg_find_eoi(&st, A, sizeof A), 0); /* stuffed 00 and RST0 are data */
    assert_int_equal(jpeg_find_eoi(&st, B, sizeof B), 1); /* FF | D9 across the pieces */
    static const unsigned char C[] = {0xFF, 0xFF, 0xD9, 0x55};
    st = 0;
    assert_int_equal(jpeg_find_eoi(&st, C, sizeof C), 3); /* a fill byte before the marker */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exif_gps_blanked),
        cmocka_unit_test(test_exif_without_gps),
        cmocka_unit_test(test_exif_malformed),
        cmocka_unit_test(test_header_rewrite),
        cmocka_unit_test(test_header_unreadable_exif_dropped),
        cmocka_unit_test(test_header_refused),
        cmocka_unit_test(test_find_eoi),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
