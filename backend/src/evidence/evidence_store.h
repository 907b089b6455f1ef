/* Evidence bytes on disk: uploads in progress under <uploads>/partial/<id>, finished files
 * content-addressed under <uploads>/objects/ab/cd/<sha256 hex> (the same bytes are kept
 * once). A chunk is appended through a small buffer while it is hashed, other copies go
 * through the kernel (file_copy.h): memory does not grow with the file. */
#ifndef VSOK_EVIDENCE_STORE_H
#define VSOK_EVIDENCE_STORE_H

#include "core/arena.h"
#include "core/config.h"
#include "core/sha256_carry.h"

#include <stddef.h>
#include <sys/types.h>

#define UPLOAD_ID_LEN 32

char *evidence_partial_path(arena *a, const config *cfg, const char *upload_id);
char *evidence_object_path(arena *a, const config *cfg, const char *sha_hex);
/* The path nginx serves through X-Accel-Redirect: /_files/ab/cd/<hex>. */
char *evidence_object_uri(arena *a, const char *sha_hex);

/* Creates the directories above path (0750). Returns 0 or -1. */
int evidence_mkdirs(const char *path);

/* Cuts dst back to offset, then appends the whole of src. *added gets the bytes copied.
 * Returns 0 or -1 (errno set, e.g. ENOSPC); after a failure dst holds exactly its first
 * offset bytes again. A dst that is also linked as an object (an interrupted completion) is
 * first replaced by a copy of its own, so that the object never changes.
 *
 * With hash, the SHA-256 of dst is carried along: it is resumed at offset from state (what
 * sha256_carry_save kept for that offset; NULL at 0) and the last offset % 64 bytes of dst,
 * and every appended byte is hashed as it is copied (read once, through a small buffer).
 * Without hash, the bytes are copied in the kernel (file_copy). */
int evidence_append(const char *src, const char *dst, off_t offset, const unsigned char *state,
                    sha256_carry *hash, off_t *added);

/* The size of a partial file: 0 when there is none, -1 when it cannot be read. */
long long evidence_partial_size(const char *path);

/* Puts the finished bytes of partial at object without taking them from partial: a hard
 * link, or where the two directories are on different filesystems a copy written under a
 * temporary name and renamed into place. An object already there is kept (the same bytes).
 * The partial file stays until the completion has committed, so that an interrupted one can
 * be finished again from the same bytes. Returns 0 or -1 (errno set). */
int evidence_place_object(const char *partial, const char *object);

/* SHA-256 of a file, read in blocks: the completion of an upload whose hash was not carried
 * along (evidence_append). Returns 0 or -1. */
int evidence_sha256(const char *path, unsigned char out[32]);

typedef enum { EVIDENCE_NONE = 0, EVIDENCE_KIND_PHOTO, EVIDENCE_KIND_VIDEO } evidence_kind;

/* The allow-list: JPEG, PNG, HEIC/HEIF, WebP (photos); MP4, QuickTime, WebM (videos). */
evidence_kind evidence_kind_of(const char *mime);

/* The type of a file from its bytes (libmagic), copied to out. Returns 0 or -1. */
int evidence_sniff(const char *path, char *out, size_t outlen);

/* The lock between storing objects and sweeping them (flock on <uploads>/.objects.lock): a
 * completing upload holds it shared from the moment it looks for its object until its
 * transaction ends; the sweep holds it exclusive while it checks that no row points to an
 * object and removes it. Returns the descriptor to pass to evidence_objects_unlock, or -1. */
int evidence_objects_lock(const config *cfg, int exclusive);
void evidence_objects_unlock(int fd);

/* A random upload id: UPLOAD_ID_LEN hex characters. */
int evidence_new_upload_id(char out[UPLOAD_ID_LEN + 1]);

#endif
