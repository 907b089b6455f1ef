/* libFuzzer harness for the metadata planner of MP4/QuickTime videos (mp4_meta.c): any bytes
 * must be planned or refused, never read out of bounds; every planned box lies inside the
 * input, in file order, and planning the blanked copy again finds nothing left to blank. Built and
 * run by `make fuzz`. */
#include "evidence/mp4_meta.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const uint8_t *p;
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mem m = {data, size};
    mp4_meta_plan p;
    if (mp4_meta_plan_strip(mem_read, &m, size, &p) != 0)
        return 0;
    for (size_t i = 0; i < p.n; i++)
        if (p.box[i].at > size || p.box[i].size > size - p.box[i].at ||
            p.box[i].size < p.box[i].header || (i > 0 && p.box[i].at < p.box[i - 1].at))
            abort();
    unsigned char *copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    mp4_meta_apply(copy, size, &p);
    mem c = {copy, size};
    if (mp4_meta_plan_strip(mem_read, &c, size, &p) != 0 || p.n != 0)
        abort();
    free(copy);
    return 0;
}
