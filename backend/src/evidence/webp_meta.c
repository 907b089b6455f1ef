#include "evidence/webp_meta.h"

#include <stdint.h>
#include <string.h>

#define VP8X_EXIF 0x08
#define VP8X_XMP 0x04

static uint32_t rd32le(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void wr32le(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

int webp_plan_strip(const unsigned char *in, size_t n, webp_plan *p)
{
    memset(p, 0, sizeof *p);
    if (n < 12 + 8 || memcmp(in, "RIFF", 4) != 0 || memcmp(in + 8, "WEBP", 4) != 0)
        return -1;
    uint32_t riff = rd32le(in + 4);
    if (riff < 4 || riff - 4 > n - 12)
        return -1;
    size_t end = 8 + (size_t)riff, o = 12;
    memcpy(p->header, in, 12);
    p->header_len = 12;
    size_t kept = 4; /* "WEBP" */
    int first = 1;
    while (o < end) {
        if (end - o < 8)
            return -1;
        uint32_t size = rd32le(in + o + 4);
        size_t whole = 8 + (size_t)size + (size & 1);
        if (whole > end - o)
            return -1;
        const unsigned char *cc = in + o;
        if (first && memcmp(cc, "VP8X", 4) == 0) {
            if (size != 10)
                return -1;
            memcpy(p->header + 12, cc, 18);
            p->header[12 + 8] &= (unsigned char)~(VP8X_EXIF | VP8X_XMP);
            p->header_len = 30;
            kept += 18;
        } else if (memcmp(cc, "EXIF", 4) == 0 || memcmp(cc, "XMP ", 4) == 0) {
            p->dropped++;
        } else {
            if (p->nspans > 0 && p->spans[p->nspans - 1].off + p->spans[p->nspans - 1].len == o) {
                p->spans[p->nspans - 1].len += whole;
            } else {
                if (p->nspans == WEBP_MAX_SPANS)
                    return -1;
                p->spans[p->nspans].off = o;
                p->spans[p->nspans].len = whole;
                p->nspans++;
            }
            kept += whole;
        }
        first = 0;
        o += whole;
    }
    if (p->nspans == 0 || kept > UINT32_MAX)
        return -1; /* no image chunk at all */
    wr32le(p->header + 4, (uint32_t)kept);
    return 0;
}
