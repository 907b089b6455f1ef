/* Small cryptographic helpers over OpenSSL libcrypto and getrandom. */
#ifndef VSOK_CRYPTO_UTIL_H
#define VSOK_CRYPTO_UTIL_H

#include <stddef.h>

/* Fills buf with len bytes from the kernel CSPRNG. Returns 0 or -1. */
int random_bytes(unsigned char *buf, size_t len);

/* out must hold 32 bytes. */
void sha256(const void *data, size_t len, unsigned char out[32]);

/* Lower-case hex; out must hold 2*len+1 bytes. */
void hex_encode(const unsigned char *in, size_t len, char *out);

/* Decodes exactly outlen bytes from 2*outlen hex chars; returns 0 or -1 on bad input. */
int hex_decode(const char *in, size_t inlen, unsigned char *out, size_t outlen);

/* base64url without padding; out must hold 4*((len+2)/3)+1 bytes. Returns chars written. */
size_t base64url_encode(const unsigned char *in, size_t len, char *out);

/* Returns bytes written or -1 on bad input; out must hold 3*(inlen/4)+3 bytes. */
long base64url_decode(const char *in, size_t inlen, unsigned char *out, size_t outlen);

/* The value of one hex digit (either case), or -1. */
int hex_digit_value(char c);
/* The value of one base64 digit, or -1: the standard alphabet (+ /), or with url set the
 * URL-safe one (- _). Padding '=' is -1. */
int base64_digit_value(char c, int url);

#endif
