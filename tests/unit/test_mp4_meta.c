/* The metadata planner for MP4 and QuickTime videos (mp4_meta.c): the boxes that can hold a
 * location (udta, meta, uuid, unknown top-level boxes) are listed to be blanked wherever a
 * phone writes them, the media boxes are kept, sizes are unchanged, and malformed files are
 * refused rather than half-read. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "evidence/mp4_meta.h"

#define LOCATION "+55.7558+037.6173/"

typedef struct {
    const unsigned char *p;
    size_t n;
} mem;

static int mem_read(void *ctx, uint64_t off, unsigned char *buf, size_t n)
{
    const mem *m = ctx;
    if (off > m->n || n > m->n - off)
        return -1;
    memcpy(buf, m->p + off, n);
    return 0;
}

/* Opens a box at o: its size is written by box_end. */
static size_t box_begin(unsigned char *b, size_t o, const char *type)
{
    memcpy(b + o + 4, type, 4);
    return o + 8;
}

static size_t box_end(unsigned char *b, size_t start, size_t end)
{
    uint32_t size = (uint32_t)(end - start);
    b[start] = (unsigned char)(size >> 24);
    b[start + 1] = (unsigned char)(size >> 16);
    b[start + 2] = (unsigned char)(size >> 8);
    b[start + 3] = (unsigned char)size;
    return end;
}

static size_t leaf(unsigned char *b, size_t o, const char *type, const char *data)
{
    size_t n = strlen(data);
    size_t e = box_begin(b, o, type);
    memcpy(b + e, data, n);
    return box_end(b, o, e + n);
}

/* An iPhone-like MOV: ftyp, wide, mdat, moov with mvhd, a trak with its own udta, the Apple
 * keys in moov/meta, ©xyz and XMP in moov/udta; then a top-level XMP uuid box and an
 * unknown top-level box. Offsets of what must be blanked go to want[]. */
static size_t phone_mov(unsigned char *b, size_t *want, size_t *nwant)
{
    size_t o = 0;
    *nwant = 0;
    o = leaf(b, o, "ftyp", "qt  \0\0\0\0qt  ");
    o = leaf(b, o, "wide", "");
    o = leaf(b, o, "mdat", "frames of video");
    size_t moov = o;
    o = box_begin(b, o, "moov");
    o = leaf(b, o, "mvhd", "movie header");
    size_t trak = o;
    o = box_begin(b, o, "trak");
    o = leaf(b, o, "tkhd", "track header");
    o = leaf(b, o, "mdia", "media: stbl, stco");
    want[(*nwant)++] = o;
    o = leaf(b, o, "udta", "\xa9xyz" LOCATION);
    o = box_end(b, trak, o);
    want[(*nwant)++] = o;
    o = leaf(b, o, "meta", "keys com.apple.quicktime.location.ISO6709 ilst " LOCATION);
    want[(*nwant)++] = o;
    size_t udta = o;
    o = box_begin(b, o, "udta");
    o = leaf(b, o, "\xa9xyz", LOCATION);
    o = leaf(b, o, "XMP_", "<exif:GPSLatitude>55,45.3N</exif:GPSLatitude>");
    o = box_end(b, udta, o);
    o = box_end(b, moov, o);
    want[(*nwant)++] = o;
    o = leaf(b, o, "uuid",
             "\xbe\x7a\xcf\xcb\x97\xa9\x42\xe8\x9c\x71\x99\x94\x91\xe3\xaf\xac"
             "<x:xmpmeta>" LOCATION);
    want[(*nwant)++] = o;
    o = leaf(b, o, "SEFT", "vendor trailer " LOCATION);
    return o;
}

static void blanks_every_metadata_box(void **state)
{
    (void)state;
    unsigned char b[4096] = {0};
    size_t want[8], nwant = 0;
    size_t n = phone_mov(b, want, &nwant);
    mem m = {b, n};
    mp4_meta_plan plan;
    assert_int_equal(mp4_meta_plan_strip(mem_read, &m, n, &plan), 0);
    assert_int_equal(plan.n, nwant);
    for (size_t i = 0; i < nwant; i++)
        assert_int_equal(plan.box[i].at, want[i]);
    unsigned char copy[4096];
    memcpy(copy, b, n);
    mp4_meta_apply(copy, n, &plan);
    /* every box that said where is now skipped by a player and holds zeros; every size is
     * the same; the coordinates are nowhere in the copy */
    for (size_t i = 0; i < nwant; i++) {
        assert_memory_equal(copy + want[i] + 4, "free", 4);
        assert_memory_equal(copy + want[i], b + want[i], 4);
        for (size_t j = 8; j < plan.box[i].size; j++)
            assert_int_equal(copy[want[i] + j], 0);
    }
    assert_null(memmem(copy, n, LOCATION, strlen(LOCATION)));
    assert_null(memmem(copy, n, "GPSLatitude", 11));
    assert_non_null(memmem(b, n, LOCATION, strlen(LOCATION)));
    /* the media and the headers are untouched */
    assert_non_null(memmem(copy, n, "mdatframes of video", 19));
    assert_non_null(memmem(copy, n, "mvhdmovie header", 16));
    assert_non_null(memmem(copy, n, "mdiamedia: stbl, stco", 21));
    /* planning the copy again finds nothing more to blank */
    mem m2 = {copy, n};
    assert_int_equal(mp4_meta_plan_strip(mem_read, &m2, n, &plan), 0);
    assert_int_equal(plan.n, 0);
}

