/* libFuzzer harness for the metadata remover of WebP photos (webp_meta.c): any bytes must be
 * planned or refused, never read out of bounds; a plan's spans lie inside the input, in
 * order, and the RIFF size it writes is what the copy holds. Built and run by `make fuzz`. */
#include "evidence/webp_meta.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    webp_plan p;
    if (webp_plan_strip(data, size, &p) != 0)
        return 0;
    size_t total = p.header_len, last = 0;
    for (size_t i = 0; i < p.nspans; i++) {
        if (p.spans[i].off < last || p.spans[i].off > size ||
            p.spans[i].len > size - p.spans[i].off)
            abort();
        last = p.spans[i].off + p.spans[i].len;
        total += p.spans[i].len;
    }
    uint32_t riff = (uint32_t)p.header[4] | (uint32_t)p.header[5] << 8 |
                    (uint32_t)p.header[6] << 16 | (uint32_t)p.header[7] << 24;
    if (riff != total - 8 || total > size)
        abort();
    return 0;
}
