#include "evidence/jpeg_gps.h"

#include <stdint.h>
#include <string.h>

#define TAG_GPS_IFD 0x8825

typedef struct {
    unsigned char *t; /* the TIFF block */
    size_t n;
    int big; /* "MM": big-endian */
} tiff;

static uint16_t rd16(const tiff *t, size_t o)
{
    const unsigned char *p = t->t + o;
    return t->big ? (uint16_t)(p[0] << 8 | p[1]) : (uint16_t)(p[1] << 8 | p[0]);
}

static uint32_t rd32(const tiff *t, size_t o)
{
    const unsigned char *p = t->t + o;
    return t->big ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
                  : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/* Bytes per value of a TIFF field type (0 for an unknown type). */
static size_t type_size(uint16_t type)
{
    static const unsigned char SIZES[] = {0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4};
    return type < sizeof SIZES ? SIZES[type] : 0;
}

/* Whether an IFD of count entries at off lies inside the block (with its next pointer). */
static int ifd_fits(const tiff *t, size_t off, size_t *count)
{
    if (off < 8 || off > t->n || t->n - off < 2)
        return 0;
    *count = rd16(t, off);
    return t->n - off - 2 >= *count * 12 + 4;
}

/* Zeroes the GPS IFD at off: every entry, the values outside the entries, the count.
 * Returns 1 when it had entries, 0 when it was empty, -1 when it does not fit. */
static int blank_ifd(tiff *t, size_t off)
{
    size_t count;
    if (!ifd_fits(t, off, &count))
        return -1;
    for (size_t i = 0; i < count; i++) {
        size_t e = off + 2 + i * 12;
        size_t size = type_size(rd16(t, e + 2));
        uint64_t bytes = (uint64_t)size * rd32(t, e + 4);
        if (bytes > 4) {
            uint32_t v = rd32(t, e + 8);
            if (v <= t->n && bytes <= t->n - v)
                memset(t->t + v, 0, (size_t)bytes);
        }
        memset(t->t + e, 0, 12);
    }
    memset(t->t + off, 0, 2 + count * 12 + 4);
    return count > 0;
}

/* Looks for the GPS pointer in the IFD at off; *next gets the following IFD's offset. */
static int scan_ifd(tiff *t, size_t off, uint32_t *next)
{
    size_t count;
    *next = 0;
    if (!ifd_fits(t, off, &count))
        return -1;
    int blanked = 0;
    for (size_t i = 0; i < count; i++) {
        size_t e = off + 2 + i * 12;
        if (rd16(t, e) != TAG_GPS_IFD)
            continue;
        uint32_t gps = rd32(t, e + 8);
        if (gps == off)
            return -1;
        int b = blank_ifd(t, gps);
        if (b < 0)
            return -1;
        blanked |= b;
    }
    *next = rd32(t, off + 2 + count * 12);
    return blanked;
}

int exif_blank_gps(unsigned char *p, size_t n)
{
    if (n < 6 + 8 || memcmp(p, "Exif\0\0", 6) != 0)
        return -1;
    tiff t = {p + 6, n - 6, 0};
    if (memcmp(t.t, "MM\0*", 4) == 0)
        t.big = 1;
    else if (memcmp(t.t, "II*\0", 4) != 0)
        return -1;
    /* IFD0 (the main image) and IFD1 (its thumbnail): the GPS pointer belongs in IFD0. */
    uint32_t off = rd32(&t, 4), next = 0;
    int r0 = scan_ifd(&t, off, &next);
    if (r0 < 0)
        return -1;
    int r1 = 0;
    if (next != 0 && next != off) {
        uint32_t after;
        r1 = scan_ifd(&t, next, &after);
        if (r1 < 0)
            return -1;
    }
    return r0 || r1;
}

static int has_prefix(const unsigned char *p, size_t n, const char *sig, size_t len)
{
    return n >= len && memcmp(p, sig, len) == 0;
}

int jpeg_clean_header(const unsigned char *in, size_t n, unsigned char *out, size_t *outlen,
                      size_t *sos)
{
    static const char XMP[] = "http://ns.adobe.com/xap/1.0/";
    static const char XMP_EXT[] = "http://ns.adobe.com/xmp/extension/";
    if (n < 4 || in[0] != 0xFF || in[1] != 0xD8)
        return -1;
    size_t i = 2, o = 0;
    out[o++] = 0xFF;
    out[o++] = 0xD8;
    for (;;) {
        if (i >= n || in[i] != 0xFF)
            return -1;
        while (i < n && in[i] == 0xFF) /* fill bytes */
            i++;
        if (i >= n)
            return -1;
        unsigned char m = in[i++];
        if (m == 0xDA) {
            *sos = i - 2;
            *outlen = o;
            return 0;
        }
        if (m == 0xD8 || m == 0xD9 || m == 0x00)
            return -1;
        if ((m >= 0xD0 && m <= 0xD7) || m == 0x01) {
            out[o++] = 0xFF;
            out[o++] = m;
            continue;
        }
        if (n - i < 2)
            return -1;
        size_t len = (size_t)in[i] << 8 | in[i + 1];
        if (len < 2 || n - i < len)
            return -1;
        const unsigned char *pl = in + i + 2;
        size_t pn = len - 2;
        int drop = (m == 0xE1 && (has_prefix(pl, pn, XMP, sizeof XMP) ||
                                  has_prefix(pl, pn, XMP_EXT, sizeof XMP_EXT))) ||
                   (m == 0xE2 && has_prefix(pl, pn, "MPF\0", 4));
        if (!drop) {
            out[o] = 0xFF;
            out[o + 1] = m;
            memcpy(out + o + 2, in + i, len);
            /* An Exif block that cannot be read is left out: none at all rather than a leak. */
            int unreadable = m == 0xE1 && has_prefix(pl, pn, "Exif\0\0", 6) &&
                             exif_blank_gps(out + o + 4, pn) < 0;
            if (!unreadable)
                o += 2 + len;
        }
        i += len;
    }
}

size_t jpeg_find_eoi(int *state, const unsigned char *buf, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (*state && buf[i] == 0xD9) {
            *state = 0;
            return i + 1;
        }
        *state = buf[i] == 0xFF;
    }
    return 0;
}
