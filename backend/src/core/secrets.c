#include "core/secrets.h"

#include "core/crypto_util.h"
#include "core/file_copy.h"
#include "core/jwt_token.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEY_BYTES 32

static int create_key_file(const char *path, char *err, size_t errlen)
{
    unsigned char key[KEY_BYTES];
    char hex[2 * KEY_BYTES + 2];
    if (random_bytes(key, sizeof key) != 0) {
        snprintf(err, errlen, "no random bytes for the JWT key");
        return -1;
    }
    hex_encode(key, sizeof key, hex);
    strcat(hex, "\n");
    if (file_make_dirs(path, 0755, 0700) != 0) {
        snprintf(err, errlen, "cannot create the directory of %s: %s", path, strerror(errno));
        return -1;
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return errno == EEXIST
                   ? 0
                   : (snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno)), -1);
    ssize_t w = write(fd, hex, strlen(hex));
    int rc = (w == (ssize_t)strlen(hex) && fsync(fd) == 0) ? 0 : -1;
    close(fd);
    if (rc)
        snprintf(err, errlen, "cannot write %s", path);
    return rc;
}

int secrets_load_jwt_key(config *c, char *err, size_t errlen)
{
    const char *path = c->jwt_key_file;
    if (access(path, F_OK) != 0 && create_key_file(path, err, errlen) != 0)
        return -1;
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    char buf[256];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' '))
        n--;
    if (n < 2 * JWT_KEY_MIN || n % 2 != 0 || n / 2 > sizeof c->jwt_key ||
        hex_decode(buf, n, c->jwt_key, n / 2) != 0) {
        snprintf(err, errlen, "%s must hold at least %d random bytes as hex", path, JWT_KEY_MIN);
        return -1;
    }
    c->jwt_key_len = n / 2;
    return 0;
}
