#include "evidence/evidence_store.h"

#include "core/crypto_util.h"
#include "core/file_copy.h"
#include "core/log.h"

#include <errno.h>
#include <fcntl.h>
#include <magic.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

char *evidence_partial_path(arena *a, const config *cfg, const char *upload_id)
{
    return arena_sprintf(a, "%s/partial/%s", cfg->uploads_dir, upload_id);
}

char *evidence_object_path(arena *a, const config *cfg, const char *hex)
{
    return arena_sprintf(a, "%s/objects/%.2s/%.2s/%s", cfg->uploads_dir, hex, hex + 2, hex);
}

char *evidence_object_uri(arena *a, const char *hex)
{
    return arena_sprintf(a, "/_files/%.2s/%.2s/%s", hex, hex + 2, hex);
}

int evidence_mkdirs(const char *path)
{
    return file_make_dirs(path, 0750, 0750);
}

/* Replaces the partial file at path (open as *fd) by a copy of its first len bytes of its
 * own. Needed when an interrupted completion left it linked as an object: the object's bytes
 * must never change under it. */
static int unshare_partial(const char *path, int *fd, off_t len)
{
    char tmp[CONFIG_PATH_MAX + 160];
    if (snprintf(tmp, sizeof tmp, "%s.unshare", path) >= (int)sizeof tmp) {
        errno = ENAMETOOLONG;
        return -1;
    }
    int out = open(tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (out < 0)
        return -1;
    off_t from = 0, to = 0, copied = 0;
    if (file_copy(*fd, &from, out, &to, len, &copied) != 0 || fdatasync(out) != 0 ||
        rename(tmp, path) != 0) {
        int e = errno;
        close(out);
        unlink(tmp);
        errno = e;
        return -1;
    }
    close(*fd);
    *fd = out;
    return 0;
}

/* Opens the partial file cut back to offset (unshared first when it is also an object). */
static int open_partial(const char *dst, off_t offset)
{
    int out = open(dst, O_RDWR | O_CREAT | O_CLOEXEC, 0640);
    struct stat st;
    if (out < 0)
        return -1;
    if (fstat(out, &st) != 0 || (st.st_nlink > 1 && unshare_partial(dst, &out, offset) != 0) ||
        ftruncate(out, offset) != 0) {
        int e = errno;
        close(out);
        errno = e;
        return -1;
    }
    return out;
}

int evidence_append(const char *src, const char *dst, off_t offset, const unsigned char *state,
                    sha256_carry *hash, off_t *added)
{
    *added = 0;
    int in = open(src, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return -1;
    int out = open_partial(dst, offset);
    if (out < 0) {
        int e = errno;
        close(in);
        errno = e;
        return -1;
    }
    int rc;
    if (hash)
        rc = sha256_carry_resume(hash, state, out, offset) != 0 || lseek(out, offset, SEEK_SET) < 0
                 ? -1
                 : file_copy_hashed(in, out, hash, added);
    else {
        off_t in_off = 0, out_off = offset;
        rc = file_copy(in, &in_off, out, &out_off, -1, added);
    }
    if (rc == 0 && fdatasync(out) != 0)
        rc = -1;
    int e = errno;
    if (rc != 0) {
        /* Nothing of a failed chunk is kept: the file holds exactly the confirmed bytes. */
        if (ftruncate(out, offset) != 0)
            log_error("uploads: cannot cut %s back to %lld: %s", dst, (long long)offset,
                      strerror(errno));
        *added = 0;
    }
    close(in);
    close(out);
    errno = e;
    return rc;
}

long long evidence_partial_size(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return errno == ENOENT ? 0 : -1;
    return (long long)st.st_size;
}

/* A copy of partial written beside object under a temporary name, then renamed into place.
 * The name is made by mkstemp (O_EXCL), not from the pid: hosts sharing the evidence
 * directory have pids in common. */
static int copy_object(const char *partial, const char *object)
{
    char tmp[CONFIG_PATH_MAX + 160];
    if (snprintf(tmp, sizeof tmp, "%s.tmpXXXXXX", object) >= (int)sizeof tmp) {
        errno = ENAMETOOLONG;
        return -1;
    }
    int in = open(partial, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return -1;
    int out = mkostemp(tmp, O_CLOEXEC);
    if (out >= 0)
        fchmod(out, 0640);
    off_t from = 0, to = 0, copied = 0;
    int rc = out < 0 || file_copy(in, &from, out, &to, -1, &copied) != 0 || fdatasync(out) != 0 ||
                     rename(tmp, object) != 0
                 ? -1
                 : 0;
    int e = errno;
    if (rc != 0 && out >= 0)
        unlink(tmp);
    close(in);
    if (out >= 0)
        close(out);
    errno = e;
    return rc;
}

int evidence_place_object(const char *partial, const char *object)
{
    if (link(partial, object) == 0 || errno == EEXIST)
        return 0;
    if (errno != EXDEV && errno != EPERM && errno != EMLINK && errno != EOPNOTSUPP)
        return -1;
    return copy_object(partial, object);
}

int evidence_sha256(const char *path, unsigned char out[32])
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int rc = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1 ? 0 : -1;
    static const size_t BLOCK = 1 << 20;
    unsigned char *buf = rc == 0 ? malloc(BLOCK) : NULL;
    if (!buf)
        rc = -1;
    while (rc == 0) {
        ssize_t n = read(fd, buf, BLOCK);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            rc = -1;
        if (n <= 0)
            break;
        if (EVP_DigestUpdate(ctx, buf, (size_t)n) != 1)
            rc = -1;
    }
    unsigned int len = 0;
    if (rc == 0 && EVP_DigestFinal_ex(ctx, out, &len) != 1)
        rc = -1;
    free(buf);
    EVP_MD_CTX_free(ctx);
    close(fd);
    return rc;
}

evidence_kind evidence_kind_of(const char *mime)
{
    static const char *const PHOTOS[] = {"image/jpeg", "image/png", "image/heic", "image/heif",
                                         "image/webp"};
    static const char *const VIDEOS[] = {"video/mp4", "video/quicktime", "video/webm"};
    for (size_t i = 0; mime && i < sizeof PHOTOS / sizeof PHOTOS[0]; i++)
        if (strcmp(mime, PHOTOS[i]) == 0)
            return EVIDENCE_KIND_PHOTO;
    for (size_t i = 0; mime && i < sizeof VIDEOS / sizeof VIDEOS[0]; i++)
        if (strcmp(mime, VIDEOS[i]) == 0)
            return EVIDENCE_KIND_VIDEO;
    return EVIDENCE_NONE;
}

int evidence_sniff(const char *path, char *out, size_t outlen)
{
    magic_t m = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR);
    if (!m)
        return -1;
    int rc = -1;
    if (magic_load(m, NULL) == 0) {
        const char *t = magic_file(m, path);
        if (t && snprintf(out, outlen, "%s", t) < (int)outlen)
            rc = 0;
    }
    magic_close(m);
    return rc;
}

int evidence_new_upload_id(char out[UPLOAD_ID_LEN + 1])
{
    unsigned char raw[UPLOAD_ID_LEN / 2];
    if (random_bytes(raw, sizeof raw) != 0)
        return -1;
    hex_encode(raw, sizeof raw, out);
    return 0;
}

int evidence_objects_lock(const config *cfg, int exclusive)
{
    char path[CONFIG_PATH_MAX + 32];
    if (snprintf(path, sizeof path, "%s/.objects.lock", cfg->uploads_dir) >= (int)sizeof path)
        return -1;
    if (evidence_mkdirs(path) != 0)
        return -1;
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0640);
    if (fd < 0)
        return -1;
    int rc;
    do
        rc = flock(fd, exclusive ? LOCK_EX : LOCK_SH);
    while (rc != 0 && errno == EINTR);
    if (rc != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

void evidence_objects_unlock(int fd)
{
    if (fd >= 0)
        close(fd); /* closing the last descriptor releases the flock */
}
