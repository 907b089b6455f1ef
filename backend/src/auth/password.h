/* Password hashing with argon2id (libargon2). */
#ifndef VSOK_PASSWORD_H
#define VSOK_PASSWORD_H

#include <stddef.h>

#define PASSWORD_HASH_MAX 128
#define PASSWORD_MAX_LEN 256

/* argon2id, m = 19 MiB, t = 2, p = 1, 16-byte salt from getrandom, 32-byte tag.
 * Returns 0 and the encoded hash in out, or -1. */
int password_hash(const char *pw, size_t len, char *out, size_t outlen);

/* 1 when pw matches encoded, 0 when not (or encoded is malformed), never crashes. */
int password_verify(const char *encoded, const char *pw, size_t len);

/* Spends the same time as a real verify: used for unknown logins. */
void password_dummy_verify(const char *pw, size_t len);

#endif
