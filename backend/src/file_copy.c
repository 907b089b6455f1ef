#include "file_copy.h"

#include <errno.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#define COPY_STEP ((size_t)8 << 20)
/* The window of file_copy_hashed: small enough to stay in the CPU's cache between the hash
 * and the write (and the buffer of its fallback: one per process, as a worker serves one
 * request at a time). A multiple of the page size. */
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

/* Through a buffer: where in cannot be mapped. */
static int copy_hashed_read(int in, int out, sha256_carry *hash, off_t *copied)
{
    static unsigned char buf[HASH_STEP];
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

int file_copy_hashed(int in, int out, sha256_carry *hash, off_t *copied)
{
    struct stat st;
    *copied = 0;
    if (fstat(in, &st) != 0)
        return -1;
    if (!S_ISREG(st.st_mode))
        return copy_hashed_read(in, out, hash, copied);
    /* in's pages mapped a window at a time: the hash reads them where they are in the page
     * cache and the write copies them while they are still in the CPU's cache, so the bytes
     * are copied once. Resident memory grows by one window at most. */
    for (off_t at = 0; at < st.st_size; at += (off_t)HASH_STEP) {
        size_t n = st.st_size - at < (off_t)HASH_STEP ? (size_t)(st.st_size - at) : HASH_STEP;
        void *p = mmap(NULL, n, PROT_READ, MAP_PRIVATE | MAP_POPULATE, in, at);
        if (p == MAP_FAILED)
            return at == 0 ? copy_hashed_read(in, out, hash, copied) : -1;
        sha256_carry_update(hash, p, n);
        int rc = file_write_all(out, p, n);
        munmap(p, n);
        if (rc != 0)
            return -1;
        *copied += (off_t)n;
    }
    return 0;
}
