/* Copies of photos and videos without location data, served to everyone but the uploader
 * (children's privacy). A JPEG keeps its bytes but for the metadata (jpeg_gps.h: the GPS IFD
 * blanked, XMP and MPF left out, nothing after the image), and so does a WebP (webp_meta.h: its
 * EXIF and XMP chunks left out). A HEIC/HEIF photo, whose Exif is an item of the
 * container, becomes a JPEG made by vips, upright and without metadata (encoding HEVC
 * again takes most of a minute on a 12-megapixel photo, and browsers other than Safari
 * cannot show HEIC). An MP4 or QuickTime video keeps its bytes but for its metadata boxes,
 * blanked in place (mp4_meta.h); a WebM video is remuxed by ffmpeg without tags, chapters or
 * attachments. PNG carries no camera location and is served as uploaded. Made on the first
 * request and kept under derived/clean. */
#ifndef VSOK_EVIDENCE_CLEAN_H
#define VSOK_EVIDENCE_CLEAN_H

#include "evidence/evidence_derived.h"

/* Whether files of this type get a clean copy for others than the uploader. */
int evidence_needs_clean_copy(const char *mime);

/* The clean copy of the object hex: on DERIVED_READY *uri is its /_derived/ URI and
 * *served_mime its type (image/jpeg for a HEIC/HEIF photo, else mime). */
derived_result evidence_clean_copy(arena *a, const config *cfg, const char *hex, const char *mime,
                                   const char **uri, const char **served_mime);

#endif
