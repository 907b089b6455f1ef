/* Copies of photos without location data, served to everyone but the uploader (children's
 * privacy). A JPEG keeps its bytes but for the metadata (jpeg_gps.h: the GPS IFD blanked,
 * XMP and MPF left out, nothing after the image); a HEIC/HEIF or WebP photo, whose Exif
 * sits inside the container, is encoded anew in its own format by vips with the
 * orientation applied and every metadata block left out. PNG carries no camera location
 * and is served as uploaded. Made on the first request and kept under derived/clean. */
#ifndef VSOK_EVIDENCE_CLEAN_H
#define VSOK_EVIDENCE_CLEAN_H

#include "evidence_derived.h"

/* Whether files of this type get a clean copy for others than the uploader. */
int evidence_needs_clean_copy(const char *mime);

/* The clean copy of the object hex: on DERIVED_READY *uri is its /_derived/ URI. */
derived_result evidence_clean_copy(arena *a, const config *cfg, const char *hex, const char *mime,
                                   const char **uri);

#endif
