#include "evidence/mp4_meta.h"

#include <string.h>

#define MAX_DEPTH 4        /* top level, moov, trak: deeper boxes are not walked */
#define MAX_BOXES 1000000L /* headers read in one file, to bound the work on a hostile one */

typedef struct {
    mp4_read_fn rd;
    void *ctx;
    mp4_meta_plan *plan;
    long boxes;
    int seen_moov;
} walk;

static int is(const unsigned char *t, const char *name)
{
    return memcmp(t, name, 4) == 0;
}

/* Boxes that hold metadata wherever they appear in the walked levels. */
static int is_metadata(const unsigned char *t)
{
    return is(t, "udta") || is(t, "meta") || is(t, "uuid") || is(t, "XMP_");
}

/* Top-level boxes kept: what players read or skip by design. Anything else is blanked. */
static int top_level_kept(const unsigned char *t)
{
    static const char *const KEPT[] = {"ftyp", "moov", "mdat", "free", "skip", "wide", "pdin",
                                       "moof", "mfra", "sidx", "styp", "ssix", "prft", "emsg"};
    for (size_t i = 0; i < sizeof KEPT / sizeof KEPT[0]; i++)
        if (is(t, KEPT[i]))
            return 1;
    return 0;
}

static uint64_t be32(const unsigned char *p)
{
    return (uint64_t)p[0] << 24 | (uint64_t)p[1] << 16 | (uint64_t)p[2] << 8 | p[3];
}

static int add(walk *w, uint64_t at, uint64_t size, uint64_t header)
{
    if (w->plan->n >= MP4_META_MAX)
        return -1;
    w->plan->box[w->plan->n++] = (mp4_box){.at = at, .size = size, .header = (unsigned)header};
    return 0;
}

/* Reads the header of the box at off inside [off, end): its type and total size. */
static int box_header(walk *w, uint64_t off, uint64_t end, int depth, unsigned char type[4],
                      uint64_t *size, uint64_t *header)
{
    unsigned char h[16];
    if (end - off < 8)
        return -1;
    if (w->rd(w->ctx, off, h, 8) != 0)
        return -2;
    memcpy(type, h + 4, 4);
    *size = be32(h);
    *header = 8;
    if (*size == 1) {
        if (end - off < 16)
            return -1;
        if (w->rd(w->ctx, off + 8, h + 8, 8) != 0)
            return -2;
        *size = be32(h + 8) << 32 | be32(h + 12);
        *header = 16;
    } else if (*size == 0) {
        if (depth != 0) /* "to the end of the file" exists only at the top level */
            return -1;
        *size = end - off;
    }
    if (*size < *header || *size > end - off)
        return -1;
    return 0;
}

static int walk_level(walk *w, uint64_t off, uint64_t end, int depth)
{
    while (off < end) {
        unsigned char type[4];
        uint64_t size = 0, header = 0;
        if (++w->boxes > MAX_BOXES)
            return -1;
        int rc = box_header(w, off, end, depth, type, &size, &header);
        if (rc != 0)
            return rc;
        if (is(type, "cmov")) /* a compressed movie header cannot be checked */
            return -1;
        if (is_metadata(type) || (depth == 0 && !top_level_kept(type))) {
            if (add(w, off, size, header) != 0)
                return -1;
        } else if ((depth == 0 && is(type, "moov")) || (depth == 1 && is(type, "trak"))) {
            if (depth == 0) {
                if (w->seen_moov)
                    return -1; /* two movie headers: which one a player reads is unclear */
                w->seen_moov = 1;
            }
            if (depth + 1 < MAX_DEPTH &&
                (rc = walk_level(w, off + header, off + size, depth + 1)) != 0)
                return rc;
        }
        off += size;
    }
    return 0;
}

int mp4_meta_plan_strip(mp4_read_fn rd, void *ctx, uint64_t size, mp4_meta_plan *plan)
{
    walk w = {.rd = rd, .ctx = ctx, .plan = plan};
    plan->n = 0;
    int rc = walk_level(&w, 0, size, 0);
    if (rc == 0 && !w.seen_moov)
        rc = -1;
    if (rc != 0)
        plan->n = 0;
    return rc;
}

void mp4_meta_apply(unsigned char *buf, size_t len, const mp4_meta_plan *plan)
{
    for (size_t i = 0; i < plan->n; i++) {
        const mp4_box *b = &plan->box[i];
        if (b->at > len || b->size > len - b->at || b->size < b->header)
            continue;
        memcpy(buf + b->at + 4, "free", 4);
        memset(buf + b->at + b->header, 0, (size_t)(b->size - b->header));
    }
}
