#include "evidence/evidence_thumb.h"

#include "core/child_run.h"
#include "core/log.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define STR2(x) #x
#define STR(x) STR2(x)

/* Whether path holds something that starts like a JPEG. */
static int is_jpeg_file(const char *path)
{
    unsigned char b[3];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, b, sizeof b);
    close(fd);
    return n == 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF;
}

static child_result photo_thumb(arena *a, const config *cfg, const char *object, const char *tmp,
                                char *err, size_t errlen)
{
    /* "320x320>": fit the box, never enlarge; vipsthumbnail turns the image upright by its
     * Exif orientation; strip leaves every metadata block out of the JPEG. */
    const char *out = arena_sprintf(a, "%s[Q=82,strip]", tmp);
    const char *argv[] = {cfg->vipsthumbnail,
                          "--size",
                          STR(EVIDENCE_THUMB_SIZE) "x" STR(EVIDENCE_THUMB_SIZE) ">",
                          "-o",
                          out,
                          object,
                          NULL};
    if (!out)
        return CHILD_NO_START;
    return child_run(argv, cfg->preview_timeout, err, errlen);
}

static child_result video_poster(const config *cfg, const char *object, const char *mime,
                                 const char *tmp, int at_one_second, char *err, size_t errlen)
{
    /* The demuxer is named from the type read at upload, so ffmpeg does not probe the bytes
     * for any of the formats it knows. */
    const char *demuxer = strcmp(mime, "video/webm") == 0 ? "matroska" : "mov";
    const char *scale = "scale=w='min(" STR(EVIDENCE_THUMB_SIZE) ",iw)':h='min(" STR(
        EVIDENCE_THUMB_SIZE) ",ih)':force_original_aspect_ratio=decrease";
    const char *argv[24];
    size_t i = 0;
    argv[i++] = cfg->ffmpeg;
    argv[i++] = "-nostdin";
    argv[i++] = "-hide_banner";
    argv[i++] = "-loglevel";
    argv[i++] = "error";
    argv[i++] = "-y";
    if (at_one_second) {
        argv[i++] = "-ss";
        argv[i++] = "1";
    }
    argv[i++] = "-f";
    argv[i++] = demuxer;
    argv[i++] = "-i";
    argv[i++] = object;
    argv[i++] = "-frames:v";
    argv[i++] = "1";
    argv[i++] = "-vf";
    argv[i++] = scale;
    argv[i++] = "-map_metadata";
    argv[i++] = "-1";
    argv[i++] = "-f";
    argv[i++] = "image2";
    argv[i++] = "-c:v";
    argv[i++] = "mjpeg";
    argv[i++] = tmp;
    argv[i] = NULL;
    return child_run(argv, cfg->preview_timeout, err, errlen);
}

int evidence_video_previews(const config *cfg)
{
    return cfg->ffmpeg[0] == '/' && access(cfg->ffmpeg, X_OK) == 0;
}

derived_result evidence_thumb(arena *a, const config *cfg, const char *hex, const char *mime,
                              const char **uri)
{
    evidence_kind kind = evidence_kind_of(mime);
    const char *path = evidence_derived_path(a, cfg, "thumb", hex, "jpg");
    const char *object = evidence_object_path(a, cfg, hex);
    const char *tmp = path ? evidence_derived_tmp(a, path, "jpg") : NULL;
    *uri = evidence_derived_uri(a, "thumb", hex, "jpg");
    if (!path || !object || !tmp || !*uri)
        return DERIVED_ERROR;
    if (access(path, F_OK) == 0)
        return DERIVED_READY;
    if (kind == EVIDENCE_NONE || evidence_derived_marked_none(a, cfg, "thumb", hex))
        return DERIVED_NONE;
    if (kind == EVIDENCE_KIND_VIDEO && !evidence_video_previews(cfg))
        return DERIVED_NONE; /* no marker: installing ffmpeg later gives the previews */
    if (evidence_mkdirs(path) != 0) {
        log_error("thumb: cannot create the directory of %s", path);
        return DERIVED_ERROR;
    }
    char err[512];
    child_result r;
    if (kind == EVIDENCE_KIND_PHOTO) {
        r = photo_thumb(a, cfg, object, tmp, err, sizeof err);
    } else {
        r = video_poster(cfg, object, mime, tmp, 1, err, sizeof err);
        struct stat st;
        if (r == CHILD_OK && (stat(tmp, &st) != 0 || st.st_size == 0)) /* shorter than 1 s */
            r = video_poster(cfg, object, mime, tmp, 0, err, sizeof err);
    }
    if (r == CHILD_NO_START) {
        log_error("thumb: cannot run %s",
                  kind == EVIDENCE_KIND_PHOTO ? cfg->vipsthumbnail : cfg->ffmpeg);
        return DERIVED_NONE;
    }
    if (r != CHILD_OK || !is_jpeg_file(tmp)) {
        log_info("thumb: no preview of %s (%s): %s", hex, mime,
                 r == CHILD_TIMEOUT ? "time limit"
                 : err[0]           ? err
                                    : "no image");
        unlink(tmp);
        evidence_derived_mark_none(a, cfg, "thumb", hex);
        return DERIVED_NONE;
    }
    return evidence_derived_publish(tmp, path) == 0 ? DERIVED_READY : DERIVED_ERROR;
}
