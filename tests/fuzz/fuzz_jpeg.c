/* libFuzzer harness for the location remover of JPEG photos (jpeg_gps.c): any bytes as a
 * JPEG header, as an Exif block and as entropy-coded data must be rewritten or refused,
 * never read or written out of bounds, and a rewritten header is never longer than its
 * input. Built and run by `make fuzz`. */
#include "evidence/jpeg_gps.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned char *out = malloc(size + 1);
    unsigned char *copy = malloc(size + 1);
    if (!out || !copy) {
        free(out);
        free(copy);
        return 0;
    }
    size_t outlen = 0, sos = 0;
    if (jpeg_clean_header(data, size, out, &outlen, &sos) == 0) {
        if (outlen > size || sos >= size || outlen > sos + 2)
            abort();
        int st = 0;
        size_t end = jpeg_find_eoi(&st, data + sos, size - sos);
        if (end > size - sos)
            abort();
    }
    /* the same bytes as an Exif payload, with and without its signature */
    memcpy(copy, data, size);
    exif_blank_gps(copy, size);
    if (size >= 6) {
        memcpy(copy, "Exif\0\0", 6);
        memcpy(copy + 6, data + 6, size - 6);
        exif_blank_gps(copy, size);
    }
    free(out);
    free(copy);
    return 0;
}
