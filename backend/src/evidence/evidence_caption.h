/* The caption of an evidence link: valid UTF-8 without control characters (line breaks and
 * tabs allowed), trimmed, at most EVIDENCE_CAPTION_MAX characters. Pure. */
#ifndef VSOK_EVIDENCE_CAPTION_H
#define VSOK_EVIDENCE_CAPTION_H

#include "core/arena.h"

#define EVIDENCE_CAPTION_MAX 1000 /* characters (code points) */

typedef enum {
    CAPTION_OK = 0,
    CAPTION_BAD_UTF8, /* not valid UTF-8 (overlong forms and surrogates included) */
    CAPTION_CONTROL,  /* a control character other than a line break or a tab */
    CAPTION_TOO_LONG
} caption_result;

/* Checks s and copies it trimmed (spaces, tabs, line breaks at both ends) into the arena:
 * *out is NULL for a caption that is empty once trimmed. n is the byte length of s. */
caption_result evidence_caption_clean(arena *a, const char *s, size_t n, const char **out);

/* A Russian message for a result other than CAPTION_OK. */
const char *evidence_caption_message(caption_result r);

#endif
