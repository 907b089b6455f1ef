/* OpenSSL's SHA256_CTX is the one SHA-256 whose state can be read and set (EVP keeps it
 * opaque); its functions are deprecated in OpenSSL 3 but kept, and run the same block code
 * as EVP (with the CPU's SHA extensions where there are some). */
#define OPENSSL_SUPPRESS_DEPRECATED

#include "core/sha256_carry.h"

#include "core/file_copy.h"

#include <errno.h>
#include <openssl/sha.h>
#include <string.h>
#include <unistd.h>

struct sha256_carry {
    SHA256_CTX ctx;
    off_t length;
};

sha256_carry *sha256_carry_new(arena *a)
{
    sha256_carry *c = arena_alloc(a, sizeof *c);
    if (c) {
        SHA256_Init(&c->ctx);
        c->length = 0;
    }
    return c;
}

int sha256_carry_resume(sha256_carry *c, const unsigned char *state, int fd, off_t length)
{
    SHA256_Init(&c->ctx);
    c->length = 0;
    if (length <= 0)
        return 0;
    if (!state) {
        errno = EINVAL;
        return -1;
    }
    off_t whole = length - length % SHA256_CBLOCK;
    for (int i = 0; i < 8; i++)
        c->ctx.h[i] = (SHA_LONG)state[4 * i] << 24 | (SHA_LONG)state[4 * i + 1] << 16 |
                      (SHA_LONG)state[4 * i + 2] << 8 | (SHA_LONG)state[4 * i + 3];
    unsigned long long bits = (unsigned long long)whole * 8;
    c->ctx.Nl = (SHA_LONG)(bits & 0xffffffffu);
    c->ctx.Nh = (SHA_LONG)(bits >> 32);
    c->length = whole;
    unsigned char tail[SHA256_CBLOCK];
    size_t n = (size_t)(length - whole);
    if (n > 0 && file_pread_all(fd, tail, n, whole) != 0)
        return -1;
    sha256_carry_update(c, tail, n);
    return 0;
}

void sha256_carry_update(sha256_carry *c, const void *data, size_t len)
{
    SHA256_Update(&c->ctx, data, len);
    c->length += (off_t)len;
}

off_t sha256_carry_length(const sha256_carry *c)
{
    return c->length;
}

void sha256_carry_save(const sha256_carry *c, unsigned char state[SHA256_CARRY_LEN])
{
    for (int i = 0; i < 8; i++) {
        state[4 * i] = (unsigned char)(c->ctx.h[i] >> 24);
        state[4 * i + 1] = (unsigned char)(c->ctx.h[i] >> 16);
        state[4 * i + 2] = (unsigned char)(c->ctx.h[i] >> 8);
        state[4 * i + 3] = (unsigned char)c->ctx.h[i];
    }
}

void sha256_carry_digest(const sha256_carry *c, unsigned char out[32])
{
    SHA256_CTX copy = c->ctx;
    SHA256_Final(out, &copy);
}
