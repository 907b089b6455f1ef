/* Metadata of MP4 and QuickTime (MOV) videos, which phones use to record where a video was
 * taken: `©xyz` in `moov/udta`, the Apple keys (com.apple.quicktime.location.ISO6709) in
 * `moov/meta`, XMP in `udta/XMP_` or a top-level `uuid` box. The planner walks the box tree
 * (ISO/IEC 14496-12) and lists the boxes to blank: every `udta`, `meta` and `uuid` box at
 * the top level, in `moov` and in each `trak`, and every top-level box that is not one of
 * the boxes a player needs or skips (deny by default). The caller copies the file, writes
 * the type `free` over each listed box and zeros over its contents: sizes and offsets stay
 * as they were, so the sample tables (`stco`/`co64`) still point at the same media data and
 * the copy plays as the original did, while the metadata bytes are gone, not only hidden. A file
 * whose boxes do not nest within their parents, or that has no `moov`, or a compressed `cmov`, is
 * refused: no copy rather than one that may leak. Pure: bytes come through a read callback, so unit
 * tests and the fuzzer use memory. */
#ifndef VSOK_MP4_META_H
#define VSOK_MP4_META_H

#include <stddef.h>
#include <stdint.h>

#define MP4_META_MAX 256 /* boxes to blank in one file; more is refused */

/* Reads n bytes at off into buf. Returns 0, or -1 when they cannot all be read. */
typedef int (*mp4_read_fn)(void *ctx, uint64_t off, unsigned char *buf, size_t n);

typedef struct {
    uint64_t at;     /* offset of the box (its size field) */
    uint64_t size;   /* its whole size, header included */
    unsigned header; /* 8, or 16 with a 64-bit size: the contents start at at + header */
} mp4_box;

typedef struct {
    mp4_box box[MP4_META_MAX]; /* the boxes to blank, in file order */
    size_t n;
} mp4_meta_plan;

/* Plans the blanking of the file of `size` bytes. Returns 0 (plan filled), -1 when the file
 * is not an MP4/QuickTime file this code can read, or -2 when a read failed. */
int mp4_meta_plan_strip(mp4_read_fn rd, void *ctx, uint64_t size, mp4_meta_plan *plan);

/* Blanks each planned box in buf (a copy held in memory, of len bytes): "free" over its
 * type, zeros over its contents. evidence_clean.c does the same to the file copy with
 * pwrite. */
void mp4_meta_apply(unsigned char *buf, size_t len, const mp4_meta_plan *plan);

#endif
