/* The SHA-256 of a file that grows chunk by chunk, carried from one request to the next so
 * that each byte is hashed once, as it is appended. What is kept between requests is the
 * state after the whole 64-byte blocks of the first `length` bytes (SHA256_CARRY_LEN bytes:
 * the eight 32-bit words, big-endian); the last length % 64 bytes are read again from the
 * file itself when the hash resumes, so the kept state is the same on every machine and
 * needs nothing but the length it belongs to. */
#ifndef VSOK_SHA256_CARRY_H
#define VSOK_SHA256_CARRY_H

#include "core/arena.h"

#include <stddef.h>
#include <sys/types.h>

#define SHA256_CARRY_LEN 32

typedef struct sha256_carry sha256_carry;

/* A hash in progress, in a's memory. NULL when out of memory. */
sha256_carry *sha256_carry_new(arena *a);

/* Sets c to the hash of the first length bytes of the file open as fd: state is what
 * sha256_carry_save gave at that length (NULL for length 0); the bytes after the last whole
 * block (fewer than 64) are read from fd. Returns 0, or -1 (errno set; EIO when fd is
 * shorter than length). */
int sha256_carry_resume(sha256_carry *c, const unsigned char *state, int fd, off_t length);

void sha256_carry_update(sha256_carry *c, const void *data, size_t len);

/* The bytes hashed so far. */
off_t sha256_carry_length(const sha256_carry *c);

/* The state to keep for this length (see above). */
void sha256_carry_save(const sha256_carry *c, unsigned char state[SHA256_CARRY_LEN]);

/* The digest of everything hashed so far; c itself is left as it was. */
void sha256_carry_digest(const sha256_carry *c, unsigned char out[32]);

#endif
