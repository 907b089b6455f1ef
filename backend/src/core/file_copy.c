#include "core/file_copy.h"

#include <errno.h>
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

int file_write_all(int fd, const void *p, size_t n)
{
    const unsigned char *b = p;
    while (n > 0) {
        ssize_t w = write(fd, b, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = EIO;
            return -1;
        }
        b += w;
        n -= (size_t)w;
    }
    return 0;
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
