/* Password hashing with argon2id (libargon2). */
#include "auth/password.h"

#include "core/crypto_util.h"

#include <argon2.h>
#include <string.h>

#define PW_T_COST 2
#define PW_M_COST_KIB 19456
#define PW_PARALLELISM 1
#define PW_SALT_LEN 16
#define PW_TAG_LEN 32

#define PW_STR_(x) #x
#define PW_STR(x) PW_STR_(x)

/* A valid encoded hash of a random password nobody knows, with the same cost parameters
 * as password_hash (the prefix is built from the macros above, so it follows them).
 * Verifying against it does the full argon2id computation, then fails. */
#define PW_PARAMS "m=" PW_STR(PW_M_COST_KIB) ",t=" PW_STR(PW_T_COST) ",p=" PW_STR(PW_PARALLELISM)
static const char dummy_hash[] = "$argon2id$v=19$" PW_PARAMS "$bmlHV+pKiGUImXHJge3X0Q"
                                 "$EKV8PpbfWxFdcGlvtL46WkYnTBO5x6VG0pKL3ZYYxeo";

int password_hash(const char *pw, size_t len, char *out, size_t outlen)
{
    unsigned char salt[PW_SALT_LEN];
    int rc;

    if (out == NULL || outlen == 0)
        return -1;
    out[0] = '\0';
    if (pw == NULL || len > PASSWORD_MAX_LEN)
        return -1;
    if (random_bytes(salt, sizeof salt) != 0)
        return -1;
    rc = argon2id_hash_encoded(PW_T_COST, PW_M_COST_KIB, PW_PARALLELISM, pw, len, salt, sizeof salt,
                               PW_TAG_LEN, out, outlen);
    if (rc != ARGON2_OK) {
        out[0] = '\0';
        return -1;
    }
    return 0;
}

int password_verify(const char *encoded, const char *pw, size_t len)
{
    if (encoded == NULL || pw == NULL || len > PASSWORD_MAX_LEN)
        return 0;
    return argon2id_verify(encoded, pw, len) == ARGON2_OK ? 1 : 0;
}

void password_dummy_verify(const char *pw, size_t len)
{
    (void)password_verify(dummy_hash, pw, len);
}