static void large_size_and_to_the_end(void **state)
{
    (void)state;
    unsigned char b[256] = {0};
    size_t o = leaf(b, 0, "ftyp", "isom");
    /* a 64-bit size box (size field 1) holding the media, and a 64-bit size uuid box whose
     * size field survives the blanking */
    memcpy(b + o,
           "\0\0\0\1mdat\0\0\0\0\0\0\0\x18"
           "12345678",
           24);
    o += 24;
    size_t large = o;
    memcpy(b + o, "\0\0\0\1uuid\0\0\0\0\0\0\0\x18" LOCATION, 16 + 8);
    o += 24;
    size_t moov = o;
    o = box_begin(b, o, "moov");
    o = leaf(b, o, "udta", LOCATION);
    o = box_end(b, moov, o);
    size_t meta = o;
    /* size 0: the last box runs to the end of the file */
    memcpy(b + o + 4, "meta", 4);
    o += 8 + 10;
    mem m = {b, o};
    mp4_meta_plan plan;
    assert_int_equal(mp4_meta_plan_strip(mem_read, &m, o, &plan), 0);
    assert_int_equal(plan.n, 3);
    assert_int_equal(plan.box[0].at, large);
    assert_int_equal(plan.box[0].header, 16);
    unsigned char copy[256];
    memcpy(copy, b, o);
    mp4_meta_apply(copy, o, &plan);
    assert_memory_equal(copy + large, "\0\0\0\1free\0\0\0\0\0\0\0\x18\0\0\0\0\0\0\0\0", 24);
    plan.box[0] = plan.box[1];
    plan.box[1] = plan.box[2];
    assert_int_equal(plan.box[0].at, moov + 8);
    assert_int_equal(plan.box[0].size, 8 + strlen(LOCATION));
    assert_int_equal(plan.box[1].at, meta);
    assert_int_equal(plan.box[1].size, 18);
}

static void refuses_malformed(void **state)
{
    (void)state;
    unsigned char b[4096] = {0};
    size_t want[8], nwant = 0;
    size_t n = phone_mov(b, want, &nwant);
    mp4_meta_plan plan;
    /* cut anywhere inside the tree: refused (or, cut between top-level boxes, still planned
     * without reading past the end) */
    for (size_t cut = 1; cut < n; cut++) {
        mem m = {b, cut};
        int rc = mp4_meta_plan_strip(mem_read, &m, cut, &plan);
        assert_true(rc == 0 || rc == -1);
        if (rc != 0)
            assert_int_equal(plan.n, 0);
    }
    /* a child larger than its parent */
    unsigned char c[4096];
    memcpy(c, b, n);
    size_t trak = (size_t)((unsigned char *)memmem(c, n, "trak", 4) - c) - 4;
    c[trak + 3] = (unsigned char)(c[trak + 3] + 40);
    mem m = {c, n};
    assert_int_equal(mp4_meta_plan_strip(mem_read, &m, n, &plan), -1);
    /* a box smaller than its header, and size 0 below the top level */
    memcpy(c, b, n);
    memset(c + trak, 0, 3);
    c[trak + 3] = 4;
    assert_int_equal(mp4_meta_plan_strip(mem_read, &m, n, &plan), -1);
    c[trak + 3] = 0;
    assert_int_equal(mp4_meta_plan_strip(mem_read, &m, n, &plan), -1);
}

static void refuses_what_cannot_be_checked(void **state)
{
    (void)state;
    unsigned char b[512] = {0};
    mp4_meta_plan plan;
    /* no movie header at all */
    size_t o = leaf(b, 0, "ftyp", "isom");
    o = leaf(b, o, "mdat", "data");
    mem m = {b, o};
    assert_int_equal(mp4_meta_plan_strip(mem_read, &m, o, &plan), -1);
    /* a compressed movie header */
    size_t moov = o;
    o = box_begin(b, o, "moov");
    o = leaf(b, o, "cmov", "zlib");
    o = box_end(b, moov, o);
    m.n = o;
    assert_int_equal(mp4_meta_plan_strip(mem_read, &m, o, &plan), -1);
    /* two movie headers */
    o = leaf(b, 0, "ftyp", "isom");
    o = leaf(b, o, "moov", "");
    o = leaf(b, o, "moov", "");
    m.n = o;
    assert_int_equal(mp4_meta_plan_strip(mem_read, &m, o, &plan), -1);
    /* more metadata boxes than a plan holds */
    static unsigned char many[16 + 8 * (MP4_META_MAX + 1)];
    o = leaf(many, 0, "moov", "");
    for (int i = 0; i <= MP4_META_MAX; i++)
        o = leaf(many, o, "uuid", "");
    mem mm = {many, o};
    assert_int_equal(mp4_meta_plan_strip(mem_read, &mm, o, &plan), -1);
    /* an empty file */
    mem e = {b, 0};
    assert_int_equal(mp4_meta_plan_strip(mem_read, &e, 0, &plan), -1);
}

static int fail_read(void *ctx, uint64_t off, unsigned char *buf, size_t n)
{
    (void)ctx, (void)off, (void)buf, (void)n;
    return -1;
}

static void a_failed_read_is_not_a_bad_file(void **state)
{
    (void)state;
    mp4_meta_plan plan;
    assert_int_equal(mp4_meta_plan_strip(fail_read, NULL, 100, &plan), -2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(blanks_every_metadata_box),
        cmocka_unit_test(large_size_and_to_the_end),
        cmocka_unit_test(refuses_malformed),
        cmocka_unit_test(refuses_what_cannot_be_checked),
        cmocka_unit_test(a_failed_read_is_not_a_bad_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
