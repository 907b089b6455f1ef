/* Taking the metadata out of a WebP without touching its pixels: the EXIF and XMP chunks
 * (where cameras and phones put the location) are left out, the VP8X flags that announce
 * them cleared and the RIFF size fixed; every other chunk is copied as it is. Pure: the
 * caller writes the plan's header and then the spans of the input, in order. */
#ifndef VSOK_WEBP_META_H
#define VSOK_WEBP_META_H

#include <stddef.h>

#define WEBP_MAX_SPANS 32

typedef struct {
    unsigned char header[12 + 18]; /* "RIFF" size "WEBP", then the VP8X chunk if any */
    size_t header_len;
    struct {
        size_t off, len;
    } spans[WEBP_MAX_SPANS]; /* runs of chunks of the input kept as they are */
    size_t nspans;
    int dropped; /* chunks left out */
} webp_plan;

/* Plans the copy of the WebP in[0..n). Returns 0, or -1 when in is not a well-formed WebP
 * (or keeps more than WEBP_MAX_SPANS separate runs). */
int webp_plan_strip(const unsigned char *in, size_t n, webp_plan *p);

#endif
