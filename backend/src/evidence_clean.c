#include "evidence_clean.h"

#include "child_run.h"
#include "evidence_store.h"
#include "file_copy.h"
#include "jpeg_gps.h"
#include "log.h"
#include "webp_meta.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* The header of a JPEG (everything before the image data) is read whole: Exif, XMP and the
 * other segments are at most 64 KiB each, and a camera writes a handful. */
#define HEADER_MAX (1024 * 1024)

static const char *ext_of(const char *mime)
{
    if (strcmp(mime, "image/jpeg") == 0)
        return "jpg";
    if (strcmp(mime, "image/webp") == 0)
        return "webp";
    if (strcmp(mime, "image/heic") == 0 || strcmp(mime, "image/heif") == 0)
        return "jpg"; /* served as a JPEG */
    return NULL;
}

int evidence_needs_clean_copy(const char *mime)
{
    return mime && ext_of(mime) != NULL;
}

/* Copies the image data from in (positioned after the header) to out up to and including
 * the end-of-image marker. Returns 0, or -1 (a read or write error, or no end of image). */
static int copy_scan(int in, int out, unsigned char *buf, size_t cap, const unsigned char *first,
                     size_t first_n)
{
    int state = 0;
    size_t n = first_n;
    const unsigned char *p = first;
    for (;;) {
        size_t end = jpeg_find_eoi(&state, p, n);
        if (file_write_all(out, p, end ? end : n) != 0)
            return -1;
        if (end)
            return 0;
        ssize_t r;
        do
            r = read(in, buf, cap);
        while (r < 0 && errno == EINTR);
        if (r <= 0)
            return -1;
        p = buf;
        n = (size_t)r;
    }
}

/* The JPEG at object without location data, written to tmp. Returns 0, 1 when the file is
 * not a JPEG this code can read (the caller falls back to vips), or -1 on an I/O error. */
static int jpeg_copy(const char *object, const char *tmp)
{
    unsigned char *head = malloc(HEADER_MAX), *clean = malloc(HEADER_MAX);
    int in = open(object, O_RDONLY | O_CLOEXEC);
    int out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    int rc = -1;
    ssize_t n = 0;
    if (!head || !clean || in < 0 || out < 0)
        goto done;
    do
        n = read(in, head, HEADER_MAX);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        goto done;
    size_t clean_n = 0, sos = 0;
    if (jpeg_clean_header(head, (size_t)n, clean, &clean_n, &sos) != 0) {
        rc = 1;
        goto done;
    }
    if (file_write_all(out, clean, clean_n) != 0)
        goto done;
    int scan = copy_scan(in, out, clean, HEADER_MAX, head + sos, (size_t)n - sos);
    if (scan != 0) {
        rc = 1; /* no end of image: not a JPEG to copy byte for byte */
        goto done;
    }
    rc = fdatasync(out) == 0 ? 0 : -1;
done:
    if (in >= 0)
        close(in);
    if (out >= 0)
        close(out);
    free(head);
    free(clean);
    return rc;
}

/* Copies the spans [off, off + len) of in to out with the kernel. */
static int copy_span(int in, int out, size_t off, size_t len)
{
    loff_t from = (loff_t)off;
    while (len > 0) {
        ssize_t n = copy_file_range(in, &from, out, NULL, len, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        len -= (size_t)n;
    }
    return 0;
}

/* The WebP at object without its EXIF and XMP chunks, written to tmp (webp_meta.h). The file
 * is mapped to read its chunk headers; the chunks kept are copied by the kernel. Returns 0,
 * 1 when it is not a WebP this code can read, or -1 on an I/O error. */
static int webp_copy(const char *object, const char *tmp)
{
    int in = open(object, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (in < 0 || fstat(in, &st) != 0 || st.st_size <= 0) {
        if (in >= 0)
            close(in);
        return -1;
    }
    void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, in, 0);
    if (map == MAP_FAILED) {
        close(in);
        return -1;
    }
    webp_plan plan;
    int rc = webp_plan_strip(map, (size_t)st.st_size, &plan) == 0 ? 0 : 1;
    munmap(map, (size_t)st.st_size);
    int out = rc == 0 ? open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640) : -1;
    if (rc == 0 && out < 0)
        rc = -1;
    if (rc == 0 && file_write_all(out, plan.header, plan.header_len) != 0)
        rc = -1;
    for (size_t i = 0; rc == 0 && i < plan.nspans; i++)
        if (copy_span(in, out, plan.spans[i].off, plan.spans[i].len) != 0)
            rc = -1;
    if (rc == 0 && fdatasync(out) != 0)
        rc = -1;
    if (out >= 0)
        close(out);
    close(in);
    return rc;
}

static child_result vips_copy(arena *a, const config *cfg, const char *object, const char *tmp)
{
    const char *out = arena_sprintf(a, "%s[strip,Q=90]", tmp); /* always a JPEG */
    const char *argv[] = {cfg->vips, "autorot", object, out, NULL};
    char err[512];
    if (!out)
        return CHILD_NO_START;
    child_result r = child_run(argv, cfg->preview_timeout, err, sizeof err);
    if (r != CHILD_OK)
        log_info("clean: vips could not copy %s: %s", object,
                 r == CHILD_TIMEOUT ? "time limit"
                 : err[0]           ? err
                                    : "failed");
    return r;
}

derived_result evidence_clean_copy(arena *a, const config *cfg, const char *hex, const char *mime,
                                   const char **uri, const char **served_mime)
{
    const char *ext = ext_of(mime);
    if (!ext)
        return DERIVED_NONE;
    int is_jpeg = strcmp(mime, "image/jpeg") == 0;
    *served_mime = strcmp(ext, "jpg") == 0 ? "image/jpeg" : mime;
    const char *path = evidence_derived_path(a, cfg, "clean", hex, ext);
    const char *object = evidence_object_path(a, cfg, hex);
    const char *tmp = path ? evidence_derived_tmp(a, path, ext) : NULL;
    *uri = evidence_derived_uri(a, "clean", hex, ext);
    if (!path || !object || !tmp || !*uri)
        return DERIVED_ERROR;
    if (access(path, F_OK) == 0)
        return DERIVED_READY;
    if (evidence_derived_marked_none(a, cfg, "clean", hex))
        return DERIVED_NONE;
    if (evidence_mkdirs(path) != 0) {
        log_error("clean: cannot create the directory of %s", path);
        return DERIVED_ERROR;
    }
    int rc = is_jpeg                    ? jpeg_copy(object, tmp)
             : strcmp(ext, "webp") == 0 ? webp_copy(object, tmp)
                                        : 1;
    if (rc < 0) {
        log_error("clean: cannot copy %s: %s", object, strerror(errno));
        unlink(tmp);
        return DERIVED_ERROR;
    }
    if (rc == 1 && strcmp(ext, "webp") == 0) {
        /* vips 8.14 keeps a WebP's EXIF even with strip: no copy rather than a leak */
        log_info("clean: %s is not a WebP that can be copied without its metadata", hex);
        unlink(tmp);
        evidence_derived_mark_none(a, cfg, "clean", hex);
        return DERIVED_NONE;
    }
    if (rc == 1) {
        unlink(tmp);
        child_result r = vips_copy(a, cfg, object, tmp);
        if (r != CHILD_OK) {
            unlink(tmp);
            if (r != CHILD_NO_START)
                evidence_derived_mark_none(a, cfg, "clean", hex);
            return DERIVED_NONE;
        }
    }
    return evidence_derived_publish(tmp, path) == 0 ? DERIVED_READY : DERIVED_ERROR;
}
