/* The QR code of a survey link as SVG, made with libqrencode: one path of horizontal runs
 * of dark modules, in module units, scaled by the viewBox. */
#include "survey/survey.h"

#include <qrencode.h>
#include <stdio.h>
#include <string.h>

#define QUIET 4 /* modules of white border the standard asks for */

char *survey_qr_svg(arena *a, const char *text, size_t *len)
{
    if (!text || !*text)
        return NULL;
    QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q)
        return NULL;
    int w = q->width, size = w + 2 * QUIET;
    /* at most one run per two modules of a row, each "M123 456h789" (< 24 bytes) */
    size_t cap = 512 + (size_t)w * (size_t)(w / 2 + 1) * 24;
    char *out = arena_alloc(a, cap);
    if (!out) {
        QRcode_free(q);
        return NULL;
    }
    size_t n = (size_t)snprintf(
        out, cap,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
        "shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR\">"
        "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"none\" stroke=\"#000\" "
        "stroke-width=\"1\" d=\"",
        size, size, size, size);
    for (int y = 0; y < w; y++) {
        for (int x = 0; x < w;) {
            if (!(q->data[y * w + x] & 1)) {
                x++;
                continue;
            }
            int start = x;
            while (x < w && (q->data[y * w + x] & 1))
                x++;
            /* a stroke through the middle of the row, one module high */
            n += (size_t)snprintf(out + n, cap - n, "M%d %d.5h%d", start + QUIET, y + QUIET,
                                  x - start);
        }
    }
    n += (size_t)snprintf(out + n, cap - n, "\"/></svg>\n");
    QRcode_free(q);
    if (n >= cap)
        return NULL;
    if (len)
        *len = n;
    return out;
}
