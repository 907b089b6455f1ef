#include "evidence/evidence_clean.h"

#include "core/child_run.h"
#include "evidence/evidence_store.h"
#include "core/file_copy.h"
#include "evidence/jpeg_gps.h"
#include "core/log.h"
#include "evidence/mp4_meta.h"
#include "evidence/webp_meta.h"

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
    if (strcmp(mime, "video/mp4") == 0)
        return "mp4";
    if (strcmp(mime, "video/quicktime") == 0)
        return "mov";
    if (strcmp(mime, "video/webm") == 0)
        return "webm";
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

/* Opens a stored object for reading; -1 when it cannot be opened or is empty. */
static int open_nonempty(const char *path, struct stat *st)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0 && (fstat(fd, st) != 0 || st->st_size <= 0)) {
        close(fd);
        fd = -1;
    }
    return fd;
}

/* Ends a copy from in to out: makes out durable when all went well (rc 0), closes both (out
 * may be -1, never opened) and returns the outcome, -1 when the sync failed. */
static int copy_end(int in, int out, int rc)
{
    if (rc == 0 && fdatasync(out) != 0)
        rc = -1;
    if (out >= 0)
        close(out);
    close(in);
    return rc;
}

/* The WebP at object without its EXIF and XMP chunks, written to tmp (webp_meta.h). The file
 * is mapped to read its chunk headers; the chunks kept are copied by the kernel. Returns 0,
 * 1 when it is not a WebP this code can read, or -1 on an I/O error. */
static int webp_copy(const char *object, const char *tmp)
{
    struct stat st;
    int in = open_nonempty(object, &st);
    if (in < 0)
        return -1;
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
    return copy_end(in, out, rc);
}

static int pread_all(void *ctx, uint64_t off, unsigned char *buf, size_t n)
{
    int fd = *(const int *)ctx;
    while (n > 0) {
        ssize_t r = pread(fd, buf, n, (off_t)off);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        buf += r;
        n -= (size_t)r;
        off += (uint64_t)r;
    }
    return 0;
}

/* Writes "free" over the type of box b in fd and zeros over its contents. */
static int blank_box(int fd, const mp4_box *b)
{
    static const unsigned char zeros[64 * 1024];
    if (pwrite(fd, "free", 4, (off_t)b->at + 4) != 4)
        return -1;
    uint64_t off = b->at + b->header, left = b->size - b->header;
    while (left > 0) {
        size_t n = left < sizeof zeros ? (size_t)left : sizeof zeros;
        ssize_t w = pwrite(fd, zeros, n, (off_t)off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        off += (uint64_t)w;
        left -= (uint64_t)w;
    }
    return 0;
}

/* The MP4/QuickTime video at object without its metadata boxes, written to tmp (mp4_meta.h):
 * the whole file is copied by the kernel, then each box the plan lists is blanked ("free"
 * over its type, zeros over its contents). Returns 0, 1 when it is not a file this code can
 * read, or -1 on an I/O error. */
static int mp4_copy(const char *object, const char *tmp)
{
    struct stat st;
    int in = open_nonempty(object, &st);
    if (in < 0)
        return -1;
    mp4_meta_plan plan;
    int p = mp4_meta_plan_strip(pread_all, &in, (uint64_t)st.st_size, &plan);
    int rc = p == 0 ? 0 : p == -1 ? 1 : -1;
    int out = rc == 0 ? open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640) : -1;
    if (rc == 0 && (out < 0 || copy_span(in, out, 0, (size_t)st.st_size) != 0))
        rc = -1;
    for (size_t i = 0; rc == 0 && i < plan.n; i++)
        rc = blank_box(out, &plan.box[i]);
    return copy_end(in, out, rc);
}

/* Runs the copying tool argv under the preview time limit; a failure is logged with what
 * the tool said. */
static child_result run_copy(const config *cfg, const char *const argv[], const char *tool,
                             const char *object)
{
    char err[512];
    child_result r = child_run(argv, cfg->preview_timeout, err, sizeof err);
    if (r != CHILD_OK)
        log_info("clean: %s could not copy %s: %s", tool, object,
                 r == CHILD_TIMEOUT ? "time limit"
                 : err[0]           ? err
                                    : "failed");
    return r;
}

static child_result vips_copy(arena *a, const config *cfg, const char *object, const char *tmp)
{
    const char *out = arena_sprintf(a, "%s[strip,Q=90]", tmp); /* always a JPEG */
    const char *argv[] = {cfg->vips, "autorot", object, out, NULL};
    return out ? run_copy(cfg, argv, "vips", object) : CHILD_NO_START;
}

/* The WebM video at object remuxed by ffmpeg into tmp without any metadata: its video and
 * audio streams only (no attachments, chapters or tags), the packets copied as they are. */
static child_result webm_copy(const config *cfg, const char *object, const char *tmp)
{
    if (cfg->ffmpeg[0] != '/')
        return CHILD_NO_START; /* no ffmpeg: the video is not shown to others */
    const char *argv[] = {cfg->ffmpeg,
                          "-nostdin",
                          "-v",
                          "error",
                          "-f",
                          "matroska",
                          "-i",
                          object,
                          "-map",
                          "0:v",
                          "-map",
                          "0:a?",
                          "-c",
                          "copy",
                          "-map_metadata",
                          "-1",
                          "-map_chapters",
                          "-1",
                          "-fflags",
                          "+bitexact",
                          "-f",
                          "webm",
                          "-y",
                          tmp,
                          NULL};
    return run_copy(cfg, argv, "ffmpeg", object);
}

derived_result evidence_clean_copy(arena *a, const config *cfg, const char *hex, const char *mime,
                                   const char **uri, const char **served_mime)
{
    const char *ext = ext_of(mime);
    if (!ext)
        return DERIVED_NONE;
    int is_jpeg = strcmp(mime, "image/jpeg") == 0;
    int is_webm = strcmp(mime, "video/webm") == 0;
    int is_boxes = strncmp(mime, "video/", 6) == 0 && !is_webm; /* MP4, QuickTime */
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
             : is_boxes                 ? mp4_copy(object, tmp)
                                        : 1;
    if (rc < 0) {
        log_error("clean: cannot copy %s: %s", object, strerror(errno));
        unlink(tmp);
        return DERIVED_ERROR;
    }
    if (rc == 1 && (strcmp(ext, "webp") == 0 || is_boxes)) {
        /* vips 8.14 keeps a WebP's EXIF even with strip, and a video whose boxes cannot be
         * read may hide its location anywhere: no copy rather than a leak */
        log_info("clean: %s is not a file that can be copied without its metadata", hex);
        unlink(tmp);
        evidence_derived_mark_none(a, cfg, "clean", hex);
        return DERIVED_NONE;
    }
    if (rc == 1) {
        unlink(tmp);
        child_result r = is_webm ? webm_copy(cfg, object, tmp) : vips_copy(a, cfg, object, tmp);
        if (r != CHILD_OK) {
            unlink(tmp);
            if (r != CHILD_NO_START)
                evidence_derived_mark_none(a, cfg, "clean", hex);
            return DERIVED_NONE;
        }
    }
    return evidence_derived_publish(tmp, path) == 0 ? DERIVED_READY : DERIVED_ERROR;
}
