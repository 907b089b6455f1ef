/* Previews of evidence: a JPEG of at most EVIDENCE_THUMB_SIZE px on the long side, the Exif
 * orientation applied and every metadata block left out. Photos (JPEG, PNG, WebP, HEIC/HEIF)
 * through vipsthumbnail, videos through ffmpeg (a frame at 1 s, or the first for a shorter
 * video); both run as child processes (child_run.h). Made on the first request and kept
 * under derived/thumb (evidence_derived.h). */
#ifndef VSOK_EVIDENCE_THUMB_H
#define VSOK_EVIDENCE_THUMB_H

#include "evidence/evidence_derived.h"
#include "evidence/evidence_store.h"

#define EVIDENCE_THUMB_SIZE 320

/* Whether videos get previews here: VSOK_FFMPEG names an installed program. */
int evidence_video_previews(const config *cfg);

/* The preview of the object hex of type mime: on DERIVED_READY *uri is its /_derived/ URI. */
derived_result evidence_thumb(arena *a, const config *cfg, const char *hex, const char *mime,
                              const char **uri);

#endif
