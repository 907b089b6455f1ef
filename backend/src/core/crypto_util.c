/* Small cryptographic helpers over OpenSSL libcrypto and getrandom. */
#include "core/crypto_util.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <openssl/evp.h>

int random_bytes(unsigned char *buf, size_t len)
{
    size_t done = 0;

    if (buf == NULL && len > 0)
        return -1;
    while (done < len) {
        ssize_t n = getrandom(buf + done, len - done, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        done += (size_t)n;
    }
    return 0;
}

/* EVP_Digest with SHA-256 fails only when libcrypto itself is broken (allocation of the
 * digest context). A zero or partial digest would silently compare equal to other
 * failures, so the process stops instead. */
void sha256(const void *data, size_t len, unsigned char out[32])
{
    unsigned int outlen = 0;

    if (EVP_Digest(data, len, out, &outlen, EVP_sha256(), NULL) != 1 || outlen != 32)
        abort();
}

void hex_encode(const unsigned char *in, size_t len, char *out)
{
    static const char digits[] = "0123456789abcdef";

    for (size_t i = 0; i < len; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 0x0f];
    }
    out[2 * len] = '\0';
}

/* The place of c in alphabet: the value of a digit, or -1 (also for NUL). */
static int digit_in(const char *alphabet, char c)
{
    const char *at = c ? strchr(alphabet, c) : NULL;
    return at ? (int)(at - alphabet) : -1;
}

int hex_digit_value(char c)
{
    return digit_in("0123456789abcdef", (char)tolower((unsigned char)c));
}

int hex_decode(const char *in, size_t inlen, unsigned char *out, size_t outlen)
{
    if (in == NULL || out == NULL || outlen > SIZE_MAX / 2 || inlen != 2 * outlen)
        return -1;
    for (size_t i = 0; i < outlen; i++) {
        int hi = hex_digit_value(in[2 * i]);
        int lo = hex_digit_value(in[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        out[i] = (unsigned char)(hi << 4 | lo);
    }
    return 0;
}

static const char b64url_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t base64url_encode(const unsigned char *in, size_t len, char *out)
{
    size_t o = 0;
    size_t i = 0;

    for (; i + 3 <= len; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        out[o++] = b64url_alphabet[v >> 18 & 0x3f];
        out[o++] = b64url_alphabet[v >> 12 & 0x3f];
        out[o++] = b64url_alphabet[v >> 6 & 0x3f];
        out[o++] = b64url_alphabet[v & 0x3f];
    }
    if (len - i == 1) {
        uint32_t v = (uint32_t)in[i] << 16;
        out[o++] = b64url_alphabet[v >> 18 & 0x3f];
        out[o++] = b64url_alphabet[v >> 12 & 0x3f];
    } else if (len - i == 2) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
        out[o++] = b64url_alphabet[v >> 18 & 0x3f];
        out[o++] = b64url_alphabet[v >> 12 & 0x3f];
        out[o++] = b64url_alphabet[v >> 6 & 0x3f];
    }
    out[o] = '\0';
    return o;
}

int base64_digit_value(char c, int url)
{
    return digit_in(url ? b64url_alphabet : b64_alphabet, c);
}

/* Packs n (2..4) characters into v, left-aligned in 24 bits; -1 on a bad character. */
static int b64url_group(const char *in, size_t n, uint32_t *v)
{
    *v = 0;
    for (size_t k = 0; k < 4; k++) {
        int d = 0;
        if (k < n) {
            d = base64_digit_value(in[k], 1);
            if (d < 0)
                return -1;
        }
        *v = *v << 6 | (uint32_t)d;
    }
    return 0;
}

/* Strict: no padding, no whitespace, length mod 4 != 1, and the unused low bits of a
 * final partial group must be zero (one canonical encoding per byte string). */
long base64url_decode(const char *in, size_t inlen, unsigned char *out, size_t outlen)
{
    size_t tail = inlen % 4;
    size_t need = inlen / 4 * 3 + (tail ? tail - 1 : 0);
    size_t o = 0;
    uint32_t v;

    if (in == NULL || (out == NULL && inlen > 0) || tail == 1 || need > outlen ||
        need > (size_t)LONG_MAX)
        return -1;
    for (size_t i = 0; i < inlen; i += 4) {
        size_t n = inlen - i < 4 ? inlen - i : 4;
        if (b64url_group(in + i, n, &v) != 0)
            return -1;
        if ((n == 2 && (v & 0xffff) != 0) || (n == 3 && (v & 0xff) != 0))
            return -1;
        out[o++] = (unsigned char)(v >> 16);
        if (n >= 3)
            out[o++] = (unsigned char)(v >> 8 & 0xff);
        if (n == 4)
            out[o++] = (unsigned char)(v & 0xff);
    }
    return (long)o;
}
