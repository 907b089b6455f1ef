#include "core/file_copy.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sendfile.h>
#include <unistd.h>

#define COPY_STEP ((size_t)8 << 20)
/* The buffer of file_copy_hashed: small enough to stay in the CPU's cache between the read,
 * the hash and the write. One per process (a worker serves one request at a time). Mapping
 * the source a window at a time instead (no copy into the buffer) measured the same. */
#define HASH_STEP ((size_t)256 << 10)

static int kernel_copy_refused(int e)
{
    return e == EXDEV || e == EOPNOTSUPP || e == ENOSYS || e == EINVAL;
}

/* One step: copy_file_range while the kernel takes it, then sendfile at out's position. */
static ssize_t copy_step(int in, off_t *in_off, int out, off_t *out_off, size_t n, int *fallback)
{
    if (!*fallback) {
        ssize_t k = copy_file_range(in, in_off, out, out_off, n, 0);
        if (k >= 0 || !kernel_copy_refused(errno))
            return k;
        *fallback = 1;
    }
    if (lseek(out, *out_off, SEEK_SET) < 0)
        return -1;
    ssize_t k = sendfile(out, in, in_off, n);
    if (k > 0)
        *out_off += k;
    return k;
}

int file_copy(int in, off_t *in_off, int out, off_t *out_off, off_t len, off_t *copied)
{
    int fallback = 0;
    *copied = 0;
    while (len < 0 || *copied < len) {
        size_t n = COPY_STEP;
        if (len >= 0 && (off_t)n > len - *copied)
            n = (size_t)(len - *copied);
        ssize_t k = copy_step(in, in_off, out, out_off, n, &fallback);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return -1;
        if (k == 0) {
            if (len < 0)
                return 0;
            errno = EIO; /* in ended before len bytes */
            return -1;
        }
        *copied += k;
    }
    return 0;
}

/* Writes (at the file's position) or reads (pread at `at`) all n bytes of b: again after
 * EINTR and after a short transfer; a transfer of nothing is EIO. */
static int transfer_all(int fd, unsigned char *b, size_t n, off_t at, int writing)
{
    while (n > 0) {
        ssize_t k = writing ? write(fd, b, n) : pread(fd, b, n, at);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            if (k == 0)
                errno = EIO;
            return -1;
        }
        b += k;
        n -= (size_t)k;
        at += k;
    }
    return 0;
}

int file_write_all(int fd, const void *p, size_t n)
{
    return transfer_all(fd, (unsigned char *)p, n, 0, 1); /* write does not change *p */
}

int file_pread_all(int fd, void *p, size_t n, off_t at)
{
    return transfer_all(fd, p, n, at, 0);
}

int file_make_dirs(const char *path, mode_t mode, mode_t last)
{
    char dir[PATH_MAX];
    if (snprintf(dir, sizeof dir, "%s", path) >= (int)sizeof dir) {
        errno = ENAMETOOLONG;
        return -1;
    }
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return 0;
    *slash = '\0';
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, mode) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return (mkdir(dir, last) == 0 || errno == EEXIST) ? 0 : -1;
}

int file_copy_hashed(int in, int out, sha256_carry *hash, off_t *copied)
{
    static unsigned char buf[HASH_STEP];
    *copied = 0;
    for (;;) {
        ssize_t n = read(in, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n == 0 ? 0 : -1;
        sha256_carry_update(hash, buf, (size_t)n);
        if (file_write_all(out, buf, (size_t)n) != 0)
            return -1;
        *copied += n;
    }
}
